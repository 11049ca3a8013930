<?php
/**
 * Talks to the provider's token and revocation endpoints.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * POSTs form requests (RFC 6749 §4.1.3, §6; RFC 7009) with wp_remote_post(): the client
 * authenticates with `client_secret_post` (as Microsoft and Google document it), or with PKCE
 * alone when no secret is set. Before a request, the endpoint's name is resolved and every
 * address checked against the address policy of the person (or the settings) the request is
 * for, and cURL is pinned to those addresses, so the name cannot point elsewhere in between.
 * No redirect is followed: a token endpoint answers itself.
 */
class Token_Client {

	private const TIMEOUT = 15;

	private const HTTPS_PORT = 443;

	/**
	 * The address policy of the person or settings the request is for.
	 *
	 * @var Address_Policy
	 */
	private Address_Policy $policy;

	/**
	 * Resolves the endpoint's name.
	 *
	 * @var Dns_Resolver
	 */
	private Dns_Resolver $resolver;

	/**
	 * The CURLOPT_RESOLVE entries of the request being sent.
	 *
	 * @var string[]
	 */
	private array $pins = array();

	/**
	 * The host of the request being sent, as the pins name it (IPv6 in brackets).
	 *
	 * @var string
	 */
	private string $host = '';

	/**
	 * Takes the address policy.
	 *
	 * @param Address_Policy    $policy   Address policy.
	 * @param Dns_Resolver|null $resolver Resolver.
	 */
	public function __construct( Address_Policy $policy, ?Dns_Resolver $resolver = null ) {
		$this->policy   = $policy;
		$this->resolver = $resolver ?? new Dns_Resolver();
	}

	/**
	 * Exchanges an authorization code (with its PKCE verifier) for tokens.
	 *
	 * @param Provider_Profile $profile      Endpoints.
	 * @param string           $client_id    Client ID.
	 * @param string|null      $secret       Client secret, null for a public client.
	 * @param string           $code         Authorization code.
	 * @param string           $verifier     PKCE verifier.
	 * @param string           $redirect_uri The redirect URI of the authorization request.
	 * @return array{access_token: string, refresh_token: string, expires_in: int, id_token: string, scope: string, refresh_token_expires_in: int}
	 * @throws Token_Error When the provider refuses or cannot be reached.
	 */
	public function exchange_code( Provider_Profile $profile, string $client_id, ?string $secret, string $code, string $verifier, string $redirect_uri ): array {
		return $this->token_request(
			$profile,
			$client_id,
			$secret,
			array(
				'grant_type'    => 'authorization_code',
				'code'          => $code,
				'redirect_uri'  => $redirect_uri,
				'code_verifier' => $verifier,
			)
		);
	}

	/**
	 * Gets a new access token with the refresh token.
	 *
	 * @param Provider_Profile $profile       Endpoints.
	 * @param string           $client_id     Client ID.
	 * @param string|null      $secret        Client secret.
	 * @param string           $refresh_token Refresh token.
	 * @param string           $scope         The scope granted with it ('' leaves it out: the same scope, RFC 6749 §6).
	 * @return array{access_token: string, refresh_token: string, expires_in: int, id_token: string, scope: string, refresh_token_expires_in: int}
	 * @throws Token_Error When the provider refuses or cannot be reached.
	 */
	public function refresh( Provider_Profile $profile, string $client_id, ?string $secret, string $refresh_token, string $scope ): array {
		$fields = array(
			'grant_type'    => 'refresh_token',
			'refresh_token' => $refresh_token,
		);
		if ( '' !== $scope ) {
			$fields['scope'] = $scope;
		}
		return $this->token_request( $profile, $client_id, $secret, $fields );
	}

	/**
	 * Revokes a refresh token (RFC 7009) where the profile has a revocation endpoint.
	 *
	 * @param Provider_Profile $profile   Endpoints.
	 * @param string           $client_id Client ID.
	 * @param string|null      $secret    Client secret.
	 * @param string           $token     Refresh token.
	 * @return bool Whether the provider confirmed it (false also when there is no endpoint).
	 */
	public function revoke( Provider_Profile $profile, string $client_id, ?string $secret, string $token ): bool {
		if ( '' === $profile->revoke_url ) {
			return false;
		}
		try {
			$response = $this->post(
				$profile->revoke_url,
				self::client_fields( $client_id, $secret ) + array(
					'token'           => $token,
					'token_type_hint' => 'refresh_token',
				)
			);
		} catch ( Token_Error $error ) {
			return false;
		}
		return 200 === (int) wp_remote_retrieve_response_code( $response );
	}

	/**
	 * A token request and its checked answer.
	 *
	 * @param Provider_Profile      $profile   Endpoints.
	 * @param string                $client_id Client ID.
	 * @param string|null           $secret    Client secret.
	 * @param array<string, string> $fields    Grant fields.
	 * @return array{access_token: string, refresh_token: string, expires_in: int, id_token: string, scope: string, refresh_token_expires_in: int}
	 * @throws Token_Error When the provider refuses or cannot be reached.
	 */
	private function token_request( Provider_Profile $profile, string $client_id, ?string $secret, array $fields ): array {
		$response = $this->post( $profile->token_url, self::client_fields( $client_id, $secret ) + $fields );
		$status   = (int) wp_remote_retrieve_response_code( $response );
		$body     = json_decode( (string) wp_remote_retrieve_body( $response ), true );
		if ( ! is_array( $body ) ) {
			throw new Token_Error( Token_Error::NETWORK, sprintf( 'HTTP %d without a JSON answer', $status ) );
		}
		if ( 200 !== $status || isset( $body['error'] ) ) {
			throw new Token_Error(
				isset( $body['error'] ) && is_string( $body['error'] ) ? $body['error'] : ( $status >= 500 ? 'server_error' : 'invalid_request' ),
				isset( $body['error_description'] ) && is_string( $body['error_description'] ) ? $body['error_description'] : ''
			);
		}
		if ( ! isset( $body['access_token'] ) || ! is_string( $body['access_token'] ) || '' === $body['access_token'] ) {
			throw new Token_Error( Token_Error::NETWORK, 'no access_token in the answer' );
		}
		return array(
			'access_token'             => $body['access_token'],
			'refresh_token'            => isset( $body['refresh_token'] ) && is_string( $body['refresh_token'] ) ? $body['refresh_token'] : '',
			'expires_in'               => isset( $body['expires_in'] ) && is_numeric( $body['expires_in'] ) ? max( 0, (int) $body['expires_in'] ) : 3600,
			'id_token'                 => isset( $body['id_token'] ) && is_string( $body['id_token'] ) ? $body['id_token'] : '',
			'scope'                    => isset( $body['scope'] ) && is_string( $body['scope'] ) ? $body['scope'] : '',
			// Google's time-limited grants (an app left in "Testing": 7 days) say when the refresh token dies.
			'refresh_token_expires_in' => isset( $body['refresh_token_expires_in'] ) && is_numeric( $body['refresh_token_expires_in'] ) ? max( 0, (int) $body['refresh_token_expires_in'] ) : 0,
		);
	}

	/**
	 * The client's own fields of a request.
	 *
	 * @param string      $client_id Client ID.
	 * @param string|null $secret    Client secret.
	 * @return array<string, string>
	 */
	private static function client_fields( string $client_id, ?string $secret ): array {
		$fields = array( 'client_id' => $client_id );
		if ( null !== $secret && '' !== $secret ) {
			$fields['client_secret'] = $secret;
		}
		return $fields;
	}

	/**
	 * POSTs a form to an endpoint the policy allows.
	 *
	 * @param string                $url    Endpoint.
	 * @param array<string, string> $fields Form fields.
	 * @return array<string, mixed> The wp_remote_post() answer.
	 * @throws Token_Error When the endpoint is not allowed or cannot be reached.
	 */
	private function post( string $url, array $fields ): array {
		$error = Endpoint_Url::error( $url );
		if ( null !== $error ) {
			throw new Token_Error( 'invalid_request', $error );
		}
		if ( ! function_exists( 'curl_init' ) || ! function_exists( 'curl_setopt' ) ) {
			// Another transport would look the name up again itself: nothing could pin the checked address.
			throw new Token_Error( Token_Error::NETWORK, 'the PHP cURL extension is needed to reach the token endpoint at the checked address' );
		}
		list( $this->host, $this->pins ) = $this->allowed_addresses( $url );
		add_action( 'http_api_curl', array( $this, 'pin_addresses' ) );
		try {
			$response = wp_remote_post(
				self::with_host( $url, $this->host ),
				array(
					'timeout'     => self::TIMEOUT,
					'redirection' => 0,
					'headers'     => array( 'Accept' => 'application/json' ),
					'body'        => $fields,
				)
			);
		} finally {
			remove_action( 'http_api_curl', array( $this, 'pin_addresses' ) );
			$this->pins = array();
			$this->host = '';
		}
		if ( is_wp_error( $response ) ) {
			throw new Token_Error( Token_Error::NETWORK, $response->get_error_message() );
		}
		return $response;
	}

	/**
	 * The URL with its host written the one way the pins name it (lower case, ASCII, no trailing
	 * dot): cURL looks up a host it has no pin for itself, so `host.` or `HOST` would reach
	 * whatever the name resolves to the second time.
	 *
	 * @param string $url  Endpoint (already checked by Endpoint_Url: no user info).
	 * @param string $host The normalised host, IPv6 in brackets.
	 */
	private static function with_host( string $url, string $host ): string {
		return (string) preg_replace( '#^([a-z][a-z0-9+.-]*://)(\[[^\]]*\]|[^:/?\#]*)#i', '${1}' . $host, $url, 1 );
	}

	/**
	 * The normalised host of an endpoint and its `host:port:address` pins: every address of its
	 * name, each allowed.
	 *
	 * @param string $url Endpoint (already checked by Endpoint_Url).
	 * @return array{0: string, 1: string[]}
	 * @throws Token_Error When the name does not resolve or an address is not allowed.
	 */
	private function allowed_addresses( string $url ): array {
		$parts = (array) wp_parse_url( $url );
		$host  = isset( $parts['host'] ) ? trim( (string) $parts['host'], '[]' ) : '';
		$port  = isset( $parts['port'] ) ? (int) $parts['port'] : ( 'http' === strtolower( (string) ( $parts['scheme'] ?? '' ) ) ? 80 : 443 );
		try {
			$name = Host_Name::parse( $host );
		} catch ( Invalid_Input_Exception $invalid ) {
			throw new Token_Error( 'invalid_request', $invalid->getMessage() );
		}
		if ( $this->policy->refuses_name( $name->get_ascii() ) ) {
			throw new Token_Error( Token_Error::ADDRESS_REFUSED, $host );
		}
		// A policy that keeps a site to known ports (a sub-site administrator's) allows https's own
		// here: another port would let the token request scan what answers on other ports.
		if ( null !== $this->policy->ports() && self::HTTPS_PORT !== $port && ! $this->policy->allows_port( $port ) ) {
			throw new Token_Error( Token_Error::PORT_REFUSED, '' );
		}
		$found     = $this->resolver->resolve( $name, 5.0 );
		$addresses = array_merge( $found['a'], $found['aaaa'] );
		if ( array() === $addresses ) {
			throw new Token_Error( Token_Error::NETWORK, sprintf( '%s does not resolve: %s', $host, $found['error'] ) );
		}
		$pins = array();
		foreach ( $addresses as $address ) {
			if ( ! $this->policy->allows_address( $address ) ) {
				throw new Token_Error( Token_Error::ADDRESS_REFUSED, $host );
			}
			$pins[] = $name->get_ascii() . ':' . $port . ':' . ( false !== strpos( $address, ':' ) ? '[' . $address . ']' : $address );
		}
		return array( $name->for_url(), $pins );
	}

	/**
	 * `http_api_curl`: connects only to the checked addresses, directly (no proxy: see
	 * docs/security.md, "Proxies"). Should the host cURL was handed
	 * be spelled otherwise than the pins name it after all, the same addresses are pinned for that
	 * exact spelling too, so that cURL never looks a name up itself.
	 *
	 * @param mixed $handle cURL handle.
	 */
	public function pin_addresses( $handle ): void {
		// A resource before PHP 8, a CurlHandle object since.
		if ( array() === $this->pins || ! ( is_resource( $handle ) || is_object( $handle ) ) ) {
			return;
		}
		$pins = $this->pins;
		// phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_getinfo -- reads the URL cURL is about to use.
		$current = (string) wp_parse_url( (string) curl_getinfo( $handle, CURLINFO_EFFECTIVE_URL ), PHP_URL_HOST ); // @phpstan-ignore argument.type (the PHP 7.4 stubs know only the resource)
		if ( '' !== $current && $current !== $this->host ) {
			foreach ( $this->pins as $pin ) {
				$pins[] = $current . substr( $pin, strlen( trim( $this->host, '[]' ) ) );
			}
		}
		// phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- pins the address checked against the policy.
		curl_setopt( $handle, CURLOPT_RESOLVE, $pins ); // @phpstan-ignore argument.type (the PHP 7.4 stubs know only the resource)
		// Never through a proxy (WP_HTTP_PROXY, https_proxy): it would look the name up itself.
		// phpcs:ignore WordPress.WP.AlternativeFunctions.curl_curl_setopt -- '' switches every proxy off.
		curl_setopt( $handle, CURLOPT_PROXY, '' ); // @phpstan-ignore argument.type (the PHP 7.4 stubs know only the resource)
	}
}
