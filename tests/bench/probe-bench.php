<?php
/**
 * Benchmark of the port test engine under WAN-like latency (`npm run bench:probe`).
 *
 * A benchmark, not a timed test: it measures, prints and never fails on a number. Everything is
 * measured in one run on loopback, side by side:
 *
 * - 4 real smtp-server ports (2 STARTTLS, 2 implicit TLS; TLS verified against a test CA,
 *   AUTH PLAIN), each behind a latency proxy (tests/php/servers/latency-proxy.js) that delays
 *   every chunk in both directions (default 30 ms, i.e. a 60 ms round trip);
 * - 2 silent servers (accept, never send a byte) for the "2 of 4 never answer" case.
 *
 * Rows: (a) each port alone (one engine call per port), (b) the 4 ports concurrently in one
 * engine call, ratio to the slowest single port (target <= 1.2), (c) the 4 ports one after
 * another (4 engine calls; the timings of these calls are also row a), (d) swaks once per port,
 * one after another, doing the same conversation, (e) 2 of the 4 ports replaced by the silent
 * servers with deadline D: time to the full answer (target <= D + 0.3 s), (f) as (b) but by the
 * name localhost (A 127.0.0.1, AAAA ::1 where nothing listens): the cost of probing both families.
 *
 * Prints ONLY Markdown on stdout (progress goes to stderr), stops its servers itself (also on
 * Ctrl-C) and exits 0.
 *
 * Usage: php tests/bench/probe-bench.php [--runs=15] [--latency-ms=30] [--deadline=1.0]
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput.OutputNotEscaped, WordPress.PHP.DiscouragedPHPFunctions

define( 'SMTP_PORT_HELPER_TESTING', true );
require dirname( __DIR__, 2 ) . '/includes/autoload.php';
require dirname( __DIR__ ) . '/php/unit/wp-shims.php';
require dirname( __DIR__ ) . '/php/probe/support/Test_Servers.php';
require dirname( __DIR__ ) . '/php/probe/support/Swaks.php';

use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Report;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Tests\Probe\Swaks;
use SmtpPortHelper\Tests\Probe\Test_Servers;

const SPH_BENCH_RATIO_TARGET = 1.2;
const SPH_BENCH_DEADLINE_SLACK = 0.3;

$args       = getopt( '', array( 'runs:', 'latency-ms:', 'deadline:' ) );
$runs       = isset( $args['runs'] ) ? max( 1, (int) $args['runs'] ) : 15;
$latency_ms = isset( $args['latency-ms'] ) ? max( 0, (int) $args['latency-ms'] ) : 30;
$deadline   = isset( $args['deadline'] ) ? min( 60.0, max( 0.5, (float) $args['deadline'] ) ) : 1.0;

/**
 * Progress on stderr.
 *
 * @param string $text Text.
 * @return void
 */
function sph_bench_log( string $text ): void {
	fwrite( STDERR, '[probe-bench] ' . $text . "\n" );
}

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

/**
 * 90th percentile (nearest rank).
 *
 * @param float[] $values Values.
 * @return float
 */
function sph_bench_p90( array $values ): float {
	sort( $values );
	return $values[ max( 0, (int) ceil( 0.9 * count( $values ) ) - 1 ) ];
}

/**
 * Milliseconds since a hrtime() value.
 *
 * @param int $start hrtime( true ) at the start.
 * @return float
 */
function sph_bench_ms( int $start ): float {
	return ( hrtime( true ) - $start ) / 1e6;
}

/**
 * Machine description: cores, CPU model, memory, kernel, PHP, Node, OpenSSL.
 *
 * @return string
 */
function sph_bench_machine(): string {
	$cpuinfo = (string) @file_get_contents( '/proc/cpuinfo' );
	$model   = preg_match( '/^model name\s*:\s*(.+)$/m', $cpuinfo, $m ) ? trim( $m[1] ) : php_uname( 'm' );
	$cores   = preg_match_all( '/^processor\s*:/m', $cpuinfo );
	if ( function_exists( 'pcntl_getcpuaffinity' ) ) {
		$affinity = pcntl_getcpuaffinity();
		if ( is_array( $affinity ) && array() !== $affinity ) {
			$cores = count( $affinity );
		}
	}
	$meminfo = (string) @file_get_contents( '/proc/meminfo' );
	$memory  = preg_match( '/^MemTotal:\s*(\d+)/m', $meminfo, $m ) ? sprintf( ', %.0f GiB RAM', $m[1] / 1048576 ) : '';
	$node    = trim( (string) @shell_exec( 'node --version 2>/dev/null' ) );
	return sprintf(
		'%d cores, %s%s, %s %s, PHP %s, %s, Node %s',
		$cores,
		$model,
		$memory,
		php_uname( 's' ),
		php_uname( 'r' ),
		PHP_VERSION,
		OPENSSL_VERSION_TEXT,
		'' !== $node ? $node : '?'
	);
}

/**
 * Counts results that are not the expected verdict.
 *
 * @param Probe_Report       $report   Report.
 * @param array<int, string> $expected Expected verdict by port.
 * @return int
 */
function sph_bench_unexpected( Probe_Report $report, array $expected ): int {
	$bad = 0;
	foreach ( $report->results as $result ) {
		$want = $expected[ $result->port ] ?? Verdict::OK;
		if ( $want !== $result->verdict || ( Verdict::OK === $want && true !== $result->auth_ok ) ) {
			++$bad;
		}
	}
	return $bad + max( 0, count( $expected ) - count( $report->results ) );
}

$servers = null;
// Stop the servers on every exit: normal end, fatal error, Ctrl-C, SIGTERM.
register_shutdown_function(
	static function () use ( &$servers ) {
		if ( null !== $servers ) {
			$servers->stop();
		}
	}
);
if ( function_exists( 'pcntl_async_signals' ) ) {
	pcntl_async_signals( true );
	foreach ( array( SIGINT => 130, SIGTERM => 143 ) as $signal => $code ) {
		pcntl_signal(
			$signal,
			static function () use ( $code ) {
				sph_bench_log( 'interrupted, stopping the servers' );
				exit( $code );
			}
		);
	}
}

$bench_started = hrtime( true );
sph_bench_log( sprintf( 'starting servers (latency %d ms per direction)', $latency_ms ) );
$servers = new Test_Servers( array( 'real' ) );
$real    = array(
	'STARTTLS #1'     => $servers->port['good_starttls'],
	'STARTTLS #2'     => $servers->port['good_starttls2'],
	'implicit TLS #1' => $servers->port['good_implicit'],
	'implicit TLS #2' => $servers->port['good_implicit2'],
);
$proxy   = $servers->start_latency_proxies( array_values( $real ), $latency_ms );
$silent  = $servers->start_silent_servers( 2 );

// Proxied ports by label; the implicit ones (and the silent one that replaces an implicit port).
$ports    = array();
$implicit = array();
foreach ( $real as $label => $port ) {
	$ports[ $label ] = $proxy[ $port ];
	if ( 0 === strpos( $label, 'implicit' ) ) {
		$implicit[] = $proxy[ $port ];
	}
}
$implicit[] = $silent[1];
$all        = array_values( $ports );
// Scenario (e): the second STARTTLS port and the second implicit port never answer.
$with_silent = array( $ports['STARTTLS #1'], $silent[0], $ports['implicit TLS #1'], $silent[1] );
$expect_e    = array(
	$silent[0] => Verdict::NO_BANNER,
	$silent[1] => Verdict::NO_BANNER,
);

$base   = array(
	'host'           => '127.0.0.1',
	'timeout'        => 10,
	'cafile'         => $servers->certs->ca_file,
	'username'       => 'test',
	'password'       => 'secret',
	'implicit_ports' => $implicit,
);
$prober = new Port_Prober();

/**
 * Runs swaks once against a proxied port.
 *
 * @param int  $port     Port.
 * @param bool $implicit Implicit TLS (else STARTTLS).
 * @return int Exit code.
 */
$swaks = static function ( int $port, bool $implicit ) use ( $servers ): int {
	return Swaks::run(
		array(
			'--server',
			'127.0.0.1:' . $port,
			$implicit ? '--tls-on-connect' : '--tls',
			'--tls-verify',
			'--tls-ca-path',
			$servers->certs->ca_file,
			'--auth',
			'PLAIN',
			'--auth-user',
			'test',
			'--auth-password',
			'secret',
			'--quit-after',
			'AUTH',
		)
	);
};

$single          = array_fill_keys( array_keys( $ports ), array() );
$sequential      = array();
$concurrent      = array();
$swaks_ms        = array();
$silent_ms       = array();
$dual_ms         = array();
$last_concurrent = null;
$problems        = array(
	'engine' => 0,
	'swaks'  => 0,
);

// Warm-up: each code path once (engine, swaks, both TLS modes), not measured.
sph_bench_log( 'warm-up' );
$prober->probe( $base + array( 'ports' => $all ) );
$swaks( $ports['STARTTLS #1'], false );
$swaks( $ports['implicit TLS #1'], true );
$servers->drain();

$memory_before = memory_get_peak_usage();
for ( $run = 1; $run <= $runs; $run++ ) {
	sph_bench_log( sprintf( 'run %d/%d', $run, $runs ) );

	// (c) one after another, 4 engine calls; each call alone is also (a).
	$start = hrtime( true );
	foreach ( $ports as $label => $port ) {
		$t                  = hrtime( true );
		$report             = $prober->probe( $base + array( 'ports' => array( $port ) ) );
		$single[ $label ][] = sph_bench_ms( $t );
		$problems['engine'] += sph_bench_unexpected( $report, array( $port => Verdict::OK ) );
	}
	$sequential[] = sph_bench_ms( $start );

	// (b) all 4 concurrently, one engine call.
	$start               = hrtime( true );
	$report              = $prober->probe( $base + array( 'ports' => $all ) );
	$concurrent[]        = sph_bench_ms( $start );
	$problems['engine'] += sph_bench_unexpected( $report, array_fill_keys( $all, Verdict::OK ) );
	$last_concurrent     = $report;

	// (f) the same 4 ports by a name with A and AAAA (localhost: 127.0.0.1 and ::1, where nothing
	// listens): the engine probes both families of every port at once.
	$start               = hrtime( true );
	$report              = $prober->probe( array( 'host' => 'localhost' ) + $base + array( 'ports' => $all ) );
	$dual_ms[]           = sph_bench_ms( $start );
	$problems['engine'] += sph_bench_unexpected( $report, array_fill_keys( $all, Verdict::OK ) );

	// (d) swaks once per port, one after another.
	$start = hrtime( true );
	foreach ( $ports as $label => $port ) {
		if ( 0 !== $swaks( $port, in_array( $port, $implicit, true ) ) ) {
			++$problems['swaks'];
		}
	}
	$swaks_ms[] = sph_bench_ms( $start );

	// (e) 2 of the 4 ports never answer; deadline D.
	$start               = hrtime( true );
	$report              = $prober->probe( array_merge( $base, array( 'timeout' => $deadline, 'ports' => $with_silent ) ) );
	$silent_ms[]         = sph_bench_ms( $start );
	$problems['engine'] += sph_bench_unexpected( $report, $expect_e + array_fill_keys( array( $ports['STARTTLS #1'], $ports['implicit TLS #1'] ), Verdict::OK ) );

	$servers->drain();
}
$memory_peak = memory_get_peak_usage();
$memory_real = memory_get_peak_usage( true );
$servers->stop();
$servers = null;
$elapsed = sph_bench_ms( $bench_started ) / 1000;
sph_bench_log( sprintf( 'done in %.1f s', $elapsed ) );

// Table.
$single_median = array();
foreach ( $single as $label => $values ) {
	$single_median[ $label ] = sph_bench_median( $values );
}
arsort( $single_median );
$slowest       = (string) array_key_first( $single_median );
$slowest_ms    = $single_median[ $slowest ];
$slowest_p90   = sph_bench_p90( $single[ $slowest ] );
$conc_median   = sph_bench_median( $concurrent );
$conc_p90      = sph_bench_p90( $concurrent );
$ratio         = $conc_median / max( 0.001, $slowest_ms );
$ratio_p90     = $conc_p90 / max( 0.001, $slowest_ms );
$limit_ms      = ( $deadline + SPH_BENCH_DEADLINE_SLACK ) * 1000;
$silent_median = sph_bench_median( $silent_ms );
$silent_p90    = sph_bench_p90( $silent_ms );
$silent_max    = max( $silent_ms );

/**
 * "yes" when median and p90 meet the target, "median only" when only the median does, else "**no**".
 *
 * @param bool $median_ok Median meets the target.
 * @param bool $p90_ok    p90 meets the target.
 * @return string
 */
$met = static function ( bool $median_ok, bool $p90_ok ): string {
	if ( $median_ok && $p90_ok ) {
		return 'yes';
	}
	return $median_ok ? 'median only (p90 misses)' : '**no**';
};

$out   = array();
$out[] = sprintf( '#### Port test engine under latency (%d ms per direction = %d ms round trip)', $latency_ms, 2 * $latency_ms );
$out[] = '';
$out[] = '| scenario | median ms | p90 ms | ratio / target | met? |';
$out[] = '|---|---:|---:|---|---|';
foreach ( $ports as $label => $port ) {
	$out[] = sprintf(
		'| (a) %s alone (1 engine call)%s | %.0f | %.0f | %s | |',
		$label,
		$label === $slowest ? ' — **slowest single port**' : '',
		$single_median[ $label ],
		sph_bench_p90( $single[ $label ] ),
		$label === $slowest ? 'reference (1.00)' : sprintf( '%.2f × slowest', $single_median[ $label ] / max( 0.001, $slowest_ms ) )
	);
}
$out[] = sprintf(
	'| (b) all 4 ports concurrently (1 engine call) | %.0f | %.0f | %.2f × slowest single (p90 %.2f) / ≤ %.1f | %s |',
	$conc_median,
	$conc_p90,
	$ratio,
	$ratio_p90,
	SPH_BENCH_RATIO_TARGET,
	$met( $ratio <= SPH_BENCH_RATIO_TARGET, $ratio_p90 <= SPH_BENCH_RATIO_TARGET )
);
$out[] = sprintf(
	'| (c) the 4 ports one after another (4 engine calls) | %.0f | %.0f | %.2f × concurrent | |',
	sph_bench_median( $sequential ),
	sph_bench_p90( $sequential ),
	sph_bench_median( $sequential ) / max( 0.001, $conc_median )
);
$out[] = sprintf(
	'| (d) swaks once per port, one after another (4 processes) | %.0f | %.0f | %.2f × concurrent | |',
	sph_bench_median( $swaks_ms ),
	sph_bench_p90( $swaks_ms ),
	sph_bench_median( $swaks_ms ) / max( 0.001, $conc_median )
);
$out[] = sprintf(
	'| (e) 2 of the 4 ports never answer, deadline %.1f s (1 engine call) | %.0f | %.0f | deadline + %.0f ms (max %.0f) / ≤ deadline + %.0f ms | %s |',
	$deadline,
	$silent_median,
	$silent_p90,
	$silent_median - $deadline * 1000,
	$silent_max,
	SPH_BENCH_DEADLINE_SLACK * 1000,
	$met( $silent_median <= $limit_ms, $silent_p90 <= $limit_ms )
);
$out[] = sprintf(
	'| (f) all 4 ports concurrently by name, A and AAAA (localhost: 127.0.0.1, ::1 refused; 1 engine call) | %.0f | %.0f | %+.0f ms against (b) | |',
	sph_bench_median( $dual_ms ),
	sph_bench_p90( $dual_ms ),
	sph_bench_median( $dual_ms ) - $conc_median
);
$out[] = '';
$out[] = sprintf(
	'Added latency: %d ms per chunk in each direction (latency proxy in front of each working port; one round trip = %d ms). %d runs after a warm-up, medians and p90 (nearest rank); rows in each run in the order c/a, b, f, d, e. Peak memory of the PHP process: %.1f MB (%.1f MB reserved from the system; growth during the runs: %.2f MB). Benchmark wall time: %.0f s.',
	$latency_ms,
	2 * $latency_ms,
	$runs,
	$memory_peak / 1048576,
	$memory_real / 1048576,
	( $memory_peak - $memory_before ) / 1048576,
	$elapsed
);
$out[] = '';
$out[] = 'Machine: ' . sph_bench_machine() . '.';
$out[] = '';
$out[] = 'Work per port, identical for the engine and swaks: connect to 127.0.0.1, STARTTLS (EHLO, STARTTLS, TLS, EHLO) or implicit TLS, TLS verified against the test CA, AUTH PLAIN accepted, QUIT. The smtp-server waits 100 ms before its greeting (early-talker check), in every row. '
	. 'swaks ' . ( preg_match( '/version (\S+)/', (string) @shell_exec( 'swaks --version 2>/dev/null' ), $m ) ? $m[1] . ' ' : '' )
	. 'ran `--tls`/`--tls-on-connect --tls-verify --tls-ca-path CA --auth PLAIN --quit-after AUTH`: it verifies the certificate chain against the CA but not the host name (the engine checks both); its time includes starting Perl each time.';
$out[] = '';
$checks = sprintf( 'Checks: %d unexpected engine verdicts, %d failed swaks runs (expected 0 and 0).', $problems['engine'], $problems['swaks'] );
if ( $ratio > SPH_BENCH_RATIO_TARGET ) {
	// Where the time went in the last concurrent call, per port and stage, to show what serialises.
	$stages = array();
	foreach ( $last_concurrent->results as $result ) {
		$parts = array();
		foreach ( $result->to_array()['stages'] as $stage ) {
			$parts[] = sprintf( '%s %.0f', $stage['name'], $stage['ms'] );
		}
		$stages[] = $result->port . ': ' . implode( ', ', $parts );
	}
	$checks .= sprintf( ' **Note: the concurrency target is missed** (%.2f > %.1f). Stages of the last concurrent call (ms): %s.', $ratio, SPH_BENCH_RATIO_TARGET, implode( '; ', $stages ) );
}
if ( $silent_median > $limit_ms ) {
	$checks .= sprintf( ' **Note: the deadline target is missed** (median %.0f ms > %.0f ms).', $silent_median, $limit_ms );
}
$out[] = $checks;

echo implode( "\n", $out ) . "\n";
exit( 0 );
