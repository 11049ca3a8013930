<?php
/**
 * Removes everything the plugin stored — on every site of every network — when it is deleted.
 *
 * @package SmtpPortHelper
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Deletes the plugin's options and transients on the current site: the settings, transients
 * (remembered failing ports `smtp_port_helper_down_*`), the rate limiters' counters
 * (`smtp_port_helper_rl_*`, the network budget's on the main site) and the concurrency slots
 * (`smtp_port_helper_slot_*`). Closures, not functions: this file may run more than once in a
 * process (tests) without redeclaring anything.
 */
$smtp_port_helper_uninstall_site = static function () {
	global $wpdb;
	delete_option( 'smtp_port_helper_settings' );
	// The outbox (mail waiting for delivery is personal data: nothing is left behind) and its schedule.
	$wpdb->query( 'DROP TABLE IF EXISTS ' . $wpdb->prefix . 'smtp_port_helper_outbox' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- the plugin's table name.
	delete_option( 'smtp_port_helper_outbox_db' );
	// The outbox's bookkeeping: late deliveries, the last port re-test, an open outage.
	delete_option( 'smtp_port_helper_outbox_late' );
	delete_option( 'smtp_port_helper_outbox_retest' );
	delete_option( 'smtp_port_helper_outbox_outage' );
	wp_clear_scheduled_hook( 'smtp_port_helper_outbox_run' );
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->prepare(
			"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
			$wpdb->esc_like( '_transient_smtp_port_helper_' ) . '%',
			$wpdb->esc_like( '_transient_timeout_smtp_port_helper_' ) . '%',
			$wpdb->esc_like( 'smtp_port_helper_rl_' ) . '%',
			$wpdb->esc_like( 'smtp_port_helper_slot_' ) . '%'
		)
	);
	wp_cache_delete( 'alloptions', 'options' );
};

if ( ! is_multisite() ) {
	$smtp_port_helper_uninstall_site();
	return;
}

/**
 * Deletes the network defaults and network-wide transients of one network.
 *
 * @param int $network_id Network ID.
 */
$smtp_port_helper_uninstall_network = static function ( $network_id ) {
	global $wpdb;
	delete_network_option( $network_id, 'smtp_port_helper_settings' );
	delete_network_option( $network_id, 'smtp_port_helper_lock_site_destination' );
	$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->prepare(
			"DELETE FROM {$wpdb->sitemeta} WHERE site_id = %d AND ( meta_key LIKE %s OR meta_key LIKE %s )",
			$network_id,
			$wpdb->esc_like( '_site_transient_smtp_port_helper_' ) . '%',
			$wpdb->esc_like( '_site_transient_timeout_smtp_port_helper_' ) . '%'
		)
	);
	wp_cache_delete( $network_id . ':smtp_port_helper_settings', 'site-options' );
	wp_cache_delete( $network_id . ':smtp_port_helper_lock_site_destination', 'site-options' );
};

/**
 * Calls $each for every ID a query returns, 100 at a time, giving each batch a fresh time limit
 * so a network of any size is cleaned within the request.
 *
 * @param callable $query Takes query arguments (fields, number, offset, orderby), returns IDs.
 * @param callable $each  Takes one ID.
 */
$smtp_port_helper_in_batches = static function ( $query, $each ) {
	$offset = 0;
	do {
		if ( function_exists( 'set_time_limit' ) ) {
			set_time_limit( 60 );
		}
		$ids = $query(
			array(
				'fields'  => 'ids',
				'number'  => 100,
				'offset'  => $offset,
				'orderby' => 'id',
			)
		);
		foreach ( $ids as $id ) {
			$each( (int) $id );
		}
		$offset += 100;
		$full    = 100 === count( $ids );
	} while ( $full );
};

// Every site of every network, then every network's defaults.
$smtp_port_helper_in_batches(
	'get_sites',
	static function ( $site_id ) use ( $smtp_port_helper_uninstall_site ) {
		switch_to_blog( $site_id );
		$smtp_port_helper_uninstall_site();
		restore_current_blog();
	}
);
$smtp_port_helper_in_batches( 'get_networks', $smtp_port_helper_uninstall_network );
