<?php
/**
 * Where the stored settings live: the site's option over the network's defaults.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Secrets\Secret_Box;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * On a multisite network, the network option (`get_site_option`) holds defaults for every site;
 * each site's own option overrides them field by field. A network scope reads and writes only
 * those network defaults (the Network Admin screen). On a single site there is only the site.
 *
 * Each stored layer is validated when it changes, not on every read: the validated fields are
 * kept with the raw array they came from.
 */
final class Settings_Layers {

	/** The settings of the current site: its own option over the network defaults. */
	public const SCOPE_SITE = 'site';

	/** The network defaults (multisite): the site option of the same name. */
	public const SCOPE_NETWORK = 'network';

	/**
	 * The network option that locks where every site sends (filter of the same name): sites then
	 * take the destination fields from the network and cannot set them.
	 */
	public const LOCK_DESTINATION_OPTION = \SmtpPortHelper\Stored_Names::LOCK_SITE_DESTINATION;

	/** The field of /network-settings that reads and writes LOCK_DESTINATION_OPTION. */
	public const LOCK_FIELD = 'lock_site_destination';

	/** The fields that say where a site's mail goes and as whom; the network lock fixes them. */
	public const DESTINATION_FIELDS = array( 'host', 'port', 'encryption', 'auth', 'username', 'auth_method' );

	/**
	 * Field rules.
	 *
	 * @var Settings_Validator
	 */
	private Settings_Validator $validator;

	/**
	 * SCOPE_SITE or SCOPE_NETWORK.
	 *
	 * @var string
	 */
	private string $scope;

	/**
	 * Layer => the raw array last validated and its valid editable fields.
	 *
	 * @var array<string, array{raw: array<string, mixed>, values: array<string, mixed>}>
	 */
	private array $checked = array();

	/**
	 * Takes the rules and the scope.
	 *
	 * @param Settings_Validator $validator Field rules.
	 * @param string             $scope     SCOPE_SITE or SCOPE_NETWORK.
	 */
	public function __construct( Settings_Validator $validator, string $scope ) {
		$this->validator = $validator;
		$this->scope     = self::SCOPE_NETWORK === $scope ? self::SCOPE_NETWORK : self::SCOPE_SITE;
	}

	/**
	 * Whether these are the network defaults rather than a site's settings.
	 */
	public function is_network(): bool {
		return self::SCOPE_NETWORK === $this->scope;
	}

	/**
	 * The valid editable fields of each layer that applies, lowest first: the network's, then
	 * (not for the network scope) the site's.
	 *
	 * @return list<array<string, mixed>>
	 */
	public function valid_layers(): array {
		$layers = array( $this->valid( self::SCOPE_NETWORK, $this->raw_network() ) );
		if ( ! $this->is_network() ) {
			$layers[] = $this->own_layer();
		}
		return $layers;
	}

	/**
	 * The valid editable fields of the option this scope writes.
	 *
	 * @return array<string, mixed>
	 */
	public function valid_stored(): array {
		return $this->is_network()
			? $this->valid( self::SCOPE_NETWORK, $this->raw_network() )
			: $this->valid( self::SCOPE_SITE, $this->raw_site() );
	}

	/**
	 * Fields a site takes from the network defaults: set on the network, not by the site. Empty
	 * on a single site and for the network scope.
	 *
	 * @return list<string> Field names, in the table's order.
	 */
	public function inherited(): array {
		if ( $this->is_network() || ! is_multisite() ) {
			return array();
		}
		list( $network, $own ) = $this->valid_layers();
		$fields                = array();
		foreach ( array_keys( Settings_Schema::FIELDS ) as $field ) {
			if ( array_key_exists( $field, $network ) && ! array_key_exists( $field, $own ) ) {
				$fields[] = $field;
			}
		}
		return $fields;
	}

	/**
	 * The sealed password of the site, else of the network (the network scope: the network's only).
	 * A site uses the network's password only while it takes both the host and the user name from
	 * the network: a site that names its own server or user never gets the network's password.
	 */
	public function sealed_password(): ?string {
		$source = $this->password_source();
		return null === $source ? null : $source['sealed'];
	}

	/**
	 * The sealed password that applies (see sealed_password()) and the layer it is stored in.
	 *
	 * @return array{sealed: string, layer: string}|null
	 */
	public function password_source(): ?array {
		// While the network locks the destination, a site logs in as the network does.
		$layers = $this->destination_locked() ? array() : array( $this->scope => $this->raw_stored() );
		if ( ! $this->is_network() && $this->uses_network_login() ) {
			$layers[ self::SCOPE_NETWORK ] = $this->raw_network();
		}
		foreach ( $layers as $layer => $raw ) {
			if ( isset( $raw['password'] ) && Secret_Box::is_sealed( $raw['password'] ) ) {
				return array(
					'sealed' => $raw['password'],
					'layer'  => $layer,
				);
			}
		}
		return null;
	}

	/**
	 * The scope a sealed password of a layer is bound to: this site or this network.
	 *
	 * @param string $layer SCOPE_SITE or SCOPE_NETWORK; defaults to the layer this scope writes.
	 */
	public function binding_scope( ?string $layer = null ): string {
		$layer = $layer ?? $this->scope;
		return self::SCOPE_NETWORK === $layer
			? 'network:' . get_current_network_id()
			: 'site:' . get_current_blog_id();
	}

	/**
	 * Whether the site sets neither a host nor a user name of its own (always, while the network
	 * locks the destination).
	 */
	public function uses_network_login(): bool {
		$own = $this->own_layer();
		return ! array_key_exists( 'host', $own ) && ! array_key_exists( 'username', $own );
	}

	/**
	 * Whether the network locks the destination fields of its sites (multisite, a site's scope).
	 */
	public function destination_locked(): bool {
		return ! $this->is_network() && self::network_locks_destination();
	}

	/**
	 * Whether the network locks the destination of its sites (multisite only): the network
	 * option, as the filter of the same name sees it.
	 */
	public static function network_locks_destination(): bool {
		if ( ! is_multisite() ) {
			return false;
		}
		/**
		 * Whether the sites of the network must send through the network's destination (host,
		 * port, encryption, login) and cannot set their own. Default: the network option.
		 *
		 * @param bool $locked Locked.
		 */
		return (bool) apply_filters( 'smtp_port_helper_lock_site_destination', (bool) get_site_option( self::LOCK_DESTINATION_OPTION, false ) );
	}

	/**
	 * The site's valid fields, without the destination fields while the network locks them.
	 *
	 * @return array<string, mixed>
	 */
	private function own_layer(): array {
		$own = $this->valid( self::SCOPE_SITE, $this->raw_site() );
		return $this->destination_locked() ? array_diff_key( $own, array_flip( self::DESTINATION_FIELDS ) ) : $own;
	}

	/**
	 * A sealed value stored in the option this scope writes, if any.
	 *
	 * @param string $field One of Settings_Secrets::FIELDS.
	 */
	public function stored_sealed( string $field ): ?string {
		$raw = $this->raw_stored();
		return isset( $raw[ $field ] ) && Secret_Box::is_sealed( $raw[ $field ] ) ? $raw[ $field ] : null;
	}

	/**
	 * The sealed OAuth client secret stored in this scope's own option, if any.
	 */
	public function stored_sealed_client_secret(): ?string {
		return $this->stored_sealed( 'oauth_client_secret' );
	}

	/**
	 * The sealed password stored in the option this scope writes, if any.
	 */
	public function stored_sealed_password(): ?string {
		return $this->stored_sealed( 'password' );
	}

	/**
	 * Writes the option of this scope when it changed. Its editable fields must be valid: when the
	 * option is stored as given, they are kept as validated and the next read does not check them.
	 *
	 * @param array<string, mixed> $option Valid fields, and the sealed password if any.
	 */
	public function write( array $option ): void {
		if ( $option === $this->raw_stored() ) {
			return;
		}
		if ( $this->is_network() ) {
			update_site_option( Settings_Store::OPTION, $option );
		} else {
			update_option( Settings_Store::OPTION, $option );
		}
		if ( $this->raw_stored() === $option ) {
			$this->checked[ $this->scope ] = array(
				'raw'    => $option,
				'values' => array_intersect_key( $option, Settings_Schema::FIELDS ),
			);
		}
	}

	/**
	 * The site's stored option as it is in the database.
	 *
	 * @return array<string, mixed>
	 */
	public function raw_site(): array {
		$stored = get_option( Settings_Store::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * The stored option this scope writes.
	 *
	 * @return array<string, mixed>
	 */
	private function raw_stored(): array {
		return $this->is_network() ? $this->raw_network() : $this->raw_site();
	}

	/**
	 * The network's defaults (multisite only), as stored.
	 *
	 * @return array<string, mixed>
	 */
	public function raw_network(): array {
		if ( ! is_multisite() ) {
			return array();
		}
		$stored = get_site_option( Settings_Store::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * The editable fields of a stored layer that still validate; anything else is ignored.
	 *
	 * @param string               $layer SCOPE_SITE or SCOPE_NETWORK.
	 * @param array<string, mixed> $raw   The stored array.
	 * @return array<string, mixed>
	 */
	private function valid( string $layer, array $raw ): array {
		if ( ! isset( $this->checked[ $layer ] ) || $this->checked[ $layer ]['raw'] !== $raw ) {
			$this->checked[ $layer ] = array(
				'raw'    => $raw,
				'values' => $this->validator->validate( array_intersect_key( $raw, Settings_Schema::FIELDS ) )['values'],
			);
		}
		return $this->checked[ $layer ]['values'];
	}
}
