<?php
/**
 * Deadline and memory bounds against hostile servers.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';

/**
 * The overall deadline holds whatever the servers do, and memory stays bounded.
 *
 * @group network
 */
class Hostile_Limits_Test extends Probe_Test_Case {

	/**
	 * Only the hostile server, a closed port and the black hole are needed.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array( 'hostile', 'closed', 'blackhole' );
	}

	/**
	 * Options without the real servers.
	 *
	 * @param string[]             $roles   Roles.
	 * @param array<string, mixed> $options Options.
	 * @return \SmtpPortHelper\Probe\Probe_Report
	 */
	protected function probe( array $roles, array $options = array() ): \SmtpPortHelper\Probe\Probe_Report {
		return parent::probe( $roles, $options + array( 'implicit_ports' => array() ) );
	}

	/**
	 * Timeouts to check.
	 *
	 * @return array<string, array{0: string, 1: string, 2: bool}>
	 */
	public function slow_servers(): array {
		return array(
			'drip, plain port'        => array( 'drip', Verdict::NO_BANNER, false ),
			'drip, implicit port'     => array( 'drip', Verdict::NO_BANNER, true ),
			'silent, plain port'      => array( 'silent', Verdict::NO_BANNER, false ),
			'silent, implicit port'   => array( 'silent', Verdict::NO_BANNER, true ),
			'black hole'              => array( 'blackhole', Verdict::TIMEOUT, false ),
			'stall after greeting'    => array( 'stall', Verdict::STALLED, false ),
			'tls garbage, plain port' => array( 'tls_garbage', Verdict::NO_BANNER, false ),
		);
	}

	/**
	 * A 2 s overall timeout ends in under 2.5 s.
	 *
	 * @dataProvider slow_servers
	 * @param string $role     Server.
	 * @param string $verdict  Expected verdict.
	 * @param bool   $implicit Whether the port is probed as implicit TLS.
	 */
	public function test_deadline_holds( string $role, string $verdict, bool $implicit ): void {
		$start   = microtime( true );
		$report  = $this->probe( array( $role ), array( 'timeout' => 2, 'implicit_ports' => $implicit ? array( self::port( $role ) ) : array() ) );
		$elapsed = microtime( true ) - $start;
		$this->assertLessThan( 2.5, $elapsed );
		if ( 'tls_garbage' === $role ) {
			// A server that is silent until it receives a ClientHello, then answers garbage.
			$this->assertContains( $report->results[0]->verdict, array( Verdict::NO_BANNER, Verdict::TLS_FAILED ) );
			return;
		}
		$this->assertVerdict( $verdict, $report->results[0] );
	}

	/**
	 * Six hostile ports at once still respect the deadline.
	 */
	public function test_deadline_with_many_hostile_ports(): void {
		$start  = microtime( true );
		$report = $this->probe( array( 'drip', 'silent', 'blackhole', 'stall', 'huge_line', 'http' ), array( 'timeout' => 2 ) );
		$this->assertLessThan( 2.5, microtime( true ) - $start );
		$this->assertLessThan( 2500, $report->elapsed_ms );
		$this->assertCount( 6, $report->results );
	}

	/**
	 * A 1 MB greeting does not cost more than a few MB of memory.
	 */
	public function test_memory_bounded_against_megabyte_banner(): void {
		if ( function_exists( 'memory_reset_peak_usage' ) ) {
			memory_reset_peak_usage();
		}
		$before = memory_get_peak_usage();
		$report = $this->probe( array( 'huge_line', 'huge_reply' ), array( 'timeout' => 3 ) );
		$delta  = memory_get_peak_usage() - $before;
		$this->assertVerdict( Verdict::NOT_SMTP, $report->results[0] );
		$this->assertVerdict( Verdict::NOT_SMTP, $report->results[1] );
		$this->assertLessThan( 3 * 1024 * 1024, $delta, 'peak memory grew by ' . $delta . ' bytes' );
	}
}
