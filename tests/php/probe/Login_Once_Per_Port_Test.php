<?php
/**
 * One login per port: a dual-stack server (the real smtp-server listening on 127.0.0.1 and ::1,
 * reached through a name with A and AAAA) and a wrong password. The server counts every AUTH it
 * receives: one per port, however many address families the test goes over.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Probe\Clock;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';
require_once __DIR__ . '/support/Hosts_File_Resolver.php';

/**
 * Logins counted at the server.
 */
class Login_Once_Per_Port_Test extends Probe_Test_Case {

	const NAME = 'smtp.dual-stack.test';

	/**
	 * Temporary hosts file.
	 *
	 * @var Hosts_File_Resolver|null
	 */
	private static ?Hosts_File_Resolver $hosts = null;

	/**
	 * The dual-stack server.
	 *
	 * @var Server_Process|null
	 */
	private static ?Server_Process $dual = null;

	/**
	 * Its two STARTTLS ports.
	 *
	 * @var int[]
	 */
	private static array $ports = array();

	/**
	 * Certificates only: the servers of this class are started here.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array();
	}

	/**
	 * Starts the real smtp-server on [::] (IPv4 and IPv6) and writes the hosts file.
	 */
	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$ports = Server_Process::free_ports( 2 );
		self::$dual  = new Server_Process();
		self::$dual->start(
			array( 'node', __DIR__ . '/../servers/smtp-server-watchdog.js', self::$servers->dir . '/mail-dual' ),
			array(
				'SMTP_PORTS'       => implode( ',', self::$ports ),
				'SMTP_TLS_PORTS'   => '',
				'SMTP_RELAY_PORT'  => '1',
				'SMTP_CERT_DIR'    => self::$servers->certs->leaf_dir( 'good' ),
				'SMTP_HOST'        => '::',
				'SMTP_USER'        => 'test',
				'SMTP_PASS'        => 'secret',
				'WATCHDOG_SECONDS' => '120',
			),
			2,
			self::$servers->dir . '/smtp-dual.log'
		);
		self::$hosts = new Hosts_File_Resolver( 'login-once', '127.0.0.1 ' . self::NAME . "\n::1 " . self::NAME . "\n" );
	}

	/**
	 * Stops the server and removes the files.
	 */
	public static function tearDownAfterClass(): void {
		if ( null !== self::$dual ) {
			self::$dual->stop();
		}
		if ( null !== self::$hosts ) {
			self::$hosts->remove();
		}
		parent::tearDownAfterClass();
	}

	/**
	 * The AUTH attempts the server logged since the last call, per port and remote family.
	 *
	 * @return array<int, int> Port => attempts.
	 */
	private static function logins(): array {
		$counts = array_fill_keys( self::$ports, 0 );
		foreach ( explode( "\n", self::$dual->read_output() ) as $line ) {
			$event = json_decode( $line, true );
			if ( is_array( $event ) && 'auth' === ( $event['event'] ?? '' ) ) {
				++$counts[ (int) $event['port'] ];
			}
		}
		return $counts;
	}

	public function test_a_wrong_password_reaches_each_port_once_over_two_families(): void {
		self::logins();
		$report = ( new Port_Prober( null, self::$hosts->resolver() ) )->probe(
			array(
				'host'     => self::NAME,
				'ports'    => self::$ports,
				'timeout'  => 5.0,
				'cafile'   => self::$servers->certs->ca_file,
				'username' => 'test',
				'password' => 'wrong-password',
			)
		);
		usleep( 200000 ); // The server's log line of the last AUTH.

		$this->assertSame( array_fill_keys( self::$ports, 1 ), self::logins(), 'one login per port, not one per address family' );
		foreach ( self::$ports as $port ) {
			$result = $report->get_result( $port );
			$this->assertNotNull( $result );
			$this->assertSame( Verdict::AUTH_FAILED, $result->verdict, 'the port refused the login' );
			$families = array_column( $result->to_array()['families'], null, 'family' );
			$this->assertSame( array( Verdict::AUTH_FAILED, Verdict::AUTH_FAILED ), array( $families['ipv4']['verdict'], $families['ipv6']['verdict'] ), 'the family that did not log in carries the login\'s outcome' );
			$this->assertStringContainsString( 'login checked over', $families['ipv4']['detail'] . $families['ipv6']['detail'] );
		}
	}

	public function test_the_right_password_logs_in_once_and_both_families_work(): void {
		self::logins();
		$report = ( new Port_Prober( null, self::$hosts->resolver() ) )->probe(
			array(
				'host'     => self::NAME,
				'ports'    => array( self::$ports[0] ),
				'timeout'  => 5.0,
				'cafile'   => self::$servers->certs->ca_file,
				'username' => 'test',
				'password' => 'secret',
			)
		);
		usleep( 200000 );
		$this->assertSame( 1, self::logins()[ self::$ports[0] ] );
		$result = $report->get_result( self::$ports[0] );
		$this->assertNotNull( $result );
		$this->assertTrue( $result->is_ok() );
		$families = array_column( $result->to_array()['families'], null, 'family' );
		$this->assertSame( array( Verdict::OK, Verdict::OK ), array( $families['ipv4']['verdict'], $families['ipv6']['verdict'] ) );
	}
}
