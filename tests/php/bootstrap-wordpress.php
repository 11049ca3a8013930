<?php
/**
 * The part the integration and multisite bootstraps share: loads the local stack's real WordPress
 * (bash env/stack.sh start) as a request to the main site of WP_URL, then the rolled-back test
 * case. The caller sets the environment that selects the install (table prefix or multisite)
 * before requiring this file, and checks afterwards that the plugin is active there.
 *
 * The WordPress test library (wp-phpunit/wp-phpunit) is not served by the Packagist copy available
 * here, so this loads WordPress itself and Integration_Test_Case rolls each test back.
 * Required at file scope, not from a function: wp-load.php defines WordPress's globals.
 *
 * @package SmtpPortHelper\Tests
 */

/**
 * Stops the test run before any test, with the reason on STDERR.
 *
 * @param string $reason What is missing and how to fix it.
 * @return never
 */
function smtp_port_helper_stop_bootstrap( string $reason ) {
	fwrite( STDERR, $reason . "\n" );
	exit( 1 );
}

$smtp_port_helper_wp_dir = getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: dirname( __DIR__, 2 ) . '/.run/wp';
if ( ! is_file( $smtp_port_helper_wp_dir . '/wp-load.php' ) ) {
	smtp_port_helper_stop_bootstrap( "No WordPress in $smtp_port_helper_wp_dir: start the stack first (bash env/stack.sh start)." );
}

$smtp_port_helper_wp_url = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
// The main site: for the network, DOMAIN_CURRENT_SITE is host:port of WP_URL, PATH_CURRENT_SITE '/'.
$_SERVER['HTTP_HOST']       = (string) parse_url( $smtp_port_helper_wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $smtp_port_helper_wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';

require $smtp_port_helper_wp_dir . '/wp-load.php';

// The suites run at the same time and share the OAuth stack's one authorization server (env/oauth)
// and Postfix, whose Dovecot checks every token there: each suite signs in with an account of its
// own, whose token lifetimes, grants, refresh count and captured mail no other suite touches.
if ( getenv( 'SMTP_PORT_HELPER_MULTISITE' ) ) {
	$smtp_port_helper_suite = 'multisite';
} else {
	$smtp_port_helper_suite = 'sqlite' === getenv( 'SMTP_PORT_HELPER_DB_ENGINE' ) ? 'sqlite' : 'integration';
}
define( 'SMTP_PORT_HELPER_TEST_OAUTH_ACCOUNT', "owner-$smtp_port_helper_suite@oauth.test" );

require __DIR__ . '/integration/Suite_Lock.php';
require __DIR__ . '/integration/Integration_Test_Case.php';
