<?php
/**
 * Sends one HTTPS request to a provider's API under the address policy, verified, never redirected.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Transport\Deadline;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Through the WordPress HTTP API (cURL): the API's name is resolved by the plugin's own resolver
 * within the message's time limit, every address is checked against the address policy of the
 * settings, and cURL is pinned to those addresses (CURLOPT_RESOLVE), so the name cannot point
 * elsewhere in between. Only `https://`; the certificate is always verified (a CA file may be
 * added; only SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY switches verification off, as for SMTP); no
 * redirect is followed (an API that answers 3xx has moved: that is an error, not a new address
 * to send a key to). Nothing of a request or an answer is logged.
 *
 * One client keeps its connections open between requests (a cURL share handle that every
 * request's handle joins, with the TLS sessions), so the messages of one queue run go over one
 * TLS connection instead of a handshake each; close() ends them. A kept connection was opened to
 * a pinned, checked address of the same name and port, under this client's one policy and TLS
 * settings, so reusing it reaches nowhere a new connection could not.
 */
final class Https_Client {

	private const HTTPS_PORT = 443;

	private const LONGEST_WAIT = 30;

	/** What a read callback returns to make cURL stop the request (CURL_READFUNC_ABORT). */
	private const READ_ABORT = 0x10000000;

	/**
	 * Where requests may go.
	 *
	 * @var Address_Policy
	 */
	private Address_Policy $policy;

	/**
	 * Looks the API's name up.
	 *
	 * @var Dns_Resolver
	 */
	private Dns_Resolver $resolver;

	/**
	 * Whether certificates are verified.
	 *
	 * @var bool
	 */
	private bool $verify;

	/**
	 * A CA file trusted in place of WordPress's bundle ('' for the bundle).
	 *
	 * @var string
	 */
	private string $ca_file;

	/**
	 * The `host:port:address` pins of the request under way.
	 *
	 * @var list<string>
	 */
	private array $pins = array();

	/**
	 * The timings cURL measured for the request under way.
	 *
	 * @var array<string, mixed>
	 */
	private array $info = array();

	/**
	 * The cURL share handle that keeps connections and TLS sessions between requests (null
	 * before the first request, after close(), or where cURL cannot share connections).
	 *
	 * @var mixed A resource before PHP 8, a CurlShareHandle since; null for none.
	 */
	private $connections = null;

	/**
	 * The body of the request under way when it is sent in chunks (null: a string body).
	 *
	 * @var Request_Body|null
	 */
	private ?Request_Body $upload = null;

	/**
	 * The method of the request under way.
	 *
	 * @var string
	 */
	private string $method = 'GET';

	/**
	 * Takes the address policy, the verification settings and the resolver.
	 *
	 * @param Address_Policy    $policy   Where requests may go.
	 * @param bool              $verify   Whether certificates are verified.
	 * @param string            $ca_file  A CA file to trust, or ''.
	 * @param Dns_Resolver|null $resolver Looks names up.
	 */
	public function __construct( Address_Policy $policy, bool $verify = true, string $ca_file = '', ?Dns_Resolver $resolver = null ) {
		$this->policy   = $policy;
		$this->verify   = $verify;
		$this->ca_file  = $ca_file;
		$this->resolver = $resolver ?? new Dns_Resolver();
	}

	/**
	 * Sends a request and returns its answer (status 0 with the stage where it stopped).
	 *
	 * @param string                $method  GET or POST.
	 * @param string                $url     https:// URL.
	 * @param array<string, string> $headers Request headers (the key goes here; never logged).
	 * @param string|Request_Body   $body    Request body.
	 * @param Deadline              $deadline The time limit of the message.
	 */
	public function request( string $method, string $url, array $headers, $body, Deadline $deadline ): Https_Answer {
		$parts = (array) wp_parse_url( $url );
		if ( 'https' !== strtolower( (string) ( $parts['scheme'] ?? '' ) ) || ! isset( $parts['host'] ) || isset( $parts['user'] ) ) {
			return Https_Answer::none( 'policy', 'The API address must be an https:// URL without a user name.' );
		}
		if ( ! function_exists( 'curl_init' ) ) {
			return Https_Answer::none( 'policy', 'The PHP cURL extension is needed to reach the API at the checked address.' );
		}
		$port    = isset( $parts['port'] ) ? (int) $parts['port'] : self::HTTPS_PORT;
		$started = Deadline::now();
		try {
			$name = Host_Name::parse( trim( (string) $parts['host'], '[]' ) );
		} catch ( Invalid_Input_Exception $invalid ) {
			return Https_Answer::none( 'dns', $invalid->getMessage() );
		}
		if ( $this->policy->refuses_name( $name->get_ascii() ) || ( null !== $this->policy->ports() && self::HTTPS_PORT !== $port && ! $this->policy->allows_port( $port ) ) ) {
			return Https_Answer::none( 'policy', sprintf( 'The address policy does not allow %s:%d.', $name->get_ascii(), $port ) );
		}
		$found     = $this->resolver->resolve( $name, max( 0.1, min( 5.0, $deadline->remaining() ) ) );
		$addresses = array_merge( $found['a'], $found['aaaa'] );
		$timings   = array( 'dns' => ( Deadline::now() - $started ) * 1000 );
		if ( array() === $addresses ) {
			return Https_Answer::none( 'dns', sprintf( '%s does not resolve: %s', $name->get_ascii(), $found['error'] ), $timings );
		}
		$this->pins = array();
		foreach ( $addresses as $address ) {
			if ( ! $this->policy->allows_address( $address ) ) {
				return Https_Answer::none( 'policy', sprintf( 'The address policy does not allow %s (%s).', $name->get_ascii(), $address ), $timings );
			}
			$this->pins[] = $name->get_ascii() . ':' . $port . ':' . ( false !== strpos( $address, ':' ) ? '[' . $address . ']' : $address );
		}
		if ( $deadline->expired() ) {
			return Https_Answer::none( 'deadline', 'The time limit for sending this message is over.', $timings );
		}
		$this->info   = array();
		$this->method = $method;
		$this->upload = $body instanceof Request_Body ? $body : ( '' !== $body ? ( new Request_Body() )->text( $body ) : null );
		if ( ! isset( $headers['Connection'] ) ) {
			// WordPress's Requests asks the server to close the connection unless told otherwise.
			$headers['Connection'] = 'keep-alive';
		}
		add_action( 'http_api_curl', array( $this, 'pin_addresses' ) );
		add_action( 'requests-curl.after_request', array( $this, 'read_timings' ), 10, 2 );
		try {
			$args = array(
				'method'      => $method,
				'timeout'     => $deadline->cap( self::LONGEST_WAIT ),
				'redirection' => 0,
				'sslverify'   => $this->verify,
				'headers'     => $headers,
				'body'        => '',
				'user-agent'  => 'SMTP Port Helper',
			);
			if ( '' !== $this->ca_file ) {
				$args['sslcertificates'] = $this->ca_file;
			}
			$response = wp_remote_request( self::with_host( $url, $name->for_url() ), $args );
		} finally {
			remove_action( 'http_api_curl', array( $this, 'pin_addresses' ) );
			remove_action( 'requests-curl.after_request', array( $this, 'read_timings' ), 10 );
			$this->pins   = array();
			$this->upload = null;
		}
		$info     = $this->measured();
		$timings += self::timings( $info );
		$address  = (string) ( $info['primary_ip'] ?? '' );
		if ( is_wp_error( $response ) ) {
			$error = $response->get_error_message();
			return new Https_Answer( 0, array(), '', self::stage_of( $error, $deadline, isset( $timings['tls'] ) ), $error, $timings, $address );
		}
		$answer_headers = array();
		$received       = wp_remote_retrieve_headers( $response );
		// A CaseInsensitiveDictionary: cast to an array it gives its private properties, not the headers.
		foreach ( is_array( $received ) ? $received : $received->getAll() as $header => $value ) {
			$answer_headers[ strtolower( (string) $header ) ] = is_array( $value ) ? implode( ', ', $value ) : (string) $value;
		}
		return new Https_Answer( (int) wp_remote_retrieve_response_code( $response ), $answer_headers, (string) wp_remote_retrieve_body( $response ), '', '', $timings, $address );
	}

	/**
	 * `http_api_curl`: connects only to the checked addresses, directly (no proxy: see
	 * docs/security.md, "Proxies").
	 *
	 * @param mixed $handle cURL handle.
	 */
	public function pin_addresses( $handle ): void {
		if ( array() === $this->pins || ! ( is_resource( $handle ) || is_object( $handle ) ) ) {
			return;
		}
		// phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- pins the address checked against the policy.
		curl_setopt( $handle, CURLOPT_RESOLVE, $this->pins ); // @phpstan-ignore argument.type (the PHP 7.4 stubs know only the resource)
		// Never through a proxy (WP_HTTP_PROXY, https_proxy): it would look the name up itself.
		// phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- '' switches every proxy off.
		curl_setopt( $handle, CURLOPT_PROXY, '' ); // @phpstan-ignore argument.type (the PHP 7.4 stubs know only the resource)
		$connections = $this->connections();
		if ( null !== $connections ) {
			// phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- joins the kept connections.
			curl_setopt( $handle, CURLOPT_SHARE, $connections ); // @phpstan-ignore argument.type
		}
		if ( null !== $this->upload ) {
			$this->send_in_chunks( $handle, $this->upload );
		}
	}

	/**
	 * Sends the body in chunks as cURL asks for them, instead of a string WordPress would give
	 * cURL (which keeps its own copy): an upload with the request's own method and
	 * Content-Length. It also keeps cURL from sending a request again by itself: on a kept
	 * connection that closes after the body went out and before an answer, cURL repeats the
	 * request on a new connection — a second copy of a message the provider may have accepted,
	 * unrecorded. cURL then asks for the body again after it had all of it: the request is
	 * stopped there (cURL error 42) and counts as unanswered (Unanswered_Attempts: retried once
	 * at most, and the record says so).
	 *
	 * @param mixed        $handle cURL handle.
	 * @param Request_Body $body   The body.
	 */
	private function send_in_chunks( $handle, Request_Body $body ): void {
		$body->rewind();
		$length = $body->length();
		$handed = 0;
		// phpcs:disable WordPress.WP.AlternativeFunctions.curl_curl_setopt -- the body in chunks.
		curl_setopt( $handle, CURLOPT_UPLOAD, true );
		curl_setopt( $handle, CURLOPT_CUSTOMREQUEST, $this->method ); // @phpstan-ignore argument.type (GET or POST, never empty)
		curl_setopt( $handle, CURLOPT_INFILESIZE, $length );
		curl_setopt(
			$handle,
			CURLOPT_READFUNCTION,
			/**
			 * The next chunk, or a stop when cURL would send the body a second time.
			 *
			 * @return string|int
			 */
			static function ( $curl, $input, int $max ) use ( $body, $length, &$handed ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- @phpstan-ignore argument.type (an int stops the transfer: CURL_READFUNC_ABORT)
				if ( $handed >= $length ) {
					return self::READ_ABORT;
				}
				$chunk   = $body->read( $max );
				$handed += strlen( $chunk );
				return $chunk;
			}
		);
		// phpcs:enable
	}

	/**
	 * Ends the connections kept open (the end of a queue run, or of the request).
	 */
	public function close(): void {
		if ( is_resource( $this->connections ) ) {
			curl_share_close( $this->connections ); // phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_share_close -- WordPress has no share handle of its own.
		}
		// From PHP 8 the handle is an object: letting it go closes its connections.
		$this->connections = null;
	}

	/**
	 * The share handle of the kept connections, made at the first request (null where this
	 * PHP's cURL cannot share connections: before libcurl 7.57 or PHP 7.3).
	 *
	 * @return mixed A resource before PHP 8, a CurlShareHandle since; null for none.
	 */
	private function connections() {
		if ( null === $this->connections && function_exists( 'curl_share_init' ) && defined( 'CURL_LOCK_DATA_CONNECT' ) ) {
			// phpcs:disable WordPress.WP.AlternativeFunctions -- WordPress has no share handle of its own.
			$share = curl_share_init();
			curl_share_setopt( $share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT );
			curl_share_setopt( $share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION );
			// phpcs:enable
			$this->connections = $share;
		}
		return $this->connections;
	}

	/**
	 * `requests-curl.after_request`: keeps cURL's timings of the request.
	 *
	 * @param mixed $headers The raw headers (unused).
	 * @param mixed $info    curl_getinfo() of the request.
	 */
	public function read_timings( $headers, $info = array() ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		$this->info = is_array( $info ) ? $info : array();
	}

	/**
	 * What cURL reported of the last request.
	 *
	 * @return array<string, mixed>
	 */
	private function measured(): array {
		return $this->info;
	}

	/**
	 * The stages cURL reached, in milliseconds each.
	 *
	 * @param array<string, mixed> $info curl_getinfo().
	 * @return array<string, float>
	 */
	private static function timings( array $info ): array {
		$connect = self::seconds( $info, 'connect_time' );
		$tls     = self::seconds( $info, 'appconnect_time' );
		$total   = self::seconds( $info, 'total_time' );
		$out     = array();
		if ( $connect > 0 ) {
			$out['connect'] = $connect * 1000;
		}
		if ( $tls > 0 ) {
			$out['tls'] = max( 0.0, $tls - $connect ) * 1000;
		}
		if ( $total > 0 && $tls > 0 ) {
			$out['request'] = max( 0.0, $total - $tls ) * 1000;
		}
		return $out;
	}

	/**
	 * One of cURL's times in seconds: the microsecond field where PHP has it (`appconnect_time`
	 * exists only as `appconnect_time_us`), else the seconds field.
	 *
	 * @param array<string, mixed> $info curl_getinfo().
	 * @param string               $name The time's name without `_us`.
	 */
	private static function seconds( array $info, string $name ): float {
		if ( isset( $info[ $name . '_us' ] ) ) {
			return (float) $info[ $name . '_us' ] / 1e6;
		}
		return isset( $info[ $name ] ) ? (float) $info[ $name ] : 0.0;
	}

	/**
	 * Where a request without an answer stopped, from cURL's error.
	 *
	 * A time-out after the TLS handshake is `unanswered`: the request may have arrived, so the
	 * message may have been delivered (an API with an idempotency key makes the retry safe).
	 *
	 * @param string   $error    The error message (`cURL error N: …`).
	 * @param Deadline $deadline The time limit.
	 * @param bool     $sent     Whether the TLS handshake was done (the request may have been sent).
	 */
	private static function stage_of( string $error, Deadline $deadline, bool $sent ): string {
		$number = preg_match( '/cURL error (\d+)/', $error, $match ) ? (int) $match[1] : 0;
		if ( in_array( $number, array( 35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91 ), true ) ) {
			return 'tls';
		}
		// An empty reply, a reset while receiving, a broken transfer: the connection stood, so the
		// request may have arrived (cURL reports no timings with an error, hence no $sent here).
		// 42: a kept connection closed after the whole body went out, and cURL was stopped from
		// sending it again (send_in_chunks()).
		if ( in_array( $number, array( 18, 42, 52, 56, 92 ), true ) ) {
			return 'unanswered';
		}
		if ( 28 === $number && $sent ) {
			return 'unanswered';
		}
		if ( 28 === $number ) {
			return $deadline->expired() ? 'deadline' : 'connect';
		}
		return 'connect';
	}

	/**
	 * The URL with its host written the one way the pins name it.
	 *
	 * @param string $url  https:// URL.
	 * @param string $host The normalised host, IPv6 in brackets.
	 */
	private static function with_host( string $url, string $host ): string {
		return (string) preg_replace( '#^(https://)(\[[^\]]*\]|[^:/?\#]*)#i', '${1}' . $host, $url, 1 );
	}
}
