<?php
/**
 * Names the plugin, theme or file a piece of code comes from.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Turns a callback or a file into words a site owner recognises: "the plugin “Other Mailer”
 * (other-mailer/other-mailer.php)", "the theme “Twenty Twenty-Five”", "wp-config.php".
 */
final class Code_Origin {

	/**
	 * The file a callback is defined in, and a readable name of the callback.
	 *
	 * @param mixed $callback A callable as stored by WP_Hook.
	 * @return array{name: string, file: string}
	 */
	public static function of_callback( $callback ): array {
		try {
			if ( is_string( $callback ) && false !== strpos( $callback, '::' ) ) {
				$callback = explode( '::', $callback, 2 );
			}
			if ( is_array( $callback ) && 2 === count( $callback ) ) {
				$method = new \ReflectionMethod( $callback[0], (string) $callback[1] );
				return array(
					'name' => $method->getDeclaringClass()->getName() . '::' . $method->getName(),
					'file' => (string) $method->getFileName(),
				);
			}
			if ( $callback instanceof \Closure || is_string( $callback ) ) {
				$function = new \ReflectionFunction( $callback );
				return array(
					'name' => $function->isClosure() ? '{closure}' : $function->getName(),
					'file' => (string) $function->getFileName(),
				);
			}
			if ( is_object( $callback ) && method_exists( $callback, '__invoke' ) ) {
				$method = new \ReflectionMethod( $callback, '__invoke' );
				return array(
					'name' => get_class( $callback ) . '::__invoke',
					'file' => (string) $method->getFileName(),
				);
			}
		} catch ( \ReflectionException $e ) {
			unset( $e ); // Not callable any more: named as unknown below.
		}
		return array(
			'name' => '?',
			'file' => '',
		);
	}

	/**
	 * Who a file belongs to, in words.
	 *
	 * @param string $file Absolute path.
	 */
	public static function describe( string $file ): string {
		$file = wp_normalize_path( $file );
		if ( '' === $file ) {
			/* translators: said of code whose file is not known. */
			return __( 'code of unknown origin', 'smtp-port-helper' );
		}
		$plugins = trailingslashit( wp_normalize_path( WP_PLUGIN_DIR ) );
		$mu      = trailingslashit( wp_normalize_path( WPMU_PLUGIN_DIR ) );
		$themes  = trailingslashit( wp_normalize_path( get_theme_root() ) );
		if ( 0 === strpos( $file, $plugins ) ) {
			$relative = substr( $file, strlen( $plugins ) );
			$main     = self::plugin_main_file( $plugins, $relative );
			$name     = '' !== $main ? self::header( $plugins . $main, 'Plugin Name' ) : '';
			return sprintf(
				/* translators: 1: plugin name, 2: plugin file relative to the plugins folder */
				__( 'the plugin “%1$s” (%2$s)', 'smtp-port-helper' ),
				'' !== $name ? $name : strtok( $relative, '/' ),
				'' !== $main ? $main : $relative
			);
		}
		if ( 0 === strpos( $file, $mu ) ) {
			/* translators: %s: file name in the must-use plugins folder */
			return sprintf( __( 'the must-use plugin %s', 'smtp-port-helper' ), substr( $file, strlen( $mu ) ) );
		}
		if ( 0 === strpos( $file, $themes ) ) {
			$slug = (string) strtok( substr( $file, strlen( $themes ) ), '/' );
			$name = self::header( $themes . $slug . '/style.css', 'Theme Name' );
			/* translators: %s: theme name */
			return sprintf( __( 'the theme “%s”', 'smtp-port-helper' ), '' !== $name ? $name : $slug );
		}
		$root = trailingslashit( wp_normalize_path( ABSPATH ) );
		return 0 === strpos( $file, $root ) ? substr( $file, strlen( $root ) ) : basename( $file );
	}

	/**
	 * The main file of the plugin a file belongs to (relative to the plugins folder), '' if none.
	 *
	 * @param string $plugins  Plugins folder, with a trailing slash.
	 * @param string $relative A file relative to it.
	 */
	private static function plugin_main_file( string $plugins, string $relative ): string {
		if ( false === strpos( $relative, '/' ) ) {
			return $relative; // A single-file plugin.
		}
		$folder = (string) strtok( $relative, '/' );
		foreach ( (array) glob( $plugins . $folder . '/*.php' ) as $candidate ) {
			if ( '' !== self::header( (string) $candidate, 'Plugin Name' ) ) {
				return $folder . '/' . basename( (string) $candidate );
			}
		}
		return '';
	}

	/**
	 * One header of a plugin or theme file, '' when missing.
	 *
	 * @param string $file   File.
	 * @param string $header Header name.
	 */
	private static function header( string $file, string $header ): string {
		if ( ! is_readable( $file ) ) {
			return '';
		}
		return (string) get_file_data( $file, array( 'value' => $header ) )['value'];
	}
}
