<?php
/**
 * Loads the stack's WordPress with the integration tables (wptests_) as a request to WP_URL, for
 * the support scripts that run in a process of their own (another request, another cron runner).
 * Required at the top of such a script, at file scope: wp-load.php defines WordPress's globals.
 * SMTP_PORT_HELPER_WP_DIR chooses the install (.run/wp-sqlite for the SQLite suite).
 *
 * @package SmtpPortHelper\Tests
 */

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$smtp_port_helper_wp_url    = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']       = (string) parse_url( $smtp_port_helper_wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $smtp_port_helper_wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
require ( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: dirname( __DIR__, 4 ) . '/.run/wp' ) . '/wp-load.php';
