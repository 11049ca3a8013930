<?php
/**
 * The one way to look at, generate, rotate and remove the site's DKIM key (REST and WP-CLI).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Checks the domain a person gives, chooses the default one (the key's, else the From domain
 * mail leaves with), and answers with the key's public half and the record to publish — never
 * the private key.
 */
final class Dkim_Key_Manager {

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The key; null: the current site's at each call (a network switches sites within a request).
	 *
	 * @var Dkim_Key_Store|null
	 */
	private ?Dkim_Key_Store $keys;

	/**
	 * Takes the settings and the key store.
	 *
	 * @param Settings_Store      $settings Settings.
	 * @param Dkim_Key_Store|null $keys     Key store (null: the current site's).
	 */
	public function __construct( Settings_Store $settings, ?Dkim_Key_Store $keys = null ) {
		$this->settings = $settings;
		$this->keys     = $keys;
	}

	/**
	 * The state.
	 *
	 * @return array{key: array{domain: string, selector: string, key_type: string, bits: int, created: string, record: array{type: string, name: string, value: string}}|null, readable: bool, signing: bool, can_generate: bool, default_domain: string}
	 */
	public function state(): array {
		$keys = $this->keys();
		$key  = $keys->current();
		return array(
			'key'            => null === $key ? null : $key->to_array(),
			'readable'       => null !== $key && $keys->readable(),
			'signing'        => $this->settings->get()->dkim_signing,
			'can_generate'   => null === Key_Material::from_wp_config()->problem() && function_exists( 'openssl_pkey_new' ),
			'default_domain' => ( new Domain_Check_Runner( $this->settings ) )->effective_from_domain(),
		);
	}

	// phpcs:disable Squiz.Commenting.FunctionCommentThrowTag.WrongNumber -- Dkim_Key_Exception comes from generate(); PHPStan needs it named here.
	/**
	 * Generates a first key, or rotates the current one.
	 *
	 * @param string $action generate or rotate.
	 * @param string $domain Signing domain ('' for the default).
	 * @return array{key: array{domain: string, selector: string, key_type: string, bits: int, created: string, record: array{type: string, name: string, value: string}}|null, readable: bool, signing: bool, can_generate: bool, default_domain: string}
	 * @throws Invalid_Input_Exception When the action does not fit the key, or the domain is no domain (field: action, domain).
	 * @throws Dkim_Key_Exception      When no key can be made or stored here (from Dkim_Key_Store::generate()).
	 */
	public function change( string $action, string $domain ): array {
		$current = $this->keys()->current();
		if ( 'rotate' === $action && null === $current ) {
			throw new Invalid_Input_Exception( __( 'The site has no DKIM key to rotate yet: generate one first.', 'smtp-port-helper' ), 'action' );
		}
		if ( 'generate' === $action && null !== $current ) {
			/* translators: %s: selector. */
			throw new Invalid_Input_Exception( sprintf( __( 'The site already has a DKIM key (selector %s): rotate it to replace it, or remove it first.', 'smtp-port-helper' ), $current->selector ), 'action' );
		}
		if ( '' === $domain ) {
			$domain = null !== $current ? $current->domain : ( new Domain_Check_Runner( $this->settings ) )->effective_from_domain();
		}
		$this->keys()->generate( self::domain( $domain ), time() );
		return $this->state();
	}
	// phpcs:enable Squiz.Commenting.FunctionCommentThrowTag.WrongNumber

	/**
	 * Removes the key (signing stops at once; the record may be deleted after a week).
	 *
	 * @return bool Whether there was one.
	 */
	public function remove(): bool {
		return $this->keys()->remove();
	}

	/**
	 * A signing domain: a host name with a dot, not an IP address.
	 *
	 * @param string $domain What was given.
	 * @throws Invalid_Input_Exception When it is not one (field: domain).
	 */
	private static function domain( string $domain ): string {
		try {
			$name = Host_Name::parse( $domain );
		} catch ( Invalid_Input_Exception $error ) {
			throw $error->in_field( 'domain' );
		}
		if ( 0 !== $name->get_ip_version() || false === strpos( $name->get_ascii(), '.' ) ) {
			/* translators: %s: what was given. */
			throw new Invalid_Input_Exception( sprintf( __( '"%s" is not a domain name: a DKIM key signs for a domain such as example.com. Set a From address at your own domain, or give the domain.', 'smtp-port-helper' ), $domain ), 'domain' );
		}
		return strtolower( rtrim( $name->get_ascii(), '.' ) );
	}

	/**
	 * The key store.
	 */
	private function keys(): Dkim_Key_Store {
		return $this->keys ?? Dkim_Key_Store::for_current_site();
	}
}
