<?php
/**
 * Microsoft Graph's sendMail, signed in with the site's Microsoft 365 OAuth 2.0 connection.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Https\Https_Answer;
use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Https\OAuth_Api_Transport;
use SmtpPortHelper\Transport\Mime\Mime_Message;
use SmtpPortHelper\Transport\Mime\Mime_Part;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `POST /me/sendMail` (delegated `Mail.Send`) — or `POST /users/{id}/sendMail` for the shared
 * mailbox the account field names (delegated `Mail.Send.Shared`) — with the MIME message
 * base64-encoded as a `text/plain` body, which Graph takes instead of the JSON message. Graph has
 * no envelope for MIME: it sends to the To, Cc and Bcc headers (and keeps Bcc hidden), so the
 * envelope's recipients that no To or Cc header names go into a Bcc header. Works in tenants
 * whose SMTP AUTH is off (535 5.7.139). Limit (docs/facts.md): 4 MB per request, counted on the
 * base64 body; larger attachments need an upload session, which sendMail does not take. No
 * idempotency key. The port test asks `GET /me` (`User.Read`), which sends nothing.
 *
 * Not final: the integration tests move provider()'s address to the local Graph server
 * (tests/php/integration/support/Local_Graph_Transport.php) and change nothing else.
 */
class Graph_Transport extends OAuth_Api_Transport {

	/** Graph's limit for one request's body. */
	public const MAX_REQUEST_BYTES = 4 * 1024 * 1024;

	private const RESOURCE = 'https://graph.microsoft.com/';

	/**
	 * Microsoft Graph's row: v1.0 on the worldwide cloud; offered for Microsoft 365's SMTP host.
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider(
			'microsoft-graph',
			__( 'Microsoft 365 (Graph API)', 'smtp-port-helper' ),
			array( '' => 'https://graph.microsoft.com/v1.0' ),
			array( 'smtp.office365.com' ),
			__( 'Shared mailbox (optional)', 'smtp-port-helper' )
		);
	}

	/**
	 * The Microsoft 365 sign-in (OAuth\Provider_Profile::MICROSOFT).
	 */
	public static function oauth_provider(): string {
		return 'microsoft';
	}

	/**
	 * Mail.Send (Mail.Send.Shared too for a shared mailbox), User.Read for the port test's
	 * `GET /me`, offline_access for a refresh token.
	 *
	 * @param string $account The shared mailbox, or ''.
	 */
	public static function oauth_scope( string $account ): string {
		$scopes = array( self::RESOURCE . 'Mail.Send' );
		if ( '' !== $account ) {
			$scopes[] = self::RESOURCE . 'Mail.Send.Shared';
		}
		$scopes[] = self::RESOURCE . 'User.Read';
		$scopes[] = 'offline_access';
		return implode( ' ', $scopes );
	}

	/**
	 * A shared mailbox named by its address is the mailbox mail leaves from (`/users/{id}/sendMail`
	 * sends as it); named by its object id it cannot be a From address, so ''.
	 *
	 * @param string $account The saved account field.
	 */
	public static function shared_mailbox( string $account ): string {
		return false !== strpos( $account, '@' ) ? $account : '';
	}

	/**
	 * The sendMail request: the MIME message, base64, as text/plain.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		// The limit is checked on lengths before anything is copied or encoded: a 10 MB message is
		// refused holding only itself, not its copy and 13 MB of base64 besides. Its body part
		// alone decides that (with_hidden_recipients() changes only headers); the exact check
		// follows on the message Graph would get.
		list( , $body_start ) = Mime_Part::blank_line( $message->data, 0, strlen( $message->data ) );
		if ( self::base64_length( strlen( $message->data ) - $body_start ) > self::MAX_REQUEST_BYTES ) {
			return self::too_large( $message, strlen( $message->data ) );
		}
		$mime = self::with_hidden_recipients( $message );
		if ( self::base64_length( strlen( $mime ) ) > self::MAX_REQUEST_BYTES ) {
			return self::too_large( $message, strlen( $mime ) );
		}
		$body = base64_encode( $mime ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- Graph takes MIME as base64.
		unset( $mime );
		return new Https_Request(
			'POST',
			$this->mailbox_path() . '/sendMail',
			array(
				'Content-Type' => 'text/plain',
				'Accept'       => 'application/json',
			),
			$body
		);
	}

	/**
	 * The length of base64 text for a number of bytes (no line breaks: Graph's body is one line).
	 *
	 * @param int $bytes Bytes to encode.
	 */
	private static function base64_length( int $bytes ): int {
		return 4 * intdiv( $bytes + 2, 3 );
	}

	/**
	 * The verdict for a message over the request limit.
	 *
	 * @param Outgoing_Message $message    The message.
	 * @param int              $mime_bytes The size of the MIME message Graph would get, before base64.
	 */
	private static function too_large( Outgoing_Message $message, int $mime_bytes ): Send_Failure {
		return new Send_Failure(
			Send_Failure::STAGE_API,
			413,
			sprintf( 'The message is %.1f MB (%.1f MB as Microsoft Graph takes it, base64-encoded); Graph\'s sendMail takes at most 4 MB per request. Send large files as links, or send over SMTP.', strlen( $message->data ) / 1048576, self::base64_length( $mime_bytes ) / 1048576 )
		);
	}

	/**
	 * The signed-in user: sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/me?$select=id,userPrincipalName,mail', array( 'Accept' => 'application/json' ) );
	}

	/**
	 * Only an invalid token is worth a refresh: Graph's 401 `InvalidAuthenticationToken`.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function token_refused( Https_Answer $answer ): bool {
		return 401 === $answer->status && 'InvalidAuthenticationToken' === self::error_code( $answer );
	}

	/**
	 * Graph's words: `error.code: error.message`.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$error = $answer->json()['error'] ?? null;
		if ( is_array( $error ) && isset( $error['message'] ) && is_string( $error['message'] ) ) {
			return sprintf( 'HTTP %d: %s: %s', $answer->status, self::error_code( $answer ), substr( $error['message'], 0, 300 ) );
		}
		return parent::error_text( $answer );
	}

	/**
	 * Graph answers 202 without a body; its `request-id` names the request.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		return $answer->header( 'request-id' );
	}

	/**
	 * `/me` or the shared mailbox's `/users/{id}`.
	 */
	private function mailbox_path(): string {
		return '' === $this->credentials->account ? '/me' : '/users/' . rawurlencode( $this->credentials->account );
	}

	/**
	 * The MIME message addressed to the envelope's recipients only: Graph reads them from the
	 * headers, so To and Cc lose those already reached and a Bcc header (hidden by Graph) names
	 * the envelope's others (PHPMailer writes none for SMTP).
	 *
	 * @param Outgoing_Message $message The message.
	 */
	private static function with_hidden_recipients( Outgoing_Message $message ): string {
		return Mime_Message::addressed_to_envelope( $message->data, $message->recipients );
	}

	/**
	 * Graph's `error.code`, or ''.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	private static function error_code( Https_Answer $answer ): string {
		$code = $answer->json()['error']['code'] ?? '';
		return is_string( $code ) ? $code : '';
	}
}
