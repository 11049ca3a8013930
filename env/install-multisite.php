<?php
/**
 * Installs the second WordPress of the local stack, a subdirectory multisite network with table
 * prefix wpms_ in the same database and files, non-interactively (no WP-CLI), for the PHPUnit
 * multisite suite: the main site, a second site at /second/, the plugin network-activated.
 *
 * Usage: php -d sendmail_path=/bin/true env/install-multisite.php WP_DIR   (env: WP_URL)
 * Idempotent. Runs in two steps, each its own PHP process, because the MULTISITE constants of
 * wp-config.php (written by env/stack.sh, on when SMTP_PORT_HELPER_MULTISITE=1) may only be
 * defined once the network tables exist:
 *   1. without them: wp_install() into wpms_*, then the steps of Network Setup (wp-admin/network.php):
 *      install_network() creates the network tables, populate_network() fills them;
 *   2. with them (this script runs itself again with SMTP_PORT_HELPER_MULTISITE=1): the second
 *      site, then network activation of the plugin.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- command-line script, not plugin code.

$wp_dir = rtrim( $argv[1] ?? '', '/' );
if ( '' === $wp_dir || ! is_file( $wp_dir . '/wp-load.php' ) ) {
	fwrite( STDERR, "usage: php install-multisite.php WP_DIR\n" );
	exit( 2 );
}

$wp_url  = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
$domain  = (string) parse_url( $wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $wp_url, PHP_URL_PORT );
$network = '1' === getenv( 'SMTP_PORT_HELPER_MULTISITE' );

$_SERVER['HTTP_HOST']       = $domain;
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

/**
 * A `.run/` reused with another WP_PORT keeps the network's old domain, and WordPress then finds no
 * site for the request ("Error establishing a database connection"): move every site to the new one.
 *
 * @param wpdb   $wpdb   Database, with the network tables' names set.
 * @param string $domain host:port of this run.
 */
function move_network( $wpdb, $domain ) {
	$old = (string) $wpdb->get_var( "SELECT domain FROM {$wpdb->site} WHERE id = 1" );
	if ( '' === $old || $old === $domain ) {
		return;
	}
	fwrite( STDERR, "moving the network from $old to $domain\n" );
	$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->site} SET domain = %s", $domain ) );
	$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->blogs} SET domain = %s", $domain ) );
	$wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->sitemeta} SET meta_value = REPLACE(meta_value, %s, %s) WHERE meta_key = 'siteurl'", "//$old", "//$domain" ) );
	foreach ( $wpdb->get_col( "SELECT blog_id FROM {$wpdb->blogs}" ) as $blog_id ) {
		$options = 1 === (int) $blog_id ? $wpdb->base_prefix . 'options' : $wpdb->base_prefix . (int) $blog_id . '_options';
		$wpdb->query( $wpdb->prepare( "UPDATE $options SET option_value = REPLACE(option_value, %s, %s) WHERE option_name IN ('home', 'siteurl')", "//$old", "//$domain" ) );
	}
}

if ( ! $network ) {
	// Step 1: a single site in wpms_*, then the network tables.
	putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wpms_' );
	define( 'WP_INSTALLING', true );
	require $wp_dir . '/wp-load.php';
	require_once ABSPATH . 'wp-admin/includes/upgrade.php';
	require_once ABSPATH . 'wp-admin/includes/network.php';

	global $wpdb;
	if ( 'wpms_' !== $wpdb->prefix ) {
		fwrite( STDERR, "expected table prefix wpms_, got {$wpdb->prefix}\n" );
		exit( 1 );
	}
	if ( ! is_blog_installed() ) {
		wp_install( 'SMTP Port Helper network', 'admin', 'admin@example.com', false, '', wp_slash( 'password' ) );
	}
	update_option( 'show_avatars', 0 );
	// As wp-admin/network.php does: the network tables' names before they exist.
	foreach ( $wpdb->tables( 'ms_global' ) as $table => $prefixed_table ) {
		$wpdb->$table = $prefixed_table;
	}
	install_network();
	if ( ! (int) $wpdb->get_var( "SELECT COUNT(*) FROM {$wpdb->site}" ) ) {
		$result = populate_network( 1, $domain, 'admin@example.com', 'SMTP Port Helper network', '/', false );
		if ( is_wp_error( $result ) ) {
			fwrite( STDERR, 'populate_network: ' . $result->get_error_message() . "\n" );
			exit( 1 );
		}
	}
	move_network( $wpdb, $domain );

	// Step 2, with the MULTISITE constants on.
	putenv( 'SMTP_PORT_HELPER_MULTISITE=1' );
	putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX' );
	passthru( escapeshellarg( PHP_BINARY ) . ' -d sendmail_path=/bin/true ' . escapeshellarg( __FILE__ ) . ' ' . escapeshellarg( $wp_dir ), $code );
	exit( $code );
}

// Step 2: the network is installed; add the second site and network-activate the plugin.
require $wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

if ( ! is_multisite() || 'wpms_' !== $GLOBALS['wpdb']->base_prefix ) {
	fwrite( STDERR, "the network did not load (MULTISITE constants or tables missing)\n" );
	exit( 1 );
}
if ( ! domain_exists( $domain, '/second/', 1 ) ) {
	$site_id = wp_insert_site(
		array(
			'domain'     => $domain,
			'path'       => '/second/',
			'network_id' => 1,
			'title'      => 'Second site',
			'user_id'    => 1,
		)
	);
	if ( is_wp_error( $site_id ) ) {
		fwrite( STDERR, 'wp_insert_site: ' . $site_id->get_error_message() . "\n" );
		exit( 1 );
	}
}
$result = activate_plugin( 'smtp-port-helper/smtp-port-helper.php', '', true );
if ( is_wp_error( $result ) ) {
	fwrite( STDERR, 'activate_plugin: ' . $result->get_error_message() . "\n" );
	exit( 1 );
}
printf(
	"WordPress %s network installed, tables %s*, sites %s, plugin network-active\n",
	get_bloginfo( 'version' ),
	$GLOBALS['wpdb']->base_prefix,
	implode( ', ', array_map( 'strval', get_sites( array( 'fields' => 'ids' ) ) ) )
);
