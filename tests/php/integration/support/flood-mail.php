<?php
/**
 * Sends COUNT messages to one address through wp_mail() in a process of its own, against the
 * integration tables (wptests_): one of several requests of a flood arriving at once. Prints how
 * many wp_mail() accepted and how many failed, as JSON.
 *
 * Usage: php tests/php/integration/support/flood-mail.php COUNT ADDRESS TAG
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

list( , $smtp_port_helper_count, $smtp_port_helper_to, $smtp_port_helper_tag ) = $argv;
$smtp_port_helper_result = array(
	'sent'   => 0,
	'failed' => 0,
);
for ( $smtp_port_helper_i = 0; $smtp_port_helper_i < (int) $smtp_port_helper_count; $smtp_port_helper_i++ ) {
	++$smtp_port_helper_result[ wp_mail( $smtp_port_helper_to, "$smtp_port_helper_tag #$smtp_port_helper_i", 'x' ) ? 'sent' : 'failed' ];
}
echo wp_json_encode( $smtp_port_helper_result ), "\n";
