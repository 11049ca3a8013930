<?php
/**
 * IPv4 and IPv6 apart, on loopback: a name with A 127.0.0.1 and AAAA ::1 (from a hosts file)
 * where the real SMTP server listens on 127.0.0.1 only, and ::1 on the same port is refused or
 * black-holed (a listening socket whose full backlog drops every SYN: what a firewall that
 * drops packets looks like). Both families are probed at once, within one deadline.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Clock;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Report;
use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';
require_once __DIR__ . '/support/Hosts_File_Resolver.php';

/**
 * Per address family.
 */
class Address_Family_Test extends Probe_Test_Case {

	const NAME = 'smtp.dual-stack.test';

	/**
	 * Temporary hosts file and resolv.conf.
	 *
	 * @var Hosts_File_Resolver|null
	 */
	private static ?Hosts_File_Resolver $hosts = null;

	/**
	 * Server groups.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array( 'real' );
	}

	/**
	 * Starts the servers and writes the hosts file.
	 */
	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$hosts = new Hosts_File_Resolver( 'family', '127.0.0.1 ' . self::NAME . "\n::1 " . self::NAME . "\n" );
	}

	/**
	 * Removes the files and stops the servers.
	 */
	public static function tearDownAfterClass(): void {
		if ( null !== self::$hosts ) {
			self::$hosts->remove();
		}
		parent::tearDownAfterClass();
	}

	/**
	 * Probes the dual-stack name on the real server's STARTTLS port.
	 *
	 * @param float $timeout Deadline in seconds.
	 */
	private function probe_name( float $timeout ): Probe_Report {
		$resolver = self::$hosts->resolver();
		return ( new Port_Prober( null, $resolver ) )->probe(
			array(
				'host'    => self::NAME,
				'ports'   => array( self::port( 'good_starttls' ) ),
				'timeout' => $timeout,
				'cafile'  => self::$servers->certs->ca_file,
			)
		);
	}

	/**
	 * IPv6 black-holed, IPv4 works: both shown, IPv4 recommended and named, one deadline.
	 */
	public function test_black_holed_ipv6_and_working_ipv4_are_shown_apart(): void {
		$hole   = self::black_hole( '::1', self::port( 'good_starttls' ) );
		$clock  = new Clock();
		$start  = $clock->now();
		$report = $this->probe_name( 2.0 );
		$took   = $clock->now() - $start;
		self::close_black_hole( $hole );

		$this->assertLessThan( 2.4, $took, 'both families share the one deadline' );
		$result = $report->get_result( self::port( 'good_starttls' ) );
		$this->assertNotNull( $result );
		$this->assertTrue( $result->is_ok(), 'the port works over IPv4' );
		$data = $result->to_array();
		$this->assertArrayNotHasKey( 'address', array_column( $data['families'], null, 'family' )['ipv6'] );
		$families = array_column( $data['families'], null, 'family' );
		$this->assertSame( array( 'ipv4', 'ipv6' ), array_keys( $families ) );
		$this->assertSame( Verdict::OK, $families['ipv4']['verdict'] );
		$this->assertIsInt( $families['ipv4']['connect_ms'] );
		$this->assertSame( Verdict::TIMEOUT, $families['ipv6']['verdict'] );
		$this->assertSame( 'connect', $families['ipv6']['stage'] );
		$this->assertNull( $families['ipv6']['connect_ms'] );
		$this->assertSame( 'ipv4', $data['only_family'] );
		$this->assertStringContainsString( 'IPv6: no answer before the time limit (blocked) — IPv4: works.', $data['family_note'] );
		$this->assertStringContainsString( 'Mail is therefore sent over IPv4', $data['family_note'] );
		$this->assertSame( 'ipv4', $report->recommendation['family'] );
		$this->assertStringContainsString( 'Only IPv4 reaches the mail server on this port (IPv6 does not), so mail is sent over IPv4.', $report->recommendation['reason'] );
		$this->assertStringContainsString( 'using 127.0.0.1', $result->stages[0]['detail'] );
	}

	/**
	 * IPv6 black-holed under a long deadline: once IPv4 has answered, IPv6 gets a short grace
	 * (Port_Prober::FAMILY_GRACE), not the whole deadline, and the result says it was given up on.
	 */
	public function test_a_black_holed_family_is_given_up_on_after_the_other_answered(): void {
		$hole   = self::black_hole( '::1', self::port( 'good_starttls' ) );
		$clock  = new Clock();
		$start  = $clock->now();
		$report = $this->probe_name( 10.0 );
		$took   = $clock->now() - $start;
		self::close_black_hole( $hole );

		$this->assertLessThan( Port_Prober::FAMILY_GRACE + 2.0, $took, 'not the 10 s deadline' );
		$result = $report->get_result( self::port( 'good_starttls' ) );
		$this->assertNotNull( $result );
		$this->assertTrue( $result->is_ok() );
		$data     = $result->to_array();
		$families = array_column( $data['families'], null, 'family' );
		$this->assertSame( Verdict::TIMEOUT, $families['ipv6']['verdict'] );
		$this->assertStringContainsString( 'IPv6: no answer; given up 2 seconds after the other family answered (blocked) — IPv4: works.', $data['family_note'] );
	}

	/**
	 * Nothing listens on ::1: IPv6 refused, IPv4 works, at once (no waiting for the deadline).
	 */
	public function test_refused_ipv6_is_named_and_quick(): void {
		$clock  = new Clock();
		$start  = $clock->now();
		$report = $this->probe_name( 5.0 );
		$this->assertLessThan( 2.0, $clock->now() - $start );
		$data     = $report->to_array()['results'][0];
		$families = array_column( $data['families'], null, 'family' );
		$this->assertSame( Verdict::REFUSED, $families['ipv6']['verdict'] );
		$this->assertSame( 'network', $families['ipv6']['cause'] );
		$this->assertSame( Verdict::OK, $families['ipv4']['verdict'] );
		$this->assertStringStartsWith( 'IPv6: connection refused — IPv4: works.', $data['family_note'] );
		$this->assertSame( Address_Family::IPV4, $report->recommendation['family'] );
	}

	/**
	 * An IPv4 literal is one family: no per-family results, nothing named.
	 */
	public function test_single_family_host_has_no_family_results(): void {
		$report = $this->probe( array( 'good_starttls' ), array( 'host' => '127.0.0.1' ) );
		$data   = $report->to_array();
		$this->assertArrayNotHasKey( 'families', $data['results'][0] );
		$this->assertSame( '', $report->recommendation['family'] );
	}

	/**
	 * A listening socket on an address and port whose one backlog slot is taken: further
	 * connects get no answer.
	 *
	 * @param string $address Address.
	 * @param int    $port    Port.
	 * @return array{0: \Socket|resource, 1: resource}
	 */
	private static function black_hole( string $address, int $port ): array {
		$socket = socket_create( AF_INET6, SOCK_STREAM, SOL_TCP );
		socket_set_option( $socket, SOL_SOCKET, SO_REUSEADDR, 1 );
		if ( ! socket_bind( $socket, $address, $port ) || ! socket_listen( $socket, 0 ) ) {
			self::fail( 'cannot listen on [' . $address . ']:' . $port );
		}
		$filler = stream_socket_client( 'tcp://[' . $address . ']:' . $port, $errno, $errstr, 1, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT );
		$read   = array();
		$write  = array( $filler );
		$except = null;
		stream_select( $read, $write, $except, 1 );
		return array( $socket, $filler );
	}

	/**
	 * Closes a black hole.
	 *
	 * @param array{0: \Socket|resource, 1: resource} $hole Socket and filler.
	 */
	private static function close_black_hole( array $hole ): void {
		fclose( $hole[1] ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose
		socket_close( $hole[0] );
	}
}
