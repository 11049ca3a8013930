<?php
/**
 * Sealed secrets: authenticated encryption at rest (libsodium), bound to where a secret may be used.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Secrets;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The one sealed-secret helper of the plugin: every secret stored in the database — the SMTP
 * password and OAuth client secret (Settings_Store), the OAuth tokens (OAuth\Token_Store), the
 * waiting mail (Outbox\Outbox) — is sealed, opened, bound and re-sealed here.
 *
 * - seal( $plain, $context ) → `v2:` + base64( nonce . ciphertext ), XChaCha20-Poly1305 (IETF),
 *   a fresh random nonce each time.
 * - open( $sealed, $context ) → the secret, or null (another key, another context, tampered with,
 *   truncated, another format). Never warns.
 * - context( $purpose, $where ) → the associated data a secret is bound to: what it is and every
 *   part of where it may be used (scope `site:<id>`/`network:<id>`, host, user name, provider
 *   endpoint, client ID …). A value copied to another site, host, user or endpoint does not open.
 *   binding() is the password's context (scope, host, user name), kept for the stored format.
 * - reseal( $sealed, $context, $old ) → Resealed: under this box's key again (`wp smtp-port-helper
 *   rekey`, Rekey), opening it with the former key's box when this one does not.
 * - fingerprint( $purpose, $value ) → a keyed hash to find rows by a value without storing it.
 *
 * `v1:` values (secretbox, no associated data: before 1.x) carry no context, so open() refuses
 * them: only open_unbound() and reseal( …, $v1_context_holds = true ) open one, for a caller that
 * has checked where the value was stored for (Settings_Store: the host and user name saved in the
 * same option) and stores the `v2` value right away. The key is derived from key material that
 * lives outside the database (Key_Material) and is never stored beside the ciphertext.
 */
final class Secret_Box {

	public const PREFIX = 'v2:';

	/** The format before the binding: secretbox without associated data. */
	public const LEGACY_PREFIX = 'v1:';

	/** Domain separation: the same salts give another key to any other user of them. */
	private const CONTEXT = 'smtp-port-helper/secret-box/v1|';

	/** The v2 key is another key than the v1 one: a value cannot be moved between the formats. */
	private const CONTEXT_V2 = 'smtp-port-helper/secret-box/v2|';

	/** The key of fingerprint(): a third key, so a fingerprint says nothing about the others. */
	private const CONTEXT_FINGERPRINT = 'smtp-port-helper/fingerprint/v1|';

	/**
	 * The secretbox key of v1 values.
	 *
	 * @var string
	 */
	private string $legacy_key;

	/**
	 * The AEAD key of v2 values.
	 *
	 * @var string
	 */
	private string $key;

	/**
	 * The HMAC key of fingerprint().
	 *
	 * @var string
	 */
	private string $fingerprint_key;

	/**
	 * Derives the encryption keys from the key material.
	 *
	 * @param string $key_material Secret key material of any length (not empty).
	 * @throws \InvalidArgumentException When the key material is empty.
	 */
	public function __construct( string $key_material ) {
		if ( '' === $key_material ) {
			throw new \InvalidArgumentException( 'Empty key material.' );
		}
		$this->legacy_key = sodium_crypto_generichash( self::CONTEXT . $key_material, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
		$this->key        = sodium_crypto_generichash( self::CONTEXT_V2 . $key_material, '', SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_KEYBYTES );
		// A third key from the same material: 32 bytes, the size of an HMAC-SHA256 key.
		$this->fingerprint_key = sodium_crypto_generichash( self::CONTEXT_FINGERPRINT . $key_material, '', 32 );
	}

	/**
	 * The box of this installation's key material (Key_Material::from_wp_config()); null when there is
	 * no key material fit for a key (placeholder, duplicated or missing salts).
	 */
	public static function for_site(): ?self {
		$material = Key_Material::from_wp_config()->current();
		return null === $material ? null : new self( $material );
	}

	/**
	 * The associated data that binds a sealed password to where it may be used. Each part is
	 * length-prefixed, so no two different triples give the same string.
	 *
	 * @param string $scope    `site:<blog id>` or `network:<network id>`.
	 * @param string $host     Host name (normalized by the caller: Saved_Login::host_key()).
	 * @param string $username User name, trimmed.
	 */
	public static function binding( string $scope, string $host, string $username ): string {
		return self::binding_for( 'password', array( $scope, $host, trim( $username ) ) );
	}

	/**
	 * The associated data of another secret than the password (the OAuth client secret and
	 * tokens): what it is and every part of where it may be used, length-prefixed like binding().
	 *
	 * @param string   $purpose What the secret is, e.g. `oauth-refresh-token`.
	 * @param string[] $where   Scope, endpoint, client, server, mailbox and so on.
	 */
	public static function binding_for( string $purpose, array $where ): string {
		$parts = array_merge( array( 'smtp-port-helper/' . $purpose ), $where );
		return implode(
			'',
			array_map(
				static function ( string $part ): string {
					return strlen( $part ) . ':' . $part . ';';
				},
				$parts
			)
		);
	}

	/**
	 * The context a secret is bound to (see binding_for()): the name to use for new secrets.
	 *
	 * @param string   $purpose What the secret is, e.g. `oauth-client-secret`, `api-key`.
	 * @param string[] $where   Every part of where it may be used: scope, endpoint, client and so on.
	 */
	public static function context( string $purpose, array $where ): string {
		return self::binding_for( $purpose, $where );
	}

	/**
	 * Encrypts a secret for one scope, host and user name.
	 *
	 * @param string $plain   Secret.
	 * @param string $binding binding() of where it may be used.
	 * @return string `v2:` + base64( nonce . ciphertext ).
	 */
	public function seal( string $plain, string $binding ): string {
		$nonce = random_bytes( SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES );
		return self::PREFIX . base64_encode( $nonce . sodium_crypto_aead_xchacha20poly1305_ietf_encrypt( $plain, $binding, $nonce, $this->key ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- binary ciphertext in an option.
	}

	/**
	 * Decrypts a sealed secret. Never warns: anything that is not a sealed value of this key and
	 * this binding (another key, another scope, host or user name, truncated, tampered with,
	 * another format, a `v1` value, which is bound to nothing) gives null.
	 *
	 * @param mixed  $sealed  Value from the database.
	 * @param string $binding binding() of where it is about to be used.
	 * @return string|null The secret, or null when it cannot be decrypted.
	 */
	public function open( $sealed, string $binding ): ?string {
		return self::is_sealed( $sealed ) && ! self::is_legacy( $sealed ) ? $this->decrypt( $sealed, $binding ) : null;
	}

	/**
	 * Decrypts a `v1` value, which names no scope, host or user name: the caller must have
	 * checked that it is read for what it was stored for, and must seal it again as `v2`.
	 *
	 * @param mixed $sealed Value from the database.
	 * @return string|null The secret, or null when it is no `v1` value of this key.
	 */
	public function open_unbound( $sealed ): ?string {
		return self::is_legacy( $sealed ) ? $this->decrypt( $sealed, '' ) : null;
	}

	/**
	 * Seals a stored secret again under this box's key, for the same context: nothing when it
	 * already opens with this key; opened with the former key's box otherwise. A `v1` value (no
	 * context) is opened — with either key — only when the caller vouches that it is read for what
	 * it was stored for, and comes back sealed as `v2`.
	 *
	 * @param mixed     $sealed           The stored value; null when none is stored.
	 * @param string    $context          Its context (context(), binding()).
	 * @param self|null $old              The former key's box (null: none is usable).
	 * @param bool      $v1_context_holds Whether a `v1` value may be opened for this context.
	 */
	public function reseal( $sealed, string $context, ?self $old, bool $v1_context_holds = false ): Resealed {
		if ( null === $sealed ) {
			return new Resealed( Resealed::NONE );
		}
		if ( self::is_legacy( $sealed ) ) {
			$plain = $v1_context_holds ? ( $this->open_unbound( $sealed ) ?? ( null === $old ? null : $old->open_unbound( $sealed ) ) ) : null;
		} else {
			if ( null !== $this->open( $sealed, $context ) ) {
				return new Resealed( Resealed::CURRENT );
			}
			$plain = null === $old ? null : $old->open( $sealed, $context );
		}
		return null === $plain ? new Resealed( Resealed::UNREADABLE ) : new Resealed( Resealed::RESEALED, $this->seal( $plain, $context ) );
	}

	/**
	 * Decrypts a value of either format.
	 *
	 * @param string $sealed  A sealed value.
	 * @param string $binding The binding of a `v2` value.
	 */
	private function decrypt( string $sealed, string $binding ): ?string {
		$legacy = self::is_legacy( $sealed );
		$raw    = base64_decode( substr( $sealed, 3 ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		$nonce  = $legacy ? SODIUM_CRYPTO_SECRETBOX_NONCEBYTES : SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES;
		$mac    = $legacy ? SODIUM_CRYPTO_SECRETBOX_MACBYTES : SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_ABYTES;
		if ( false === $raw || strlen( $raw ) < $nonce + $mac ) {
			return null;
		}
		try {
			$plain = $legacy
				? sodium_crypto_secretbox_open( substr( $raw, $nonce ), substr( $raw, 0, $nonce ), $this->legacy_key )
				: sodium_crypto_aead_xchacha20poly1305_ietf_decrypt( substr( $raw, $nonce ), $binding, substr( $raw, 0, $nonce ), $this->key );
		} catch ( \SodiumException $error ) {
			return null;
		}
		return false === $plain ? null : $plain;
	}

	/**
	 * Whether a value has a sealed format, v2 or v1 (it may still belong to another key).
	 *
	 * @param mixed $value Any value.
	 */
	public static function is_sealed( $value ): bool {
		return is_string( $value )
			&& ( 0 === strpos( $value, self::PREFIX ) || 0 === strpos( $value, self::LEGACY_PREFIX ) )
			&& 1 === preg_match( '#^[A-Za-z0-9+/]+={0,2}$#', substr( $value, 3 ) );
	}

	/**
	 * Whether a sealed value is in the v1 format (no binding): the next save seals it again.
	 *
	 * @param mixed $value Any value.
	 */
	public static function is_legacy( $value ): bool {
		return self::is_sealed( $value ) && 0 === strpos( $value, self::LEGACY_PREFIX );
	}

	/**
	 * A keyed hash (HMAC-SHA256 under a key of this key material) of a value, e.g. a recipient's
	 * address, so rows can be found by that value without storing it readable: equal values give
	 * equal fingerprints under one key, and without the key a copy of the database cannot test
	 * guesses against them. The purpose is part of the hashed text: fingerprints of one purpose
	 * never match another's.
	 *
	 * @param string $purpose What the value is, e.g. `outbox-recipient`.
	 * @param string $value   The value, normalised by the caller.
	 * @return string 64 hexadecimal characters.
	 */
	public function fingerprint( string $purpose, string $value ): string {
		return hash_hmac( 'sha256', self::binding_for( $purpose, array( $value ) ), $this->fingerprint_key );
	}
}
