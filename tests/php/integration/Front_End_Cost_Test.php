<?php
/**
 * What the plugin loads on a request that does not use it.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

/**
 * A front-end request loads the main file, the autoloader and Plugin, and nothing else of the
 * plugin: every hook registered on every request names its option or class without loading it
 * (README, "Layout"; `npm run bench` measures the same on real requests through the web server).
 */
final class Front_End_Cost_Test extends Integration_Test_Case {

	public function test_a_front_end_request_loads_three_plugin_files(): void {
		$plugin = dirname( __DIR__, 3 );
		$code   = sprintf(
			'$_SERVER["HTTP_HOST"] = "127.0.0.1"; require %2$s; echo json_encode( array_values( array_filter( get_included_files(), function ( $f ) { return 0 === strpos( $f, %1$s . "includes/" ) || %1$s . "smtp-port-helper.php" === $f; } ) ) );',
			var_export( realpath( $plugin ) . '/', true ), // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export
			var_export( ABSPATH . 'wp-load.php', true ) // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export
		);
		// A process of its own: this test's process has loaded most of the plugin already.
		$output = shell_exec( escapeshellarg( PHP_BINARY ) . ' -r ' . escapeshellarg( $code ) . ' 2>/dev/null' ); // phpcs:ignore WordPress.WP.AlternativeFunctions
		$files  = json_decode( (string) $output, true );
		$this->assertIsArray( $files, 'the request ran: ' . $output );
		$relative = array_map(
			static function ( string $file ) use ( $plugin ): string {
				return substr( $file, strlen( realpath( $plugin ) ) + 1 );
			},
			$files
		);
		sort( $relative );
		$this->assertSame( array( 'includes/Plugin.php', 'includes/autoload.php', 'smtp-port-helper.php' ), $relative );
	}
}
