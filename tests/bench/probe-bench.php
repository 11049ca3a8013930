<?php
/**
 * Benchmark: probing ports concurrently (one engine call) versus one after another.
 *
 * Starts its own servers on free high loopback ports (the real smtp-server on 4 ports, 2 STARTTLS
 * and 2 implicit TLS, plus one silent server), runs N rounds of both strategies, prints a
 * Markdown table of medians and the ratio, stops the servers and exits.
 *
 * Usage: php tests/bench/probe-bench.php [--runs=15] [--timeout=1.5]
 *
 * @package SmtpPortHelper\Tests
 */

define( 'SMTP_PORT_HELPER_TESTING', true );
require dirname( __DIR__, 2 ) . '/includes/autoload.php';
require dirname( __DIR__ ) . '/php/unit/wp-shims.php';
require dirname( __DIR__ ) . '/php/probe/support/Test_Servers.php';

use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Tests\Probe\Test_Servers;

$args    = getopt( '', array( 'runs::', 'timeout::' ) );
$runs    = isset( $args['runs'] ) ? max( 1, (int) $args['runs'] ) : 15;
$timeout = isset( $args['timeout'] ) ? (float) $args['timeout'] : 1.5;

/**
 * Median of a list.
 *
 * @param float[] $values Values.
 * @return float
 */
function sph_bench_median( array $values ): float {
	sort( $values );
	$n = count( $values );
	return 0 === $n % 2 ? ( $values[ $n / 2 - 1 ] + $values[ $n / 2 ] ) / 2 : $values[ intdiv( $n, 2 ) ];
}

$servers = new Test_Servers( array( 'real', 'hostile' ) );
// Stop the servers even on a fatal error or Ctrl-C.
register_shutdown_function( array( $servers, 'stop' ) );
if ( function_exists( 'pcntl_async_signals' ) ) {
	pcntl_async_signals( true );
	pcntl_signal(
		SIGINT,
		static function () {
			exit( 130 );
		}
	);
}

$ports    = array(
	$servers->port['good_starttls'],
	$servers->port['good_starttls2'],
	$servers->port['good_implicit'],
	$servers->port['good_implicit2'],
	$servers->port['silent'],
);
$base     = array(
	'host'           => 'localhost',
	'timeout'        => $timeout,
	'cafile'         => $servers->certs->ca_file,
	'username'       => 'test',
	'password'       => 'secret',
	'implicit_ports' => array( $servers->port['good_implicit'], $servers->port['good_implicit2'] ),
);
$prober   = new Port_Prober();
$parallel = array();
$serial   = array();
$fast_p   = array();
$fast_s   = array();
$verdicts = array();
$working  = array_slice( $ports, 0, 4 );

$mem_before = memory_get_peak_usage();
for ( $i = 0; $i < $runs; $i++ ) {
	$t      = hrtime( true );
	$report = $prober->probe( $base + array( 'ports' => $ports ) );
	$parallel[] = ( hrtime( true ) - $t ) / 1e6;
	foreach ( $report->results as $result ) {
		$verdicts[ $result->port ] = $result->verdict;
	}

	$t = hrtime( true );
	foreach ( $ports as $port ) {
		$prober->probe( $base + array( 'ports' => array( $port ) ) );
	}
	$serial[] = ( hrtime( true ) - $t ) / 1e6;

	// The same without the silent server: the four working ports only.
	$t        = hrtime( true );
	$prober->probe( $base + array( 'ports' => $working ) );
	$fast_p[] = ( hrtime( true ) - $t ) / 1e6;
	$t        = hrtime( true );
	foreach ( $working as $port ) {
		$prober->probe( $base + array( 'ports' => array( $port ) ) );
	}
	$fast_s[] = ( hrtime( true ) - $t ) / 1e6;
	$servers->drain();
}
$mem_peak = memory_get_peak_usage();
$servers->stop();

$p = sph_bench_median( $parallel );
$s = sph_bench_median( $serial );
printf( "\n### Port probe benchmark (%d runs, %d ports, overall timeout %.1f s, PHP %s)\n\n", $runs, count( $ports ), $timeout, PHP_VERSION );
echo "Ports: 2 x STARTTLS + 2 x implicit TLS (smtp-server, TLS + AUTH PLAIN), 1 x silent (runs into the timeout).\n\n";
echo "| Strategy | Median (ms) | Min (ms) | Max (ms) |\n|---|---:|---:|---:|\n";
printf( "| All ports concurrently (1 engine call) | %.0f | %.0f | %.0f |\n", $p, min( $parallel ), max( $parallel ) );
printf( "| One port after another (%d engine calls) | %.0f | %.0f | %.0f |\n", count( $ports ), $s, min( $serial ), max( $serial ) );
printf( "| 4 working ports only, concurrently | %.0f | %.0f | %.0f |\n", sph_bench_median( $fast_p ), min( $fast_p ), max( $fast_p ) );
printf( "| 4 working ports only, one after another | %.0f | %.0f | %.0f |\n", sph_bench_median( $fast_s ), min( $fast_s ), max( $fast_s ) );
printf( "\nRatio sequential / concurrent: **%.2fx** with the silent port, **%.2fx** for the 4 working ports\n\n", $s / max( 0.001, $p ), sph_bench_median( $fast_s ) / max( 0.001, sph_bench_median( $fast_p ) ) );
printf( "Peak memory: %.1f MB (growth during the runs: %.2f MB)\n\n", $mem_peak / 1048576, ( $mem_peak - $mem_before ) / 1048576 );
echo 'Verdicts: ';
foreach ( $verdicts as $port => $verdict ) {
	echo $port . '=' . $verdict . ' ';
}
echo "\n";
