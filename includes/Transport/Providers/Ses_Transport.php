<?php
/**
 * Amazon SES API v2 SendEmail with raw content, signed with Signature Version 4.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Providers;

use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Aws\Sigv4_Signer;
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
 * `POST /v2/email/outbound-emails` with `Content.Raw.Data`: the MIME bytes PHPMailer built, base64
 * (a Bcc header removed), and `Destination` naming every envelope recipient (To and Cc as the
 * headers name them, the rest as Bcc). The key is the IAM user's secret access key, the account
 * field its access key ID, the region chooses `email.<region>.amazonaws.com` and the signature's
 * scope. Limits (docs/facts.md): 40 MB per message, 50 recipients. SendEmail takes no idempotency
 * key. The port test asks GetAccount (`GET /v2/email/account`); an account whose sending is
 * paused fails it as a missing permission.
 */
final class Ses_Transport extends Https_Api_Transport {

	public const MAX_BYTES = 40 * 1024 * 1024;

	public const MAX_RECIPIENTS = 50;

	private const URL = 'https://email.{region}.amazonaws.com';

	/** SES's error types that mean the key or its signature, not a permission. */
	private const REFUSED_KEY_TYPES = array( 'UnrecognizedClientException', 'InvalidSignatureException', 'SignatureDoesNotMatch', 'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidClientTokenId' );

	/**
	 * Amazon SES's row.
	 */
	public static function provider(): Api_Provider {
		$regions = array();
		$hosts   = array();
		foreach ( array( 'us-east-1', 'us-east-2', 'us-west-2', 'eu-central-1', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'ap-south-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'ca-central-1', 'sa-east-1' ) as $region ) {
			$regions[ $region ] = self::URL;
			$hosts[]            = 'email-smtp.' . $region . '.amazonaws.com';
		}
		return new Api_Provider( 'amazon-ses', 'Amazon SES', $regions, $hosts, __( 'Access key ID', 'smtp-port-helper' ) );
	}

	/**
	 * The SendEmail body of a message, or why SES cannot take it.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return array<string, mixed>|Send_Failure
	 */
	public static function payload( Outgoing_Message $message ) {
		$raw = Mime_Message::without_bcc_header_body( $message->data );
		if ( $raw->length() > self::MAX_BYTES ) {
			return new Send_Failure( Send_Failure::STAGE_API, 413, sprintf( 'The message is %.1f MB; Amazon SES takes at most 40 MB.', $raw->length() / 1048576 ) );
		}
		if ( count( $message->recipients ) > self::MAX_RECIPIENTS ) {
			return new Send_Failure( Send_Failure::STAGE_API, 400, sprintf( 'The message has %d recipients; Amazon SES takes at most %d.', count( $message->recipients ), self::MAX_RECIPIENTS ) );
		}
		$recipients  = ( new Mime_Message( $message->data ) )->recipients( $message->recipients );
		$destination = array();
		foreach ( array(
			'to'  => 'ToAddresses',
			'cc'  => 'CcAddresses',
			'bcc' => 'BccAddresses',
		) as $field => $key ) {
			if ( array() !== $recipients[ $field ] ) {
				$destination[ $key ] = array_map(
					static function ( Mail_Address $address ): string {
						return $address->address;
					},
					$recipients[ $field ]
				);
			}
		}
		return array(
			'Destination' => $destination,
			// The API takes the message as base64: encoded in chunks while it is sent.
			'Content'     => array( 'Raw' => array( 'Data' => ( new Request_Body() )->base64( $raw ) ) ),
		);
	}

	/**
	 * The signed SendEmail request.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	protected function send_request( Outgoing_Message $message ) {
		$payload = self::payload( $message );
		if ( $payload instanceof Send_Failure ) {
			return $payload;
		}
		return $this->signed( 'POST', '/v2/email/outbound-emails', Request_Body::json( $payload, JSON_UNESCAPED_SLASHES ) );
	}

	/**
	 * GetAccount: sends nothing, and says whether sending is enabled.
	 */
	protected function test_request(): Https_Request {
		return $this->signed( 'GET', '/v2/email/account', '' );
	}

	/**
	 * An account whose sending is paused can send nothing: a missing permission.
	 *
	 * @param Https_Answer $answer The answer to GetAccount.
	 */
	protected function test_answer( Https_Answer $answer ): Https_Answer {
		if ( $answer->is_success() && false === ( $answer->json()['SendingEnabled'] ?? null ) ) {
			return new Https_Answer( 403, array( 'x-amzn-errortype' => 'SendingPausedException' ), (string) wp_json_encode( array( 'message' => 'Sending is paused for this Amazon SES account.' ) ), '', '', $answer->timings, $answer->address );
		}
		return $answer;
	}

	/**
	 * SES's words: the error type and message.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$json    = $answer->json();
		$message = is_string( $json['message'] ?? null ) ? $json['message'] : ( is_string( $json['Message'] ?? null ) ? $json['Message'] : '' );
		return sprintf( 'HTTP %d %s: %s', $answer->status, self::error_type( $answer ), substr( $message, 0, 300 ) );
	}

	/**
	 * A 403 of a wrong key or signature is a refused key; a paused or suspended account holds
	 * the queue; a quota or rate limit waits.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function failure_of( Https_Answer $answer ): Send_Failure {
		$type = self::error_type( $answer );
		if ( in_array( $type, self::REFUSED_KEY_TYPES, true ) ) {
			return new Send_Failure( Send_Failure::STAGE_API, 401, $this->error_text( $answer ) );
		}
		if ( in_array( $type, array( 'SendingPausedException', 'AccountSuspendedException', 'MailFromDomainNotVerifiedException' ), true ) ) {
			return new Send_Failure( Send_Failure::STAGE_API, 403, $this->error_text( $answer ) );
		}
		if ( 'LimitExceededException' === $type || 'TooManyRequestsException' === $type ) {
			return $this->classify( Send_Failure::STAGE_API, 429, $this->error_text( $answer ), $answer->headers );
		}
		return parent::failure_of( $answer );
	}

	/**
	 * The MessageId SES answers with.
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string {
		$id = $answer->json()['MessageId'] ?? '';
		return is_string( $id ) ? $id : '';
	}

	/**
	 * A request signed for the region's SES endpoint (Host as cURL will send it).
	 *
	 * @param string              $method GET or POST.
	 * @param string              $path   Path.
	 * @param string|Request_Body $body   Body.
	 */
	private function signed( string $method, string $path, $body ): Https_Request {
		$parts   = (array) wp_parse_url( $this->credentials->base_url );
		$host    = strtolower( (string) ( $parts['host'] ?? '' ) ) . ( isset( $parts['port'] ) && 443 !== (int) $parts['port'] ? ':' . (int) $parts['port'] : '' );
		$headers = array( 'Content-Type' => 'application/json' );
		$signer  = new Sigv4_Signer( $this->credentials->account, $this->credentials->key, $this->credentials->region, 'ses' );
		$headers = $signer->sign( $method, $path, $headers + array( 'Host' => $host ), $body, time() ) + $headers;
		return new Https_Request( $method, $path, $headers + array( 'Accept' => 'application/json' ), $body );
	}

	/**
	 * The error type of an answer (`x-amzn-ErrorType` without its `:` suffix, or the body's).
	 *
	 * @param Https_Answer $answer The answer.
	 */
	private static function error_type( Https_Answer $answer ): string {
		$type = $answer->header( 'x-amzn-errortype' );
		if ( '' === $type ) {
			$json = $answer->json();
			$type = is_string( $json['__type'] ?? null ) ? $json['__type'] : ( is_string( $json['type'] ?? null ) ? $json['type'] : '' );
		}
		return (string) preg_replace( '/[:#].*$/', '', (string) preg_replace( '/^.*#/', '', $type ) );
	}
}
