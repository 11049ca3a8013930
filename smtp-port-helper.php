<?php
/**
 * Plugin Name:       SMTP Port Helper
 * Plugin URI:        https://github.com/smtp-port-helper/smtp-port-helper
 * Description:       Finds the SMTP port that really works from your server — 587, 2525 or 465 — explains why the others fail, and sends WordPress mail through it.
 * Version:           0.1.0
 * Requires at least: 6.6
 * Requires PHP:      7.4
 * Author:            SMTP Port Helper contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       smtp-port-helper
 * Domain Path:       /languages
 *
 * @package SmtpPortHelper
 */

defined( 'ABSPATH' ) || exit;

define( 'SMTP_PORT_HELPER_VERSION', '0.1.0' );
define( 'SMTP_PORT_HELPER_FILE', __FILE__ );
define( 'SMTP_PORT_HELPER_MIN_PHP', '7.4' );
define( 'SMTP_PORT_HELPER_MIN_WP', '6.6' );

/*
 * This file must parse on any PHP version so that an old PHP gets a notice instead of a fatal:
 * nothing newer than PHP 5.6 syntax before the version check, and the namespaced code is only
 * loaded after it.
 */
if ( version_compare( PHP_VERSION, SMTP_PORT_HELPER_MIN_PHP, '<' ) || version_compare( get_bloginfo( 'version' ), SMTP_PORT_HELPER_MIN_WP, '<' ) ) {
	add_action( 'admin_notices', 'smtp_port_helper_requirements_notice' );
	return;
}

/**
 * Tells administrators why the plugin did not start, instead of failing with a fatal error.
 *
 * @return void
 */
function smtp_port_helper_requirements_notice() {
	if ( ! current_user_can( 'activate_plugins' ) ) {
		return;
	}
	printf(
		'<div class="notice notice-error"><p>%s</p></div>',
		esc_html(
			sprintf(
				/* translators: 1: required PHP version, 2: required WordPress version, 3: current PHP version, 4: current WordPress version. */
				__( 'SMTP Port Helper needs PHP %1$s and WordPress %2$s or newer. This site runs PHP %3$s and WordPress %4$s, so the plugin is not active.', 'smtp-port-helper' ),
				SMTP_PORT_HELPER_MIN_PHP,
				SMTP_PORT_HELPER_MIN_WP,
				PHP_VERSION,
				get_bloginfo( 'version' )
			)
		)
	);
}

require_once __DIR__ . '/includes/autoload.php';

add_action( 'plugins_loaded', array( 'SmtpPortHelper\\Plugin', 'boot' ) );
// The outbox table of the activating site; other sites of a network get theirs on their first request.
register_activation_hook( __FILE__, array( 'SmtpPortHelper\\Lifecycle', 'activate' ) );
// The daily self-check's and the keep-alive's events go with the plugin.
register_deactivation_hook( __FILE__, array( 'SmtpPortHelper\\Lifecycle', 'deactivate' ) );
