<?php
/**
 * What every HTTPS API transport shares: sending a request, reading its answer, the port test row.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Api_Transport;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A provider writes three things: the request that sends a message (send_request(): raw MIME
 * where the API takes it, fields mapped from the MIME otherwise; or a Send_Failure when the
 * message cannot be sent, e.g. over the API's size limit), the authenticated request that sends
 * nothing (test_request()), and, where its error answers say more than the status, error_text().
 */
abstract class Https_Api_Transport implements Api_Transport {

	/** The port of every HTTPS API (the port test's row). */
	public const PORT = 443;

	/**
	 * Key, account, region and base URL.
	 *
	 * @var Api_Credentials
	 */
	protected Api_Credentials $credentials;

	/**
	 * Sends the requests.
	 *
	 * @var Https_Client
	 */
	protected Https_Client $client;

	/**
	 * Takes the credentials and the client.
	 *
	 * @param Api_Credentials $credentials Key, account, region, base URL.
	 * @param Https_Client    $client      Sends under the address policy.
	 */
	public function __construct( Api_Credentials $credentials, Https_Client $client ) {
		$this->credentials = $credentials;
		$this->client      = $client;
	}

	/**
	 * The request that hands the message over, or why it cannot be sent at all.
	 *
	 * @param Outgoing_Message $message The message.
	 * @return Https_Request|Send_Failure
	 */
	abstract protected function send_request( Outgoing_Message $message );

	/**
	 * An authenticated request that sends nothing (the account, the key's scopes, the domain).
	 */
	abstract protected function test_request(): Https_Request;

	/**
	 * The provider's words for an error answer (default: `message` or `error` of a JSON body).
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function error_text( Https_Answer $answer ): string {
		$json = $answer->json();
		foreach ( array( 'message', 'error', 'Message', 'errors' ) as $field ) {
			if ( isset( $json[ $field ] ) ) {
				$text = is_string( $json[ $field ] ) ? $json[ $field ] : (string) wp_json_encode( $json[ $field ] );
				return sprintf( 'HTTP %d: %s', $answer->status, substr( $text, 0, 300 ) );
			}
		}
		return sprintf( 'HTTP %d', $answer->status );
	}

	/**
	 * The test call's answer as the port test reads it: a provider whose "success" can still mean
	 * "cannot send" (a key without the send scope, a domain not yet verified) turns it into the
	 * error answer the send would get. By default the answer as it came.
	 *
	 * @param Https_Answer $answer The answer to test_request().
	 */
	protected function test_answer( Https_Answer $answer ): Https_Answer {
		return $answer;
	}

	/**
	 * The id the provider gave an accepted message ('' by default).
	 *
	 * @param Https_Answer $answer A 2xx answer.
	 */
	protected function message_id( Https_Answer $answer ): string { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		return '';
	}

	/**
	 * The transport id: the provider's.
	 */
	public function id(): string {
		return static::provider()->id;
	}

	/**
	 * Sends the message in one request.
	 *
	 * @param Outgoing_Message $message  The message.
	 * @param Deadline         $deadline Its time limit.
	 */
	public function send( Outgoing_Message $message, Deadline $deadline ): Send_Outcome {
		$request = $this->send_request( $message );
		if ( $request instanceof Send_Failure ) {
			return Send_Outcome::failed( $request );
		}
		if ( static::provider()->idempotent && '' !== $message->idempotency_key ) {
			$request->headers['Idempotency-Key'] = $message->idempotency_key;
		}
		$answer = $this->call( $request, $deadline );
		if ( 'unanswered' === $answer->stage ) {
			return Send_Outcome::failed( Unanswered_Attempts::failure( static::provider(), $message->idempotency_key, $answer->error ) );
		}
		if ( 0 !== $answer->status ) {
			Unanswered_Attempts::answered( $message->idempotency_key );
		}
		if ( $answer->is_success() ) {
			return Send_Outcome::delivered( $message->recipients, $this->message_id( $answer ) );
		}
		return Send_Outcome::failed( $this->failure_of( $answer ) );
	}

	/**
	 * Sends one request to the base URL.
	 *
	 * @param Https_Request $request  The request.
	 * @param Deadline      $deadline The time limit.
	 */
	protected function call( Https_Request $request, Deadline $deadline ): Https_Answer {
		return $this->client->request( $request->method, $this->credentials->base_url . $request->path, $request->headers, $request->body, $deadline );
	}

	/**
	 * The failure of an answer that is not a success.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	protected function failure_of( Https_Answer $answer ): Send_Failure {
		if ( 0 === $answer->status ) {
			return new Send_Failure( $answer->stage, 0, $answer->error );
		}
		return $this->classify( Send_Failure::STAGE_API, $answer->status, $this->error_text( $answer ), $answer->headers );
	}

	/**
	 * One failure shape for an HTTP answer: the kind follows from the status (401 refused key,
	 * 403 missing permission, 413 too large, 429 throttled, 5xx server error), the wait from
	 * Retry-After.
	 *
	 * @param string                $stage   Send_Failure::STAGE_API, or where the request stopped.
	 * @param int                   $code    HTTP status, 0 without an answer.
	 * @param string                $detail  The provider's words.
	 * @param array<string, string> $headers Answer headers.
	 */
	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure {
		$retry = isset( $headers['retry-after'] ) ? Send_Failure::retry_after_seconds( $headers['retry-after'] ) : null;
		return new Send_Failure( $stage, $code, $detail, $retry );
	}

	/**
	 * Ends the connection the client kept open between this transport's requests.
	 */
	public function close(): void {
		$this->client->close();
	}

	/**
	 * The port test's row for this API: the look-up, connect, TLS (with the certificate check)
	 * and the authenticated call that sends nothing, timed like an SMTP port's stages.
	 *
	 * @param Deadline $deadline How long the test may take.
	 */
	public function test( Deadline $deadline ): Port_Result {
		$started         = Deadline::now();
		$result          = new Port_Result( self::PORT );
		$result->mode    = Port_Result::MODE_IMPLICIT_TLS;
		$result->host    = (string) wp_parse_url( $this->credentials->base_url, PHP_URL_HOST );
		$answer          = $this->test_answer( $this->call( $this->test_request(), $deadline ) );
		$reached         = $answer->timings;
		$stopped         = 0 === $answer->status ? $answer->stage : '';
		$result->verdict = self::verdict_of( $answer );
		foreach ( array( 'dns', 'connect', 'tls' ) as $stage ) {
			if ( isset( $reached[ $stage ] ) || $stage === $stopped ) {
				$result->add_stage( $stage, $stage !== $stopped && ! ( 'policy' === $stopped && 'dns' === $stage ), $reached[ $stage ] ?? 0.0, $stage === $stopped ? $answer->error : '' );
			}
		}
		if ( 'policy' === $stopped && ! isset( $reached['dns'] ) ) {
			$result->add_stage( 'dns', false, 0.0, $answer->error );
		}
		if ( 0 !== $answer->status ) {
			$result->add_stage( 'api', $answer->is_success(), $reached['request'] ?? 0.0, $answer->is_success() ? '' : $this->error_text( $answer ) );
			$result->auth_ok = $answer->is_success() ? true : ( 401 === $answer->status || 403 === $answer->status ? false : null );
		}
		$result->verdict_detail = $answer->is_success() ? '' : ( 0 === $answer->status ? $answer->error : $this->error_text( $answer ) );
		if ( '' !== $answer->address ) {
			$result->address = $answer->address;
		}
		$result->elapsed_ms = ( Deadline::now() - $started ) * 1000;
		return $result;
	}

	/**
	 * The verdict of the test call, in the port test's vocabulary.
	 *
	 * @param Https_Answer $answer The answer.
	 */
	private static function verdict_of( Https_Answer $answer ): string {
		if ( $answer->is_success() ) {
			return Verdict::OK;
		}
		if ( 0 !== $answer->status ) {
			return 401 === $answer->status || 403 === $answer->status ? Verdict::AUTH_FAILED : Verdict::REJECTED;
		}
		switch ( $answer->stage ) {
			case 'dns':
				return Verdict::DNS_FAILED;
			case 'policy':
				return Verdict::ADDRESS_REFUSED;
			case 'tls':
				return false !== stripos( $answer->error, 'certificate' ) || false !== stripos( $answer->error, 'cURL error 60' ) ? Verdict::CERT_INVALID : Verdict::TLS_FAILED;
			case 'deadline':
			case 'unanswered':
				return Verdict::TIMEOUT;
		}
		return false !== stripos( $answer->error, 'refused' ) ? Verdict::REFUSED : ( false !== stripos( $answer->error, 'timed out' ) ? Verdict::TIMEOUT : Verdict::UNREACHABLE );
	}
}
