<?php
/**
 * Removes everything the plugin stored — on every site of every network — when it is deleted,
 * after revoking a connected OAuth sign-in where the provider allows it.
 *
 * What is removed is the one list in includes/Stored_Names.php; Uninstall_Test fails when code
 * writes a name that list does not hold.
 *
 * @package SmtpPortHelper
 */

use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

// A deleted plugin is not loaded: its autoloader is not registered yet.
if ( ! class_exists( Stored_Names::class, false ) ) {
	require_once __DIR__ . '/includes/autoload.php';
}

/**
 * Revokes the site's OAuth refresh token at the provider where it has a revocation endpoint
 * (Google; Microsoft's identity platform has none for one token, nor has the generic profile
 * unless SMTP_PORT_HELPER_OAUTH_REVOKE_URL names one), then forgets both tokens. The revocation
 * endpoint is never a site's own setting (a fixed provider address or a wp-config constant), so
 * it is reached under the administrator's address policy. A provider that cannot be reached
 * does not stop the uninstall: the tokens are deleted either way.
 */
$smtp_port_helper_revoke_site = static function () {
	if ( false === get_option( Stored_Names::OAUTH_TOKENS, false ) ) {
		return;
	}
	try {
		if ( function_exists( 'set_time_limit' ) ) {
			set_time_limit( 60 );
		}
		( new OAuth_Connection( new Settings_Store() ) )->disconnect( ( new Address_Policy_Source() )->for_command_line() );
	} catch ( \Throwable $error ) {
		( new Token_Store( null, '' ) )->forget();
	}
};

/**
 * Deletes everything of the current site: options, options and transients by prefix, tables and
 * scheduled events. Closures, not functions: this file may run more than once in a process
 * (tests) without redeclaring anything.
 */
$smtp_port_helper_uninstall_site = static function () use ( $smtp_port_helper_revoke_site ) {
	global $wpdb;
	$smtp_port_helper_revoke_site();
	foreach ( Stored_Names::SITE_OPTIONS as $option ) {
		delete_option( $option );
	}
	// The listed prefixes, and the plugin's whole prefix for names of earlier versions.
	$patterns = array(
		$wpdb->esc_like( Stored_Names::PREFIX ) . '%',
		$wpdb->esc_like( '_transient_' . Stored_Names::PREFIX ) . '%',
		$wpdb->esc_like( '_transient_timeout_' . Stored_Names::PREFIX ) . '%',
	);
	foreach ( Stored_Names::SITE_OPTION_PREFIXES as $prefix ) {
		$patterns[] = $wpdb->esc_like( $prefix ) . '%';
	}
	foreach ( Stored_Names::TRANSIENT_PREFIXES as $prefix ) {
		$patterns[] = $wpdb->esc_like( '_transient_' . $prefix ) . '%';
		$patterns[] = $wpdb->esc_like( '_transient_timeout_' . $prefix ) . '%';
	}
	foreach ( $patterns as $pattern ) {
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $pattern ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}
	// The outbox: mail waiting for delivery is personal data, nothing is left behind.
	foreach ( Stored_Names::TABLES as $table ) {
		$wpdb->query( 'DROP TABLE IF EXISTS ' . $wpdb->prefix . $table ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- the plugin's own table name.
	}
	foreach ( Stored_Names::CRON_HOOKS as $hook ) {
		wp_unschedule_hook( $hook );
	}
	wp_cache_delete( 'alloptions', 'options' );
	wp_cache_delete( 'notoptions', 'options' );
};

if ( ! is_multisite() ) {
	$smtp_port_helper_uninstall_site();
	return;
}

/**
 * Deletes the options and transients of one network.
 *
 * @param int $network_id Network ID.
 */
$smtp_port_helper_uninstall_network = static function ( $network_id ) {
	global $wpdb;
	foreach ( Stored_Names::NETWORK_OPTIONS as $option ) {
		delete_network_option( $network_id, $option );
	}
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->sitemeta} WHERE site_id = %d AND meta_key LIKE %s", $network_id, $wpdb->esc_like( Stored_Names::PREFIX ) . '%' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	foreach ( array_merge( Stored_Names::TRANSIENT_PREFIXES, array( Stored_Names::PREFIX ) ) as $prefix ) {
		$wpdb->query( // phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->prepare(
				"DELETE FROM {$wpdb->sitemeta} WHERE site_id = %d AND ( meta_key LIKE %s OR meta_key LIKE %s )",
				$network_id,
				$wpdb->esc_like( '_site_transient_' . $prefix ) . '%',
				$wpdb->esc_like( '_site_transient_timeout_' . $prefix ) . '%'
			)
		);
	}
	wp_cache_delete( $network_id . ':notoptions', 'site-options' );
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

// Every site of every network, then every network's own options.
$smtp_port_helper_in_batches(
	'get_sites',
	static function ( $site_id ) use ( $smtp_port_helper_uninstall_site ) {
		switch_to_blog( $site_id );
		$smtp_port_helper_uninstall_site();
		restore_current_blog();
	}
);
$smtp_port_helper_in_batches( 'get_networks', $smtp_port_helper_uninstall_network );
