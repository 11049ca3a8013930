<?php
/**
 * PSR-4 autoloader for the SmtpPortHelper namespace.
 *
 * `SmtpPortHelper\Probe\Port_Prober` lives in `includes/Probe/Port_Prober.php`.
 * No Composer `vendor/` is shipped: this is the only loader the plugin needs at run time.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper;

if ( ! defined( 'ABSPATH' ) && ! defined( 'SMTP_PORT_HELPER_TESTING' ) ) {
	exit;
}

spl_autoload_register(
	static function ( string $class_name ): void {
		$prefix = __NAMESPACE__ . '\\';
		if ( 0 !== strpos( $class_name, $prefix ) ) {
			return;
		}
		$relative = str_replace( '\\', '/', substr( $class_name, strlen( $prefix ) ) );
		$file     = __DIR__ . '/' . $relative . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}
);
