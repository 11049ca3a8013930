<?php
/**
 * Base class for the network probe tests.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Report;

require_once __DIR__ . '/support/Test_Servers.php';

/**
 * Starts the test servers once per class (setUpBeforeClass) and stops them in
 * tearDownAfterClass. Only loopback addresses are ever probed.
 */
abstract class Probe_Test_Case extends TestCase {

	/**
	 * Servers of the running class.
	 *
	 * @var Test_Servers|null
	 */
	protected static $servers = null;

	/**
	 * Server groups the class needs.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array( 'real', 'expired', 'selfsigned', 'wronghost', 'hostile', 'closed', 'blackhole' );
	}

	/**
	 * Starts servers.
	 */
	public static function setUpBeforeClass(): void {
		self::$servers = new Test_Servers( static::server_groups() );
	}

	/**
	 * Stops servers.
	 */
	public static function tearDownAfterClass(): void {
		if ( null !== self::$servers ) {
			self::$servers->stop();
			self::$servers = null;
		}
	}

	/**
	 * Port of a role.
	 *
	 * @param string $role Role.
	 * @return int
	 */
	protected static function port( string $role ): int {
		return self::$servers->port[ $role ];
	}

	/**
	 * Runs the engine against localhost with the test CA trusted.
	 *
	 * @param string[]             $roles   Port roles.
	 * @param array<string, mixed> $options Extra options.
	 * @return Probe_Report
	 */
	protected function probe( array $roles, array $options = array() ): Probe_Report {
		$ports = array();
		foreach ( $roles as $role ) {
			$ports[] = self::port( $role );
		}
		self::$servers->drain();
		$report = ( new Port_Prober() )->probe(
			array_merge(
				array(
					'host'           => 'localhost',
					'ports'          => $ports,
					'timeout'        => 5,
					'cafile'         => self::$servers->certs->ca_file,
					'implicit_ports' => isset( self::$servers->port['good_implicit'] ) ? array( self::port( 'good_implicit' ) ) : array(),
				),
				$options
			)
		);
		self::$servers->drain();
		return $report;
	}

	/**
	 * Result of a role in a report.
	 *
	 * @param Probe_Report $report Report.
	 * @param string       $role   Role.
	 * @return Port_Result
	 */
	protected function result( Probe_Report $report, string $role ): Port_Result {
		$result = $report->get_result( self::port( $role ) );
		$this->assertNotNull( $result, 'no result for ' . $role );
		return $result;
	}

	/**
	 * Stage names of a result.
	 *
	 * @param Port_Result $result Result.
	 * @return string[]
	 */
	protected function stage_names( Port_Result $result ): array {
		return array_map(
			static function ( $stage ) {
				return $stage['name'];
			},
			$result->stages
		);
	}

	/**
	 * Asserts a verdict with a useful failure message.
	 *
	 * @param string      $expected Verdict.
	 * @param Port_Result $result   Result.
	 * @return void
	 */
	protected function assertVerdict( string $expected, Port_Result $result ): void {
		$this->assertSame( $expected, $result->verdict, json_encode( $result->to_array(), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
	}
}
