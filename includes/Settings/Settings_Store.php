<?php
/**
 * The plugin's settings: reads the effective values, saves changes all or nothing.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Encryption;
use WP_Error;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads and writes the option `smtp_port_helper_settings`: the stored layers
 * (Settings_Layers: the site over the network defaults), then the wp-config constants
 * (Settings_Constants), give the effective Settings; every field follows its row of
 * Settings_Schema.
 *
 * The password is write-only: it is stored sealed by Secret_Box and never leaves this class
 * except through `password()`, for the code that logs in to the SMTP server.
 *
 * A store built with SCOPE_NETWORK reads and writes the network defaults instead (the Network
 * Admin screen): same schema, same rules, same password encryption, and the constants still win.
 */
final class Settings_Store {

	public const OPTION = Plugin::SETTINGS_OPTION;

	/** The settings of the current site: its own option over the network defaults. */
	public const SCOPE_SITE = Settings_Layers::SCOPE_SITE;

	/** The network defaults (multisite): the site option of the same name. */
	public const SCOPE_NETWORK = Settings_Layers::SCOPE_NETWORK;

	/** The value of `locked` for a field the network locks for its sites (not a constant). */
	public const LOCKED_BY_NETWORK = 'network';

	/** What rekey() did: no password is stored in this scope. */
	public const REKEY_NONE = 'none';

	/** What rekey() did: the password was sealed again under the new key. */
	public const REKEY_RESEALED = 'resealed';

	/** What rekey() did: nothing, the password already opens with the new key. */
	public const REKEY_CURRENT = 'current';

	/** What rekey() did: nothing, neither key opens the password (it must be entered again). */
	public const REKEY_UNREADABLE = 'unreadable';

	/**
	 * Field rules.
	 *
	 * @var Settings_Validator
	 */
	private Settings_Validator $validator;

	/**
	 * Password encryption; built on first use when not given.
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * The stored options this store reads and writes.
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
	 * The effective settings last built, with the layers and constants they came from.
	 *
	 * @var array{from: array<int, mixed>, settings: Settings}|null
	 */
	private ?array $effective = null;

	/**
	 * The option value update() is writing: its sanitizer lets it through without checking it again.
	 *
	 * @var array<string, mixed>|null
	 */
	private static ?array $writing = null;

	/**
	 * The network option value sanitize_network_option() just checked: the sanitize_option()
	 * that WordPress runs next for the same write lets it through.
	 *
	 * @var array<string, mixed>|null
	 */
	private static ?array $network_checked = null;

	/**
	 * The network's store, built on first use (network_store()).
	 *
	 * @var Settings_Store|null
	 */
	private ?Settings_Store $network_store = null;

	/**
	 * Whether the last update() forgot the password (see password_forgotten()).
	 *
	 * @var bool
	 */
	private bool $password_forgotten = false;

	/**
	 * Takes the field rules, the password encryption (both optional) and the scope.
	 *
	 * @param Settings_Validator|null $validator Field rules.
	 * @param Secret_Box|null         $box       Password encryption (default: keyed by the salts,
	 *                                           which every site of a network shares).
	 * @param string                  $scope     SCOPE_SITE (default) or SCOPE_NETWORK.
	 */
	public function __construct( ?Settings_Validator $validator = null, ?Secret_Box $box = null, string $scope = self::SCOPE_SITE ) {
		$this->validator = $validator ?? new Settings_Validator();
		$this->box       = $box;
		$this->layers    = new Settings_Layers( $this->validator, $scope );
		$this->constants = new Settings_Constants( $this->validator );
	}

	/**
	 * The network's store, kept for the rules that compare a site with it (it reads the stored
	 * option on every call, so it never goes stale).
	 */
	private function network_store(): self {
		$this->network_store = $this->network_store ?? self::for_network();
		return $this->network_store;
	}

	/**
	 * A store of the network defaults (multisite), with the same rules and encryption.
	 */
	public static function for_network(): self {
		return new self( null, null, self::SCOPE_NETWORK );
	}

	/**
	 * Whether this store holds the network defaults rather than a site's settings.
	 */
	public function is_network(): bool {
		return $this->layers->is_network();
	}

	/**
	 * The effective settings: defaults, network defaults (multisite), the site's values, then
	 * wp-config constants. Never contains the password. A network store leaves the site out.
	 * Built again only when a stored value or a constant changed.
	 */
	public function get(): Settings {
		$layers    = $this->layers->valid_layers();
		$constants = $this->constants->values();
		$from      = array( $layers, $constants );
		if ( null !== $this->effective && $this->effective['from'] === $from ) {
			return $this->effective['settings'];
		}
		unset( $constants['password'] );
		$values   = Settings_Schema::defaults();
		$explicit = false;
		foreach ( $layers as $layer ) {
			$values   = array_merge( $values, $layer );
			$explicit = $explicit || isset( $layer['encryption'] );
		}
		$values = array_merge( $values, $constants );
		if ( ! $explicit && ! isset( $constants['encryption'] ) && is_int( $values['port'] ) ) {
			$values['encryption'] = Settings_Validator::encryption_for_port( $values['port'] );
		}
		if ( $this->constants->implies_auth() ) {
			$values['auth'] = true;
		}
		$this->effective = array(
			'from'     => $from,
			'settings' => new Settings( $values ),
		);
		return $this->effective['settings'];
	}

	/**
	 * The SettingsResponse of src/types.ts: the effective settings, password state, TLS
	 * verification and locked fields. Never the password.
	 *
	 * @return array<string, mixed>
	 */
	public function response(): array {
		$data                        = $this->get()->to_array();
		$data['password_set']        = $this->password_set();
		$data['password_unreadable'] = $this->password_unreadable();
		$data['key_unsafe']          = null !== Key_Material::from_wp_config()->problem();
		$data['verify_tls']          = $this->verify_tls();
		$data['locked']              = (object) $this->locked();
		// phpcs:ignore Generic.Formatting.MultipleStatementAlignment.NotSameWarning
		$data['oauth_client_secret_set'] = null !== $this->constants->oauth_client_secret() || null !== $this->layers->stored_sealed_client_secret();
		$data['oauth_connection']        = $this->is_network() ? Token_Store::no_connection() : ( new Token_Store( $this->box(), $this->layers->binding_scope() ) )->connection( $this->get() );
		$data['from_address']            = From_Address::for_settings( $this->get(), $this->login_mailbox( $data['oauth_connection'] ) );
		if ( is_multisite() && ! $this->is_network() ) {
			$data['inherited'] = $this->inherited();
		}
		if ( is_multisite() && $this->is_network() ) {
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
		$settings = $this->get();
		if ( $settings->uses_oauth() ) {
			return Token_Store::mailbox( $settings, $connection['account'] );
		}
		return From_Address::password_login( $settings );
	}

	/**
	 * Fields of a site whose value comes from the network defaults: set on the network, not
	 * by the site, and not fixed by a constant. Empty on a single site and for a network store.
	 *
	 * @return list<string> Field names, in the schema's order.
	 */
	public function inherited(): array {
		return array_values( array_diff( $this->layers->inherited(), array_keys( $this->constants->values() ) ) );
	}

	/**
	 * Whether wp_mail() goes through the SMTP server: enabled and a host set.
	 */
	public function is_active(): bool {
		return $this->get()->is_active();
	}

	/**
	 * Certificate verification; only the wp-config constant SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY
	 * switches it off.
	 */
	public function verify_tls(): bool {
		return $this->constants->verify_tls();
	}

	/**
	 * Fields whose value comes from a wp-config constant, with the constant's name.
	 *
	 * @return array<string, string> Field => constant name.
	 */
	public function locked(): array {
		$locked = $this->constants->locked();
		if ( $this->layers->destination_locked() ) {
			foreach ( self::network_locked_fields() as $field ) {
				$locked += array( $field => self::LOCKED_BY_NETWORK );
			}
		}
		return $locked;
	}

	/**
	 * The fields the network's lock fixes for its sites: the destination and the password.
	 *
	 * @return list<string>
	 */
	private static function network_locked_fields(): array {
		return array_merge( Settings_Layers::DESTINATION_FIELDS, array( 'password' ) );
	}

	/**
	 * Why a change of a field is refused because the network locks it; null when it is not
	 * locked or the value is the one in use.
	 *
	 * @param string $field Field name (`clear_password` is a change of the password).
	 * @param mixed  $value Normalised value.
	 */
	private function network_lock_error( string $field, $value ): ?string {
		$field = 'clear_password' === $field ? 'password' : $field;
		if ( ! in_array( $field, self::network_locked_fields(), true ) || ! $this->layers->destination_locked() || isset( $this->constants->locked()[ $field ] ) ) {
			return null;
		}
		if ( 'password' === $field ? ( '' === $value || false === $value ) : $this->get()->to_array()[ $field ] === $value ) {
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
	private function clear_text_error( string $field, $value, array $changes ): ?string {
		if ( 'encryption' !== $field || Encryption::NONE !== $value || ! is_multisite() || $this->is_network() ) {
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
	 * Whether this store sends to the network's host as the network's user (always on a single
	 * site and for the network's own settings).
	 */
	private function uses_networks_server_and_user(): bool {
		if ( ! is_multisite() || $this->is_network() ) {
			return true;
		}
		$settings = $this->get();
		return Saved_Login::of( $this->network_store()->get() )->allows( $settings->host, $settings->username );
	}

	/**
	 * Whether the password that applies belongs to the network, not to this site: on a site of a
	 * network, the network's stored password or the one of wp-config.php.
	 */
	private function password_is_networks(): bool {
		if ( ! is_multisite() || $this->is_network() ) {
			return false;
		}
		if ( null !== $this->constants->password() ) {
			return true;
		}
		$source = $this->layers->password_source();
		return null !== $source && Settings_Layers::SCOPE_NETWORK === $source['layer'];
	}

	/**
	 * Whether the network's password would leave without TLS: a site that logs in with the
	 * network's password chose `none` while the network's own settings encrypt. The password is
	 * then not given out (password() is null) and mail that needs it does not leave.
	 */
	public function network_password_without_tls(): bool {
		return $this->password_is_networks()
			&& Encryption::NONE === $this->get()->encryption
			&& Encryption::NONE !== $this->network_store()->get()->encryption;
	}

	/**
	 * Where mail goes and as whom: the server (host as the SMTP client compares it), the port,
	 * the encryption and the login. An OAuth 2.0 login is the mailbox connected on this site (its
	 * tokens are the site's), so it is never the network's.
	 *
	 * @return array{host: string, port: int, encryption: string, login: string}
	 */
	public function destination(): array {
		$settings = $this->get();
		$login    = '';
		if ( $settings->uses_oauth() ) {
			$login = 'oauth2 ' . $this->layers->binding_scope();
		} elseif ( $settings->auth ) {
			$login = 'password ' . $settings->username;
		}
		return array(
			'host'       => Saved_Login::host_key( $settings->host ),
			'port'       => $settings->port,
			'encryption' => $settings->encryption,
			'login'      => $login,
		);
	}

	/**
	 * Whether this is a site of a network that sends somewhere else than the network, or as
	 * someone else: its destination (host, port, encryption, login) differs from the network's.
	 */
	public function has_own_destination(): bool {
		if ( ! is_multisite() || $this->is_network() ) {
			return false;
		}
		return $this->destination() !== $this->network_store()->destination();
	}

	/**
	 * The server and login a message is written for (not the port: the same server on another
	 * port, the usual fix of a blocked port, is the same server), as a short fingerprint.
	 */
	public function server_fingerprint(): string {
		$destination = $this->destination();
		return substr( hash( 'sha256', $destination['host'] . "\n" . $destination['login'] ), 0, 32 );
	}

	/**
	 * The effective SMTP password, decrypted: SMTP_PORT_HELPER_PASS when defined, else the stored
	 * one. Null when there is none or when it cannot be decrypted (see password_unreadable()).
	 */
	public function password(): ?string {
		if ( $this->network_password_without_tls() ) {
			return null;
		}
		$constant = $this->constants->password();
		if ( null !== $constant ) {
			// On a network, wp-config's password is the network's: only for the network's server and user.
			return $this->uses_networks_server_and_user() ? $constant : null;
		}
		return $this->open_stored();
	}

	/**
	 * The stored password that applies, opened with the binding of its layer and the effective
	 * host and user name; null when there is none or it does not open. A `v1` value (no binding)
	 * opens only while the effective host and user name are the ones saved beside it in the same
	 * option, and is sealed again as `v2` for them at once: for any other host it stays shut.
	 */
	private function open_stored(): ?string {
		$source = $this->layers->password_source();
		$box    = $this->box();
		if ( null === $source || null === $box ) {
			return null;
		}
		$settings = $this->get();
		$binding  = $this->binding( $source['layer'], $settings->host, $settings->username );
		if ( ! Secret_Box::is_legacy( $source['sealed'] ) ) {
			return $box->open( $source['sealed'], $binding );
		}
		if ( ! $this->is_network() && Settings_Layers::SCOPE_NETWORK === $source['layer'] ) {
			// The network's value: the network's settings check and seal it in their own option.
			return self::for_network()->open_stored();
		}
		$raw = $this->is_network() ? $this->layers->raw_network() : $this->layers->raw_site();
		if ( ! isset( $raw['host'], $raw['username'] ) || ! is_string( $raw['host'] ) || ! is_string( $raw['username'] )
			|| $this->binding( $source['layer'], $raw['host'], $raw['username'] ) !== $binding ) {
			return null;
		}
		$plain = $box->open_unbound( $source['sealed'] );
		if ( null !== $plain ) {
			$this->write_sealed( 'password', $box->seal( $plain, $binding ) );
		}
		return $plain;
	}

	/**
	 * What a sealed password of a layer is bound to: the scope, the host and the user name.
	 *
	 * @param string $layer    Settings_Layers::SCOPE_SITE or SCOPE_NETWORK.
	 * @param string $host     Effective host.
	 * @param string $username Effective user name.
	 */
	private function binding( string $layer, string $host, string $username ): string {
		return Secret_Box::binding( $this->layers->binding_scope( $layer ), Saved_Login::host_key( $host ), $username );
	}

	/**
	 * The effective OAuth client secret, decrypted: SMTP_PORT_HELPER_OAUTH_CLIENT_SECRET when
	 * defined, else the stored one (only for the token endpoint and client ID it was saved
	 * for). Null when there is none: a public client (PKCE alone).
	 */
	public function oauth_client_secret(): ?string {
		$constant = $this->constants->oauth_client_secret();
		if ( null !== $constant ) {
			return $constant;
		}
		$sealed = $this->layers->stored_sealed_client_secret();
		$box    = $this->box();
		if ( null === $sealed || null === $box ) {
			return null;
		}
		return $box->open( $sealed, $this->client_secret_binding( $this->get() ) );
	}

	/**
	 * What the client secret is bound to: the scope, the token endpoint it is sent to and the
	 * client ID. Another endpoint (a changed profile, tenant or URL) never receives it.
	 *
	 * @param Settings $settings Effective settings.
	 */
	private function client_secret_binding( Settings $settings ): string {
		return Secret_Box::binding_for( 'oauth-client-secret', array( $this->layers->binding_scope(), Provider_Profile::of( $settings )->token_url, $settings->oauth_client_id ) );
	}

	/**
	 * Whether a password is stored or defined in wp-config.php.
	 */
	public function password_set(): bool {
		return null !== $this->constants->password() || null !== $this->layers->sealed_password();
	}

	/**
	 * Whether a stored password cannot be decrypted any more (the key or the salts changed).
	 */
	public function password_unreadable(): bool {
		if ( null !== $this->constants->password() ) {
			return false;
		}
		return null !== $this->layers->sealed_password() && null === $this->open_stored();
	}

	/**
	 * Checks one submitted field as the REST route's `validate_callback` does: its rule, and
	 * whether a wp-config constant locks it.
	 *
	 * @param string $field Field name.
	 * @param mixed  $value Submitted value.
	 * @return string|null Error message, or null when the value is acceptable.
	 */
	public function field_error( string $field, $value ): ?string {
		$result = $this->validator->field( $field, $value );
		if ( null !== $result[1] ) {
			return $result[1];
		}
		// The clear-text rule depends on the other fields of the save: update() checks it.
		return $this->constants->locked_error( $field, $result[0] ) ?? $this->network_lock_error( $field, $result[0] );
	}

	/**
	 * Validates every change and saves them together, or saves nothing.
	 *
	 * Changing only the port also sets the encryption that port uses (465: implicit TLS,
	 * otherwise STARTTLS), unless the encryption is given too. `password` sets a new password
	 * (an empty string keeps the stored one); `clear_password: true` removes it. A new host or
	 * user name without a new password forgets the stored one (password_forgotten()).
	 *
	 * @param array<string, mixed> $changes Field => new value.
	 * @return Settings|WP_Error The new effective settings, or a 400 error whose `params` name
	 *                           each bad field.
	 */
	public function update( array $changes ) {
		$result = $this->validator->validate( $changes );
		$values = $result['values'];
		$errors = $result['errors'];
		foreach ( $values as $field => $value ) {
			$locked = $this->constants->locked_error( $field, $value ) ?? $this->network_lock_error( $field, $value ) ?? $this->clear_text_error( $field, $value, $values );
			if ( null !== $locked ) {
				$errors[ 'clear_password' === $field ? 'password' : $field ] = $locked;
			}
		}
		$locked = $this->locked();
		if ( isset( $values['port'] ) && is_int( $values['port'] ) && ! array_key_exists( 'encryption', $changes ) && ! isset( $locked['encryption'] ) ) {
			$values['encryption'] = Settings_Validator::encryption_for_port( $values['port'] );
		}
		$password = isset( $values['password'] ) && is_string( $values['password'] ) ? $values['password'] : '';
		$clear    = ! empty( $values['clear_password'] );
		$secret   = isset( $values['oauth_client_secret'] ) && is_string( $values['oauth_client_secret'] ) ? $values['oauth_client_secret'] : '';
		// phpcs:ignore Generic.Formatting.MultipleStatementAlignment.NotSameWarning
		$clear_secret = ! empty( $values['clear_oauth_client_secret'] );
		unset( $values['password'], $values['clear_password'], $values['oauth_client_secret'], $values['clear_oauth_client_secret'] );
		// Locked fields keep their constant value; the stored one would never be used.
		$values = array_diff_key( $values, $locked );

		if ( array() === $errors ) {
			$after = array_merge( $this->get()->to_array(), $values );
			foreach ( $this->validator->validate_combination( $after ) as $field => $message ) {
				$named = $this->combination_field( $field, $changes );
				// A rule is only enforced on a save that touches it: an unrelated change still saves.
				if ( null !== $named ) {
					$errors[ $named ] = $message;
				}
			}
		}
		if ( '' !== $secret && null === $this->box() ) {
			$errors['oauth_client_secret'] = __( 'The client secret cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) and save again.', 'smtp-port-helper' );
		}
		if ( '' !== $password && null === $this->box() ) {
			$errors['password'] = __( 'The password cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) and save again.', 'smtp-port-helper' );
		}
		if ( array() !== $errors ) {
			return new WP_Error(
				'rest_invalid_param',
				/* translators: %s: comma-separated list of setting names. */
				sprintf( __( 'Invalid setting(s): %s', 'smtp-port-helper' ), implode( ', ', array_keys( $errors ) ) ),
				array(
					'status' => 400,
					'params' => $errors,
				)
			);
		}

		$before  = $this->get();
		$had     = $this->password_set();
		$new     = array_merge( $this->layers->valid_stored(), $values );
		$sealed  = $this->layers->stored_sealed_password();
		$box     = $this->box();
		$binding = $this->binding(
			$this->is_network() ? Settings_Layers::SCOPE_NETWORK : Settings_Layers::SCOPE_SITE,
			isset( $values['host'] ) && is_string( $values['host'] ) ? $values['host'] : $before->host,
			isset( $values['username'] ) && is_string( $values['username'] ) ? $values['username'] : $before->username
		);
		if ( '' !== $password && null !== $box ) {
			$new['password'] = $box->seal( $password, $binding );
		} elseif ( ! $clear && null !== $sealed && $this->keeps_login( $before, $values ) ) {
			$new['password'] = $this->resealed( $sealed, $binding );
		}
		$new           = $this->with_client_secret( $new, $before, $values, $secret, $clear_secret );
		self::$writing = $new;
		try {
			$this->layers->write( $new );
		} finally {
			self::$writing = null;
		}
		$this->password_forgotten = $had && ! $clear && '' === $password && ! $this->password_set();
		return $this->get();
	}

	/**
	 * The option about to be written with the client secret: a new one sealed for the new token
	 * endpoint and client ID; the stored one kept while both stay the same, else forgotten.
	 *
	 * @param array<string, mixed> $option       The option about to be written.
	 * @param Settings             $before       The effective settings before the save.
	 * @param array<string, mixed> $values       Validated changes (locked fields removed).
	 * @param string               $secret       New client secret, '' for none.
	 * @param bool                 $clear_secret Whether to remove the stored one.
	 * @return array<string, mixed>
	 */
	private function with_client_secret( array $option, Settings $before, array $values, string $secret, bool $clear_secret ): array {
		$after  = new Settings( array_merge( $before->to_array(), $values ) );
		$sealed = $this->layers->stored_sealed_client_secret();
		$box    = $this->box();
		if ( '' !== $secret && null !== $box ) {
			$option['oauth_client_secret'] = $box->seal( $secret, $this->client_secret_binding( $after ) );
		} elseif ( ! $clear_secret && null !== $sealed && $this->client_secret_binding( $before ) === $this->client_secret_binding( $after ) ) {
			$option['oauth_client_secret'] = $sealed;
		}
		return $option;
	}

	/**
	 * Seals the password stored in this scope's option again under another key (`wp
	 * smtp-port-helper rekey`), for the same scope, host and user name.
	 *
	 * @param Secret_Box|null $old The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new The box of the key material from now on.
	 * @return string REKEY_* : what happened to the stored password.
	 */
	public function rekey( ?Secret_Box $old, Secret_Box $new ): string {
		$settings = $this->get();
		$binding  = $this->binding( $this->is_network() ? Settings_Layers::SCOPE_NETWORK : Settings_Layers::SCOPE_SITE, $settings->host, $settings->username );
		return $this->reseal( 'password', $this->layers->stored_sealed_password(), $binding, $old, $new );
	}

	/**
	 * Seals the OAuth client secret stored in this scope's option again under another key (`wp
	 * smtp-port-helper rekey`), for the same scope, token endpoint and client ID.
	 *
	 * @param Secret_Box|null $old The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new The box of the key material from now on.
	 * @return string REKEY_* : what happened to the stored client secret.
	 */
	public function rekey_client_secret( ?Secret_Box $old, Secret_Box $new ): string {
		return $this->reseal( 'oauth_client_secret', $this->layers->stored_sealed_client_secret(), $this->client_secret_binding( $this->get() ), $old, $new );
	}

	/**
	 * Seals one stored secret again under the new key (a `v1` value too), keeping the other
	 * sealed secret of the option as it is stored.
	 *
	 * @param string          $field   'password' or 'oauth_client_secret'.
	 * @param string|null     $sealed  The stored sealed value (null: none).
	 * @param string          $binding Its binding.
	 * @param Secret_Box|null $old     The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new     The box of the key material from now on.
	 * @return string REKEY_*
	 */
	private function reseal( string $field, ?string $sealed, string $binding, ?Secret_Box $old, Secret_Box $new ): string {
		if ( null === $sealed ) {
			return self::REKEY_NONE;
		}
		if ( Secret_Box::is_legacy( $sealed ) ) {
			$plain = 'password' === $field && $this->legacy_binding_holds( $binding ) ? ( $new->open_unbound( $sealed ) ?? ( null === $old ? null : $old->open_unbound( $sealed ) ) ) : null;
		} else {
			$plain = $new->open( $sealed, $binding );
			if ( null !== $plain ) {
				return self::REKEY_CURRENT;
			}
			$plain = null === $old ? null : $old->open( $sealed, $binding );
		}
		if ( null === $plain ) {
			return self::REKEY_UNREADABLE;
		}
		$this->write_sealed( $field, $new->seal( $plain, $binding ) );
		return self::REKEY_RESEALED;
	}

	/**
	 * Whether a `v1` password of this scope's option may open for a binding: the host and user
	 * name saved beside it in the option give that binding.
	 *
	 * @param string $binding The binding it is about to be used for.
	 */
	private function legacy_binding_holds( string $binding ): bool {
		$raw = $this->is_network() ? $this->layers->raw_network() : $this->layers->raw_site();
		return isset( $raw['host'], $raw['username'] ) && is_string( $raw['host'] ) && is_string( $raw['username'] )
			&& $this->binding( $this->is_network() ? Settings_Layers::SCOPE_NETWORK : Settings_Layers::SCOPE_SITE, $raw['host'], $raw['username'] ) === $binding;
	}

	/**
	 * Writes one sealed secret into this scope's option, keeping the other sealed secret as it is
	 * stored.
	 *
	 * @param string $field  'password' or 'oauth_client_secret'.
	 * @param string $sealed The new sealed value.
	 */
	private function write_sealed( string $field, string $sealed ): void {
		$option = $this->layers->valid_stored();
		// valid_stored() leaves the sealed secrets out: both go back as stored, then this one changes.
		$kept = array(
			'password'            => $this->layers->stored_sealed_password(),
			'oauth_client_secret' => $this->layers->stored_sealed_client_secret(),
		);
		foreach ( $kept as $key => $value ) {
			if ( null !== $value ) {
				$option[ $key ] = $value;
			}
		}
		$option[ $field ] = $sealed;
		self::$writing    = $option;
		try {
			$this->layers->write( $option );
		} finally {
			self::$writing = null;
		}
	}

	/**
	 * A kept password in the current format: a `v1` value (no binding) is sealed again as `v2`
	 * for its scope, host and user name; anything else is kept as it is.
	 *
	 * @param string $sealed  The stored sealed password.
	 * @param string $binding Where it is kept for.
	 */
	private function resealed( string $sealed, string $binding ): string {
		$box = $this->box();
		if ( null === $box || ! Secret_Box::is_legacy( $sealed ) ) {
			return $sealed;
		}
		$plain = $this->legacy_binding_holds( $binding ) ? $box->open_unbound( $sealed ) : null;
		return null === $plain ? $sealed : $box->seal( $plain, $binding );
	}

	/**
	 * Whether the last update() dropped the password because it changed the host or the user
	 * name without giving a new one (the saved password only goes where it was saved for).
	 */
	public function password_forgotten(): bool {
		return $this->password_forgotten;
	}

	/**
	 * Whether a save keeps the host and user name the stored password was saved with.
	 *
	 * @param Settings             $before The effective settings before the save.
	 * @param array<string, mixed> $values Validated changes (locked fields removed).
	 */
	private function keeps_login( Settings $before, array $values ): bool {
		$host     = isset( $values['host'] ) && is_string( $values['host'] ) ? $values['host'] : $before->host;
		$username = isset( $values['username'] ) && is_string( $values['username'] ) ? $values['username'] : $before->username;
		return Saved_Login::of( $before )->allows( $host, $username );
	}

	/**
	 * Sanitizer for every write of the option, including those that bypass `update()`
	 * (options.php, `update_option()` from other code): a value that does not validate
	 * completely against the rules and the option schema leaves the stored option as it was.
	 * What update() writes was validated there and passes as it is.
	 *
	 * @param mixed $value Value about to be stored.
	 * @return array<string, mixed>
	 */
	public function sanitize_option( $value ): array {
		if ( null !== self::$writing && $value === self::$writing ) {
			return self::$writing;
		}
		if ( null !== self::$network_checked && $value === self::$network_checked ) {
			$checked               = self::$network_checked;
			self::$network_checked = null;
			return $checked;
		}
		return $this->sanitized( $value, $this->layers->raw_site() );
	}

	/**
	 * Sanitizer of every write of the network option (`pre_update_site_option_*` and
	 * `pre_add_site_option_*`, which WordPress runs before the option's sanitize_option()): the
	 * same rules, but a bad value keeps the network's stored option — never the current site's
	 * (with its sealed password) as the defaults of every site.
	 *
	 * @param mixed $value Value about to be stored in the network option.
	 * @return mixed The value to store.
	 */
	public function sanitize_network_option( $value ) {
		self::$network_checked = null;
		if ( ! is_multisite() || ( null !== self::$writing && $value === self::$writing ) ) {
			return $value;
		}
		self::$network_checked = $this->sanitized( $value, $this->layers->raw_network() );
		return self::$network_checked;
	}

	/**
	 * A stored value that validates completely, or the previous one.
	 *
	 * @param mixed                $value    Value about to be stored.
	 * @param array<string, mixed> $previous What the option holds now.
	 * @return array<string, mixed>
	 */
	private function sanitized( $value, array $previous ): array {
		if ( ! is_array( $value ) ) {
			return $previous;
		}
		$sealed = array();
		foreach ( array( 'password', 'oauth_client_secret' ) as $key ) {
			if ( array_key_exists( $key, $value ) ) {
				if ( ! Secret_Box::is_sealed( $value[ $key ] ) ) {
					return $previous;
				}
				$sealed[ $key ] = $value[ $key ];
				unset( $value[ $key ] );
			}
		}
		$result = $this->validator->validate( $value );
		if ( array() !== $result['errors'] ) {
			return $previous;
		}
		$clean = $result['values'] + $sealed;
		if ( function_exists( 'rest_validate_value_from_schema' ) && is_wp_error( rest_validate_value_from_schema( $clean, Settings_Schema::option_schema(), self::OPTION ) ) ) {
			return $previous;
		}
		return $clean;
	}

	/**
	 * Which field a rule between fields names: the one the user changed; null when the save
	 * changes neither field of the rule.
	 *
	 * @param string               $field   Field named by the validator.
	 * @param array<string, mixed> $changes Submitted changes.
	 */
	private function combination_field( string $field, array $changes ): ?string {
		$partners = array(
			'fallback_ports' => array( 'port', 'fallback' ),
			'username'       => array( 'auth' ),
		);
		if ( array_key_exists( $field, $changes ) ) {
			return $field;
		}
		foreach ( isset( $partners[ $field ] ) ? $partners[ $field ] : array() as $partner ) {
			if ( array_key_exists( $partner, $changes ) ) {
				return $partner;
			}
		}
		return null;
	}

	/**
	 * The encryption of this site's password, created on first use; null when there is no key
	 * material fit for a key (Key_Material::from_wp_config()).
	 */
	private function box(): ?Secret_Box {
		if ( null === $this->box ) {
			$this->box = Secret_Box::for_site();
		}
		return $this->box;
	}
}
