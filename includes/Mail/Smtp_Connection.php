<?php
/**
 * PHPMailer's SMTP client, watched: which host and port answered, which could not be reached.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\SMTP;

defined( 'ABSPATH' ) || exit;

/**
 * Given to PHPMailer with `setSMTPInstance()` for one message. PHPMailer tries the entries of a
 * multi-host `Host` in order and moves on after any failure before the message is sent (connect,
 * TLS or AUTH); this client lets it move on only while no server has answered, so a fallback port
 * is tried only when the previous one could not be connected to. A message is never sent twice:
 * PHPMailer sends it once, after a connection is fully set up.
 */
class Smtp_Connection extends SMTP {

	/** PHPMailer's error text when the socket could not be opened. */
	private const SOCKET_FAILURE = 'Failed to connect to server';

	/**
	 * Called after each connection attempt with (host, port, ok, socket_failure).
	 *
	 * @var callable|null
	 */
	private $on_attempt;

	/**
	 * Why nothing may be sent (e.g. an unreadable password); null when sending may go ahead.
	 *
	 * @var string|null
	 */
	private ?string $blocked;

	/**
	 * Whether a server answered for this message (no further port is tried then).
	 *
	 * @var bool
	 */
	private bool $answered = false;

	/**
	 * Every connection attempt of this message, in order.
	 *
	 * @var list<array{host: string, port: int, ok: bool, socket_failure: bool, error: string, problems: list<string>}>
	 */
	private array $attempts = array();

	/**
	 * PHP warnings seen during the current attempt (connect, TLS handshake).
	 *
	 * @var list<string>
	 */
	private array $problems = array();

	/**
	 * Takes the attempt callback and, when sending must not happen, the reason.
	 *
	 * @param callable|null $on_attempt Called with (string $host, int $port, bool $ok, bool $socket_failure).
	 * @param string|null   $blocked    When set, every connection fails with this message.
	 */
	public function __construct( ?callable $on_attempt = null, ?string $blocked = null ) {
		$this->on_attempt = $on_attempt;
		$this->blocked    = $blocked;
	}

	/**
	 * Connects, unless a server already answered for this message.
	 *
	 * @param string               $host    Host, possibly with an `ssl://` prefix.
	 * @param int                  $port    Port.
	 * @param int                  $timeout Seconds.
	 * @param array<string, mixed> $options Stream context options.
	 * @return bool
	 * @throws PHPMailer_Exception When sending is blocked.
	 */
	public function connect( $host, $port = null, $timeout = 30, $options = array() ) {
		if ( null !== $this->blocked ) {
			throw new PHPMailer_Exception( $this->blocked ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- not output.
		}
		if ( $this->answered ) {
			$this->setError( 'A server already answered: no other port is tried for this message.' );
			$this->edebug( 'Connection: not trying the next port, a server already answered', self::DEBUG_CONNECTION );
			return false;
		}
		$this->problems = array();
		// PHPMailer waits `Timelimit` (300 s) for each reply, whatever `Timeout` says: a port that
		// accepts connections but never greets would hold the request for five minutes. The
		// greeting gets the connection timeout; later replies the longer of it and 30 s.
		$this->Timelimit  = max( 1, (int) $timeout ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$ok               = parent::connect( $host, $port, $timeout, $options );
		$this->Timelimit  = max( 30, (int) $timeout ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$error            = $this->getError();
		$socket_failure   = ! $ok && self::SOCKET_FAILURE === $error['error'];
		$plain_host       = preg_replace( '#^(ssl|tls)://#', '', (string) $host );
		$attempt          = array(
			'host'           => trim( (string) $plain_host, '[]' ),
			'port'           => (int) $port,
			'ok'             => $ok,
			'socket_failure' => $socket_failure,
			'error'          => trim( $error['error'] . ' ' . $error['detail'] . ' ' . $error['smtp_code_ex'] ),
			'problems'       => $this->problems,
		);
		$this->attempts[] = $attempt;
		if ( $ok ) {
			$this->answered = true;
		}
		if ( null !== $this->on_attempt ) {
			call_user_func( $this->on_attempt, $attempt['host'], $attempt['port'], $ok, $socket_failure );
		}
		return $ok;
	}

	/**
	 * Keeps PHP's warnings (connection refused, OpenSSL errors) for the diagnosis.
	 *
	 * @param int    $errno   Error level.
	 * @param string $errmsg  Message.
	 * @param string $errfile File.
	 * @param int    $errline Line.
	 * @return void
	 */
	protected function errorHandler( $errno, $errmsg, $errfile = '', $errline = 0 ) {
		$this->problems[] = (string) $errmsg;
		if ( array() !== $this->attempts ) {
			$last                                  = count( $this->attempts ) - 1;
			$this->attempts[ $last ]['problems'][] = (string) $errmsg;
		}
		parent::errorHandler( $errno, $errmsg, $errfile, $errline );
	}

	/**
	 * Every connection attempt of this message, in order.
	 *
	 * @return list<array{host: string, port: int, ok: bool, socket_failure: bool, error: string, problems: list<string>}>
	 */
	public function attempts(): array {
		return $this->attempts;
	}

	/**
	 * The host and port that answered, or null.
	 *
	 * @return array{host: string, port: int}|null
	 */
	public function endpoint(): ?array {
		foreach ( $this->attempts as $attempt ) {
			if ( $attempt['ok'] ) {
				return array(
					'host' => $attempt['host'],
					'port' => $attempt['port'],
				);
			}
		}
		return null;
	}
}
