<?php
/**
 * The seam every way of sending implements: SMTP today, the providers' HTTPS APIs.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

use SmtpPortHelper\Probe\Port_Result;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What the outbox, the per-message time limit, the send path record, Site Health and WP-CLI need
 * from a transport — and nothing else, so that each of them works the same for every transport.
 * A message is always the MIME bytes PHPMailer built plus its envelope (Outgoing_Message); a
 * transport whose API takes fields instead of raw MIME maps them from those bytes.
 */
interface Transport {

	/**
	 * `smtp` or the id of an API provider (Transport_Registry).
	 */
	public function id(): string;

	/**
	 * Checks the way without sending anything: name, connection, TLS, certificate and the login
	 * (SMTP AUTH, or an authenticated API call that sends nothing), as one result of the port
	 * test — the same stages, timings and verdicts.
	 *
	 * @param Deadline $deadline How long the test may take.
	 */
	public function test( Deadline $deadline ): Port_Result;

	/**
	 * Hands one message over within its time limit. Never throws for a server's or the
	 * network's answer: that is the outcome's failure.
	 *
	 * @param Outgoing_Message $message  The message.
	 * @param Deadline         $deadline Its time limit.
	 */
	public function send( Outgoing_Message $message, Deadline $deadline ): Send_Outcome;

	/**
	 * Classifies an answer into the one failure shape (its kind follows from stage and code).
	 *
	 * @param string                $stage   Where: an SMTP stage, or Send_Failure::STAGE_API.
	 * @param int                   $code    SMTP reply code or HTTP status; 0 without an answer.
	 * @param string                $detail  The server's words (never a secret).
	 * @param array<string, string> $headers Answer headers, lower-case names (Retry-After).
	 */
	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure;

	/**
	 * Ends what send() kept open for the next message (a queue run reuses one connection).
	 */
	public function close(): void;
}
