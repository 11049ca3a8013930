<?php
/**
 * The tests' own HTTPS API transport on the seam: raw MIME to tests/php/servers/raw-mime-api.js.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Https\Https_Answer;
use SmtpPortHelper\Transport\Https\Https_Api_Transport;
use SmtpPortHelper\Transport\Https\Https_Request;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;

/**
 * A real transport over a real HTTPS server (not a provider: those are the providers' classes).
 * Registered with the filter `smtp_port_helper_api_transports`; its base URL is the test
 * server's, set by the test before use.
 */
final class Raw_Mime_Test_Transport extends Https_Api_Transport {

	public const ID = 'raw-mime-test';

	/** Messages over this size are refused before a request is made (the API's stated limit). */
	public const MAX_BYTES = 65536;

	/** @var string The test server's base URL. */
	public static string $base_url = 'https://127.0.0.1:9';

	public static function provider(): Api_Provider {
		return new Api_Provider( self::ID, 'Raw MIME test API', array( '' => self::$base_url ), array( 'smtp.raw-mime.test' ), '', true );
	}

	protected function send_request( Outgoing_Message $message ) {
		if ( strlen( $message->data ) > self::MAX_BYTES ) {
			return new Send_Failure( Send_Failure::STAGE_API, 413, sprintf( 'The message is %d bytes; this API takes at most %d.', strlen( $message->data ), self::MAX_BYTES ) );
		}
		$headers = array(
			'Authorization'   => 'Bearer ' . $this->credentials->key,
			'Content-Type'    => 'message/rfc822',
			'X-Envelope-From' => $message->from,
			'X-Envelope-To'   => implode( ',', $message->recipients ),
		);
		if ( '' !== $message->idempotency_key ) {
			$headers['Idempotency-Key'] = $message->idempotency_key;
		}
		return new Https_Request( 'POST', '/v1/messages', $headers, $message->data );
	}

	protected function test_request(): Https_Request {
		return new Https_Request( 'GET', '/v1/account', array( 'Authorization' => 'Bearer ' . $this->credentials->key ) );
	}

	protected function message_id( Https_Answer $answer ): string {
		return (string) ( $answer->json()['id'] ?? '' );
	}
}
