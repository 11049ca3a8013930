<?php
/**
 * Local stack only (copied by env/stack.sh, never shipped): the stack has no internet, so WordPress
 * must not try to reach WordPress.org for updates or translations and log a warning each time.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- environment file, not plugin code.

remove_action( 'admin_init', '_maybe_update_core' );
remove_action( 'admin_init', '_maybe_update_plugins' );
remove_action( 'admin_init', '_maybe_update_themes' );
remove_action( 'admin_init', '_wp_check_for_scheduled_update_checks' );
remove_action( 'init', 'wp_schedule_update_checks' );
add_filter( 'pre_site_transient_update_core', '__return_null' );
add_filter( 'pre_site_transient_update_plugins', '__return_null' );
add_filter( 'pre_site_transient_update_themes', '__return_null' );
add_filter(
	'translations_api',
	static function () {
		return array( 'translations' => array() );
	}
);
