<?php
/**
 * Tests for Resolver_Config (the hosts file and resolv.conf as the C library reads them) and
 * Dns_Packet (queries, answers, malformed input).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Net;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Dns_Packet;
use SmtpPortHelper\Net\Resolver_Config;

/**
 * Resolver configuration and DNS messages.
 */
class Resolver_Config_Test extends TestCase {

	/**
	 * Temporary directory.
	 *
	 * @var string
	 */
	private string $dir = '';

	/**
	 * Creates the directory.
	 */
	protected function setUp(): void {
		$this->dir = sys_get_temp_dir() . '/sph-resolver-' . getmypid();
		@mkdir( $this->dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
	}

	/**
	 * Removes it.
	 */
	protected function tearDown(): void {
		foreach ( (array) glob( $this->dir . '/*' ) as $file ) {
			unlink( (string) $file );
		}
		rmdir( $this->dir );
	}

	/**
	 * A configuration from file contents.
	 *
	 * @param string $hosts  Hosts file.
	 * @param string $resolv resolv.conf.
	 */
	private function config( string $hosts, string $resolv ): Resolver_Config {
		file_put_contents( $this->dir . '/hosts', $hosts );
		file_put_contents( $this->dir . '/resolv.conf', $resolv );
		return new Resolver_Config( $this->dir . '/hosts', $this->dir . '/resolv.conf' );
	}

	/**
	 * Hosts file: aliases, case, comments, both families.
	 */
	public function test_hosts_file(): void {
		$config = $this->config( "# comment\n127.0.0.1\tlocalhost\n10.0.0.25 relay.lan Relay # the relay\n::1 ip6-localhost\nfd00::25 relay.lan\n#10.9.9.9 relay.lan\n", '' );
		$this->assertSame(
			array(
				'a'    => array( '10.0.0.25' ),
				'aaaa' => array( 'fd00::25' ),
			),
			$config->from_hosts( 'RELAY.lan.' )
		);
		$this->assertSame( array( '10.0.0.25' ), $config->from_hosts( 'relay' )['a'] );
		$this->assertSame( array(), $config->from_hosts( 'missing.lan' )['a'] );
	}

	/**
	 * Name servers: at most three, scope ids dropped, 127.0.0.1 when none.
	 */
	public function test_name_servers(): void {
		$this->assertSame( array( '127.0.0.1' ), $this->config( '', "# none\n" )->name_servers() );
		$this->assertSame(
			array( '192.0.2.53', 'fe80::1', '2001:db8::53' ),
			$this->config( '', "nameserver 192.0.2.53\nnameserver not-an-ip\nnameserver fe80::1%eth0\nnameserver 2001:db8::53\nnameserver 192.0.2.54\n" )->name_servers()
		);
	}

	/**
	 * Search domains for names with fewer dots than ndots; the last search line wins.
	 */
	public function test_candidates(): void {
		$config = $this->config( '', "domain old.example\nsearch Corp.Example lan\noptions ndots:2 timeout:1\n" );
		$this->assertSame( array( 'mail.corp.example', 'mail.lan', 'mail' ), $config->candidates( 'mail' ) );
		$this->assertSame( array( 'smtp.mail.corp.example', 'smtp.mail.lan', 'smtp.mail' ), $config->candidates( 'smtp.mail' ) );
		$this->assertSame( array( 'smtp.mail.example' ), $config->candidates( 'smtp.mail.example' ) );
		$this->assertSame( array( 'smtp.example.com' ), $this->config( '', "search lan\n" )->candidates( 'smtp.example.com.' ) );
	}

	/**
	 * A query's bytes, and answers read back, compressed names included; malformed input is null.
	 */
	public function test_packets(): void {
		$query = Dns_Packet::query( 0x1234, 'smtp.example.com', Dns_Packet::TYPE_A );
		$this->assertSame( "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x04smtp\x07example\x03com\x00\x00\x01\x00\x01", $query );

		$question = substr( $query, 12 );
		$target   = "\x04mail\x07example\x03com\x00";
		$answer   = "\x12\x34\x81\x80\x00\x01\x00\x03\x00\x00\x00\x00" . $question
			. "\xc0\x0c" . pack( 'nnNn', 5, 1, 60, strlen( $target ) ) . $target
			. "\xc0\x2e" . pack( 'nnNn', 1, 1, 60, 4 ) . inet_pton( '192.0.2.25' )
			. "\xc0\x2e" . pack( 'nnNn', 28, 1, 60, 16 ) . inet_pton( '2001:db8::25' );
		$this->assertSame(
			array(
				'id'        => 0x1234,
				'rcode'     => 0,
				'addresses' => array( '192.0.2.25' ),
			),
			Dns_Packet::parse( $answer, Dns_Packet::TYPE_A )
		);
		$this->assertSame( array( '2001:db8::25' ), Dns_Packet::parse( $answer, Dns_Packet::TYPE_AAAA )['addresses'] ?? null );

		$nxdomain = "\x12\x34\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00" . $question;
		$this->assertSame( Dns_Packet::RCODE_NXDOMAIN, Dns_Packet::parse( $nxdomain, Dns_Packet::TYPE_A )['rcode'] ?? null );

		$this->assertNull( Dns_Packet::parse( $query, Dns_Packet::TYPE_A ), 'a query is no answer' );
		$this->assertNull( Dns_Packet::parse( "\x12\x34\x81", Dns_Packet::TYPE_A ) );
		$this->assertNull( Dns_Packet::parse( substr( $answer, 0, -3 ), Dns_Packet::TYPE_A ), 'a truncated record' );
		$this->assertNull( Dns_Packet::parse( "\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\x3fabc", Dns_Packet::TYPE_A ), 'a name running off the end' );
	}
}
