<?php
/**
 * Bootstrap for integration tests: loads the real WordPress of the local stack (MariaDB, the plugin
 * active) with its own table prefix, so the tests never touch the demo site's tables.
 *
 * @package SmtpPortHelper\Tests
 */

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
require __DIR__ . '/bootstrap-wordpress.php';

// The SQLite suite (phpunit.sqlite.xml.dist) must not pass on MariaDB by mistake.
$smtp_port_helper_engine = defined( 'DB_ENGINE' ) ? DB_ENGINE : 'mysql';
if ( ( getenv( 'SMTP_PORT_HELPER_DB_ENGINE' ) ?: 'mysql' ) !== $smtp_port_helper_engine ) {
	smtp_port_helper_stop_bootstrap( "This WordPress runs on $smtp_port_helper_engine, not on " . getenv( 'SMTP_PORT_HELPER_DB_ENGINE' ) . '.' );
}
if ( ! in_array( 'smtp-port-helper/smtp-port-helper.php', (array) get_option( 'active_plugins', array() ), true ) ) {
	smtp_port_helper_stop_bootstrap( 'The plugin is not active in the test tables.' );
}

require __DIR__ . '/integration/Smtp_Mailbox.php';
require __DIR__ . '/integration/Runs_Wp_Cli.php';
require __DIR__ . '/integration/Runs_Php_Processes.php';
require __DIR__ . '/integration/Uses_OAuth_Stack.php';
