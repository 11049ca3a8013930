<?php
/**
 * Proof Key for Code Exchange (RFC 7636), S256.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The verifier stays on the server (with the state); only its S256 challenge goes to the
 * authorization endpoint, so a stolen code cannot be exchanged by anyone else.
 */
final class Pkce {

	public const METHOD = 'S256';

	/**
	 * A new verifier: 43 characters of base64url from 32 random bytes (RFC 7636 §4.1).
	 */
	public static function verifier(): string {
		return self::base64url( random_bytes( 32 ) );
	}

	/**
	 * The S256 challenge of a verifier: base64url( SHA-256( verifier ) ).
	 *
	 * @param string $verifier Verifier.
	 */
	public static function challenge( string $verifier ): string {
		return self::base64url( hash( 'sha256', $verifier, true ) );
	}

	/**
	 * Base64url without padding.
	 *
	 * @param string $bytes Bytes.
	 */
	public static function base64url( string $bytes ): string {
		return rtrim( strtr( base64_encode( $bytes ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- RFC 7636 base64url.
	}
}
