<?php
/**
 * Mailgun's messages.mime API, US or EU region.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Https\Https_Answer;
use SmtpPortHelper\Transport\Https\Https_Api_Transport;
use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Https\Request_Body;
use SmtpPortHelper\Transport\Mime\Mime_Message;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `POST /v3/{domain}/messages.mime` takes the MIME message itself: the bytes PHPMailer built
 * travel untouched as the form's file `message` (only a Bcc header, which PHPMailer writes when it
 * builds for mail(), is taken out), and `to` names every envelope recipient (Bcc included). The account field is the sending domain; the region chooses
 * api.mailgun.net (US) or api.eu.mailgun.net (EU): a domain lives in one of them only. Limit
 * (docs/facts.md): 25 MB per message. No idempotency key. The port test asks
 * `GET /v4/domains/{domain}`, which needs the key and the domain to match.
 */
final class Mailgun_Transport extends Https_Api_Transport {

	public const MAX_BYTES = 25 * 1024 * 1024;

	/**
	 * Mailgun's row.
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider(
			'mailgun',
			'Mailgun',
			array(
				'us' => 'https://api.mailgun.net',
				'eu' => 'https://api.eu.mailgun.net',
			),
			array( 'smtp.mailgun.org', 'smtp.eu.mailgun.org' ),
			__( 'Sending domain', 'smtp-port-helper' )
		);
	}

	/**
	 * The multipart/form-data body: one `to` per recipient and the message as a file.
	 *
	 * The message is passed on from the message itself, not copied into the form.
	 *
	 * @param string[]            $recipients The envelope's recipients.
	 * @param Request_Body|string $mime       The message (without a Bcc header).
	 * @param string              $boundary   The form's boundary (not in the message).
	 */
	public static function form( array $recipients, $mime, string $boundary ): Request_Body {
		$fields = '';
		foreach ( $recipients as $recipient ) {
			$fields .= '--' . $boundary . "\r\nContent-Disposition: form-data; name=\"to\"\r\n\r\n" . $recipient . "\r\n";
		}
		$form = ( new Request_Body() )->text( $fields . '--' . $boundary . "\r\nContent-Disposition: form-data; name=\"message\"; filename=\"message.mime\"\r\nContent-Type: message/rfc822\r\n\r\n" );
		$form = $mime instanceof Request_Body ? $form->body( $mime ) : $form->text( $mime );
		return $form->text( "\r\n--" . $boundary . "--\r\n" );
	}

	/**
	 * The messages.mime request.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$mime = Mime_Message::without_bcc_header_body( $message->data );
		if ( $mime->length() > self::MAX_BYTES ) {
			return new Send_Failure( Send_Failure::STAGE_API, 413, sprintf( 'The message is %.1f MB; Mailgun takes at most 25 MB.', $mime->length() / 1048576 ) );
		}
		do {
			$boundary = 'sph-' . bin2hex( random_bytes( 16 ) );
		} while ( false !== strpos( $message->data, $boundary ) );
		return new Https_Request(
			'POST',
			'/v3/' . rawurlencode( $this->credentials->account ) . '/messages.mime',
			$this->headers() + array( 'Content-Type' => 'multipart/form-data; boundary=' . $boundary ),
			self::form( $message->recipients, $mime, $boundary )
		);
	}

	/**
	 * The sending domain: sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/v4/domains/' . rawurlencode( $this->credentials->account ), $this->headers() );
	}

	/**
	 * Mailgun answers a wrong key with the bare word `Forbidden` (HTTP 401), others with `message`.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$json = $answer->json();
		if ( isset( $json['message'] ) && is_string( $json['message'] ) ) {
			return sprintf( 'HTTP %d: %s', $answer->status, substr( $json['message'], 0, 300 ) );
		}
		$text = trim( wp_strip_all_tags( $answer->body ) );
		return '' === $text ? sprintf( 'HTTP %d', $answer->status ) : sprintf( 'HTTP %d: %s', $answer->status, substr( $text, 0, 300 ) );
	}

	/**
	 * The id Mailgun answers with.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		$id = $answer->json()['id'] ?? '';
		return is_string( $id ) ? trim( $id, '<>' ) : '';
	}

	/**
	 * HTTP Basic with the user `api`.
	 *
	 * @return array<string, string>
	 */
	private function headers(): array {
		return array(
			'Authorization' => 'Basic ' . base64_encode( 'api:' . $this->credentials->key ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- HTTP Basic.
			'Accept'        => 'application/json',
		);
	}
}
