<?php
/**
 * The plugin's settings: reads the effective values, saves changes all or nothing.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\Secrets\Secret_Box;
use WP_Error;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads and writes the option `smtp_port_helper_settings`: the stored layers
 * (Settings_Layers: the site over the network defaults), then the wp-config constants
 * (Settings_Constants), give the effective Settings; every field follows its row of
 * Settings_Schema.
 *
 * The password is write-only: it is stored sealed (Settings_Secrets, through Secret_Box) and never
 * leaves this class except through `password()`, for the code that logs in to the SMTP server.
 * A save is checked by Settings_Change; the network's rules are Network_Rules; every write of the
 * option passes Settings_Sanitizer.
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
	public const LOCKED_BY_NETWORK = Network_Rules::LOCKED_BY_NETWORK;

	/**
	 * Field rules.
	 *
	 * @var Settings_Validator
	 */
	private Settings_Validator $validator;

	/**
	 * The sealed fields of the option: the password and the client secret.
	 *
	 * @var Settings_Secrets
	 */
	private Settings_Secrets $secrets;

	/**
	 * The rules between a site and its network.
	 *
	 * @var Network_Rules
	 */
	private Network_Rules $network;

	/**
	 * The sanitizers of every write of the options.
	 *
	 * @var Settings_Sanitizer
	 */
	private Settings_Sanitizer $sanitizer;

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
		$this->layers    = new Settings_Layers( $this->validator, $scope );
		$this->constants = new Settings_Constants( $this->validator );
		$this->secrets   = new Settings_Secrets( $this->layers, $this->constants, $box );
		$this->network   = new Network_Rules( $this, $this->layers, $this->constants );
		$this->sanitizer = new Settings_Sanitizer( $this->validator, $this->layers );
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
	 * The SettingsResponse of src/types.ts (Settings_Response): the effective settings, password
	 * state, TLS verification and locked fields. Never the password.
	 *
	 * @return array<string, mixed>
	 */
	public function response(): array {
		return ( new Settings_Response( $this, $this->layers, $this->constants ) )->build();
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
	 * Fields whose value comes from a wp-config constant, with the constant's name, or that the
	 * network locks (LOCKED_BY_NETWORK).
	 *
	 * @return array<string, string> Field => constant name.
	 */
	public function locked(): array {
		return $this->constants->locked() + $this->network->locked();
	}

	/**
	 * Whether the network's password would leave without TLS (Network_Rules): the password is
	 * then not given out (password() is null) and mail that needs it does not leave.
	 */
	public function network_password_without_tls(): bool {
		return $this->network->network_password_without_tls();
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
		return $this->destination() !== $this->network->network_store()->destination();
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
		if ( $this->network->network_password_without_tls() ) {
			return null;
		}
		$constant = $this->constants->password();
		if ( null !== $constant ) {
			// On a network, wp-config's password is the network's: only for the network's server and user.
			return $this->network->uses_networks_server_and_user() ? $constant : null;
		}
		return $this->secrets->password( $this->get() );
	}

	/**
	 * The effective OAuth client secret, decrypted: SMTP_PORT_HELPER_OAUTH_CLIENT_SECRET when
	 * defined, else the stored one (only for the token endpoint and client ID it was saved
	 * for). Null when there is none: a public client (PKCE alone).
	 */
	public function oauth_client_secret(): ?string {
		return $this->constants->oauth_client_secret() ?? $this->secrets->client_secret( $this->get() );
	}

	/**
	 * The HTTPS API key of these settings (sealed, bound to the provider's address).
	 */
	public function api_keys(): Api_Key_Store {
		return $this->secrets->api_keys();
	}

	/**
	 * Whether a password is stored or defined in wp-config.php.
	 */
	public function password_set(): bool {
		return $this->secrets->password_set();
	}

	/**
	 * Whether a stored password cannot be decrypted any more (the key or the salts changed).
	 */
	public function password_unreadable(): bool {
		return $this->secrets->password_unreadable( $this->get() );
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
		return $this->change()->field_error( $field, $value );
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
		$change = $this->change()->check( $changes );
		$values = $change['values'];
		if ( array() !== $change['errors'] ) {
			return Settings_Change::refusal( $change['errors'] );
		}

		$before = $this->get();
		$had    = $this->password_set();
		$new    = $this->secrets->sealed_for_save(
			array_merge( $this->layers->valid_stored(), $values ),
			$before,
			$values,
			$change['secrets'],
			$change['clear']
		);
		Settings_Sanitizer::write( $this->layers, $new );
		$this->password_forgotten = $had && empty( $change['clear']['password'] ) && '' === $change['secrets']['password'] && ! $this->password_set();
		return $this->get();
	}

	/**
	 * Seals the password stored in this scope's option again under another key (Rekey), for the
	 * same scope, host and user name.
	 *
	 * @param Secret_Box|null $old The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new The box of the key material from now on.
	 * @return string Resealed::* : what happened to the stored password.
	 */
	public function rekey( ?Secret_Box $old, Secret_Box $new ): string {
		return $this->secrets->rekey_password( $this->get(), $old, $new );
	}

	/**
	 * Seals the OAuth client secret stored in this scope's option again under another key
	 * (Rekey), for the same scope, token endpoint and client ID.
	 *
	 * @param Secret_Box|null $old The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new The box of the key material from now on.
	 * @return string Resealed::* : what happened to the stored client secret.
	 */
	public function rekey_client_secret( ?Secret_Box $old, Secret_Box $new ): string {
		return $this->secrets->rekey_client_secret( $this->get(), $old, $new );
	}

	/**
	 * Seals the stored HTTPS API key again under another key (Rekey).
	 *
	 * @param Secret_Box|null $old The box of the former key material (null: none is usable).
	 * @param Secret_Box      $new The box of the key material from now on.
	 * @return string Resealed::*
	 */
	public function rekey_api_key( ?Secret_Box $old, Secret_Box $new ): string {
		return $this->secrets->rekey_api_key( $this->get(), $old, $new );
	}

	/**
	 * Whether the last update() dropped the password because it changed the host or the user
	 * name without giving a new one (the saved password only goes where it was saved for).
	 */
	public function password_forgotten(): bool {
		return $this->password_forgotten;
	}

	/**
	 * The sanitizers of every write of the option and the network option.
	 */
	public function sanitizer(): Settings_Sanitizer {
		return $this->sanitizer;
	}

	/**
	 * The checks of a change to these settings.
	 */
	private function change(): Settings_Change {
		return new Settings_Change( $this, $this->validator, $this->constants, $this->network );
	}

	/**
	 * The sealed-secret helper of this site; null when there is no key material fit for a key.
	 */
	public function box(): ?Secret_Box {
		return $this->secrets->box();
	}
}
