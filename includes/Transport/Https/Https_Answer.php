<?php
/**
 * One answer of an HTTPS API: its status, headers and body, or where the request stopped.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Status 0 means no answer: `stage` then says where the request stopped (dns, policy, connect,
 * tls, deadline) and `error` why. The timings (milliseconds, from cURL) give the port test its
 * stages: the look-up (the plugin's own resolver), connect, TLS and the request itself.
 */
final class Https_Answer {

	/**
	 * HTTP status; 0 without an answer.
	 *
	 * @var int
	 */
	public int $status;

	/**
	 * Header name (lower case) => value.
	 *
	 * @var array<string, string>
	 */
	public array $headers;

	/**
	 * The body.
	 *
	 * @var string
	 */
	public string $body;

	/**
	 * Where the request stopped without an answer ('' with an answer).
	 *
	 * @var string
	 */
	public string $stage;

	/**
	 * Why it stopped ('' with an answer).
	 *
	 * @var string
	 */
	public string $error;

	/**
	 * Stage => milliseconds: dns, connect, tls, request (only those reached).
	 *
	 * @var array<string, float>
	 */
	public array $timings;

	/**
	 * The address the request went to, or ''.
	 *
	 * @var string
	 */
	public string $address;

	/**
	 * Takes the parts.
	 *
	 * @param int                   $status  HTTP status, 0 without an answer.
	 * @param array<string, string> $headers Lower-case header names.
	 * @param string                $body    The body.
	 * @param string                $stage   Where it stopped without an answer.
	 * @param string                $error   Why.
	 * @param array<string, float>  $timings Stage => milliseconds.
	 * @param string                $address The address connected to.
	 */
	public function __construct( int $status, array $headers, string $body, string $stage = '', string $error = '', array $timings = array(), string $address = '' ) {
		$this->status  = $status;
		$this->headers = $headers;
		$this->body    = $body;
		$this->stage   = $stage;
		$this->error   = $error;
		$this->timings = $timings;
		$this->address = $address;
	}

	/**
	 * No answer.
	 *
	 * @param string               $stage   Where it stopped.
	 * @param string               $error   Why.
	 * @param array<string, float> $timings Stages reached.
	 */
	public static function none( string $stage, string $error, array $timings = array() ): self {
		return new self( 0, array(), '', $stage, $error, $timings );
	}

	/**
	 * Whether the status is 2xx.
	 */
	public function is_success(): bool {
		return $this->status >= 200 && $this->status < 300;
	}

	/**
	 * A header's value, or ''.
	 *
	 * @param string $name Header name, any case.
	 */
	public function header( string $name ): string {
		return $this->headers[ strtolower( $name ) ] ?? '';
	}

	/**
	 * The body as JSON (an empty array when it is not JSON).
	 *
	 * @return array<mixed>
	 */
	public function json(): array {
		$data = json_decode( $this->body, true );
		return is_array( $data ) ? $data : array();
	}
}
