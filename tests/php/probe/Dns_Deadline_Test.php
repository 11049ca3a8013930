<?php
/**
 * Look-ups inside the deadline, against real name servers on loopback: one that answers, one
 * that never does; the hosts file first; the address policy on what a name resolves to.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Resolver_Config;
use SmtpPortHelper\Probe\Clock;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';

/**
 * DNS within the deadline.
 */
class Dns_Deadline_Test extends Probe_Test_Case {

	/**
	 * The test name server process.
	 *
	 * @var resource|null
	 */
	private static $dns_process = null;

	/**
	 * Its port.
	 *
	 * @var int
	 */
	private static int $dns_port = 0;

	/**
	 * A socket that receives queries and never answers.
	 *
	 * @var resource|null
	 */
	private static $silent = null;

	/**
	 * Its port.
	 *
	 * @var int
	 */
	private static int $silent_port = 0;

	/**
	 * Temporary files.
	 *
	 * @var string
	 */
	private static string $dir = '';

	/**
	 * SMTP servers: the real one only.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array( 'real' );
	}

	/**
	 * Starts the name servers.
	 */
	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		$zone              = array(
			'smtp.answering.test'   => array(
				'a'    => array( '127.0.0.1' ),
				'aaaa' => array( '::1' ),
			),
			'alias.answering.test'  => array(
				'cname' => 'smtp.answering.test',
				'a'     => array( '127.0.0.1' ),
			),
			'mixed.answering.test'  => array(
				'a'    => array( '169.254.169.254', '127.0.0.1' ),
				'aaaa' => array( 'fe80::1' ),
			),
			'short.corp.test'       => array( 'a' => array( '127.0.0.1' ) ),
			'v4only.answering.test' => array(
				'a'    => array( '127.0.0.1' ),
				'aaaa' => 'drop',
			),
		);
		$pipes             = array();
		self::$dns_process = proc_open( array( PHP_BINARY, __DIR__ . '/support/dns-server.php', (string) json_encode( $zone ) ), array( 1 => array( 'pipe', 'w' ) ), $pipes );
		self::$dns_port    = (int) fgets( $pipes[1] );
		self::$silent      = stream_socket_server( 'udp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND );
		$name              = (string) stream_socket_get_name( self::$silent, false );
		self::$silent_port = (int) substr( $name, strrpos( $name, ':' ) + 1 );
		self::$dir         = sys_get_temp_dir() . '/sph-dns-' . getmypid();
		@mkdir( self::$dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		file_put_contents( self::$dir . '/resolv.conf', "# test\nsearch corp.test\nnameserver 127.0.0.1\n" );
		file_put_contents( self::$dir . '/hosts', "127.0.0.1 localhost\n127.0.0.1 mail.from-hosts.test  # comment\n::1 mail.from-hosts.test\n10.0.0.25 relay.from-hosts.test\n" );
	}

	/**
	 * Stops them.
	 */
	public static function tearDownAfterClass(): void {
		if ( is_resource( self::$dns_process ) ) {
			proc_terminate( self::$dns_process );
			proc_close( self::$dns_process );
		}
		if ( is_resource( self::$silent ) ) {
			fclose( self::$silent );
		}
		foreach ( array( 'resolv.conf', 'hosts' ) as $file ) {
			@unlink( self::$dir . '/' . $file ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		}
		@rmdir( self::$dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		parent::tearDownAfterClass();
	}

	/**
	 * A resolver asking one of the test name servers.
	 *
	 * @param bool $silent Whether it asks the one that never answers.
	 */
	private static function resolver( bool $silent ): Dns_Resolver {
		return new Dns_Resolver( new Resolver_Config( self::$dir . '/hosts', self::$dir . '/resolv.conf' ), $silent ? self::$silent_port : self::$dns_port );
	}

	/**
	 * Answers arrive: A and AAAA, a CNAME's target, NXDOMAIN, the search domain.
	 */
	public function test_answers(): void {
		$resolver = self::resolver( false );
		$both     = $resolver->resolve( Host_Name::parse( 'smtp.answering.test' ), 2.0 );
		$this->assertSame( array( '127.0.0.1' ), $both['a'] );
		$this->assertSame( array( '::1' ), $both['aaaa'] );
		$this->assertSame( '', $both['error'] );
		$this->assertSame( array( '127.0.0.1' ), $resolver->resolve( Host_Name::parse( 'alias.answering.test' ), 2.0 )['a'] );
		$missing = $resolver->resolve( Host_Name::parse( 'nothing.answering.test' ), 2.0 );
		$this->assertSame( 'NXDOMAIN', $missing['error'] );
		$this->assertFalse( $missing['no_answer'] );
		$this->assertSame( array( '127.0.0.1' ), $resolver->resolve( Host_Name::parse( 'short' ), 2.0 )['a'] );
	}

	/**
	 * A name server that answers A but drops AAAA holds the look-up only briefly.
	 */
	public function test_missing_aaaa_answer_waits_briefly(): void {
		$clock   = new Clock();
		$started = $clock->now();
		$result  = self::resolver( false )->resolve( Host_Name::parse( 'v4only.answering.test' ), 5.0 );
		$this->assertSame( array( '127.0.0.1' ), $result['a'] );
		$this->assertLessThan( 1.0, $clock->now() - $started );
	}

	/**
	 * A name server that never answers: the look-up stops at its time limit and says so.
	 */
	public function test_silent_name_server_stops_at_the_limit(): void {
		$clock   = new Clock();
		$started = $clock->now();
		$result  = self::resolver( true )->resolve( Host_Name::parse( 'smtp.answering.test' ), 1.0 );
		$elapsed = $clock->now() - $started;
		$this->assertTrue( $result['no_answer'] );
		$this->assertSame( 'the DNS server did not answer within 1 s', $result['error'] );
		$this->assertGreaterThanOrEqual( 0.95, $elapsed );
		$this->assertLessThan( 1.3, $elapsed );
	}

	/**
	 * A name server whose port is closed fails the look-up at once, not at the time limit.
	 */
	public function test_closed_name_server_port_fails_at_once(): void {
		$probe = stream_socket_server( 'udp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND );
		$name  = (string) stream_socket_get_name( $probe, false );
		fclose( $probe ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose
		$closed   = (int) substr( $name, strrpos( $name, ':' ) + 1 );
		$resolver = new Dns_Resolver( new Resolver_Config( self::$dir . '/hosts', self::$dir . '/resolv.conf' ), $closed );
		$clock    = new Clock();
		$started  = $clock->now();
		$result   = $resolver->resolve( Host_Name::parse( 'smtp.answering.test' ), 3.0 );
		$this->assertLessThan( 0.5, $clock->now() - $started );
		$this->assertNotSame( '', $result['error'] );
		$this->assertFalse( $result['no_answer'] );
	}

	/**
	 * The hosts file answers first, even when the name server never does.
	 */
	public function test_hosts_file_first(): void {
		$clock   = new Clock();
		$started = $clock->now();
		$result  = self::resolver( true )->resolve( Host_Name::parse( 'MAIL.from-hosts.test' ), 5.0 );
		$this->assertSame( array( '127.0.0.1' ), $result['a'] );
		$this->assertSame( array( '::1' ), $result['aaaa'] );
		$this->assertLessThan( 0.2, $clock->now() - $started );
	}

	/**
	 * The whole port test, with a name server that never answers, ends within deadline + 0.3 s
	 * with dns_failed in plain words.
	 */
	public function test_port_test_with_silent_name_server(): void {
		$clock   = new Clock();
		$started = $clock->now();
		$report  = ( new Port_Prober( null, self::resolver( true ) ) )->probe(
			array(
				'host'    => 'smtp.answering.test',
				'ports'   => array( 587, 2525, 465 ),
				'timeout' => 1,
			)
		);
		$this->assertLessThan( 1.3, $clock->now() - $started );
		foreach ( $report->to_array()['results'] as $result ) {
			$this->assertSame( Verdict::DNS_FAILED, $result['verdict'] );
			$this->assertStringContainsString( 'did not answer within 1 s', $result['message'] );
		}
	}

	/**
	 * A name resolving only to internal addresses, for a sub-site administrator: address_refused,
	 * and neither the address nor the server's bytes in the answer.
	 */
	public function test_name_to_internal_address_refused_for_site_administrator(): void {
		$policy = new Address_Policy( false, null );
		$report = ( new Port_Prober( null, self::resolver( false ) ) )->probe(
			array(
				'host'    => 'smtp.answering.test',
				'ports'   => array( self::port( 'good_starttls' ) ),
				'timeout' => 3,
				'policy'  => $policy,
			)
		);
		$json   = (string) json_encode( $report->to_array() );
		$result = $report->to_array()['results'][0];
		$this->assertSame( Verdict::ADDRESS_REFUSED, $result['verdict'], $json );
		$this->assertSame( Verdict::CAUSE_HOST_NAME, $result['cause'] );
		$this->assertArrayNotHasKey( 'address', $result );
		$this->assertStringNotContainsString( '127.0.0.1', $json );
		$this->assertStringNotContainsString( '::1', $json );
		$this->assertStringNotContainsString( 'ESMTP', $json );
		$this->assertStringContainsString( 'internal network', $result['message'] );
	}

	/**
	 * Mixed answers: the refused addresses are skipped and never shown, the allowed one is used.
	 */
	public function test_mixed_answer_uses_the_allowed_address(): void {
		$report = ( new Port_Prober( null, self::resolver( false ) ) )->probe(
			array(
				'host'    => 'mixed.answering.test',
				'ports'   => array( self::port( 'good_starttls' ) ),
				'timeout' => 5,
				'policy'  => Address_Policy::administrator(),
				'cafile'  => self::$servers->certs->ca_file,
			)
		);
		$result = $report->to_array()['results'][0];
		$json   = (string) json_encode( $result );
		$this->assertSame( '127.0.0.1', $result['address'] ?? null, $json );
		$this->assertStringNotContainsString( '169.254', $json );
		$this->assertStringNotContainsString( 'fe80', $json );
	}
}
