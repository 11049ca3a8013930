<?php
/**
 * Brevo's (formerly Sendinblue) transactional email API v3.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Https\Https_Answer;
use SmtpPortHelper\Transport\Https\Https_Api_Transport;
use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Mime\Mail_Address;
use SmtpPortHelper\Transport\Mime\Mime_Message;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `POST /v3/smtp/email` takes JSON fields, not MIME: `sender`, `to`/`cc`/`bcc` as
 * `{email, name}`, one `replyTo`, `subject`, `textContent`/`htmlContent`, `headers`, and
 * `attachment` as `{name, content}` only. What Brevo cannot carry is said here and in
 * docs/facts.md: a second Reply-To address is dropped (Brevo takes one), and an inline image
 * travels as an ordinary attachment (Brevo's attachment has no Content-ID, so `cid:` images in
 * the HTML do not show). Limit: 20 MB with the attachments. No idempotency key is documented,
 * so an unanswered request is sent again once at most. A `402 not_enough_credits` refuses every
 * message of the account: recorded as a missing permission (403) that holds the queue. The port
 * test asks `GET /v3/account`.
 */
final class Brevo_Transport extends Https_Api_Transport {

	public const MAX_BYTES = 20 * 1024 * 1024;

	/**
	 * Brevo's row.
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider( 'brevo', 'Brevo', array( '' => 'https://api.brevo.com' ), array( 'smtp-relay.brevo.com', 'smtp-relay.sendinblue.com' ) );
	}

	/**
	 * The request body of a message.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return array<string, mixed>|Send_Failure
	 */
	public static function payload( Outgoing_Message $message ) {
		$mime       = new Mime_Message( $message->data );
		$recipients = $mime->recipients( $message->recipients );
		if ( array() === $recipients['to'] ) {
			return new Send_Failure( Send_Failure::STAGE_API, 400, 'Brevo needs at least one To recipient; this message has only Bcc recipients.' );
		}
		$from    = $mime->addresses( 'from' )[0] ?? new Mail_Address( $message->from );
		$payload = array(
			'sender'  => self::one( $from ),
			'to'      => self::list_of( $recipients['to'] ),
			'subject' => '' !== $mime->subject() ? $mime->subject() : ' ',
		);
		foreach ( array( 'cc', 'bcc' ) as $field ) {
			if ( array() !== $recipients[ $field ] ) {
				$payload[ $field ] = self::list_of( $recipients[ $field ] );
			}
		}
		$reply_to = $mime->addresses( 'reply-to' );
		if ( array() !== $reply_to ) {
			$payload['replyTo'] = self::one( $reply_to[0] );
		}
		foreach ( array(
			'textContent' => $mime->text(),
			'htmlContent' => $mime->html(),
		) as $key => $body ) {
			if ( '' !== $body ) {
				$payload[ $key ] = $body;
			}
		}
		if ( ! isset( $payload['textContent'] ) && ! isset( $payload['htmlContent'] ) ) {
			$payload['textContent'] = ' ';
		}
		$headers = $mime->other_headers();
		if ( array() !== $headers ) {
			$payload['headers'] = $headers;
		}
		foreach ( $mime->files() as $file ) {
			$payload['attachment'][] = array(
				'content' => $file->base64_body(), // The API takes the file as base64: passed on from the MIME, not decoded and encoded again.
				'name'    => '' !== $file->filename() ? $file->filename() : 'attachment',
			);
		}
		return $payload;
	}

	/**
	 * The smtp/email request.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$payload = self::payload( $message );
		if ( $payload instanceof Send_Failure ) {
			return $payload;
		}
		return Json_Post::request( '/v3/smtp/email', $this->headers(), $payload, self::MAX_BYTES, 'The message is %.1f MB with its attachments in base64; Brevo takes at most 20 MB.' );
	}

	/**
	 * The account: sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/v3/account', $this->headers() );
	}

	/**
	 * Brevo's words: code and message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$json = $answer->json();
		if ( isset( $json['message'] ) && is_string( $json['message'] ) ) {
			return sprintf( 'HTTP %d %s: %s', $answer->status, is_string( $json['code'] ?? null ) ? $json['code'] : '', substr( $json['message'], 0, 300 ) );
		}
		return parent::error_text( $answer );
	}

	/**
	 * No credits left refuses every message of the account: it holds the queue.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function failure_of( Https_Answer $answer ): Send_Failure {
		if ( 402 === $answer->status ) {
			return new Send_Failure( Send_Failure::STAGE_API, 403, $this->error_text( $answer ) );
		}
		return parent::failure_of( $answer );
	}

	/**
	 * The messageId Brevo answers with.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		$id = $answer->json()['messageId'] ?? '';
		return is_string( $id ) ? trim( $id, '<>' ) : '';
	}

	/**
	 * The key header.
	 *
	 * @return array<string, string>
	 */
	private function headers(): array {
		return array(
			'api-key' => $this->credentials->key,
			'Accept'  => 'application/json',
		);
	}

	/**
	 * One address as Brevo's object.
	 *
	 * @param Mail_Address $address The address.
	 * @return array{email: string, name?: string}
	 */
	private static function one( Mail_Address $address ): array {
		$one = array( 'email' => $address->address );
		if ( '' !== $address->name ) {
			$one['name'] = $address->name;
		}
		return $one;
	}

	/**
	 * Addresses as Brevo's list.
	 *
	 * @param Mail_Address[] $addresses The addresses.
	 * @return list<array{email: string, name?: string}>
	 */
	private static function list_of( array $addresses ): array {
		return array_values( array_map( array( self::class, 'one' ), $addresses ) );
	}
}
