<?php
/**
 * SendGrid's v3 Mail Send API.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Https\Https_Answer;
use SmtpPortHelper\Transport\Https\Https_Api_Transport;
use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Https\Request_Body;
use SmtpPortHelper\Transport\Mime\Mail_Address;
use SmtpPortHelper\Transport\Mime\Mime_Message;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `POST /v3/mail/send` takes fields, not MIME: the message PHPMailer built is mapped field by
 * field (one personalization: To, Cc, and the envelope's other recipients as Bcc; Reply-To; the
 * other headers; text before HTML, as SendGrid requires; attachments and inline files with their
 * Content-ID). SendGrid refuses `;` and `,` in a recipient's name, so such a name travels as an
 * RFC 2047 encoded word, which the recipient's mail program shows as it was. Limits (docs/facts.md):
 * under 30 MB in all, at most 1000 recipients — over them the message fails with a clear reason
 * before anything is sent. The API takes no idempotency key. The port test asks `GET /v3/scopes`
 * and needs `mail.send` among them.
 */
final class Sendgrid_Transport extends Https_Api_Transport {

	/** SendGrid's limit: the whole message "must be less than 30MB". */
	public const MAX_BYTES = 30 * 1024 * 1024;

	public const MAX_RECIPIENTS = 1000;

	/**
	 * SendGrid's row.
	 */
	public static function provider(): Api_Provider {
		return new Api_Provider(
			'sendgrid',
			'SendGrid',
			array(
				'global' => 'https://api.sendgrid.com',
				'eu'     => 'https://api.eu.sendgrid.com',
			),
			array( 'smtp.sendgrid.net' )
		);
	}

	/**
	 * The request body of a message, or why SendGrid cannot take it.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return array<string, mixed>|Send_Failure
	 */
	public static function payload( Outgoing_Message $message ) {
		if ( strlen( $message->data ) >= self::MAX_BYTES ) {
			return new Send_Failure( Send_Failure::STAGE_API, 413, sprintf( 'The message is %.1f MB; SendGrid takes less than 30 MB with its attachments.', strlen( $message->data ) / 1048576 ) );
		}
		if ( count( $message->recipients ) > self::MAX_RECIPIENTS ) {
			return new Send_Failure( Send_Failure::STAGE_API, 400, sprintf( 'The message has %d recipients; SendGrid takes at most %d.', count( $message->recipients ), self::MAX_RECIPIENTS ) );
		}
		$mime       = new Mime_Message( $message->data );
		$recipients = $mime->recipients( $message->recipients );
		if ( array() === $recipients['to'] ) {
			return new Send_Failure( Send_Failure::STAGE_API, 400, 'SendGrid needs at least one To recipient; this message has only Bcc recipients.' );
		}
		$personalization = array( 'to' => self::list_of( $recipients['to'] ) );
		foreach ( array( 'cc', 'bcc' ) as $field ) {
			if ( array() !== $recipients[ $field ] ) {
				$personalization[ $field ] = self::list_of( $recipients[ $field ] );
			}
		}
		$from     = $mime->addresses( 'from' )[0] ?? new Mail_Address( $message->from );
		$payload  = array(
			'personalizations' => array( $personalization ),
			'from'             => self::one( $from ),
		);
		$reply_to = $mime->addresses( 'reply-to' );
		if ( 1 === count( $reply_to ) ) {
			$payload['reply_to'] = self::one( $reply_to[0] );
		} elseif ( count( $reply_to ) > 1 ) {
			$payload['reply_to_list'] = self::list_of( $reply_to );
		}
		$payload['subject'] = '' !== $mime->subject() ? $mime->subject() : ' ';
		$content            = array();
		foreach ( array(
			'text/plain' => $mime->text(),
			'text/html'  => $mime->html(),
		) as $type => $value ) {
			if ( '' !== $value ) {
				$content[] = array(
					'type'  => $type,
					'value' => $value,
				);
			}
		}
		// SendGrid wants content even for a message that is only an attachment.
		$payload['content'] = array() !== $content ? $content : array(
			array(
				'type'  => 'text/plain',
				'value' => ' ',
			),
		);
		foreach ( $mime->files() as $file ) {
			$attachment = array(
				'content'     => $file->base64_body(), // The API takes the file as base64: passed on from the MIME, not decoded and encoded again.
				'type'        => $file->content_type(),
				'filename'    => '' !== $file->filename() ? $file->filename() : 'attachment',
				'disposition' => $file->disposition(),
			);
			if ( '' !== $file->content_id() ) {
				$attachment['content_id'] = $file->content_id();
			}
			$payload['attachments'][] = $attachment;
		}
		$headers = array_diff_key( $mime->other_headers(), array_flip( array( 'X-SG-ID', 'X-SG-EID', 'Received', 'DKIM-Signature' ) ) );
		if ( array() !== $headers ) {
			$payload['headers'] = $headers;
		}
		return $payload;
	}

	/**
	 * The mail/send request.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$payload = self::payload( $message );
		if ( $payload instanceof Send_Failure ) {
			return $payload;
		}
		return new Https_Request( 'POST', '/v3/mail/send', $this->headers() + array( 'Content-Type' => 'application/json' ), Request_Body::json( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) );
	}

	/**
	 * The key's scopes: sends nothing.
	 */
	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/v3/scopes', $this->headers() );
	}

	/**
	 * A key that is valid but lacks `mail.send` can send nothing: the port test says so as a
	 * missing permission (403), as SendGrid itself would answer the first message.
	 *
	 * @param Https_Answer $answer The answer to GET /v3/scopes.
	 */
	protected function test_answer( Https_Answer $answer ): Https_Answer {
		if ( $answer->is_success() ) {
			$scopes = $answer->json()['scopes'] ?? array();
			if ( ! is_array( $scopes ) || ! in_array( 'mail.send', $scopes, true ) ) {
				return new Https_Answer( 403, $answer->headers, (string) wp_json_encode( array( 'errors' => array( array( 'message' => 'The API key lacks the scope mail.send.' ) ) ) ), '', '', $answer->timings, $answer->address );
			}
		}
		return $answer;
	}

	/**
	 * SendGrid's words: the messages of `errors[]`.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$messages = array();
		foreach ( (array) ( $answer->json()['errors'] ?? array() ) as $error ) {
			if ( is_array( $error ) && isset( $error['message'] ) && is_string( $error['message'] ) ) {
				$messages[] = $error['message'] . ( isset( $error['field'] ) && is_string( $error['field'] ) && 'null' !== $error['field'] ? ' (' . $error['field'] . ')' : '' );
			}
		}
		return array() === $messages ? parent::error_text( $answer ) : sprintf( 'HTTP %d: %s', $answer->status, substr( implode( '; ', $messages ), 0, 300 ) );
	}

	/**
	 * SendGrid's 429 names the end of the window in X-RateLimit-Reset (Unix seconds), not Retry-After.
	 *
	 * @param string                $stage   Stage.
	 * @param int                   $code    HTTP status.
	 * @param string                $detail  The provider's words.
	 * @param array<string, string> $headers Answer headers.
	 */
	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure {
		if ( 429 === $code && ! isset( $headers['retry-after'] ) && isset( $headers['x-ratelimit-reset'] ) && ctype_digit( $headers['x-ratelimit-reset'] ) ) {
			return new Send_Failure( $stage, $code, $detail, max( 1, (int) $headers['x-ratelimit-reset'] - time() ) );
		}
		return parent::classify( $stage, $code, $detail, $headers );
	}

	/**
	 * The message id SendGrid answers with.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		return $answer->header( 'x-message-id' );
	}

	/**
	 * The key as SendGrid wants it.
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
	 * One address as SendGrid's email object.
	 *
	 * @param Mail_Address $address The address.
	 * @return array{email: string, name?: string}
	 */
	private static function one( Mail_Address $address ): array {
		$one = array( 'email' => $address->address );
		if ( '' !== $address->name ) {
			$one['name'] = preg_match( '/[;,]/', $address->name ) ? '=?UTF-8?B?' . base64_encode( $address->name ) . '?=' : $address->name; // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- RFC 2047 encoded word.
		}
		return $one;
	}

	/**
	 * Addresses as SendGrid's list.
	 *
	 * @param Mail_Address[] $addresses The addresses.
	 * @return list<array{email: string, name?: string}>
	 */
	private static function list_of( array $addresses ): array {
		return array_values( array_map( array( self::class, 'one' ), $addresses ) );
	}
}
