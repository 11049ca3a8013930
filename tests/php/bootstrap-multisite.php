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

putenv( 'SMTP_PORT_HELPER_MULTISITE=1' );
require __DIR__ . '/bootstrap-wordpress.php';

if ( ! is_multisite() || 'wpms_' !== $GLOBALS['wpdb']->base_prefix ) {
	smtp_port_helper_stop_bootstrap( 'The multisite network did not load: restart the stack (bash env/stack.sh stop && bash env/stack.sh start).' );
}
if ( ! array_key_exists( 'smtp-port-helper/smtp-port-helper.php', (array) get_site_option( 'active_sitewide_plugins', array() ) ) ) {
	smtp_port_helper_stop_bootstrap( 'The plugin is not network-active in the wpms_ tables.' );
}

require __DIR__ . '/multisite/Multisite_Test_Case.php';
