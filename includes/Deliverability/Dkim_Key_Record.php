<?php
/**
 * A DKIM public key record (RFC 6376 section 3.6.1).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The key type (k=, rsa by default), the key (p=, base64; empty = revoked) and its length in bits,
 * read with OpenSSL for RSA; Ed25519 keys are 256 bits by definition (RFC 8463).
 */
final class Dkim_Key_Record {

	/**
	 * Key type: rsa or ed25519.
	 *
	 * @var string
	 */
	public string $key_type = 'rsa';

	/**
	 * Key length in bits (0 when revoked).
	 *
	 * @var int
	 */
	public int $bits = 0;

	/**
	 * Whether the key was revoked (empty p=).
	 *
	 * @var bool
	 */
	public bool $revoked = false;

	/**
	 * Parses a record.
	 *
	 * @param string $text TXT data.
	 * @return self|string The record or why it cannot be used.
	 */
	public static function parse( string $text ) {
		$tags = self::tags( $text );
		if ( isset( $tags['v'] ) && 'DKIM1' !== $tags['v'] ) {
			return sprintf( 'v=%s is not DKIM1', $tags['v'] );
		}
		if ( ! isset( $tags['p'] ) ) {
			return 'the key (p=) is missing';
		}
		$record           = new self();
		$record->key_type = strtolower( $tags['k'] ?? 'rsa' );
		if ( '' === $tags['p'] ) {
			$record->revoked = true;
			return $record;
		}
		$der = base64_decode( $tags['p'], true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- a DKIM key is base64.
		if ( false === $der || '' === $der ) {
			return 'the key (p=) is not valid base64';
		}
		if ( 'ed25519' === $record->key_type ) {
			if ( 32 !== strlen( $der ) ) {
				return 'the Ed25519 key is not 32 bytes';
			}
			$record->bits = 256;
			return $record;
		}
		if ( 'rsa' !== $record->key_type ) {
			return sprintf( 'k=%s is not rsa or ed25519', $record->key_type );
		}
		$pem     = "-----BEGIN PUBLIC KEY-----\n" . chunk_split( base64_encode( $der ), 64, "\n" ) . "-----END PUBLIC KEY-----\n"; // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- PEM.
		$key     = function_exists( 'openssl_pkey_get_public' ) ? openssl_pkey_get_public( $pem ) : false;
		$details = false === $key ? false : openssl_pkey_get_details( $key );
		if ( false === $details || OPENSSL_KEYTYPE_RSA !== $details['type'] ) {
			return 'the key (p=) is not an RSA public key';
		}
		$record->bits = (int) $details['bits'];
		return $record;
	}

	/**
	 * The key (p=) of a record without its spaces; '' when there is none.
	 *
	 * @param string $text TXT data.
	 */
	public static function key_of( string $text ): string {
		return self::tags( $text )['p'] ?? '';
	}

	/**
	 * The tags of a record: name => value, white space removed from values.
	 *
	 * @param string $text TXT data.
	 * @return array<string, string>
	 */
	private static function tags( string $text ): array {
		$tags = array();
		foreach ( explode( ';', $text ) as $pair ) {
			$parts = explode( '=', $pair, 2 );
			if ( 2 === count( $parts ) ) {
				$tags[ strtolower( trim( $parts[0] ) ) ] = (string) preg_replace( '/\s+/', '', $parts[1] );
			}
		}
		return $tags;
	}
}
