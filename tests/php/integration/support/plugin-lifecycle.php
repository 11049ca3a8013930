<?php
/**
 * Deactivates, uninstalls or activates the plugin in a process of its own, against the
 * integration tables (wptests_), the way WordPress's Plugins screen does: `uninstall` runs
 * uninstall_plugin() in a request where the deactivated plugin is not loaded, as Delete does.
 * Extra PHP constants (`NAME=value` arguments) are defined first, as wp-config.php would.
 *
 * Usage: php tests/php/integration/support/plugin-lifecycle.php deactivate|deactivate-with-hooks|uninstall|activate [NAME=value …]
 *
 * @package SmtpPortHelper\Tests
 */

$smtp_port_helper_action = $argv[1] ?? '';
foreach ( array_slice( $argv, 2 ) as $smtp_port_helper_define ) {
	list( $smtp_port_helper_name, $smtp_port_helper_value ) = explode( '=', $smtp_port_helper_define, 2 );
	define( $smtp_port_helper_name, $smtp_port_helper_value );
}
require __DIR__ . '/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

$smtp_port_helper_plugin = 'smtp-port-helper/smtp-port-helper.php';
switch ( $smtp_port_helper_action ) {
	case 'deactivate':
		deactivate_plugins( $smtp_port_helper_plugin, true );
		break;
	case 'deactivate-with-hooks':
		// As Plugins → Deactivate does: the plugin's deactivation hook runs.
		deactivate_plugins( $smtp_port_helper_plugin );
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
