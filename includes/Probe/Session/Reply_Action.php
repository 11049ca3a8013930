<?php
/**
 * What the session does after the conversation handled a reply.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Immutable instruction from Conversation to the session, which owns the socket: send a line
 * and move to a state, send QUIT, start TLS, finish, give up on the certificate-reading
 * connection, or wait for more.
 */
final class Reply_Action {

	const SEND                   = 'send';
	const QUIT                   = 'quit';
	const START_TLS              = 'start_tls';
	const FINISH                 = 'finish';
	const CERTIFICATE_UNREADABLE = 'certificate_unreadable';
	const WAIT                   = 'wait';
	const AWAIT                  = 'await';

	/**
	 * One of the constants.
	 *
	 * @var string
	 */
	private string $kind;

	/**
	 * Line to send (SEND) or why the certificate is unreadable (CERTIFICATE_UNREADABLE).
	 *
	 * @var string
	 */
	private string $text;

	/**
	 * State after sending (SEND) or to wait in (AWAIT).
	 *
	 * @var string
	 */
	private string $state;

	/**
	 * Constructor.
	 *
	 * @param string $kind  Kind.
	 * @param string $text  Line or cause.
	 * @param string $state Next state.
	 */
	private function __construct( string $kind, string $text = '', string $state = '' ) {
		$this->kind  = $kind;
		$this->text  = $text;
		$this->state = $state;
	}

	/**
	 * Send a command and move to a state.
	 *
	 * @param string $line  Command without CRLF.
	 * @param string $state State constant.
	 * @return self
	 */
	public static function send( string $line, string $state ): self {
		return new self( self::SEND, $line, $state );
	}

	/**
	 * Send nothing and move to a state (the server speaks next).
	 *
	 * @param string $state State constant.
	 * @return self
	 */
	public static function await( string $state ): self {
		return new self( self::AWAIT, '', $state );
	}

	/**
	 * One of the actions without a line: QUIT, START_TLS, FINISH or WAIT.
	 *
	 * @param string $kind Kind.
	 * @return self
	 */
	public static function just( string $kind ): self {
		return new self( $kind );
	}

	/**
	 * Give up on the certificate-reading connection.
	 *
	 * @param string $cause Why.
	 * @return self
	 */
	public static function certificate_unreadable( string $cause ): self {
		return new self( self::CERTIFICATE_UNREADABLE, $cause );
	}

	/**
	 * Kind.
	 *
	 * @return string
	 */
	public function kind(): string {
		return $this->kind;
	}

	/**
	 * Line to send, or the cause.
	 *
	 * @return string
	 */
	public function text(): string {
		return $this->text;
	}

	/**
	 * State after sending.
	 *
	 * @return string
	 */
	public function state(): string {
		return $this->state;
	}
}
