<?php
/**
 * Benchmark of the daily self-check (`npm run bench`, the "Daily self-check" section of
 * docs/benchmarks.md): the cost of one run, which is the cost per day and site. A benchmark,
 * not a timed test: it prints Markdown and never fails on a number. Inside the stack's WordPress
 * (the integration tables, wptests_; the settings and the self-check's options are put back):
 * 1. the saved port works (the stack's submission port, with the test login): one engine run;
 * 2. the saved port is closed (a port nothing listens on) and the usual ports work: two engine
 *    runs, and the switch (the settings are saved).
 *
 * Usage: php -d sendmail_path=/bin/true tests/bench/self-check-bench.php [--runs=10]
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput.OutputNotEscaped, WordPress.DB.DirectDatabaseQuery

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

$sph_args = getopt( '', array( 'runs:' ) );
$sph_runs = isset( $sph_args['runs'] ) ? max( 1, (int) $sph_args['runs'] ) : 10;
$sph_root = dirname( __DIR__, 2 );

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require ( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ? getenv( 'SMTP_PORT_HELPER_WP_DIR' ) : $sph_root . '/.run/wp' ) . '/wp-load.php';

global $wpdb;
$sph_ports     = explode( ',', getenv( 'SMTP_PORTS' ) ? getenv( 'SMTP_PORTS' ) : '25,465,587,2525' );
$sph_saved     = get_option( Settings_Store::OPTION );
$sph_names     = array( Self_Check::OPTION, Self_Check::TURN, Self_Check::OUTAGE );
$sph_kept      = array_map( 'get_option', $sph_names );
$sph_closed    = ( static function (): int {
	$server = stream_socket_server( 'tcp://127.0.0.1:0' );
	$port   = (int) substr( (string) strrchr( (string) stream_socket_get_name( $server, false ), ':' ), 1 );
	fclose( $server );
	return $port; // Nothing listens there now: the connect is refused.
} )();

/**
 * One self-check run: wall time (ms), queries and the outcome.
 *
 * @param int $port Saved port.
 * @return array{0: float, 1: int, 2: string}
 */
$sph_run = static function ( int $port ) use ( $wpdb ): array {
	$store = new Settings_Store();
	$store->update(
		array(
			'enabled'    => true,
			'host'       => 'localhost',
			'port'       => $port,
			'encryption' => 'starttls',
			'auth'       => true,
			'username'   => getenv( 'SMTP_USER' ) ? getenv( 'SMTP_USER' ) : 'test',
			'password'   => getenv( 'SMTP_PASS' ) ? getenv( 'SMTP_PASS' ) : 'secret',
			'self_heal'  => true,
		)
	);
	delete_option( Self_Check::TURN );
	delete_option( Self_Check::OUTAGE );
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'smtp_port_helper_rl_port_tests' ) . '%' ) );
	wp_cache_flush();
	$check   = new Self_Check( $store, new Port_Prober(), new Probe_Options_Factory( $store ), new Mailer_Hook( $store ) );
	$queries = $wpdb->num_queries;
	$start   = microtime( true );
	$outcome = $check->run();
	return array( ( microtime( true ) - $start ) * 1000, $wpdb->num_queries - $queries, $outcome['outcome'] );
};

$sph_median = static function ( array $values ): float {
	sort( $values );
	$middle = intdiv( count( $values ), 2 );
	return count( $values ) % 2 ? (float) $values[ $middle ] : ( $values[ $middle - 1 ] + $values[ $middle ] ) / 2;
};

$sph_rows = array();
foreach ( array(
	'saved port works (one engine run)'                  => (int) $sph_ports[2],
	'saved port closed → switched (two engine runs, one save)' => $sph_closed,
) as $sph_label => $sph_port ) {
	$sph_times   = array();
	$sph_queries = array();
	$sph_outcome = '';
	for ( $sph_i = 0; $sph_i < $sph_runs; $sph_i++ ) {
		fwrite( STDERR, "self-check: $sph_label, run " . ( $sph_i + 1 ) . "\n" );
		list( $sph_ms, $sph_q, $sph_outcome ) = $sph_run( $sph_port );
		$sph_times[]                          = $sph_ms;
		$sph_queries[]                        = $sph_q;
	}
	$sph_rows[] = sprintf( '| %s | %s | %.1f | %d |', $sph_label, $sph_outcome, $sph_median( $sph_times ), (int) $sph_median( $sph_queries ) );
}

// Put back what was there.
if ( false === $sph_saved ) {
	delete_option( Settings_Store::OPTION );
} else {
	update_option( Settings_Store::OPTION, $sph_saved );
}
foreach ( $sph_names as $sph_index => $sph_name ) {
	if ( false === $sph_kept[ $sph_index ] ) {
		delete_option( $sph_name );
	} else {
		update_option( $sph_name, $sph_kept[ $sph_index ], false );
	}
}

echo "Each run is one site's cost per day (the self-check runs once a day per site). Medians of $sph_runs runs, the stack's servers on loopback; `queries` counts every database query of the run.\n\n";
echo "| self-check run | outcome | wall time (ms) | queries |\n|---|---|---:|---:|\n";
echo implode( "\n", $sph_rows ) . "\n";
