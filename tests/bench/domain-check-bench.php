<?php
/**
 * Benchmark of the domain check (`npm run bench`, the "Domain check" section of
 * docs/benchmarks.md): the whole check against the tests' name server (NSD,
 * Test_Name_Server, on 127.0.0.1:10053) behind a proxy that holds every query 50 ms
 * (tests/bench/dns-latency-proxy.js), as a far name server would. Target for a typical record set
 * (SPF with the provider's include, a DKIM selector, DMARC, MX): ≤ 4 round trips, because the
 * first look-ups go out at once and only what they name is asked next. A benchmark, not a timed
 * test: it prints Markdown and never fails on a number. No WordPress needed.
 *
 * Usage: php tests/bench/domain-check-bench.php [--runs=15] [--latency=50]
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput.OutputNotEscaped

use SmtpPortHelper\Deliverability\Domain_Check;
use SmtpPortHelper\Deliverability\Resolver_Record_Source;
use SmtpPortHelper\Deliverability\Send_Path;
use SmtpPortHelper\Net\Resolver_Config;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Tests\Integration\Test_Name_Server;

define( 'SMTP_PORT_HELPER_TESTING', true );
$sph_root = dirname( __DIR__, 2 );
require $sph_root . '/includes/autoload.php';
require $sph_root . '/tests/php/unit/wp-shims.php';
require $sph_root . '/tests/php/integration/Test_Name_Server.php';

$sph_args    = getopt( '', array( 'runs:', 'latency:' ) );
$sph_runs    = isset( $sph_args['runs'] ) ? max( 1, (int) $sph_args['runs'] ) : 15;
$sph_latency = isset( $sph_args['latency'] ) ? max( 0, (int) $sph_args['latency'] ) : 50;
$sph_port    = Test_Name_Server::port() + 1;

$sph_failure = Test_Name_Server::start();
if ( '' !== $sph_failure ) {
	fwrite( STDERR, $sph_failure . "\n" );
	exit( 1 );
}
$sph_pipes = array();
$sph_proxy = proc_open( array( 'node', __DIR__ . '/dns-latency-proxy.js', (string) $sph_port, (string) Test_Name_Server::port(), (string) $sph_latency ), array( array( 'file', '/dev/null', 'r' ), array( 'pipe', 'w' ), array( 'file', '/dev/null', 'w' ) ), $sph_pipes );
if ( ! is_resource( $sph_proxy ) || 'ready' !== trim( (string) fgets( $sph_pipes[1] ) ) ) {
	fwrite( STDERR, "the latency proxy did not start\n" );
	exit( 1 );
}
register_shutdown_function(
	static function () use ( $sph_proxy ): void {
		proc_terminate( $sph_proxy );
		proc_close( $sph_proxy );
		Test_Name_Server::stop();
	}
);

$sph_resolver = new Dns_Resolver( new Resolver_Config( '/etc/hosts', Test_Name_Server::resolv_conf() ), $sph_port );
$sph_cases    = array(
	array( 'Google Workspace: SPF include, DKIM selector, DMARC, MX (typical)', 'dkimgood.test', 'smtp.gmail.com', 4 ),
	array( 'Microsoft 365: two selector CNAMEs', 'm365.test', 'smtp.office365.com', 4 ),
	array( 'a host the plugin does not know (its A and AAAA)', 'own.test', 'relay.own.test', 4 ),
	array( 'SPF redirect= chain (two hops after the first answer)', 'redirect.test', 'smtp.sendgrid.net', 0 ),
	array( 'organisational-domain DMARC fallback', 'news.orgfallback.test', 'smtp.gmail.com', 0 ),
);

/**
 * The median of a list of numbers.
 *
 * @param float[] $values Values.
 */
function sph_median( array $values ): float {
	sort( $values );
	$middle = intdiv( count( $values ), 2 );
	return count( $values ) % 2 ? $values[ $middle ] : ( $values[ $middle - 1 ] + $values[ $middle ] ) / 2;
}

echo "| case | median | round trips ($sph_latency ms each) | target |\n|---|---:|---:|---|\n";
foreach ( $sph_cases as $sph_case ) {
	list( $sph_label, $sph_domain, $sph_host, $sph_target ) = $sph_case;
	$sph_times = array();
	$sph_status = '';
	for ( $sph_i = 0; $sph_i < $sph_runs; $sph_i++ ) {
		$sph_start   = hrtime( true );
		$sph_report  = ( new Domain_Check( new Resolver_Record_Source( $sph_resolver, 5.0 ) ) )->run( new Send_Path( $sph_domain, $sph_host ) );
		$sph_times[] = ( hrtime( true ) - $sph_start ) / 1e6;
		$sph_status  = $sph_report['status'];
		foreach ( $sph_report['findings'] as $sph_finding ) {
			if ( 'temperror' === $sph_finding->result || 'no_name_server' === $sph_finding->result ) {
				fwrite( STDERR, "$sph_domain: a look-up failed: {$sph_finding->summary}\n" );
				exit( 1 );
			}
		}
	}
	$sph_ms = sph_median( $sph_times );
	printf(
		"| %s (`%s` via `%s`, %s) | %.0f ms | %.1f | %s |\n",
		$sph_label,
		$sph_domain,
		$sph_host,
		$sph_status,
		$sph_ms,
		$sph_latency > 0 ? $sph_ms / $sph_latency : 0,
		$sph_target > 0 ? sprintf( '≤ %d round trips (%d ms)', $sph_target, $sph_target * $sph_latency ) : ''
	);
}
