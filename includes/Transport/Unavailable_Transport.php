<?php
/**
 * The transport of settings that cannot send: an unknown provider, or no usable API key.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Every send fails with the stage `auth` and code 0 (the queue holds until the settings change,
 * as for an unreadable password), and the test says why — nothing is sent anywhere.
 */
final class Unavailable_Transport implements Transport {

	/**
	 * The transport id the settings name.
	 *
	 * @var string
	 */
	private string $id;

	/**
	 * Why it cannot send, in plain words.
	 *
	 * @var string
	 */
	private string $reason;

	/**
	 * Takes the id and the reason.
	 *
	 * @param string $id     Transport id.
	 * @param string $reason Why it cannot send.
	 */
	public function __construct( string $id, string $reason ) {
		$this->id     = $id;
		$this->reason = $reason;
	}

	/**
	 * The transport id.
	 */
	public function id(): string {
		return $this->id;
	}

	/**
	 * A result that says why, without a connection.
	 *
	 * @param Deadline $deadline Unused.
	 */
	public function test( Deadline $deadline ): Port_Result { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		$result                 = new Port_Result( 443 );
		$result->verdict        = Verdict::AUTH_UNAVAILABLE;
		$result->verdict_detail = $this->reason;
		return $result;
	}

	/**
	 * Fails: the login cannot be used.
	 *
	 * @param Outgoing_Message $message  Unused.
	 * @param Deadline         $deadline Unused.
	 */
	public function send( Outgoing_Message $message, Deadline $deadline ): Send_Outcome { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		return Send_Outcome::failed( new Send_Failure( 'auth', 0, $this->reason ) );
	}

	/**
	 * The failure shape.
	 *
	 * @param string                $stage   Stage.
	 * @param int                   $code    Code.
	 * @param string                $detail  Detail.
	 * @param array<string, string> $headers Unused.
	 */
	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		return new Send_Failure( $stage, $code, $detail );
	}

	/**
	 * Nothing is open.
	 */
	public function close(): void {
	}
}
