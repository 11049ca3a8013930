<?php
/**
 * Installs WordPress non-interactively (no WP-CLI) and activates the plugin.
 * Usage: php env/install-wp.php WP_DIR   (env: WP_URL, SMTP_PORT_HELPER_TABLE_PREFIX)
 * Run with `-d sendmail_path=/bin/true`: wp_install() mails the admin and there is no sendmail.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- command-line script, not plugin code.

$wp_dir = rtrim( $argv[1] ?? '', '/' );
if ( '' === $wp_dir || ! is_file( $wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "usage: php install-wp.php WP_DIR\n" );
	exit( 2 );
}

define( 'WP_INSTALLING', true );
$_SERVER['HTTP_HOST']       = (string) parse_url( getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889', PHP_URL_HOST ) . ':' . (string) parse_url( getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889', PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

require $wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if ( ! is_blog_installed() ) {
	wp_install( 'SMTP Port Helper demo', 'admin', 'admin@example.com', false, '', wp_slash( 'password' ) );
}
update_option( 'show_avatars', 0 );
update_option( 'permalink_structure', '/%postname%/' );
flush_rewrite_rules( false );

$result = activate_plugin( 'smtp-port-helper/smtp-port-helper.php' );
if ( is_wp_error( $result ) ) {
	fwrite( STDERR, 'activate_plugin: ' . $result->get_error_message() . "\n" );
	exit( 1 );
}
printf( "WordPress %s installed, tables %s*, plugin active\n", get_bloginfo( 'version' ), $GLOBALS['wpdb']->prefix );
