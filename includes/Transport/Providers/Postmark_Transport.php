<?php
/**
 * Postmark's Email API with a server token and a message stream.
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
 * `POST /email` takes JSON fields, not MIME (Postmark has no raw-MIME endpoint): the message is
 * mapped field by field — addresses as header text (`"Name" <a@b>`, comma-separated), Bcc from
 * the envelope, the other headers as Name/Value pairs, attachments and inline files (ContentID
 * `cid:…`). The account field is the message stream (`outbound`, Postmark's default transactional
 * stream, when empty). Limits (docs/facts.md): 10 MB in all after base64, text and HTML 5 MB
 * each, 50 recipients. Postmark answers refusals with HTTP 422 and its own ErrorCode: 405 (not
 * allowed to send), 412 (account pending) and 413 (account may not send) refuse every message of
 * the account, so they are recorded as a missing permission (code 403) that holds the queue,
 * not as one refused message. No idempotency key. The port test asks `GET /server`.
 */
final class Postmark_Transport extends Https_Api_Transport {

	public const MAX_BYTES = 10 * 1024 * 1024;

	public const MAX_BODY_BYTES = 5 * 1024 * 1024;

	public const MAX_RECIPIENTS = 50;

	public const DEFAULT_STREAM = 'outbound';

	/** Postmark ErrorCodes that refuse the account, not the message. */
	private const ACCOUNT_REFUSALS = array( 405, 412, 413 );

	/**
	 * Postmark's row.
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider( 'postmark', 'Postmark', array( '' => 'https://api.postmarkapp.com' ), array( 'smtp.postmarkapp.com', 'smtp-broadcasts.postmarkapp.com' ), __( 'Message stream', 'smtp-port-helper' ) );
	}

	/**
	 * The request body of a message, or why Postmark cannot take it.
	 *
	 * @param Outgoing_Message $message The message.
	 * @param string           $stream  The message stream.
	 * @return array<string, mixed>|Send_Failure
	 */
	public static function payload( Outgoing_Message $message, string $stream ) {
		if ( count( $message->recipients ) > self::MAX_RECIPIENTS ) {
			return new Send_Failure( Send_Failure::STAGE_API, 422, sprintf( 'The message has %d recipients; Postmark takes at most %d in To, Cc and Bcc together.', count( $message->recipients ), self::MAX_RECIPIENTS ) );
		}
		$mime       = new Mime_Message( $message->data );
		$recipients = $mime->recipients( $message->recipients );
		$from       = $mime->addresses( 'from' )[0] ?? new Mail_Address( $message->from );
		$payload    = array(
			'From'          => $from->to_header_text(),
			'To'            => self::text_of( $recipients['to'] ),
			'Subject'       => $mime->subject(),
			'MessageStream' => '' !== $stream ? $stream : self::DEFAULT_STREAM,
		);
		if ( array() === $recipients['to'] ) {
			// Postmark needs a To; a message with only Bcc recipients keeps its own To header's text.
			$payload['To'] = self::text_of( $mime->addresses( 'to' ) );
		}
		foreach ( array(
			'cc'  => 'Cc',
			'bcc' => 'Bcc',
		) as $field => $key ) {
			if ( array() !== $recipients[ $field ] ) {
				$payload[ $key ] = self::text_of( $recipients[ $field ] );
			}
		}
		$reply_to = $mime->addresses( 'reply-to' );
		if ( array() !== $reply_to ) {
			$payload['ReplyTo'] = self::text_of( $reply_to );
		}
		foreach ( array(
			'TextBody' => $mime->text(),
			'HtmlBody' => $mime->html(),
		) as $key => $body ) {
			if ( strlen( $body ) > self::MAX_BODY_BYTES ) {
				return new Send_Failure( Send_Failure::STAGE_API, 413, sprintf( 'The %s part is %.1f MB; Postmark takes at most 5 MB of text and 5 MB of HTML.', 'TextBody' === $key ? 'text' : 'HTML', strlen( $body ) / 1048576 ) );
			}
			if ( '' !== $body ) {
				$payload[ $key ] = $body;
			}
		}
		if ( ! isset( $payload['TextBody'] ) && ! isset( $payload['HtmlBody'] ) ) {
			$payload['TextBody'] = ' ';
		}
		foreach ( $mime->other_headers() as $name => $value ) {
			$payload['Headers'][] = array(
				'Name'  => $name,
				'Value' => $value,
			);
		}
		foreach ( $mime->files() as $file ) {
			$attachment = array(
				'Name'        => '' !== $file->filename() ? $file->filename() : 'attachment',
				'Content'     => $file->base64_body(), // The API takes the file as base64: passed on from the MIME, not decoded and encoded again.
				'ContentType' => $file->content_type(),
			);
			if ( 'inline' === $file->disposition() && '' !== $file->content_id() ) {
				$attachment['ContentID'] = 'cid:' . $file->content_id();
			}
			$payload['Attachments'][] = $attachment;
		}
		return $payload;
	}

	/**
	 * The /email request.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$payload = self::payload( $message, $this->credentials->account );
		if ( $payload instanceof Send_Failure ) {
			return $payload;
		}
		// Postmark measures the message after base64: the request body is that size.
		return Json_Post::request( '/email', $this->headers(), $payload, self::MAX_BYTES, 'The message is %.1f MB as Postmark measures it (attachments in base64); Postmark takes at most 10 MB.' );
	}

	/**
	 * The server the token belongs to: sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/server', $this->headers() );
	}

	/**
	 * Postmark's words: ErrorCode and Message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$json = $answer->json();
		if ( isset( $json['Message'] ) && is_string( $json['Message'] ) ) {
			return sprintf( 'HTTP %d, ErrorCode %d: %s', $answer->status, (int) ( $json['ErrorCode'] ?? 0 ), substr( $json['Message'], 0, 300 ) );
		}
		return parent::error_text( $answer );
	}

	/**
	 * A 422 that refuses the account (not allowed to send, pending, may not send) holds the
	 * queue like a missing permission; any other 422 refuses this message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function failure_of( Https_Answer $answer ): Send_Failure {
		$code = (int) ( $answer->json()['ErrorCode'] ?? 0 );
		if ( 422 === $answer->status && in_array( $code, self::ACCOUNT_REFUSALS, true ) ) {
			return new Send_Failure( Send_Failure::STAGE_API, 403, $this->error_text( $answer ) );
		}
		return parent::failure_of( $answer );
	}

	/**
	 * The MessageID Postmark answers with.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		$id = $answer->json()['MessageID'] ?? '';
		return is_string( $id ) ? $id : '';
	}

	/**
	 * The server token header.
	 *
	 * @return array<string, string>
	 */
	private function headers(): array {
		return array(
			'X-Postmark-Server-Token' => $this->credentials->key,
			'Accept'                  => 'application/json',
		);
	}

	/**
	 * Addresses as one header text, comma-separated.
	 *
	 * @param Mail_Address[] $addresses The addresses.
	 */
	private static function text_of( array $addresses ): string {
		return implode(
			', ',
			array_map(
				static function ( Mail_Address $address ): string {
					return $address->to_header_text();
				},
				$addresses
			)
		);
	}
}
