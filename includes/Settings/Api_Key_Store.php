<?php
/**
 * The HTTPS API key: write-only, sealed and bound to the provider's API address.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Kept sealed in the settings option (field `api_key`) like the password. Its binding names the
 * scope, the provider and the API base URL it is sent to: another provider, region or address
 * (SMTP_PORT_HELPER_API_ENDPOINT) never receives it — it then stays shut, and a save that
 * changes one of them forgets it unless a new key comes with it. SMTP_PORT_HELPER_API_KEY
 * replaces the stored key and is never stored.
 */
final class Api_Key_Store {

	/**
	 * The stored layers.
	 *
	 * @var Settings_Layers
	 */
	private Settings_Layers $layers;

	/**
	 * The wp-config constants.
	 *
	 * @var Settings_Constants
	 */
	private Settings_Constants $constants;

	/**
	 * Seals the key; null without usable key material.
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * Takes the layers, the constants and the box.
	 *
	 * @param Settings_Layers    $layers    The stored layers.
	 * @param Settings_Constants $constants The wp-config constants.
	 * @param Secret_Box|null    $box       Seals the key.
	 */
	public function __construct( Settings_Layers $layers, Settings_Constants $constants, ?Secret_Box $box ) {
		$this->layers    = $layers;
		$this->constants = $constants;
		$this->box       = $box;
	}

	/**
	 * The API base URL of settings: SMTP_PORT_HELPER_API_ENDPOINT, else the provider's for the
	 * region; '' for SMTP or an unknown provider.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public static function base_url( Settings $settings ): string {
		$provider = Transport_Registry::provider( $settings->transport );
		if ( null === $provider ) {
			return '';
		}
		$constant = Settings_Constants::api_endpoint();
		return '' !== $constant ? $constant : $provider->base_url( '' !== $settings->api_region ? $settings->api_region : $provider->default_region() );
	}

	/**
	 * The key for settings, opened: the constant's, else the stored one sealed for exactly this
	 * provider and address; null when there is none or it does not open.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public function key( Settings $settings ): ?string {
		$constant = $this->constants->api_key();
		if ( null !== $constant ) {
			return $constant;
		}
		$sealed = $this->sealed();
		if ( null === $sealed || null === $this->box || '' === self::base_url( $settings ) ) {
			return null;
		}
		return $this->box->open( $sealed, $this->binding( $settings ) );
	}

	/**
	 * Whether a key is stored or defined in wp-config.php.
	 */
	public function is_set(): bool {
		return null !== $this->constants->api_key() || null !== $this->sealed();
	}

	/**
	 * What an API transport sends with, or null when the settings choose SMTP or have no key.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public function credentials( Settings $settings ): ?Api_Credentials {
		$key = $this->key( $settings );
		if ( null === $key ) {
			return null;
		}
		return new Api_Credentials( $key, $settings->api_account, $settings->api_region, self::base_url( $settings ) );
	}

	/**
	 * The option about to be written with the key: a new one sealed for the settings after the
	 * save; the stored one kept while provider and address stay the same, else forgotten.
	 *
	 * @param array<string, mixed> $option The option about to be written.
	 * @param Settings             $before The effective settings before the save.
	 * @param Settings             $after  The effective settings after it.
	 * @param string               $key    New key, '' for none.
	 * @param bool                 $clear  Whether to remove the stored one.
	 * @return array<string, mixed>
	 */
	public function with_key( array $option, Settings $before, Settings $after, string $key, bool $clear ): array {
		unset( $option['api_key'] );
		$sealed = $this->sealed();
		if ( '' !== $key && null !== $this->box && '' !== self::base_url( $after ) ) {
			$option['api_key'] = $this->box->seal( $key, $this->binding( $after ) );
		} elseif ( ! $clear && null !== $sealed && $this->binding( $before ) === $this->binding( $after ) ) {
			$option['api_key'] = $sealed;
		}
		return $option;
	}

	/**
	 * The error of a new key that cannot be stored, or null.
	 *
	 * @param Settings $after The effective settings after the save.
	 */
	public function refusal( Settings $after ): ?string {
		if ( null === $this->box ) {
			return __( 'The API key cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) and save again.', 'smtp-port-helper' );
		}
		if ( '' === self::base_url( $after ) ) {
			return __( 'Choose the provider whose HTTPS API the key is for (the transport) before entering the key.', 'smtp-port-helper' );
		}
		return null;
	}

	/**
	 * The sealed key stored in this scope's option, if any.
	 */
	private function sealed(): ?string {
		$raw = $this->layers->is_network() ? $this->layers->raw_network() : $this->layers->raw_site();
		return isset( $raw['api_key'] ) && Secret_Box::is_sealed( $raw['api_key'] ) ? $raw['api_key'] : null;
	}

	/**
	 * What the key is bound to: the scope, the provider and the API address it is sent to.
	 *
	 * @param Settings $settings Effective settings.
	 */
	private function binding( Settings $settings ): string {
		return Secret_Box::binding_for( 'api-key', array( $this->layers->binding_scope(), $settings->transport, self::base_url( $settings ) ) );
	}
}
