<?php
/**
 * Where a site keeps its own DKIM key: the private key sealed like the password, never autoloaded.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Stored_Names;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One key per site, in the option `smtp_port_helper_dkim_key` (autoload off: only sending mail,
 * the domain check and the key's own screens read it). The private key is sealed by Secret_Box,
 * bound to the site, the signing domain and the selector: copied to another site or relabelled,
 * it does not open. Only sign() reads it, for PHPMailer; nothing returns it to a caller that
 * shows things.
 */
final class Dkim_Key_Store {

	public const OPTION = Stored_Names::DKIM_KEY;

	/** RSA key length: what Google and Microsoft recommend, and what fits one TXT record. */
	public const BITS = 2048;

	/**
	 * Encryption; null when there is no key material (nothing can be stored then).
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * `site:<blog id>`.
	 *
	 * @var string
	 */
	private string $scope;

	/**
	 * Takes the encryption and the site.
	 *
	 * @param Secret_Box|null $box   Encryption.
	 * @param string          $scope `site:<blog id>` of the site whose key this is.
	 */
	public function __construct( ?Secret_Box $box, string $scope ) {
		$this->box   = $box;
		$this->scope = $scope;
	}

	/**
	 * The store of the current site with this installation's key material.
	 */
	public static function for_current_site(): self {
		return new self( Secret_Box::for_site(), 'site:' . get_current_blog_id() );
	}

	/**
	 * The key, or null when the site has none.
	 */
	public function current(): ?Dkim_Key {
		$stored = $this->stored();
		return null === $stored ? null : new Dkim_Key( $stored['domain'], $stored['selector'], $stored['key_type'], $stored['bits'], $stored['public'], $stored['created'] );
	}

	/**
	 * Whether the sealed private key still opens (false after the key material changed and no
	 * `wp smtp-port-helper rekey` ran; the key must be generated again then).
	 */
	public function readable(): bool {
		return null !== $this->private_key();
	}

	/**
	 * A new key pair for a domain, replacing the site's key (a rotation when there was one).
	 *
	 * @param string $domain Signing domain, ASCII, lower case.
	 * @param int    $now    Unix time.
	 * @throws Dkim_Key_Exception When no key can be made or stored here.
	 */
	public function generate( string $domain, int $now ): Dkim_Key {
		if ( null === $this->box ) {
			throw new Dkim_Key_Exception( __( 'The DKIM key cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) first.', 'smtp-port-helper' ), 'key_unsafe' );
		}
		if ( ! function_exists( 'openssl_pkey_new' ) ) {
			throw new Dkim_Key_Exception( __( 'PHP\'s OpenSSL extension is missing, so no DKIM key can be generated on this server.', 'smtp-port-helper' ), 'no_openssl' );
		}
		$pair    = openssl_pkey_new(
			array(
				'private_key_bits' => self::BITS,
				'private_key_type' => OPENSSL_KEYTYPE_RSA,
			)
		);
		$private = '';
		$details = false === $pair ? false : openssl_pkey_get_details( $pair );
		if ( false === $pair || false === $details || ! openssl_pkey_export( $pair, $private ) || '' === $private ) {
			throw new Dkim_Key_Exception( __( 'OpenSSL could not generate a DKIM key on this server (see its configuration, openssl.cnf).', 'smtp-port-helper' ), 'openssl_failed' );
		}
		$key    = new Dkim_Key( $domain, Dkim_Key::new_selector( $now ), 'rsa', (int) $details['bits'], (string) preg_replace( '/-----[^-]+-----|\s+/', '', (string) $details['key'] ), $now );
		$stored = update_option(
			self::OPTION,
			array(
				'domain'   => $key->domain,
				'selector' => $key->selector,
				'key_type' => $key->key_type,
				'bits'     => $key->bits,
				'public'   => $key->public_key,
				'private'  => $this->box->seal( $private, $this->binding( $key->domain, $key->selector ) ),
				'created'  => $key->created,
			),
			false
		);
		if ( ! $stored ) {
			throw new Dkim_Key_Exception( __( 'The DKIM key could not be saved in the database; nothing changed. Try again.', 'smtp-port-helper' ), 'not_stored' );
		}
		return $key;
	}

	/**
	 * Removes the site's key.
	 *
	 * @return bool Whether there was one.
	 */
	public function remove(): bool {
		return delete_option( self::OPTION );
	}

	/**
	 * The PEM private key, or null when there is none or it does not open. For signing only.
	 */
	public function private_key(): ?string {
		$stored = $this->stored();
		if ( null === $stored || null === $this->box ) {
			return null;
		}
		return $this->box->open( $stored['private'], $this->binding( $stored['domain'], $stored['selector'] ) );
	}

	/**
	 * Seals the private key again with the current key material after a key change
	 * (`wp smtp-port-helper rekey`); a Resealed outcome like the other secrets.
	 *
	 * @param Secret_Box|null $old The box of the previous key material.
	 */
	public function rekey( ?Secret_Box $old ): string {
		$stored = $this->stored();
		if ( null === $stored || null === $this->box ) {
			return Resealed::NONE;
		}
		$resealed = $this->box->reseal( $stored['private'], $this->binding( $stored['domain'], $stored['selector'] ), $old );
		if ( null !== $resealed->sealed ) {
			$stored['private'] = $resealed->sealed;
			update_option( self::OPTION, $stored, false );
		}
		return $resealed->outcome;
	}

	/**
	 * What the sealed key is bound to.
	 *
	 * @param string $domain   Signing domain.
	 * @param string $selector Selector.
	 */
	private function binding( string $domain, string $selector ): string {
		return Secret_Box::context( 'dkim-private-key', array( $this->scope, $domain, $selector ) );
	}

	/**
	 * The stored record, or null when there is none or it is not one.
	 *
	 * @return array{domain: string, selector: string, key_type: string, bits: int, public: string, private: string, created: int}|null
	 */
	private function stored(): ?array {
		$stored = get_option( self::OPTION, null );
		if ( ! is_array( $stored ) ) {
			return null;
		}
		foreach ( array( 'domain', 'selector', 'key_type', 'public', 'private' ) as $text ) {
			if ( ! isset( $stored[ $text ] ) || ! is_string( $stored[ $text ] ) || '' === $stored[ $text ] ) {
				return null;
			}
		}
		if ( ! isset( $stored['bits'], $stored['created'] ) || ! is_int( $stored['bits'] ) || ! is_int( $stored['created'] ) ) {
			return null;
		}
		return array(
			'domain'   => $stored['domain'],
			'selector' => $stored['selector'],
			'key_type' => $stored['key_type'],
			'bits'     => $stored['bits'],
			'public'   => $stored['public'],
			'private'  => $stored['private'],
			'created'  => $stored['created'],
		);
	}
}
