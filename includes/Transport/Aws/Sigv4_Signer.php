<?php
/**
 * AWS Signature Version 4 for one HTTPS request.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Aws;

use SmtpPortHelper\Transport\Https\Request_Body;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The header-based signature of AWS's "Signature Version 4 signing process": canonical request
 * (method, URI path with each segment URI-encoded, sorted query, lower-case sorted headers with
 * trimmed values, signed header list, SHA-256 of the payload), string to sign (algorithm, time,
 * scope date/region/service/aws4_request, hash of the canonical request), the signing key derived
 * by HMAC-SHA256 from `AWS4` + secret through date, region, service and `aws4_request`. Checked
 * against AWS's published examples (tests/php/unit/Transport/Sigv4_Signer_Test.php). The secret
 * is used here only and never returned.
 */
final class Sigv4_Signer {

	public const ALGORITHM = 'AWS4-HMAC-SHA256';

	/**
	 * Access key ID.
	 *
	 * @var string
	 */
	private string $access_key_id;

	/**
	 * Secret access key.
	 *
	 * @var string
	 */
	private string $secret;

	/**
	 * Region, e.g. eu-central-1.
	 *
	 * @var string
	 */
	private string $region;

	/**
	 * Service, e.g. ses.
	 *
	 * @var string
	 */
	private string $service;

	/**
	 * Takes the credentials and the scope.
	 *
	 * @param string $access_key_id Access key ID.
	 * @param string $secret        Secret access key.
	 * @param string $region        Region.
	 * @param string $service       Service.
	 */
	public function __construct( string $access_key_id, string $secret, string $region, string $service ) {
		$this->access_key_id = $access_key_id;
		$this->secret        = $secret;
		$this->region        = $region;
		$this->service       = $service;
	}

	/**
	 * The headers to add to a request: X-Amz-Date, X-Amz-Content-Sha256 (when asked) and
	 * Authorization. The given headers must hold Host (as sent, with a non-default port).
	 *
	 * @param string                $method       HTTP method.
	 * @param string                $path         URI path (not yet encoded) and optional query.
	 * @param array<string, string> $headers      Headers to sign (Host included).
	 * @param string|Request_Body   $payload      Body (a large one is hashed in chunks).
	 * @param int                   $time         Unix time of the request.
	 * @param bool                  $content_hash Whether to add and sign X-Amz-Content-Sha256.
	 * @return array<string, string>
	 */
	public function sign( string $method, string $path, array $headers, $payload, int $time, bool $content_hash = false ): array {
		$amz_date              = gmdate( 'Ymd\THis\Z', $time );
		$headers['X-Amz-Date'] = $amz_date;
		$payload_hash          = $payload instanceof Request_Body ? $payload->hash( 'sha256' ) : hash( 'sha256', $payload );
		$added                 = array( 'X-Amz-Date' => $amz_date );
		if ( $content_hash ) {
			$headers['X-Amz-Content-Sha256'] = $payload_hash;
			$added['X-Amz-Content-Sha256']   = $payload_hash;
		}
		list( $canonical, $signed ) = self::canonical_request( $method, $path, $headers, $payload_hash );
		$scope                      = substr( $amz_date, 0, 8 ) . '/' . $this->region . '/' . $this->service . '/aws4_request';
		$string_to_sign             = self::ALGORITHM . "\n" . $amz_date . "\n" . $scope . "\n" . hash( 'sha256', $canonical );
		$signature                  = hash_hmac( 'sha256', $string_to_sign, $this->signing_key( substr( $amz_date, 0, 8 ) ) );
		$added['Authorization']     = sprintf( '%s Credential=%s/%s, SignedHeaders=%s, Signature=%s', self::ALGORITHM, $this->access_key_id, $scope, $signed, $signature );
		return $added;
	}

	/**
	 * The canonical request and the signed header list.
	 *
	 * @param string                $method       HTTP method.
	 * @param string                $path         URI path and optional query.
	 * @param array<string, string> $headers      Headers to sign.
	 * @param string                $payload_hash Hex SHA-256 of the body.
	 * @return array{0: string, 1: string}
	 */
	public static function canonical_request( string $method, string $path, array $headers, string $payload_hash ): array {
		$query = '';
		if ( false !== strpos( $path, '?' ) ) {
			list( $path, $query ) = explode( '?', $path, 2 );
		}
		$segments = array_map(
			static function ( string $segment ): string {
				return rawurlencode( rawurldecode( $segment ) );
			},
			explode( '/', '' === $path ? '/' : $path )
		);
		$pairs    = array();
		foreach ( '' === $query ? array() : explode( '&', $query ) as $pair ) {
			$parts   = explode( '=', $pair, 2 );
			$pairs[] = rawurlencode( rawurldecode( $parts[0] ) ) . '=' . rawurlencode( rawurldecode( $parts[1] ?? '' ) );
		}
		sort( $pairs, SORT_STRING );
		$canonical_headers = array();
		foreach ( $headers as $name => $value ) {
			$canonical_headers[ strtolower( trim( $name ) ) ] = trim( (string) preg_replace( '/\s+/', ' ', $value ) );
		}
		ksort( $canonical_headers, SORT_STRING );
		$lines = '';
		foreach ( $canonical_headers as $name => $value ) {
			$lines .= $name . ':' . $value . "\n";
		}
		$signed = implode( ';', array_keys( $canonical_headers ) );
		return array( strtoupper( $method ) . "\n" . implode( '/', $segments ) . "\n" . implode( '&', $pairs ) . "\n" . $lines . "\n" . $signed . "\n" . $payload_hash, $signed );
	}

	/**
	 * The signing key of a day.
	 *
	 * @param string $date YYYYMMDD.
	 */
	private function signing_key( string $date ): string {
		$key = hash_hmac( 'sha256', $date, 'AWS4' . $this->secret, true );
		$key = hash_hmac( 'sha256', $this->region, $key, true );
		$key = hash_hmac( 'sha256', $this->service, $key, true );
		return hash_hmac( 'sha256', 'aws4_request', $key, true );
	}

	/**
	 * Never prints the secret.
	 *
	 * @return array<string, string>
	 */
	public function __debugInfo(): array {
		return array(
			'access_key_id' => $this->access_key_id,
			'region'        => $this->region,
			'service'       => $this->service,
		);
	}
}
