<?php
/**
 * The demo's first click works: saves its own SMTP servers' host and test login (the password
 * sealed like any saved password) so "Test ports" runs at once. The port and the encryption are
 * left for the port test's recommendation.
 *
 * Usage: php -d sendmail_path=/bin/true env/demo-preset.php WP_DIR HOST USER PASSWORD   (env: WP_URL)
 * In WordPress Playground, a blueprint's runPHP step sets $argv and requires this file.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- command-line script, not plugin code.

list( , $wp_dir, $host, $user, $password ) = array_pad( $argv ?? array(), 5, '' );
if ( '' === $wp_dir || ! is_file( $wp_dir . '/wp-load.php' ) || '' === $host ) {
	fwrite( STDERR, "usage: php demo-preset.php WP_DIR HOST USER PASSWORD\n" );
	exit( 2 );
}
if ( ! isset( $_SERVER['HTTP_HOST'] ) ) {
	$wp_url                     = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
	$_SERVER['HTTP_HOST']       = (string) parse_url( $wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $wp_url, PHP_URL_PORT );
	$_SERVER['SERVER_NAME']     = '127.0.0.1';
	$_SERVER['REQUEST_URI']     = '/';
	$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
}
require_once $wp_dir . '/wp-load.php';

$saved = ( new SmtpPortHelper\Settings\Settings_Store() )->update(
	array(
		'host'     => $host,
		'auth'     => true,
		'username' => $user,
		'password' => $password,
	)
);
if ( is_wp_error( $saved ) ) {
	fwrite( STDERR, 'demo preset: ' . $saved->get_error_message() . ' ' . wp_json_encode( $saved->get_error_data() ) . "\n" );
	exit( 1 );
}
echo "demo preset: host {$host}, login {$user}\n";
