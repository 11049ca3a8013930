<?php
/**
 * Bootstrap for the multisite tests: loads the local stack's second WordPress, a subdirectory
 * multisite network with table prefix wpms_ in the same database and files (wp-config.php turns
 * the MULTISITE constants on when SMTP_PORT_HELPER_MULTISITE=1; env/install-multisite.php installs
 * it with a second site and the plugin network-activated). Each test runs in a rolled-back
 * transaction, as in the integration suite.
 *
 * @package SmtpPortHelper\Tests
 */

$root   = dirname( __DIR__, 2 );
$wp_dir = getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp';
if ( ! is_file( $wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "No WordPress in $wp_dir: start the stack first (bash env/stack.sh start).\n" );
	exit( 1 );
}

putenv( 'SMTP_PORT_HELPER_MULTISITE=1' );
$wp_url = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
// The main site of the network: DOMAIN_CURRENT_SITE is host:port of WP_URL, PATH_CURRENT_SITE '/'.
$_SERVER['HTTP_HOST']       = (string) parse_url( $wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';

require $wp_dir . '/wp-load.php';

if ( ! is_multisite() || 'wpms_' !== $GLOBALS['wpdb']->base_prefix ) {
	fwrite( STDERR, "The multisite network did not load: restart the stack (bash env/stack.sh stop && bash env/stack.sh start).\n" );
	exit( 1 );
}
if ( ! array_key_exists( 'smtp-port-helper/smtp-port-helper.php', (array) get_site_option( 'active_sitewide_plugins', array() ) ) ) {
	fwrite( STDERR, "The plugin is not network-active in the wpms_ tables.\n" );
	exit( 1 );
}

require __DIR__ . '/integration/Integration_Test_Case.php';
require __DIR__ . '/multisite/Multisite_Test_Case.php';
