<?php
/**
 * The rules between a site of a network and the network's settings.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Probe\Encryption;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A network may lock where its sites send (the destination fields and the password); a site that
 * logs in with the network's password must not send it without TLS; wp-config's password is the
 * network's and only goes to the network's server and user. On a single site and for the
 * network's own settings none of these rules applies.
 */
final class Network_Rules {

	/** The value of `locked` for a field the network locks for its sites (not a constant). */
	public const LOCKED_BY_NETWORK = 'network';

	/**
	 * The settings these rules apply to.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $store;

	/**
	 * Its stored options.
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
	 * The network's store, built on first use (network_store()).
	 *
	 * @var Settings_Store|null
	 */
	private ?Settings_Store $network_store = null;

	/**
	 * Takes the store, its layers and the constants.
	 *
	 * @param Settings_Store     $store     The settings these rules apply to.
	 * @param Settings_Layers    $layers    Its stored options.
	 * @param Settings_Constants $constants The wp-config.php constants.
	 */
	public function __construct( Settings_Store $store, Settings_Layers $layers, Settings_Constants $constants ) {
		$this->store     = $store;
		$this->layers    = $layers;
		$this->constants = $constants;
	}

	/**
	 * The network's store, kept for the rules that compare a site with it (it reads the stored
	 * option on every call, so it never goes stale).
	 */
	public function network_store(): Settings_Store {
		$this->network_store = $this->network_store ?? Settings_Store::for_network();
		return $this->network_store;
	}

	/**
	 * The fields the network's lock fixes for its sites: the destination and the password.
	 *
	 * @return list<string>
	 */
	public static function locked_fields(): array {
		return array_merge( Settings_Layers::DESTINATION_FIELDS, array( 'password' ) );
	}

	/**
	 * The fields the network locks for this site now: field => LOCKED_BY_NETWORK.
	 *
	 * @return array<string, string>
	 */
	public function locked(): array {
		return $this->layers->destination_locked() ? array_fill_keys( self::locked_fields(), self::LOCKED_BY_NETWORK ) : array();
	}

	/**
	 * Why a change of a field is refused because the network locks it; null when it is not
	 * locked or the value is the one in use.
	 *
	 * @param string $field Field name (`clear_password` is a change of the password).
	 * @param mixed  $value Normalised value.
	 */
	public function lock_error( string $field, $value ): ?string {
		$field = 'clear_password' === $field ? 'password' : $field;
		if ( ! in_array( $field, self::locked_fields(), true ) || ! $this->layers->destination_locked() || isset( $this->constants->locked()[ $field ] ) ) {
			return null;
		}
		if ( 'password' === $field ? ( '' === $value || false === $value ) : $this->store->get()->to_array()[ $field ] === $value ) {
			return null;
		}
		/* translators: %s: field name, e.g. host */
		return sprintf( __( '%s is set by the network administrator for every site of the network: this site sends through the network\'s SMTP server and cannot change it.', 'smtp-port-helper' ), $field );
	}

	/**
	 * Why `encryption: none` is refused for a site that would then log in with the network's
	 * password without TLS; null otherwise. A save that also sets the site's own host or user
	 * name (its own login) may choose `none`.
	 *
	 * @param string               $field   Field name.
	 * @param mixed                $value   Normalised value.
	 * @param array<string, mixed> $changes The other validated changes of the save.
	 */
	public function clear_text_error( string $field, $value, array $changes ): ?string {
		if ( 'encryption' !== $field || Encryption::NONE !== $value || ! is_multisite() || $this->store->is_network() ) {
			return null;
		}
		$own_login = isset( $changes['host'] ) || isset( $changes['username'] ) || ! $this->layers->uses_network_login();
		$network   = $this->network_store();
		if ( ( $own_login && null === $this->constants->password() ) || ! $network->get()->auth || ! $network->password_set() || Encryption::NONE === $network->get()->encryption ) {
			return null;
		}
		return __( 'This site logs in with the network\'s SMTP user name and password, which are only sent over an encrypted connection: choose STARTTLS or implicit TLS, or set this site\'s own user name and password.', 'smtp-port-helper' );
	}

	/**
	 * Whether the store sends to the network's host as the network's user (always on a single
	 * site and for the network's own settings).
	 */
	public function uses_networks_server_and_user(): bool {
		if ( ! is_multisite() || $this->store->is_network() ) {
			return true;
		}
		$settings = $this->store->get();
		return Saved_Login::of( $this->network_store()->get() )->allows( $settings->host, $settings->username );
	}

	/**
	 * Whether the network's password would leave without TLS: a site that logs in with the
	 * network's password chose `none` while the network's own settings encrypt. The password is
	 * then not given out and mail that needs it does not leave.
	 */
	public function network_password_without_tls(): bool {
		return $this->password_is_networks()
			&& Encryption::NONE === $this->store->get()->encryption
			&& Encryption::NONE !== $this->network_store()->get()->encryption;
	}

	/**
	 * Whether the password that applies belongs to the network, not to this site: on a site of a
	 * network, the network's stored password or the one of wp-config.php.
	 */
	private function password_is_networks(): bool {
		if ( ! is_multisite() || $this->store->is_network() ) {
			return false;
		}
		if ( null !== $this->constants->password() ) {
			return true;
		}
		$source = $this->layers->password_source();
		return null !== $source && Settings_Layers::SCOPE_NETWORK === $source['layer'];
	}
}
