<?php
/**
 * The plugin's settings: one option, a schema, wp-config overrides, all-or-nothing updates.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and writes the option `smtp_port_helper_settings`, the single source of truth of the
 * settings: the schema used by `register_setting` and by the REST route's `args` comes from here.
 *
 * A constant `SMTP_PORT_HELPER_<FIELD>` in wp-config.php wins over the stored value and locks the
 * field: the page shows it as locked and an update that tries to change it is refused.
 *
 * The password is write-only: it is stored sealed by Secret_Box and never leaves this class
 * except through `password()`, for the code that logs in to the SMTP server.
 *
 * On a multisite network, the network option (`get_site_option`) holds defaults for every site;
 * each site's own option overrides them field by field. A store built with SCOPE_NETWORK reads
 * and writes those network defaults instead (the Network Admin screen): same schema, same rules,
 * same password encryption, and the constants still win.
 */
final class Settings_Store {

	public const OPTION = 'smtp_port_helper_settings';

	/** The settings of the current site: its own option over the network defaults. */
	public const SCOPE_SITE = 'site';

	/** The network defaults (multisite): the site option of the same name. */
	public const SCOPE_NETWORK = 'network';

	/** Field => wp-config.php constant that fixes it. */
	public const CONSTANTS = array(
		'enabled'          => 'SMTP_PORT_HELPER_ENABLED',
		'host'             => 'SMTP_PORT_HELPER_HOST',
		'port'             => 'SMTP_PORT_HELPER_PORT',
		'encryption'       => 'SMTP_PORT_HELPER_ENCRYPTION',
		'auth'             => 'SMTP_PORT_HELPER_AUTH',
		'username'         => 'SMTP_PORT_HELPER_USER',
		'password'         => 'SMTP_PORT_HELPER_PASS',
		'from_email'       => 'SMTP_PORT_HELPER_FROM',
		'from_name'        => 'SMTP_PORT_HELPER_FROM_NAME',
		'force_from_email' => 'SMTP_PORT_HELPER_FORCE_FROM',
		'force_from_name'  => 'SMTP_PORT_HELPER_FORCE_FROM_NAME',
		'return_path'      => 'SMTP_PORT_HELPER_RETURN_PATH',
		'ca_file'          => 'SMTP_PORT_HELPER_CA_FILE',
		'timeout'          => 'SMTP_PORT_HELPER_TIMEOUT',
		'fallback'         => 'SMTP_PORT_HELPER_FALLBACK',
		'fallback_ports'   => 'SMTP_PORT_HELPER_FALLBACK_PORTS',
	);

	/** The only way to switch certificate verification off. */
	public const INSECURE_CONSTANT = 'SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY';

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
	 * What this store reads and writes: SCOPE_SITE or SCOPE_NETWORK.
	 *
	 * @var string
	 */
	private string $scope;

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
		$this->scope     = self::SCOPE_NETWORK === $scope ? self::SCOPE_NETWORK : self::SCOPE_SITE;
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
		return self::SCOPE_NETWORK === $this->scope;
	}

	/**
	 * Registers the option with WordPress.
	 */
	public function register(): void {
		add_action( 'init', array( $this, 'register_setting' ) );
	}

	/**
	 * `register_setting` with type, default, schema and a sanitizer that never stores a bad value.
	 * The option is not exposed through `/wp/v2/settings` (it holds the sealed password): it is
	 * read and written through the plugin's own route, which reports per-field errors and locked
	 * fields. The sanitizer validates every write against `option_schema()`.
	 */
	public function register_setting(): void {
		register_setting(
			'smtp_port_helper',
			self::OPTION,
			array(
				'type'              => 'object',
				'description'       => __( 'SMTP Port Helper settings.', 'smtp-port-helper' ),
				'default'           => array(),
				'sanitize_callback' => array( $this, 'sanitize_option' ),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * JSON schema of every editable field (src/types.ts `EditableSettings`).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function fields_schema(): array {
		$port = array(
			'type'    => 'integer',
			'minimum' => 1,
			'maximum' => 65535,
		);
		return array(
			'enabled'          => array(
				'type'        => 'boolean',
				'description' => __( 'Send mail through the SMTP server.', 'smtp-port-helper' ),
				'default'     => true,
			),
			'host'             => array(
				'type'        => 'string',
				'description' => __( 'SMTP server host name or IP address.', 'smtp-port-helper' ),
				'maxLength'   => 255,
			),
			'port'             => array(
				'description' => __( 'SMTP server port.', 'smtp-port-helper' ),
				'default'     => 587,
			) + $port,
			'encryption'       => array(
				'type'        => 'string',
				'description' => __( 'Encryption: STARTTLS (required, never downgraded), implicit TLS, or none. Derived from the port when not given.', 'smtp-port-helper' ),
				'enum'        => Settings_Validator::ENCRYPTIONS,
				'default'     => 'starttls',
			),
			'auth'             => array(
				'type'        => 'boolean',
				'description' => __( 'Log in to the SMTP server.', 'smtp-port-helper' ),
				'default'     => false,
			),
			'username'         => array(
				'type'        => 'string',
				'description' => __( 'SMTP user name.', 'smtp-port-helper' ),
				'maxLength'   => Settings_Validator::MAX_USERNAME,
			),
			'from_email'       => array(
				'type'        => 'string',
				'description' => __( 'From address; empty keeps WordPress\'s.', 'smtp-port-helper' ),
				'maxLength'   => Settings_Validator::MAX_EMAIL,
			),
			'from_name'        => array(
				'type'        => 'string',
				'description' => __( 'From name; empty keeps WordPress\'s.', 'smtp-port-helper' ),
				'maxLength'   => Settings_Validator::MAX_FROM_NAME,
			),
			'force_from_email' => array(
				'type'        => 'boolean',
				'description' => __( 'Use the From address for every message, even when a plugin sets its own.', 'smtp-port-helper' ),
				'default'     => false,
			),
			'force_from_name'  => array(
				'type'        => 'boolean',
				'description' => __( 'Use the From name for every message, even when a plugin sets its own.', 'smtp-port-helper' ),
				'default'     => false,
			),
			'return_path'      => array(
				'type'        => 'boolean',
				'description' => __( 'Set the envelope sender (Return-Path) to the From address.', 'smtp-port-helper' ),
				'default'     => false,
			),
			'ca_file'          => array(
				'type'        => 'string',
				'description' => __( 'Absolute path of a CA bundle to trust for a private relay; empty uses the system\'s.', 'smtp-port-helper' ),
				'maxLength'   => Settings_Validator::MAX_PATH,
			),
			'timeout'          => array(
				'type'        => 'integer',
				'description' => __( 'Connection timeout in seconds.', 'smtp-port-helper' ),
				'minimum'     => Settings_Validator::MIN_TIMEOUT,
				'maximum'     => Settings_Validator::MAX_TIMEOUT,
				'default'     => 10,
			),
			'fallback'         => array(
				'type'        => 'boolean',
				'description' => __( 'Try the fallback ports when the main port cannot connect.', 'smtp-port-helper' ),
				'default'     => false,
			),
			'fallback_ports'   => array(
				'type'        => 'array',
				'description' => __( 'Ports tried in order after the main port when fallback is on.', 'smtp-port-helper' ),
				'items'       => $port,
				'maxItems'    => Settings_Validator::MAX_FALLBACK_PORTS,
				'uniqueItems' => true,
			),
		);
	}

	/**
	 * Schema of a POST body: the editable fields plus the write-only password fields.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function input_schema(): array {
		return self::fields_schema() + array(
			'password'       => array(
				'type'        => 'string',
				'description' => __( 'New SMTP password (write-only); omit it to keep the stored one.', 'smtp-port-helper' ),
				'maxLength'   => Settings_Validator::MAX_PASSWORD,
			),
			'clear_password' => array(
				'type'        => 'boolean',
				'description' => __( 'Remove the stored password.', 'smtp-port-helper' ),
			),
		);
	}

	/**
	 * Schema of the stored option: any subset of the fields, plus the sealed password.
	 *
	 * @return array<string, mixed>
	 */
	public static function option_schema(): array {
		return array(
			'type'                 => 'object',
			'properties'           => self::fields_schema() + array(
				'password' => array(
					'type'    => 'string',
					'pattern' => '^v1:[A-Za-z0-9+/]+={0,2}$',
				),
			),
			'additionalProperties' => false,
		);
	}

	/**
	 * Values used until the user saves something (encryption: derived from the port).
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array(
			'enabled'          => true,
			'host'             => '',
			'port'             => 587,
			'encryption'       => 'starttls',
			'auth'             => false,
			'username'         => '',
			'from_email'       => '',
			'from_name'        => '',
			'force_from_email' => false,
			'force_from_name'  => false,
			'return_path'      => false,
			'ca_file'          => '',
			'timeout'          => 10,
			'fallback'         => false,
			'fallback_ports'   => array(),
		);
	}

	/**
	 * The effective settings: defaults, network defaults (multisite), the site's values, then
	 * wp-config constants. Never contains the password. A network store leaves the site out.
	 *
	 * @return array<string, mixed>
	 */
	public function get(): array {
		$layers = array( $this->valid_fields( $this->raw_network() ) );
		if ( ! $this->is_network() ) {
			$layers[] = $this->valid_fields( $this->raw_site() );
		}
		$settings = self::defaults();
		$explicit = false;
		foreach ( $layers as $layer ) {
			$settings = array_merge( $settings, $layer );
			$explicit = $explicit || isset( $layer['encryption'] );
		}
		$constants = $this->constant_values();
		unset( $constants['password'] );
		$settings = array_merge( $settings, $constants );
		if ( ! $explicit && ! isset( $constants['encryption'] ) ) {
			$settings['encryption'] = Settings_Validator::encryption_for_port( $settings['port'] );
		}
		// The foundation's constants: a user and a password in wp-config.php mean "log in".
		if ( ! isset( $constants['auth'] ) && isset( $constants['username'] ) && defined( self::CONSTANTS['password'] ) ) {
			$settings['auth'] = true;
		}
		return $settings;
	}

	/**
	 * The SettingsResponse of src/types.ts: the effective settings, password state, TLS
	 * verification and locked fields. Never the password.
	 *
	 * @return array<string, mixed>
	 */
	public function response(): array {
		$data                        = $this->get();
		$data['password_set']        = $this->password_set();
		$data['password_unreadable'] = $this->password_unreadable();
		$data['verify_tls']          = $this->verify_tls();
		$data['locked']              = (object) $this->locked();
		if ( is_multisite() && ! $this->is_network() ) {
			$data['inherited'] = $this->inherited();
		}
		return $data;
	}

	/**
	 * Fields of a site whose value comes from the network defaults: set on the network, not
	 * by the site, and not fixed by a constant. Empty on a single site and for a network store.
	 *
	 * @return list<string> Field names, in the schema's order.
	 */
	public function inherited(): array {
		if ( $this->is_network() || ! is_multisite() ) {
			return array();
		}
		$network = $this->valid_fields( $this->raw_network() );
		$own     = $this->valid_fields( $this->raw_site() );
		$fixed   = $this->constant_values();
		$fields  = array();
		foreach ( array_keys( self::defaults() ) as $field ) {
			if ( array_key_exists( $field, $network ) && ! array_key_exists( $field, $own ) && ! array_key_exists( $field, $fixed ) ) {
				$fields[] = $field;
			}
		}
		return $fields;
	}

	/**
	 * Whether wp_mail() goes through the SMTP server: enabled and a host set.
	 */
	public function is_active(): bool {
		$settings = $this->get();
		return $settings['enabled'] && '' !== $settings['host'];
	}

	/**
	 * Certificate verification; only the wp-config constant SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY
	 * switches it off.
	 */
	public function verify_tls(): bool {
		return ! ( defined( self::INSECURE_CONSTANT ) && true === (bool) constant( self::INSECURE_CONSTANT ) );
	}

	/**
	 * Fields whose value comes from a wp-config constant, with the constant's name.
	 *
	 * @return array<string, string> Field => constant name.
	 */
	public function locked(): array {
		$locked = array_intersect_key( self::CONSTANTS, $this->constant_values() );
		if ( ! $this->verify_tls() ) {
			$locked['verify_tls'] = self::INSECURE_CONSTANT;
		}
		return $locked;
	}

	/**
	 * The effective SMTP password, decrypted: SMTP_PORT_HELPER_PASS when defined, else the stored
	 * one. Null when there is none or when it cannot be decrypted (see password_unreadable()).
	 */
	public function password(): ?string {
		$constants = $this->constant_values();
		if ( isset( $constants['password'] ) ) {
			return $constants['password'];
		}
		$sealed = $this->sealed_password();
		return null === $sealed ? null : $this->box()->open( $sealed );
	}

	/**
	 * Whether a password is stored or defined in wp-config.php.
	 */
	public function password_set(): bool {
		return isset( $this->constant_values()['password'] ) || null !== $this->sealed_password();
	}

	/**
	 * Whether a stored password cannot be decrypted any more (the key or the salts changed).
	 */
	public function password_unreadable(): bool {
		if ( isset( $this->constant_values()['password'] ) ) {
			return false;
		}
		$sealed = $this->sealed_password();
		return null !== $sealed && null === $this->box()->open( $sealed );
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
		return $this->locked_error( $field, $result[0] );
	}

	/**
	 * Validates every change and saves them together, or saves nothing.
	 *
	 * Changing only the port also sets the encryption that port uses (465: implicit TLS,
	 * otherwise STARTTLS), unless the encryption is given too. `password` sets a new password
	 * (an empty string keeps the stored one); `clear_password: true` removes it.
	 *
	 * @param array<string, mixed> $changes Field => new value.
	 * @return array<string, mixed>|WP_Error The new effective settings, or a 400 error whose
	 *                                       `params` name each bad field.
	 */
	public function update( array $changes ) {
		$result = $this->validator->validate( $changes );
		$values = $result['values'];
		$errors = $result['errors'];
		foreach ( $values as $field => $value ) {
			$locked = $this->locked_error( $field, $value );
			if ( null !== $locked ) {
				$errors[ 'clear_password' === $field ? 'password' : $field ] = $locked;
			}
		}
		$locked = $this->locked();
		if ( isset( $values['port'] ) && ! array_key_exists( 'encryption', $changes ) && ! isset( $locked['encryption'] ) ) {
			$values['encryption'] = Settings_Validator::encryption_for_port( $values['port'] );
		}
		$password = isset( $values['password'] ) ? $values['password'] : '';
		$clear    = ! empty( $values['clear_password'] );
		unset( $values['password'], $values['clear_password'] );
		// Locked fields keep their constant value; the stored one would never be used.
		$values = array_diff_key( $values, $locked );

		if ( array() === $errors ) {
			$after = array_merge( $this->get(), $values );
			foreach ( $this->validator->validate_combination( $after ) as $field => $message ) {
				$named = $this->combination_field( $field, $changes );
				// A rule is only enforced on a save that touches it: an unrelated change still saves.
				if ( null !== $named ) {
					$errors[ $named ] = $message;
				}
			}
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

		$raw = $this->raw_stored();
		$new = array_merge( $this->valid_fields( $raw ), $values );
		if ( '' !== $password ) {
			$new['password'] = $this->box()->seal( $password );
		} elseif ( ! $clear && isset( $raw['password'] ) && Secret_Box::is_sealed( $raw['password'] ) ) {
			$new['password'] = $raw['password'];
		}
		if ( $new !== $raw ) {
			if ( $this->is_network() ) {
				update_site_option( self::OPTION, $new );
			} else {
				update_option( self::OPTION, $new );
			}
		}
		return $this->get();
	}

	/**
	 * Sanitizer for every write of the option, including those that bypass `update()`
	 * (options.php, `update_option()` from other code): a value that does not validate
	 * completely against the rules and the option schema leaves the stored option as it was.
	 *
	 * @param mixed $value Value about to be stored.
	 * @return array<string, mixed>
	 */
	public function sanitize_option( $value ): array {
		$previous = $this->raw_site();
		if ( ! is_array( $value ) ) {
			return $previous;
		}
		$password = null;
		if ( array_key_exists( 'password', $value ) ) {
			if ( ! Secret_Box::is_sealed( $value['password'] ) ) {
				return $previous;
			}
			$password = $value['password'];
			unset( $value['password'] );
		}
		$result = $this->validator->validate( $value );
		if ( array() !== $result['errors'] ) {
			return $previous;
		}
		$clean = $result['values'];
		if ( null !== $password ) {
			$clean['password'] = $password;
		}
		if ( function_exists( 'rest_validate_value_from_schema' ) && is_wp_error( rest_validate_value_from_schema( $clean, self::option_schema(), self::OPTION ) ) ) {
			return $previous;
		}
		return $clean;
	}

	/**
	 * Message for a change of a field that a constant locks; null when it is not locked or the
	 * value is the same as the constant's.
	 *
	 * @param string $field Field name.
	 * @param mixed  $value Normalised value.
	 */
	private function locked_error( string $field, $value ): ?string {
		if ( 'clear_password' === $field && true !== $value ) {
			return null;
		}
		$constants = $this->constant_values();
		$key       = 'clear_password' === $field ? 'password' : $field;
		if ( ! isset( $constants[ $key ] ) && ! ( 'verify_tls' === $field && ! $this->verify_tls() ) ) {
			return null;
		}
		if ( 'password' !== $key && isset( $constants[ $key ] ) && $constants[ $key ] === $value ) {
			return null;
		}
		return sprintf(
			/* translators: %s: name of a PHP constant, e.g. SMTP_PORT_HELPER_HOST. */
			__( 'This setting is fixed by %s in wp-config.php and cannot be changed here.', 'smtp-port-helper' ),
			'verify_tls' === $key ? self::INSECURE_CONSTANT : self::CONSTANTS[ $key ]
		);
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
	 * The site's stored option as it is in the database.
	 *
	 * @return array<string, mixed>
	 */
	private function raw_site(): array {
		$stored = get_option( self::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * The stored option this store writes: the site's, or the network's for a network store.
	 *
	 * @return array<string, mixed>
	 */
	private function raw_stored(): array {
		return $this->is_network() ? $this->raw_network() : $this->raw_site();
	}

	/**
	 * The network's defaults (multisite only).
	 *
	 * @return array<string, mixed>
	 */
	private function raw_network(): array {
		if ( ! is_multisite() ) {
			return array();
		}
		$stored = get_site_option( self::OPTION, array() );
		return is_array( $stored ) ? $stored : array();
	}

	/**
	 * The editable fields of a stored array that still validate; anything else is ignored.
	 *
	 * @param array<string, mixed> $stored Stored array.
	 * @return array<string, mixed>
	 */
	private function valid_fields( array $stored ): array {
		return $this->validator->validate( array_intersect_key( $stored, self::defaults() ) )['values'];
	}

	/**
	 * The sealed password of the site, else of the network (a network store: the network's only).
	 */
	private function sealed_password(): ?string {
		$layers = $this->is_network() ? array( $this->raw_network() ) : array( $this->raw_site(), $this->raw_network() );
		foreach ( $layers as $layer ) {
			if ( isset( $layer['password'] ) && Secret_Box::is_sealed( $layer['password'] ) ) {
				return $layer['password'];
			}
		}
		return null;
	}

	/**
	 * Values of the constants that are defined and valid (`fallback_ports` as a comma list).
	 *
	 * @return array<string, mixed>
	 */
	private function constant_values(): array {
		$values = array();
		foreach ( self::CONSTANTS as $field => $constant ) {
			if ( defined( $constant ) ) {
				$values[ $field ] = constant( $constant );
			}
		}
		return $this->validator->validate( $values )['values'];
	}

	/**
	 * The encryption of this site's password, created on first use.
	 */
	private function box(): Secret_Box {
		if ( null === $this->box ) {
			$this->box = new Secret_Box( Secret_Box::site_key_material() );
		}
		return $this->box;
	}
}
