<?php
/**
 * Local stack only (copied by env/stack.sh, never shipped): lets tests/bench/request-cost.php
 * measure what the plugin adds to a front-end request. With the header `X-Bench: off` the plugin
 * is left out of the active plugins for that request; with `X-Bench: on|off` the request's wall
 * time (from PHP's request start), peak memory, query count and PHP file count are appended to a
 * JSON lines file, with what the plugin itself did: the PHP files it loaded, the queries made from
 * its code (SAVEQUERIES, in both modes alike) and its reads of its settings option.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- environment file, not plugin code.

$smtp_port_helper_bench = isset( $_SERVER['HTTP_X_BENCH'] ) ? (string) $_SERVER['HTTP_X_BENCH'] : '';
if ( 'on' !== $smtp_port_helper_bench && 'off' !== $smtp_port_helper_bench ) {
	return;
}
if ( 'off' === $smtp_port_helper_bench ) {
	add_filter(
		'option_active_plugins',
		static function ( $plugins ) {
			return array_values( array_diff( (array) $plugins, array( 'smtp-port-helper/smtp-port-helper.php' ) ) );
		}
	);
}
if ( ! defined( 'SAVEQUERIES' ) ) {
	define( 'SAVEQUERIES', true );
}
$smtp_port_helper_bench_reads = 0;
$smtp_port_helper_bench_count = static function ( $value ) use ( &$smtp_port_helper_bench_reads ) {
	++$smtp_port_helper_bench_reads;
	return $value;
};
// One of the two runs on every get_option() of the settings: the stored value, or the default.
add_filter( 'option_smtp_port_helper_settings', $smtp_port_helper_bench_count );
add_filter( 'default_option_smtp_port_helper_settings', $smtp_port_helper_bench_count );
add_filter( 'site_option_smtp_port_helper_settings', $smtp_port_helper_bench_count );
add_filter( 'default_site_option_smtp_port_helper_settings', $smtp_port_helper_bench_count );
register_shutdown_function(
	static function () use ( $smtp_port_helper_bench, &$smtp_port_helper_bench_reads ) {
		global $wpdb;
		$plugin_dir   = (string) realpath( WP_PLUGIN_DIR . '/smtp-port-helper' ) . '/';
		$plugin_files = array();
		foreach ( get_included_files() as $included ) {
			$relative = 0 === strpos( $included, $plugin_dir ) ? substr( $included, strlen( $plugin_dir ) ) : '';
			// The plugin's code only: on the local stack, WordPress itself lives inside the checkout (.run/).
			if ( 'smtp-port-helper.php' === $relative || 0 === strpos( $relative, 'includes/' ) ) {
				$plugin_files[] = $relative;
			}
		}
		$plugin_queries = 0;
		foreach ( (array) $wpdb->queries as $query ) {
			// [ SQL, seconds, caller stack, … ]: a query made from the plugin's code names its namespace or prefix.
			if ( isset( $query[2] ) && false !== stripos( (string) $query[2], 'SmtpPortHelper' ) ) {
				++$plugin_queries;
			}
		}
		$file = getenv( 'SMTP_PORT_HELPER_BENCH_LOG' ) ?: WP_CONTENT_DIR . '/uploads/bench-request-cost.jsonl';
		$line = wp_json_encode(
			array(
				'mode'           => $smtp_port_helper_bench,
				'ms'             => ( microtime( true ) - (float) $_SERVER['REQUEST_TIME_FLOAT'] ) * 1000,
				'memory'         => memory_get_peak_usage(),
				'queries'        => get_num_queries(),
				'files'          => count( get_included_files() ),
				'plugin_files'   => $plugin_files,
				'plugin_queries' => $plugin_queries,
				'option_reads'   => $smtp_port_helper_bench_reads,
				'active'         => in_array( 'smtp-port-helper/smtp-port-helper.php', (array) get_option( 'active_plugins' ), true ) && class_exists( 'SmtpPortHelper\\Plugin', false ),
			)
		);
		file_put_contents( $file, $line . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}
);
