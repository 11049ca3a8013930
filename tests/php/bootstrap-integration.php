<?php
/**
 * Bootstrap for integration tests: loads the real WordPress of the local stack (MariaDB, the plugin
 * active) with its own table prefix, so the tests never touch the demo site's tables.
 *
 * The WordPress test library (wp-phpunit/wp-phpunit) is not served by the Packagist copy available
 * here, so this bootstrap loads WordPress itself and Integration_Test_Case rolls each test back.
 *
 * @package SmtpPortHelper\Tests
 */

$root   = dirname( __DIR__, 2 );
$wp_dir = getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp';
if ( ! is_file( $wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "No WordPress in $wp_dir: start the stack first (bash env/stack.sh start).\n" );
	exit( 1 );
}

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$wp_url                     = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']       = (string) parse_url( $wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';

require $wp_dir . '/wp-load.php';

if ( ! is_plugin_active_for_test( 'smtp-port-helper/smtp-port-helper.php' ) ) {
	fwrite( STDERR, "The plugin is not active in the test tables.\n" );
	exit( 1 );
}

/**
 * @param string $plugin Plugin basename.
 */
function is_plugin_active_for_test( string $plugin ): bool {
	return in_array( $plugin, (array) get_option( 'active_plugins', array() ), true );
}

require __DIR__ . '/integration/Integration_Test_Case.php';
require __DIR__ . '/integration/Smtp_Mailbox.php';
