<?php
/**
 * Local stack only (copied by env/stack.sh, never shipped): lets tests/bench/request-cost.php
 * measure what the plugin adds to a front-end request. With the header `X-Bench: off` the plugin
 * is left out of the active plugins for that request; with `X-Bench: on|off` the request's wall
 * time (from PHP's request start), peak memory and query count are appended to a JSON lines file.
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
register_shutdown_function(
	static function () use ( $smtp_port_helper_bench ) {
		$file = getenv( 'SMTP_PORT_HELPER_BENCH_LOG' ) ?: WP_CONTENT_DIR . '/uploads/bench-request-cost.jsonl';
		$line = wp_json_encode(
			array(
				'mode'    => $smtp_port_helper_bench,
				'ms'      => ( microtime( true ) - (float) $_SERVER['REQUEST_TIME_FLOAT'] ) * 1000,
				'memory'  => memory_get_peak_usage(),
				'queries' => get_num_queries(),
				'files'   => count( get_included_files() ),
				'active'  => in_array( 'smtp-port-helper/smtp-port-helper.php', (array) get_option( 'active_plugins' ), true ) && class_exists( 'SmtpPortHelper\\Plugin', false ),
			)
		);
		file_put_contents( $file, $line . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions
	}
);
