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
 *
 * @return void
 */
function smtp_port_helper_uninstall_site() {
	global $wpdb;
	delete_option( 'smtp_port_helper_settings' );
	// The outbox (mail waiting for delivery is personal data: nothing is left behind) and its schedule.
	$wpdb->query( 'DROP TABLE IF EXISTS ' . $wpdb->prefix . 'smtp_port_helper_outbox' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- the plugin's table name.
	delete_option( 'smtp_port_helper_outbox_db' );
	wp_clear_scheduled_hook( 'smtp_port_helper_outbox_run' );
	// Transients (remembered failing ports `smtp_port_helper_down_*`) and the rate limiters'
	// counters (`smtp_port_helper_rl_*` options).
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( '_transient_smtp_port_helper_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_smtp_port_helper_' ) . '%',
			$wpdb->esc_like( 'smtp_port_helper_rl_' ) . '%'
		)
	);
	wp_cache_delete( 'alloptions', 'options' );
}

if ( is_multisite() ) {
	foreach ( get_sites(
		array(
			'fields' => 'ids',
			'number' => 0,
		)
	) as $smtp_port_helper_site_id ) {
		switch_to_blog( (int) $smtp_port_helper_site_id );
		smtp_port_helper_uninstall_site();
		restore_current_blog();
	}
	// The network defaults and any network-wide transients (this file runs inside a function).
	global $wpdb;
	delete_site_option( 'smtp_port_helper_settings' );
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->prepare(
			"DELETE FROM {$wpdb->sitemeta} WHERE meta_key LIKE %s OR meta_key LIKE %s",
			$wpdb->esc_like( '_site_transient_smtp_port_helper_' ) . '%',
			$wpdb->esc_like( '_site_transient_timeout_smtp_port_helper_' ) . '%'
		)
	);
} else {
	smtp_port_helper_uninstall_site();
}
