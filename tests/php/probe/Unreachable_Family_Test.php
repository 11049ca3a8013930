<?php
/**
 * "Unreachable" from a real socket error: in a network namespace of its own (only loopback),
 * IPv6 to fd00:5ea::/64 has an `unreachable` route, so connect() fails at once with "No route
 * to host" — the broken IPv6 route of a web server whose IPv4 works. Creating the namespace
 * needs root (CI runs as root); a normal user skips with the reason.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Verdict;

/**
 * IPv6: no route — IPv4: works.
 */
final class Unreachable_Family_Test extends TestCase {

	/**
	 * What the probe inside the namespace reported.
	 *
	 * @var array<string, mixed>
	 */
	private static array $outcome = array();

	/**
	 * Why the tests are skipped ('' when they run; "FAILED: ..." makes them fail).
	 *
	 * @var string
	 */
	private static string $skip = '';

	/**
	 * Runs the probe inside a new network namespace.
	 */
	public static function setUpBeforeClass(): void {
		if ( ! function_exists( 'posix_geteuid' ) || 0 !== posix_geteuid() ) {
			self::$skip = 'creating a network namespace with an unreachable IPv6 route needs root (run the probe suite as root, as CI does)';
			return;
		}
		foreach ( array( 'unshare', 'ip' ) as $tool ) {
			if ( '' === trim( (string) shell_exec( 'command -v ' . $tool . ' 2>/dev/null' ) ) ) {
				self::$skip = "`$tool` is not installed (util-linux / iproute2)";
				return;
			}
		}
		$dir = sys_get_temp_dir() . '/sph-unreachable-' . getmypid();
		@mkdir( $dir, 0700 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		$script = implode(
			"\n",
			array(
				'set -e',
				'ip link set lo up',
				'ip -6 route add unreachable fd00:5ea::/64',
				'timeout 60 php -d display_errors=stderr ' . escapeshellarg( __DIR__ . '/support/unreachable-family.php' ) . ' ' . escapeshellarg( $dir ),
			)
		);
		$output = (string) shell_exec( 'unshare --net --fork --kill-child sh -c ' . escapeshellarg( $script ) . ' 2>' . escapeshellarg( $dir . '/stderr' ) );
		$stderr = (string) @file_get_contents( $dir . '/stderr' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		foreach ( array( 'hosts', 'resolv.conf', 'stderr' ) as $file ) {
			@unlink( $dir . '/' . $file ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		}
		@rmdir( $dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		if ( ! preg_match( '/^RESULT: (.*)$/m', $output, $match ) ) {
			self::$skip = 'FAILED: no result from inside the namespace. Output: ' . substr( $output, -2000 ) . ' Errors: ' . substr( $stderr, -2000 );
			return;
		}
		self::$outcome = (array) json_decode( $match[1], true );
	}

	/**
	 * Skips or fails with the reason.
	 */
	protected function setUp(): void {
		if ( 0 === strpos( self::$skip, 'FAILED' ) ) {
			$this->fail( self::$skip );
		}
		if ( '' !== self::$skip ) {
			$this->markTestSkipped( self::$skip );
		}
	}

	/**
	 * The name: IPv6 unreachable, IPv4 works; shown apart, IPv4 recommended, no waiting.
	 */
	public function test_name_with_unreachable_aaaa_works_over_ipv4(): void {
		$report = self::$outcome['name'];
		$this->assertLessThan( 2.0, self::$outcome['name_seconds'], 'an unreachable route fails at once, not at the deadline' );
		$result   = $report['results'][0];
		$families = array_column( $result['families'], null, 'family' );
		$this->assertSame( Verdict::OK, $result['verdict'] );
		$this->assertSame( Verdict::UNREACHABLE, $families['ipv6']['verdict'], (string) json_encode( $families['ipv6'] ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode
		$this->assertSame( 'connect', $families['ipv6']['stage'] );
		$this->assertSame( Verdict::OK, $families['ipv4']['verdict'] );
		$this->assertSame( 'ipv4', $result['only_family'] );
		$this->assertStringStartsWith( 'IPv6: no route to the server (unreachable) — IPv4: works.', $result['family_note'] );
		$this->assertSame( 'ipv4', $report['recommendation']['family'] );
	}

	/**
	 * The bare IPv6 address: the socket error itself becomes `unreachable`, not refused or timeout.
	 */
	public function test_socket_error_gives_unreachable(): void {
		$result = self::$outcome['literal']['results'][0];
		$this->assertSame( Verdict::UNREACHABLE, $result['verdict'] );
		$this->assertSame( 'network', $result['cause'] );
		$this->assertMatchesRegularExpression( '/no route to host|network is unreachable/i', $result['detail'] );
		$this->assertStringContainsString( 'could not be reached', $result['message'] );
		$this->assertArrayNotHasKey( 'families', $result );
		$this->assertNull( self::$outcome['literal']['recommendation'] );
	}
}
