<?php
/**
 * Issue #21's "Done when" host: every SMTP port closed by a firewall. In a network namespace of its
 * own whose nftables rules reject outbound TCP to 25, 465, 587 and 2525 (SMTP listeners wait on all
 * four behind it), the port test of a provider's SMTP host (SendGrid, Postmark, Resend, Brevo) finds
 * no SMTP port and recommends the provider's HTTPS API on 443; applied, a visitor's password reset
 * arrives at the provider's local API server exactly once, with its reset link.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\BlockedPorts;

use PHPUnit\Framework\TestCase;

final class Blocked_Ports_Namespace_Test extends TestCase {

	private const BLOCKED = array( 25, 465, 587, 2525 );

	/**
	 * Provider => its SMTP host and a key its local API server (env/providers/) accepts.
	 */
	private const PROVIDERS = array(
		'sendgrid' => array( 'smtp.sendgrid.net', 'SG.local-sendgrid-key' ),
		'postmark' => array( 'smtp.postmarkapp.com', 'local-postmark-server-token' ),
		'resend'   => array( 'smtp.resend.com', 're_local_full_key' ),
		'brevo'    => array( 'smtp-relay.brevo.com', 'xkeysib-local-brevo-key' ),
	);

	private static string $root;

	private string $namespace = '';

	/** @var list<resource> */
	private array $processes = array();

	private string $store = '';

	public static function setUpBeforeClass(): void {
		self::$root = dirname( __DIR__, 3 );
	}

	protected function setUp(): void {
		if ( ! function_exists( 'posix_geteuid' ) || 0 !== posix_geteuid() ) {
			$this->markTestSkipped( 'needs root: it creates a network namespace and its firewall (ip netns, nft)' );
		}
		foreach ( array( 'ip', 'nft', 'node' ) as $tool ) {
			if ( '' === trim( (string) shell_exec( 'command -v ' . $tool ) ) ) {
				$this->markTestSkipped( "needs `{$tool}` (Debian: iproute2, nftables, nodejs)" );
			}
		}
		if ( ! is_file( self::$root . '/.run/wp-sqlite/wp-config.php' ) ) {
			$this->markTestSkipped( 'needs the stack\'s SQLite WordPress: bash env/stack.sh start' );
		}
		$this->namespace = 'sph-blocked-' . getmypid();
		$this->run_command( array( 'ip', 'netns', 'add', $this->namespace ) );
		$this->in_namespace( array( 'ip', 'link', 'set', 'lo', 'up' ) );
		$ports = implode( ', ', self::BLOCKED );
		$rules = "table inet sph_blocked {\n chain output {\n  type filter hook output priority 0; policy accept;\n  tcp dport { {$ports} } reject with tcp reset\n }\n}\n";
		$this->in_namespace( array( 'nft', '-f', '-' ), $rules );
		// The namespace's own hosts file (ip netns exec mounts it over /etc/hosts).
		@mkdir( '/etc/netns/' . $this->namespace, 0755, true ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		file_put_contents( '/etc/netns/' . $this->namespace . '/hosts', "127.0.0.1 localhost " . implode( ' ', array_column( self::PROVIDERS, 0 ) ) . "\n" );
	}

	protected function tearDown(): void {
		foreach ( $this->processes as $process ) {
			proc_terminate( $process );
			proc_close( $process );
		}
		if ( '' !== $this->namespace ) {
			@unlink( '/etc/netns/' . $this->namespace . '/hosts' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			@rmdir( '/etc/netns/' . $this->namespace ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			exec( 'ip netns delete ' . escapeshellarg( $this->namespace ) . ' 2>&1' );
		}
		if ( '' !== $this->store ) {
			exec( 'rm -rf ' . escapeshellarg( $this->store ) );
		}
	}

	/**
	 * @param list<string> $command Command.
	 * @param string       $stdin   Standard input.
	 * @return string Standard output.
	 */
	private function run_command( array $command, string $stdin = '' ): string {
		$process = proc_open( $command, array( array( 'pipe', 'r' ), array( 'pipe', 'w' ), array( 'pipe', 'w' ) ), $pipes );
		$this->assertIsResource( $process );
		fwrite( $pipes[0], $stdin );
		fclose( $pipes[0] );
		$out = (string) stream_get_contents( $pipes[1] );
		$err = (string) stream_get_contents( $pipes[2] );
		$this->assertSame( 0, proc_close( $process ), implode( ' ', $command ) . ': ' . $err . $out );
		return $out;
	}

	/**
	 * @param list<string> $command Command.
	 * @param string       $stdin   Standard input.
	 */
	private function in_namespace( array $command, string $stdin = '' ): string {
		return $this->run_command( array_merge( array( 'ip', 'netns', 'exec', $this->namespace ), $command ), $stdin );
	}

	/**
	 * Starts a server in the namespace and waits until it printed `$ready` times "listening".
	 *
	 * @param list<string>          $command Command.
	 * @param array<string, string> $env     Extra environment.
	 * @param int                   $ready   How many "listening" lines to wait for.
	 */
	private function start_in_namespace( array $command, array $env, int $ready ): void {
		$process = proc_open( array_merge( array( 'ip', 'netns', 'exec', $this->namespace ), $command ), array( array( 'pipe', 'r' ), array( 'pipe', 'w' ), array( 'file', '/dev/null', 'w' ) ), $pipes, null, $env + getenv() );
		$this->assertIsResource( $process );
		$this->processes[] = $process;
		$seen              = 0;
		$output            = '';
		$until             = microtime( true ) + 20;
		while ( $seen < $ready && microtime( true ) < $until ) {
			$line = fgets( $pipes[1] );
			if ( false === $line ) {
				usleep( 50000 );
				continue;
			}
			$output .= $line;
			$seen    = substr_count( $output, 'listening' );
		}
		$this->assertGreaterThanOrEqual( $ready, $seen, 'server did not start: ' . $output );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public function providers(): array {
		return array_combine( array_keys( self::PROVIDERS ), array_map( static fn( string $id ): array => array( $id ), array_keys( self::PROVIDERS ) ) );
	}

	/**
	 * @dataProvider providers
	 */
	public function test_with_every_smtp_port_rejected_the_port_test_recommends_the_https_api_and_a_password_reset_arrives_through_it_once( string $provider ): void {
		list( $smtp_host, $key ) = self::PROVIDERS[ $provider ];
		$listeners = 'const net = require( "net" ); for ( const port of [ ' . implode( ', ', self::BLOCKED ) . ' ] ) { net.createServer( ( s ) => s.end( "220 ready\r\n" ) ).listen( port, "127.0.0.1", () => console.log( "listening " + port ) ); }';
		$this->start_in_namespace( array( 'node', '-e', $listeners ), array(), count( self::BLOCKED ) );
		$this->store = sys_get_temp_dir() . '/sph-blocked-api-' . getmypid();
		$this->start_in_namespace(
			array( 'node', self::$root . '/env/providers/api-servers.js', $this->store ),
			array(
				'PROVIDER_API_PORTS'    => $provider . '=443',
				'PROVIDER_API_CERT_DIR' => self::$root . '/.run/smtp',
			),
			1
		);
		// The listeners are there, and the firewall refuses the way to them.
		$probe = 'foreach ( [ ' . implode( ', ', self::BLOCKED ) . ' ] as $p ) { $s = @stream_socket_client( "tcp://127.0.0.1:$p", $no, $msg, 2 ); echo $p, "=", false === $s ? $no : "open", "\n"; }';
		$this->assertSame( "25=111\n465=111\n587=111\n2525=111\n", $this->in_namespace( array( 'php', '-r', $probe ) ), 'every SMTP port is refused (ECONNREFUSED) although a server listens' );

		$flow = $this->run_command(
			array( 'ip', 'netns', 'exec', $this->namespace, 'env', 'SPH_API_ENDPOINT=https://127.0.0.1:443', 'SPH_API_KEY=' . $key, 'SPH_SMTP_HOST=' . $smtp_host, 'php', '-d', 'sendmail_path=/bin/true', __DIR__ . '/support/blocked-host-flow.php' )
		);
		$lines  = array_values( array_filter( explode( "\n", $flow ), static fn( string $line ): bool => '{' === substr( $line, 0, 1 ) ) );
		$result = json_decode( (string) end( $lines ), true );
		$this->assertIsArray( $result, $flow );

		$report = $result['report'];
		foreach ( $report['results'] as $port ) {
			$this->assertFalse( $port['ok'], "port {$port['port']}: {$port['message']}" );
			$this->assertSame( 'refused', $port['verdict'], "port {$port['port']}: {$port['message']}" );
		}
		$this->assertTrue( $report['api']['usable'], $report['api']['message'] );
		$this->assertSame( $provider, $report['recommendation']['transport'] ?? null, (string) json_encode( $report ) );
		$this->assertSame( 443, $report['recommendation']['port'] );
		$this->assertStringContainsString( 'No SMTP port works from this server (tested: 587, 2525, 465)', $report['recommendation']['reason'] );
		$this->assertTrue( $result['applied'], (string) json_encode( $result['applied'] ) );
		$this->assertTrue( $result['reset'], (string) json_encode( $result['reset'] ) );

		$received = glob( $this->store . '/' . $provider . '/*.json' ) ?: array();
		$this->assertCount( 1, $received, 'the password reset arrived exactly once' );
		$mail = (string) file_get_contents( $received[0] );
		$this->assertStringContainsString( $result['visitor'], $mail );
		$this->assertStringContainsString( 'Password Reset', $mail );
		$this->assertStringContainsString( 'action=rp', $mail );
		$this->assertStringNotContainsString( $key, $mail );
	}
}
