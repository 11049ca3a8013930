<?php
/**
 * Constants PHPStan cannot see: WordPress defines them at run time, the plugin's main file
 * defines the SMTP_PORT_HELPER_* ones with define().
 *
 * @package SmtpPortHelper
 */

define( 'ABSPATH', '/tmp/wordpress/' );
define( 'WPINC', 'wp-includes' );
define( 'WP_PLUGIN_DIR', '/tmp/wordpress/wp-content/plugins' );
define( 'WPMU_PLUGIN_DIR', '/tmp/wordpress/wp-content/mu-plugins' );
define( 'WP_CLI', false );
define( 'WP_UNINSTALL_PLUGIN', 'smtp-port-helper/smtp-port-helper.php' );
define( 'MINUTE_IN_SECONDS', 60 );
define( 'HOUR_IN_SECONDS', 3600 );
define( 'DAY_IN_SECONDS', 86400 );
define( 'SMTP_PORT_HELPER_VERSION', '0.1.0' );
define( 'SMTP_PORT_HELPER_FILE', dirname( __DIR__, 2 ) . '/smtp-port-helper.php' );
define( 'SMTP_PORT_HELPER_MIN_PHP', '7.4' );
define( 'SMTP_PORT_HELPER_MIN_WP', '6.6' );
