<?php
/**
 * Removes everything the plugin stored, on every site of a network, when it is deleted.
 *
 * @package SmtpPortHelper
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedFunctionFound -- prefixed below.

/**
 * Deletes the plugin's options and transients on the current site.
 */
function smtp_port_helper_uninstall_site() {
	global $wpdb;
	delete_option( 'smtp_port_helper_settings' );
	// Transients the plugin may have created (rate limits, remembered failing ports).
	$like = $wpdb->esc_like( '_transient_smtp_port_helper_' ) . '%';
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s", $like, $wpdb->esc_like( '_transient_timeout_smtp_port_helper_' ) . '%' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids', 'number' => 0 ) ) as $smtp_port_helper_site_id ) {
		switch_to_blog( (int) $smtp_port_helper_site_id );
		smtp_port_helper_uninstall_site();
		restore_current_blog();
	}
	delete_site_option( 'smtp_port_helper_settings' );
} else {
	smtp_port_helper_uninstall_site();
}
