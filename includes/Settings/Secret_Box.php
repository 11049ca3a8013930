<?php
/**
 * Authenticated encryption of the SMTP password at rest (libsodium secretbox).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Seals a secret as `v1:` + base64( nonce . ciphertext ) with `sodium_crypto_secretbox` and a fresh
 * random nonce each time. The key is derived from key material that lives outside the database
 * (a wp-config.php constant or the site's salts) and is never stored beside the ciphertext.
 */
final class Secret_Box {

	public const PREFIX = 'v1:';

	/** Domain separation: the same salts give another key to any other user of them. */
	private const CONTEXT = 'smtp-port-helper/secret-box/v1|';

	/**
	 * The secretbox key, derived from the key material.
	 *
	 * @var string
	 */
	private string $key;

	/**
	 * Derives the encryption key from the key material.
	 *
	 * @param string $key_material Secret key material of any length (not empty).
	 * @throws \InvalidArgumentException When the key material is empty.
	 */
	public function __construct( string $key_material ) {
		if ( '' === $key_material ) {
			throw new \InvalidArgumentException( 'Empty key material.' );
		}
		$this->key = sodium_crypto_generichash( self::CONTEXT . $key_material, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
	}

	/**
	 * The key material of this site: `SMTP_PORT_HELPER_KEY` when defined, else the salts from
	 * wp-config.php (`AUTH_KEY` + `SECURE_AUTH_KEY`), else `wp_salt( 'auth' )`.
	 */
	public static function site_key_material(): string {
		if ( defined( 'SMTP_PORT_HELPER_KEY' ) && is_string( SMTP_PORT_HELPER_KEY ) && '' !== SMTP_PORT_HELPER_KEY ) {
			return 'constant|' . SMTP_PORT_HELPER_KEY;
		}
		if ( defined( 'AUTH_KEY' ) && defined( 'SECURE_AUTH_KEY' ) && '' !== AUTH_KEY . SECURE_AUTH_KEY ) {
			return 'salts|' . AUTH_KEY . '|' . SECURE_AUTH_KEY;
		}
		return 'wp_salt|' . ( function_exists( 'wp_salt' ) ? wp_salt( 'auth' ) : '' );
	}

	/**
	 * Encrypts a secret.
	 *
	 * @param string $plain Secret.
	 * @return string `v1:` + base64( nonce . ciphertext ).
	 */
	public function seal( string $plain ): string {
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		return self::PREFIX . base64_encode( $nonce . sodium_crypto_secretbox( $plain, $nonce, $this->key ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary ciphertext in an option.
	}

	/**
	 * Decrypts a sealed secret. Never warns: anything that is not a sealed value of this key
	 * (another key, truncated, tampered with, another format) gives null.
	 *
	 * @param mixed $sealed Value from the database.
	 * @return string|null The secret, or null when it cannot be decrypted.
	 */
	public function open( $sealed ): ?string {
		if ( ! self::is_sealed( $sealed ) ) {
			return null;
		}
		$raw = base64_decode( substr( $sealed, strlen( self::PREFIX ) ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		if ( false === $raw || strlen( $raw ) < SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES ) {
			return null;
		}
		try {
			$plain = sodium_crypto_secretbox_open(
				substr( $raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
				substr( $raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES ),
				$this->key
			);
		} catch ( \SodiumException $error ) {
			return null;
		}
		return false === $plain ? null : $plain;
	}

	/**
	 * Whether a value has the sealed format (it may still belong to another key).
	 *
	 * @param mixed $value Any value.
	 */
	public static function is_sealed( $value ): bool {
		return is_string( $value )
			&& 0 === strpos( $value, self::PREFIX )
			&& 1 === preg_match( '#^[A-Za-z0-9+/]+={0,2}$#', substr( $value, strlen( self::PREFIX ) ) );
	}
}
