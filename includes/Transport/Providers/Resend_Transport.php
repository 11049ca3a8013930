<?php
/**
 * Resend's Email API, with an idempotency key per message.
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
 * `POST /emails` takes JSON fields (addresses as header text, `cc`/`bcc`/`reply_to` as lists,
 * `headers` as an object, attachments base64 with `content_id` for inline files). Resend takes an
 * `Idempotency-Key` (the outbox's key per message, the same for each attempt; Resend keeps it 24
 * hours): a request repeated after a lost answer gets the first answer and is not sent again — so
 * a retry is safe and the message arrives once. Limits (docs/facts.md): 40 MB including the
 * attachments, 50 recipients in `to`. A wrong key is answered 403 `invalid_api_key` (or a
 * `validation_error` "API key is invalid"): recorded as a refused key (401). Resend refuses a
 * request without a User-Agent (403): Https_Client always sends one. The port test asks `GET /domains`; a key that may
 * only send is refused there (401 `restricted_api_key`) — that key is fine for sending, so the
 * test counts it as a success.
 */
final class Resend_Transport extends Https_Api_Transport {

	public const MAX_BYTES = 40 * 1024 * 1024;

	public const MAX_TO = 50;

	/**
	 * Resend's row.
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider( 'resend', 'Resend', array( '' => 'https://api.resend.com' ), array( 'smtp.resend.com' ), '', true );
	}

	/**
	 * The request body of a message, or why Resend cannot take it.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return array<string, mixed>|Send_Failure
	 */
	public static function payload( Outgoing_Message $message ) {
		$mime       = new Mime_Message( $message->data );
		$recipients = $mime->recipients( $message->recipients );
		if ( count( $recipients['to'] ) > self::MAX_TO ) {
			return new Send_Failure( Send_Failure::STAGE_API, 422, sprintf( 'The message has %d To recipients; Resend takes at most %d.', count( $recipients['to'] ), self::MAX_TO ) );
		}
		if ( array() === $recipients['to'] ) {
			return new Send_Failure( Send_Failure::STAGE_API, 422, 'Resend needs at least one To recipient; this message has only Bcc recipients.' );
		}
		$from    = $mime->addresses( 'from' )[0] ?? new Mail_Address( $message->from );
		$payload = array(
			'from'    => $from->to_header_text(),
			'to'      => self::texts( $recipients['to'] ),
			'subject' => $mime->subject(),
		);
		foreach ( array( 'cc', 'bcc' ) as $field ) {
			if ( array() !== $recipients[ $field ] ) {
				$payload[ $field ] = self::texts( $recipients[ $field ] );
			}
		}
		$reply_to = $mime->addresses( 'reply-to' );
		if ( array() !== $reply_to ) {
			$payload['reply_to'] = self::texts( $reply_to );
		}
		foreach ( array(
			'text' => $mime->text(),
			'html' => $mime->html(),
		) as $key => $body ) {
			if ( '' !== $body ) {
				$payload[ $key ] = $body;
			}
		}
		$headers = $mime->other_headers();
		if ( array() !== $headers ) {
			$payload['headers'] = $headers;
		}
		foreach ( $mime->files() as $file ) {
			$attachment = array(
				'content'      => $file->base64_body(), // The API takes the file as base64: passed on from the MIME, not decoded and encoded again.
				'filename'     => '' !== $file->filename() ? $file->filename() : 'attachment',
				'content_type' => $file->content_type(),
			);
			if ( 'inline' === $file->disposition() && '' !== $file->content_id() ) {
				$attachment['content_id'] = $file->content_id();
			}
			$payload['attachments'][] = $attachment;
		}
		return $payload;
	}

	/**
	 * The /emails request (the base class adds the Idempotency-Key).
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$payload = self::payload( $message );
		if ( $payload instanceof Send_Failure ) {
			return $payload;
		}
		return Json_Post::request( '/emails', $this->headers(), $payload, self::MAX_BYTES, 'The message is %.1f MB with its attachments in base64; Resend takes at most 40 MB.' );
	}

	/**
	 * The account's domains: sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/domains', $this->headers() );
	}

	/**
	 * A key that may only send is refused by GET /domains, and fine for sending.
	 *
	 * @param Https_Answer $answer The answer to GET /domains.
	 */
	protected function test_answer( Https_Answer $answer ): Https_Answer {
		if ( 401 === $answer->status && 'restricted_api_key' === ( $answer->json()['name'] ?? '' ) ) {
			return new Https_Answer( 200, $answer->headers, '{}', '', '', $answer->timings, $answer->address );
		}
		return $answer;
	}

	/**
	 * Resend's words: name and message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$json = $answer->json();
		if ( isset( $json['message'] ) && is_string( $json['message'] ) ) {
			return sprintf( 'HTTP %d %s: %s', $answer->status, is_string( $json['name'] ?? null ) ? $json['name'] : '', substr( $json['message'], 0, 300 ) );
		}
		return parent::error_text( $answer );
	}

	/**
	 * Resend answers a wrong key with 403 `invalid_api_key`, or (its newer error page) with a
	 * `validation_error` "API key is invalid" (400 or 401): a refused key, not a missing
	 * permission nor a refused message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function failure_of( Https_Answer $answer ): Send_Failure {
		$json    = $answer->json();
		$name    = is_string( $json['name'] ?? null ) ? $json['name'] : '';
		$message = is_string( $json['message'] ?? null ) ? $json['message'] : '';
		if ( 'invalid_api_key' === $name || ( 'validation_error' === $name && false !== stripos( $message, 'API key is invalid' ) ) ) {
			return new Send_Failure( Send_Failure::STAGE_API, 401, $this->error_text( $answer ) );
		}
		return parent::failure_of( $answer );
	}

	/**
	 * The id Resend answers with.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		$id = $answer->json()['id'] ?? '';
		return is_string( $id ) ? $id : '';
	}

	/**
	 * The key header.
	 *
	 * @return array<string, string>
	 */
	private function headers(): array {
		return array(
			'Authorization' => 'Bearer ' . $this->credentials->key,
			'Accept'        => 'application/json',
		);
	}

	/**
	 * Addresses as a list of header texts.
	 *
	 * @param Mail_Address[] $addresses The addresses.
	 * @return list<string>
	 */
	private static function texts( array $addresses ): array {
		$texts = array();
		foreach ( $addresses as $address ) {
			$texts[] = $address->to_header_text();
		}
		return $texts;
	}
}
