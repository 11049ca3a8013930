<?php
/**
 * The sanitizers of every write of the settings option and of the network option.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Secrets\Secret_Box;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Every write of the option, including those that bypass Settings_Store::update() (options.php,
 * `update_option()` from other code), must validate completely against the rules and the option
 * schema, its sealed fields (Settings_Secrets::FIELDS) must be sealed values; otherwise the stored
 * option stays as it was. What the store itself writes (write()) was validated there and passes.
 */
final class Settings_Sanitizer {

	/**
	 * The option value write() is writing: the sanitizers let it through without checking it again.
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
	 * Field rules.
	 *
	 * @var Settings_Validator
	 */
	private Settings_Validator $validator;

	/**
	 * The stored options (what a refused write keeps).
	 *
	 * @var Settings_Layers
	 */
	private Settings_Layers $layers;

	/**
	 * Takes the rules and the stored options.
	 *
	 * @param Settings_Validator $validator Field rules.
	 * @param Settings_Layers    $layers    The stored options.
	 */
	public function __construct( Settings_Validator $validator, Settings_Layers $layers ) {
		$this->validator = $validator;
		$this->layers    = $layers;
	}

	/**
	 * Writes a value the store validated: the sanitizers let exactly this value through.
	 *
	 * @param Settings_Layers      $layers The stored options of the store's scope.
	 * @param array<string, mixed> $option The option to write.
	 */
	public static function write( Settings_Layers $layers, array $option ): void {
		self::$writing = $option;
		try {
			$layers->write( $option );
		} finally {
			self::$writing = null;
		}
	}

	/**
	 * Sanitizer for every write of the option: a value that does not validate completely leaves
	 * the stored option as it was.
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
		foreach ( Settings_Secrets::FIELDS as $key ) {
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
		if ( function_exists( 'rest_validate_value_from_schema' ) && is_wp_error( rest_validate_value_from_schema( $clean, Settings_Json_Schema::option(), Settings_Store::OPTION ) ) ) {
			return $previous;
		}
		return $clean;
	}
}
