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
 * Reads and writes the option `smtp_port_helper_settings`.
 *
 * A constant `SMTP_PORT_HELPER_<FIELD>` in wp-config.php wins over the stored value and locks the
 * field: the page shows it as locked and an update that tries to change it is refused.
 */
final class Settings_Store {

	public const OPTION = 'smtp_port_helper_settings';

	private const CONSTANTS = array(
		'host' => 'SMTP_PORT_HELPER_HOST',
		'port' => 'SMTP_PORT_HELPER_PORT',
	);

	private Settings_Validator $validator;

	/**
	 * @param Settings_Validator|null $validator Field rules.
	 */
	public function __construct( ?Settings_Validator $validator = null ) {
		$this->validator = $validator ?? new Settings_Validator();
	}

	/**
	 * Registers the option with WordPress.
	 */
	public function register(): void {
		add_action( 'init', array( $this, 'register_setting' ) );
	}

	/**
	 * `register_setting` with type, default, schema and a sanitizer that never stores a bad value.
	 * The option is not exposed through `/wp/v2/settings`: it is read and written through the
	 * plugin's own route, which reports per-field errors and locked fields.
	 */
	public function register_setting(): void {
		register_setting(
			'smtp_port_helper',
			self::OPTION,
			array(
				'type'              => 'object',
				'description'       => __( 'SMTP Port Helper settings.', 'smtp-port-helper' ),
				'default'           => self::defaults(),
				'sanitize_callback' => array( $this, 'sanitize_option' ),
				'show_in_rest'      => false,
			)
		);
	}

	/**
	 * JSON schema of every field, shared by `register_setting` and the REST route's `args`.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function fields_schema(): array {
		return array(
			'host' => array(
				'type'        => 'string',
				'description' => __( 'SMTP server host name or IP address.', 'smtp-port-helper' ),
				'minLength'   => 1,
				'maxLength'   => 255,
			),
			'port' => array(
				'type'        => 'integer',
				'description' => __( 'SMTP server port.', 'smtp-port-helper' ),
				'minimum'     => 1,
				'maximum'     => 65535,
			),
		);
	}

	/**
	 * Values used until the user saves something.
	 *
	 * @return array{host: string, port: int}
	 */
	public static function defaults(): array {
		return array(
			'host' => '',
			'port' => 587,
		);
	}

	/**
	 * The effective settings: stored values, overridden by wp-config constants.
	 *
	 * @return array{host: string, port: int}
	 */
	public function get(): array {
		$settings = $this->stored();
		foreach ( $this->constant_values() as $field => $value ) {
			$settings[ $field ] = $value;
		}
		return $settings;
	}

	/**
	 * Fields whose value comes from a wp-config constant, with the constant's name.
	 *
	 * @return array<string, string> Field => constant name.
	 */
	public function locked(): array {
		return array_intersect_key( self::CONSTANTS, $this->constant_values() );
	}

	/**
	 * Validates every change and saves them together, or saves nothing.
	 *
	 * @param array<string, mixed> $changes Field => new value.
	 * @return array{host: string, port: int}|WP_Error The new effective settings, or a 400 error
	 *                                                 whose `params` name each bad field.
	 */
	public function update( array $changes ) {
		$result = $this->validator->validate( $changes );
		$errors = $result['errors'];
		foreach ( array_intersect_key( $this->locked(), $changes ) as $field => $constant ) {
			$errors[ $field ] = sprintf(
				/* translators: %s: name of a PHP constant, e.g. SMTP_PORT_HELPER_HOST. */
				__( 'This setting is fixed by %s in wp-config.php and cannot be changed here.', 'smtp-port-helper' ),
				$constant
			);
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
		$new = array_merge( $this->stored(), $result['values'] );
		if ( $new !== $this->stored() ) {
			update_option( self::OPTION, $new );
		}
		return $this->get();
	}

	/**
	 * Sanitizer for writes that bypass `update()` (options.php, `update_option()` from other code):
	 * a value that does not validate completely leaves the stored option as it was.
	 *
	 * @param mixed $value Value about to be stored.
	 * @return array<string, mixed>
	 */
	public function sanitize_option( $value ): array {
		$previous = get_option( self::OPTION, array() );
		$previous = is_array( $previous ) ? $previous : array();
		if ( ! is_array( $value ) ) {
			return $previous;
		}
		$result = $this->validator->validate( array_intersect_key( $value, self::defaults() ) );
		if ( array() !== $result['errors'] ) {
			return $previous;
		}
		return array_merge( self::defaults(), $result['values'] );
	}

	/**
	 * Stored values merged over the defaults; unknown or mistyped keys are ignored.
	 *
	 * @return array{host: string, port: int}
	 */
	private function stored(): array {
		$stored   = get_option( self::OPTION, array() );
		$settings = self::defaults();
		if ( is_array( $stored ) ) {
			$valid    = $this->validator->validate( array_intersect_key( $stored, $settings ) )['values'];
			$settings = array_merge( $settings, $valid );
		}
		return $settings;
	}

	/**
	 * Values of the constants that are defined and valid.
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
}
