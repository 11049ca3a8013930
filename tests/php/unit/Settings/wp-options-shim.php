<?php
/**
 * In-memory stand-ins for the WordPress option functions the settings classes call, declared in
 * their namespace so that unit tests can read what the store reads and writes, and count how often
 * a rule runs. Unit tests only; never loaded inside WordPress.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Settings;

// phpcs:disable Universal.Files.SeparateFunctionsFromOO, Squiz.Commenting.FunctionComment.Missing

require_once __DIR__ . '/wp-email-shim.php';
require_once __DIR__ . '/wp-error-shim.php';

/**
 * The options, the network options, the sanitizer of the settings option and call counters.
 */
final class Wp_Options_Shim {
	/** @var array<string, mixed> */
	public static array $options = array();
	/** @var array<string, mixed> */
	public static array $site_options = array();
	/** @var bool */
	public static bool $multisite = false;
	/** @var int */
	public static int $blog_id = 1;
	/** @var callable|null */
	public static $sanitizer = null;
	/** @var int */
	public static int $email_checks = 0;
	/** @var int */
	public static int $sanitized = 0;

	public static function reset(): void {
		self::$options      = array();
		self::$site_options = array();
		self::$multisite    = false;
		self::$blog_id      = 1;
		self::$sanitizer    = null;
		self::$email_checks = 0;
		self::$sanitized    = 0;
	}

	/**
	 * @param mixed $value Value about to be stored.
	 * @return mixed
	 */
	public static function sanitize( $value ) {
		if ( null === self::$sanitizer ) {
			return $value;
		}
		++self::$sanitized;
		return ( self::$sanitizer )( $value );
	}
}

/**
 * @param mixed $fallback Default.
 * @return mixed
 */
function get_option( string $name, $fallback = false ) {
	return array_key_exists( $name, Wp_Options_Shim::$options ) ? Wp_Options_Shim::$options[ $name ] : $fallback;
}

/**
 * @param mixed $value Value.
 */
function update_option( string $name, $value ): bool {
	Wp_Options_Shim::$options[ $name ] = Wp_Options_Shim::sanitize( $value );
	return true;
}

/**
 * @param mixed $fallback Default.
 * @return mixed
 */
function get_site_option( string $name, $fallback = false ) {
	return array_key_exists( $name, Wp_Options_Shim::$site_options ) ? Wp_Options_Shim::$site_options[ $name ] : $fallback;
}

/**
 * @param mixed $value Value.
 */
function update_site_option( string $name, $value ): bool {
	Wp_Options_Shim::$site_options[ $name ] = Wp_Options_Shim::sanitize( $value );
	return true;
}

function is_multisite(): bool {
	return Wp_Options_Shim::$multisite;
}

/**
 * Counts the From address rule's checks, then applies the global stand-in.
 *
 * @param string $email Address.
 * @return string|false
 */
function is_email( $email ) {
	++Wp_Options_Shim::$email_checks;
	return \is_email( $email );
}

function get_current_blog_id(): int {
	return Wp_Options_Shim::$blog_id;
}

function get_current_network_id(): int {
	return 1;
}

/**
 * No filters are added in the unit tests: every value stays as given.
 *
 * @param string $hook  Hook name.
 * @param mixed  $value Value.
 * @return mixed
 */
function apply_filters( string $hook, $value ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed
	return $value;
}
