<?php
/**
 * One request an API transport wants sent: method, path below the base URL, headers, body.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The key goes in a header here; Https_Client never logs headers or bodies.
 */
final class Https_Request {

	/**
	 * GET or POST.
	 *
	 * @var string
	 */
	public string $method;

	/**
	 * Path and query below the base URL, starting with `/`.
	 *
	 * @var string
	 */
	public string $path;

	/**
	 * Request headers.
	 *
	 * @var array<string, string>
	 */
	public array $headers;

	/**
	 * Request body: a string, or pieces of the message sent without joining them (a large
	 * message's attachments).
	 *
	 * @var string|Request_Body
	 */
	public $body;

	/**
	 * Takes the parts.
	 *
	 * @param string                $method  GET or POST.
	 * @param string                $path    Path below the base URL.
	 * @param array<string, string> $headers Headers.
	 * @param string|Request_Body   $body    Body.
	 */
	public function __construct( string $method, string $path, array $headers = array(), $body = '' ) {
		$this->method  = $method;
		$this->path    = $path;
		$this->headers = $headers;
		$this->body    = $body;
	}
}
