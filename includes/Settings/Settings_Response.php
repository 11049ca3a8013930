<?php
/**
 * The settings as the page and the REST route read them.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Builds the SettingsResponse of src/types.ts from a Settings_Store: the effective settings, the
 * secrets' state (set, unreadable — never a secret itself), TLS verification, the locked and
 * inherited fields, the OAuth connection and the From address it leads to.
 */
final class Settings_Response {

	/**
	 * The settings answered.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $store;

	/**
	 * The stored options of the store's scope.
	 *
	 * @var Settings_Layers
	 */
	private Settings_Layers $layers;

	/**
	 * The wp-config.php constants.
	 *
	 * @var Settings_Constants
	 */
	private Settings_Constants $constants;

	/**
	 * Takes the store and the layers and constants it reads.
	 *
	 * @param Settings_Store     $store     The settings answered.
	 * @param Settings_Layers    $layers    The stored options of its scope.
	 * @param Settings_Constants $constants The wp-config.php constants.
	 */
	public function __construct( Settings_Store $store, Settings_Layers $layers, Settings_Constants $constants ) {
		$this->store     = $store;
		$this->layers    = $layers;
		$this->constants = $constants;
	}

	/**
	 * The SettingsResponse. Never the password, the client secret or the API key.
	 *
	 * @return array<string, mixed>
	 */
	public function build(): array {
		$store                       = $this->store;
		$data                        = $store->get()->to_array();
		$data['password_set']        = $store->password_set();
		$data['password_unreadable'] = $store->password_unreadable();
		$data['key_unsafe']          = null !== Key_Material::from_wp_config()->problem();
		$data['verify_tls']          = $store->verify_tls();
		$data['locked']              = (object) $store->locked();
		// phpcs:ignore Generic.Formatting.MultipleStatementAlignment.NotSameWarning
		$data['oauth_client_secret_set'] = null !== $this->constants->oauth_client_secret() || null !== $this->layers->stored_sealed_client_secret();
		$data['api_key_set']             = $store->api_keys()->is_set();
		$data['oauth_connection']        = $store->is_network() ? Token_Store::no_connection() : ( new Token_Store( $store->box(), $this->layers->binding_scope() ) )->connection( $store->get() );
		$data['from_address']            = From_Address::for_settings( $store->get(), $this->login_mailbox( $data['oauth_connection'] ) );
		$rewrites                        = Transport_Registry::oauth_class( $store->get()->transport );
		$warning                         = null !== $rewrites ? $rewrites::from_warning( $data['from_address']['email'], $data['oauth_connection']['account'] ) : null;
		if ( null !== $warning ) {
			$data['from_address']['warning'] = $warning; // The provider sends as the signed-in account (Gmail).
		}
		if ( is_multisite() && ! $store->is_network() ) {
			$data['inherited'] = $store->inherited();
		}
		if ( is_multisite() && $store->is_network() ) {
			$data['lock_site_destination'] = Settings_Layers::network_locks_destination();
		}
		return $data;
	}

	/**
	 * The mailbox the login uses: the OAuth sign-in's (the saved user name, else the connected
	 * account), or the user name of a password login; '' without login.
	 *
	 * @param array{account: string} $connection The OAuth connection's state.
	 */
	private function login_mailbox( array $connection ): string {
		$settings = $this->store->get();
		if ( '' !== $settings->shared_mailbox() ) {
			return $settings->shared_mailbox();
		}
		if ( $settings->uses_oauth() ) {
			return Token_Store::mailbox( $settings, $connection['account'] );
		}
		return From_Address::password_login( $settings );
	}
}
