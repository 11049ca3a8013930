<?php
/**
 * DNS counts against the deadline, through the system's own configuration: in a network and
 * mount namespace of its own, /etc/resolv.conf names a UDP socket that drops every query, and each
 * front door (REST port test, test email, Site Health, CLI) must answer `dns_failed` within its
 * deadline + 0.3 s, while /etc/hosts keeps working. Creating namespaces needs root (CI runs as
 * root); a normal user skips with the reason. Nothing leaves the machine: the namespace has only
 * its own loopback.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Health\Port_Check;

/**
 * @group runs-alone
 */
final class Dns_Deadline_Namespace_Test extends TestCase {

	/**
	 * Past the 1 s deadline: a busy machine (two test commands on 2 cores) has taken 1.5 s; without
	 * the deadline the system resolver waits 5 s a try.
	 */
	private const SLACK = 1.0;

	/** @var array<string, array{seconds: float, outcome: array<string, mixed>}> */
	private static array $results = array();

	private static string $skip = '';

	public static function setUpBeforeClass(): void {
		if ( ! function_exists( 'posix_geteuid' ) || 0 !== posix_geteuid() ) {
			self::$skip = 'creating a network and mount namespace needs root (run the integration suite as root, as CI does)';
			return;
		}
		foreach ( array( 'unshare', 'ip', 'mount' ) as $tool ) {
			if ( '' === trim( (string) shell_exec( 'command -v ' . $tool . ' 2>/dev/null' ) ) ) {
				self::$skip = "`$tool` is not installed (util-linux / iproute2)";
				return;
			}
		}
		// The deadlines are measured here, once for the class: no test of another suite beside them.
		Suite_Lock::enter( array( Suite_Lock::ALONE ) );
		try {
			self::measure();
		} finally {
			Suite_Lock::leave();
		}
	}

	private static function measure(): void {
		$root   = dirname( __DIR__, 3 );
		$socket = $root . '/.run/mysql/mysqld.sock';
		$dir    = sys_get_temp_dir() . '/sph-silent-dns-' . getmypid();
		@mkdir( $dir, 0700 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		file_put_contents( $dir . '/resolv.conf', "nameserver 127.0.0.1\n" );
		file_put_contents( $dir . '/hosts', "127.0.0.1 localhost\n127.0.0.1 smtp.from-hosts.test\n" );
		$script = implode(
			"\n",
			array(
				'set -e',
				'ip link set lo up',
				'mount --bind ' . escapeshellarg( $dir . '/resolv.conf' ) . ' /etc/resolv.conf',
				'mount --bind ' . escapeshellarg( $dir . '/hosts' ) . ' /etc/hosts',
				'php ' . escapeshellarg( __DIR__ . '/support/silent-name-server.php' ) . ' ' . escapeshellarg( $dir . '/ready' ) . ' >/dev/null 2>&1 &',
				'silent=$!',
				'for i in 1 2 3 4 5 6 7 8 9 10; do [ -f ' . escapeshellarg( $dir . '/ready' ) . ' ] && break; sleep 0.1; done',
				'timeout 90 php -d display_errors=stderr ' . escapeshellarg( __DIR__ . '/support/silent-dns-front-doors.php' ) . ' ' . escapeshellarg( $socket ) . ' ' . escapeshellarg( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp' ) . ' || true',
				'kill "$silent"',
			)
		);
		// The mounts and the name server exist only inside these namespaces, and end with them.
		$output = (string) shell_exec( 'unshare --net --mount --propagation private --fork --kill-child sh -c ' . escapeshellarg( $script ) . ' 2>' . escapeshellarg( $dir . '/stderr' ) );
		$stderr = (string) @file_get_contents( $dir . '/stderr' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		foreach ( array( 'resolv.conf', 'hosts', 'ready', 'stderr' ) as $file ) {
			@unlink( $dir . '/' . $file ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		}
		@rmdir( $dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		if ( ! preg_match( '/^RESULT: (.*)$/m', $output, $match ) ) {
			self::$skip = 'FAILED: no result from inside the namespace. Output: ' . substr( $output, -2000 ) . ' Errors: ' . substr( $stderr, -2000 );
			return;
		}
		self::$results = (array) json_decode( $match[1], true );
	}

	protected function setUp(): void {
		if ( 0 === strpos( self::$skip, 'FAILED' ) ) {
			$this->fail( self::$skip );
		}
		if ( '' !== self::$skip ) {
			$this->markTestSkipped( self::$skip );
		}
	}

	public function test_rest_port_test_stops_at_its_deadline(): void {
		$result = self::$results['rest_port_test'];
		$this->assertLessThan( 1 + self::SLACK, $result['seconds'] );
		$this->assertCount( 2, $result['outcome']['results'] );
		foreach ( $result['outcome']['results'] as $port ) {
			$this->assertSame( 'dns_failed', $port['verdict'], (string) wp_json_encode( $port ) );
			$this->assertStringContainsString( 'The DNS server did not answer within 1 s', $port['message'] );
		}
	}

	public function test_hosts_file_keeps_working(): void {
		$result = self::$results['hosts_file'];
		$this->assertLessThan( 1 + self::SLACK, $result['seconds'] );
		foreach ( $result['outcome']['results'] as $port ) {
			$this->assertNotSame( 'dns_failed', $port['verdict'], (string) wp_json_encode( $port ) );
			$this->assertStringContainsString( 'using 127.0.0.1', $port['stages'][0]['detail'], (string) wp_json_encode( $port ) );
		}
	}

	public function test_test_email_stops_within_the_messages_time_limit(): void {
		$result = self::$results['test_email'];
		$this->assertLessThan( 1 + self::SLACK, $result['seconds'], (string) wp_json_encode( $result ) );
		$this->assertSame( 502, $result['outcome']['status'], (string) wp_json_encode( $result ) );
		$this->assertSame( 'dns_failed', $result['outcome']['data']['data']['verdict'] );
		$this->assertStringContainsString( 'The DNS server did not answer within 1 s', $result['outcome']['data']['data']['diagnosis'] );
	}

	public function test_site_health_stops_at_its_deadline(): void {
		$result = self::$results['site_health'];
		$this->assertLessThan( Port_Check::PROBE_TIMEOUT + self::SLACK, $result['seconds'] );
		$this->assertSame( 'critical', $result['outcome']['status'] );
		$this->assertStringContainsString( 'The DNS server did not answer within', $result['outcome']['description'] );
	}

	public function test_cli_port_test_stops_at_its_deadline(): void {
		$result = self::$results['cli'];
		$this->assertLessThan( 1 + self::SLACK, $result['seconds'] );
		$this->assertSame( 1, $result['outcome']['exit'] );
		$this->assertSame( 'dns_failed', $result['outcome']['rows'][0]['verdict'] );
		$this->assertStringContainsString( 'The DNS server did not answer within 1 s', $result['outcome']['rows'][0]['message'] );
	}
}
