<?php
/**
 * Deactivates, uninstalls or activates the plugin in a process of its own, against the
 * integration tables (wptests_), the way WordPress's Plugins screen does: `uninstall` runs
 * uninstall_plugin() in a request where the deactivated plugin is not loaded, as Delete does.
 * Extra PHP constants (`NAME=value` arguments) are defined first, as wp-config.php would.
 *
 * Usage: php tests/php/integration/support/plugin-lifecycle.php deactivate|uninstall|activate [NAME=value …]
 *
 * @package SmtpPortHelper\Tests
 */

$smtp_port_helper_action = $argv[1] ?? '';
foreach ( array_slice( $argv, 2 ) as $smtp_port_helper_define ) {
	list( $smtp_port_helper_name, $smtp_port_helper_value ) = explode( '=', $smtp_port_helper_define, 2 );
	define( $smtp_port_helper_name, $smtp_port_helper_value );
}
putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$smtp_port_helper_wp_url    = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']       = (string) parse_url( $smtp_port_helper_wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $smtp_port_helper_wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
require ( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: dirname( __DIR__, 4 ) . '/.run/wp' ) . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$smtp_port_helper_plugin = 'smtp-port-helper/smtp-port-helper.php';
switch ( $smtp_port_helper_action ) {
	case 'deactivate':
		deactivate_plugins( $smtp_port_helper_plugin, true );
		break;
	case 'uninstall':
		if ( is_plugin_active( $smtp_port_helper_plugin ) || class_exists( 'SmtpPortHelper\\Plugin', false ) ) {
			fwrite( STDERR, "The plugin is still active: deactivate it first.\n" );
			exit( 1 );
		}
		uninstall_plugin( $smtp_port_helper_plugin );
		break;
	case 'activate':
		$smtp_port_helper_result = activate_plugin( $smtp_port_helper_plugin );
		if ( is_wp_error( $smtp_port_helper_result ) ) {
			fwrite( STDERR, $smtp_port_helper_result->get_error_message() . "\n" );
			exit( 1 );
		}
		break;
	default:
		fwrite( STDERR, "Usage: plugin-lifecycle.php deactivate|uninstall|activate [NAME=value …]\n" );
		exit( 2 );
}
echo "done\n";
