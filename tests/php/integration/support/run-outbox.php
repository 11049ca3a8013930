<?php
/**
 * One outbox run in a process of its own, against the integration tables (wptests_): what a second
 * cron runner on another web server does. Prints the run's counts as JSON.
 *
 * Usage: php tests/php/integration/support/run-outbox.php
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

echo wp_json_encode( ( new SmtpPortHelper\Plugin() )->outbox_runner()->run( 100000, 300 ) ), "\n";
