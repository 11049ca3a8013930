<?php
/**
 * The Gmail API's users.messages.send, signed in with the site's Google OAuth 2.0 connection.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Https\Https_Answer;
use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Https\OAuth_Api_Transport;
use SmtpPortHelper\Transport\Mime\Mime_Message;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `POST /gmail/v1/users/me/messages/send` with the MIME message PHPMailer built, base64url in
 * `raw`; a message whose JSON body would pass 5 MB goes as a simple media upload instead
 * (`/upload/…?uploadType=media`, `message/rfc822`, the bytes without base64: a third less on the
 * wire and in memory). Gmail has no envelope: it sends to the To, Cc and Bcc headers and hides Bcc,
 * so To and Cc keep only the envelope's recipients (not those a partly delivered message already
 * reached) and the envelope's others go into a Bcc header. The scope is
 * `gmail.send` alone — narrower than SMTP's `https://mail.google.com/`, which also reads and
 * deletes all mail. Gmail sends as the signed-in account: a From that is not the account or one of
 * its "Send mail as" addresses is replaced by the account's. Limit (docs/facts.md): 35 MB per
 * message (the discovery document's maxSize, 36,700,160 bytes). No idempotency key. The port test
 * asks messages.send with an empty message, which Gmail refuses after the token and its scope
 * passed (400 invalidArgument): it sends nothing, and `gmail.send` allows no call that reads.
 */
class Gmail_Transport extends OAuth_Api_Transport {

	/** The discovery document's maxSize for messages.send (35 MB). */
	public const MAX_MESSAGE_BYTES = 36700160;

	/** Above this JSON body, the message goes as a media upload. */
	public const MAX_JSON_BYTES = 5 * 1024 * 1024;

	public const SCOPE = 'https://www.googleapis.com/auth/gmail.send';

	private const SEND_PATH = '/gmail/v1/users/me/messages/send';

	private const ACCEPT = array( 'Accept' => 'application/json' );

	/** Google's reasons for a usage limit, answered 403 or 429: the message waits, nothing is wrong with it. */
	private const USAGE_LIMITS = array( 'rateLimitExceeded', 'userRateLimitExceeded', 'dailyLimitExceeded', 'quotaExceeded', 'concurrentLimitExceeded' );

	/**
	 * The Gmail API's row; offered for Gmail's SMTP host (not the Workspace relay, which has no sign-in).
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider(
			'gmail',
			__( 'Google (Gmail API)', 'smtp-port-helper' ),
			array( '' => 'https://gmail.googleapis.com' ),
			array( 'smtp.gmail.com' )
		);
	}

	/**
	 * The Google sign-in (OAuth\Provider_Profile::GOOGLE; Transport sits below OAuth).
	 */
	public static function oauth_provider(): string {
		return 'google';
	}

	/**
	 * Gmail sends as the signed-in account: a From that is neither the account nor one of its
	 * "Send mail as" addresses is replaced by the account's address (the scope gmail.send cannot
	 * read that list, so only the account itself is known to be kept).
	 *
	 * @param string $from    The From address mail leaves with.
	 * @param string $account The signed-in Google account.
	 */
	public static function from_warning( string $from, string $account ): ?string {
		if ( '' === $from || '' === $account || strtolower( trim( $from ) ) === strtolower( trim( $account ) ) ) {
			return null;
		}
		return sprintf(
			/* translators: 1: the From address, 2: the signed-in Google account */
			__( 'The From address %1$s is not the signed-in Google account %2$s. Gmail sends it as %2$s unless %1$s is one of the account\'s "Send mail as" addresses (Gmail settings → Accounts). Add it there, or use %2$s as the From address.', 'smtp-port-helper' ),
			$from,
			$account
		);
	}

	/**
	 * Only the permission to send.
	 *
	 * @param string $account Unused: Gmail sends as the signed-in account.
	 */
	public static function oauth_scope( string $account ): string { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		return self::SCOPE;
	}

	/**
	 * The send request: `raw` in JSON, or the media upload for a large message.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$data = Mime_Message::addressed_to_envelope( $message->data, $message->recipients );
		$size = strlen( $data );
		if ( $size > self::MAX_MESSAGE_BYTES ) {
			return new Send_Failure(
				Send_Failure::STAGE_API,
				413,
				sprintf( 'The message is %.1f MB; the Gmail API takes at most 35 MB (36,700,160 bytes) per message. Send large files as links.', $size / 1048576 )
			);
		}
		if ( 4 * (int) ceil( $size / 3 ) + 10 > self::MAX_JSON_BYTES ) {
			return new Https_Request( 'POST', '/upload' . self::SEND_PATH . '?uploadType=media', array( 'Content-Type' => 'message/rfc822' ) + self::ACCEPT, $data );
		}
		$raw = rtrim( strtr( base64_encode( $data ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- Gmail's raw is base64url.
		return new Https_Request( 'POST', self::SEND_PATH, array( 'Content-Type' => 'application/json' ) + self::ACCEPT, '{"raw":"' . $raw . '"}' );
	}

	/**
	 * An empty messages.send: checks the token and its scope, sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'POST', self::SEND_PATH, array( 'Content-Type' => 'application/json' ) + self::ACCEPT, '{}' );
	}

	/**
	 * Gmail's refusal of the empty message is the test's success: the token and scope passed.
	 *
	 * @param Https_Answer $answer The answer to test_request().
	 */
	protected function test_answer( Https_Answer $answer ): Https_Answer {
		if ( 400 === $answer->status && 'invalidArgument' === self::reason( $answer ) ) {
			return new Https_Answer( 200, $answer->headers, '', $answer->stage, '', $answer->timings, $answer->address );
		}
		return $answer;
	}

	/**
	 * Google's words: `reason: message`.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$message = $answer->json()['error']['message'] ?? null;
		if ( ! is_string( $message ) ) {
			return parent::error_text( $answer );
		}
		$reason = self::reason( $answer );
		return sprintf( 'HTTP %d: %s%s', $answer->status, '' !== $reason ? $reason . ': ' : '', substr( $message, 0, 300 ) );
	}

	/**
	 * Gmail answers a usage limit with 403 as often as with 429, and names the time to retry in
	 * its message ("Retry after 2026-…Z"): both wait as throttled (recorded with code 429, so a
	 * stored failure reads back the same; the text keeps Gmail's status). "Mail service not
	 * enabled" (400 failedPrecondition: the account has no Gmail) holds like a missing permission.
	 *
	 * @param string                $stage   Send_Failure::STAGE_API, or where the request stopped.
	 * @param int                   $code    HTTP status, 0 without an answer.
	 * @param string                $detail  Google's words (error_text()).
	 * @param array<string, string> $headers Answer headers.
	 */
	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure {
		$failure = parent::classify( $stage, $code, $detail, $headers );
		if ( Send_Failure::STAGE_API !== $stage || ! preg_match( '/^HTTP \d+: (\w+): /', $detail, $reason ) ) {
			return $failure;
		}
		if ( in_array( $reason[1], self::USAGE_LIMITS, true ) ) {
			return new Send_Failure( $stage, 429, $detail, $failure->retry_after ?? self::retry_after_in( $detail ) );
		}
		return 'failedPrecondition' === $reason[1] ? new Send_Failure( $stage, 403, $detail ) : $failure;
	}

	/**
	 * The id Gmail gave the sent message.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		$id = $answer->json()['id'] ?? '';
		return is_string( $id ) ? $id : '';
	}

	/**
	 * Seconds until the time in "Retry after <time>", or null.
	 *
	 * @param string $detail Google's words.
	 */
	private static function retry_after_in( string $detail ): ?int {
		if ( ! preg_match( '/Retry after (\S+)/', $detail, $time ) ) {
			return null;
		}
		$at = strtotime( rtrim( $time[1], '.' ) );
		return false === $at ? null : max( 1, $at - time() );
	}

	/**
	 * The first `error.errors[].reason`, or ''.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	private static function reason( Https_Answer $answer ): string {
		$reason = $answer->json()['error']['errors'][0]['reason'] ?? '';
		return is_string( $reason ) ? $reason : '';
	}
}
