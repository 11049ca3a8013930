<?php
/**
 * The token endpoint's address pin holds for every spelling of its host: a trailing dot, upper
 * case, two dots. The plugin's resolver reads a private hosts file (token.test → 127.0.0.2, the
 * vetted address); cURL, left to itself, asks the system. As root the request runs in a mount
 * namespace whose /etc/hosts says token.test (and its dotted spellings, which glibc matches only
 * literally) → 127.0.0.1 — the name resolves differently the second time — and a listener on each
 * address tells where the request really went. Before the fix, `token.test.` reached 127.0.0.1,
 * and the error text said whether a port was open there. For a normal user the system does not
 * know the name at all: the request must still reach 127.0.0.2.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Hosts_File_Resolver;

require_once dirname( __DIR__ ) . '/probe/support/Hosts_File_Resolver.php';

final class Token_Endpoint_Pin_Test extends Integration_Test_Case {

	private const PORT = 9428;

	private const SPELLINGS = array( 'token.test', 'token.test.', 'TOKEN.TEST', 'Token.Test.', 'token.test..' );

	/**
	 * The listeners' process and output.
	 *
	 * @var array{0: resource, 1: resource}|null
	 */
	private ?array $listeners = null;

	private ?Hosts_File_Resolver $hosts = null;

	private string $system_hosts = '';

	protected function setUp(): void {
		parent::setUp();
		// Each connection is logged with the address it reached, then closed at once.
		$script  = 'const net = require( "net" ); let up = 0; for ( const address of [ "127.0.0.1", "127.0.0.2" ] ) { net.createServer( ( c ) => { console.log( "connection " + address ); c.destroy(); } ).listen( ' . self::PORT . ', address, () => { if ( 2 === ++up ) console.log( "listening" ); } ); }';
		$process = proc_open( array( 'node', '-e', $script ), array( 1 => array( 'pipe', 'w' ) ), $pipes );
		$this->assertIsResource( $process );
		$this->assertSame( "listening\n", fgets( $pipes[1] ) );
		stream_set_blocking( $pipes[1], false );
		$this->listeners    = array( $process, $pipes[1] );
		$this->hosts        = new Hosts_File_Resolver( 'token-pin', "127.0.0.2 token.test\n" );
		$this->system_hosts = sys_get_temp_dir() . '/sph-token-pin-system-hosts-' . getmypid();
		file_put_contents( $this->system_hosts, "127.0.0.1 localhost\n127.0.0.1 token.test token.test. token.test..\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
	}

	protected function tearDown(): void {
		if ( null !== $this->listeners ) {
			proc_terminate( $this->listeners[0] );
			proc_close( $this->listeners[0] );
		}
		if ( null !== $this->hosts ) {
			$this->hosts->remove();
		}
		@unlink( $this->system_hosts ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.unlink_unlink
		parent::tearDown();
	}

	/**
	 * The addresses connected to since the last call.
	 *
	 * @return string[]
	 */
	private function connections(): array {
		usleep( 200000 );
		$lines = array();
		while ( null !== $this->listeners && false !== ( $line = fgets( $this->listeners[1] ) ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition
			$lines[] = trim( $line );
		}
		return $lines;
	}

	/**
	 * Runs support/token-request.php for a token URL, in a mount namespace whose /etc/hosts is the
	 * test's when $own_system_hosts.
	 *
	 * @param string $url              Token URL.
	 * @param bool   $own_system_hosts Whether the system's hosts file says 127.0.0.1.
	 * @return array{error: string, message?: string}
	 */
	private function token_request( string $url, bool $own_system_hosts ): array {
		$php = implode( ' ', array_map( 'escapeshellarg', array( PHP_BINARY, '-d', 'error_reporting=' . ( E_ALL & ~E_DEPRECATED ), __DIR__ . '/support/token-request.php', $this->hosts_dir(), $url ) ) );
		$env = 'SMTP_PORT_HELPER_ACCESSIBLE_HOSTS=' . escapeshellarg( implode( ',', self::SPELLINGS ) ) . ' ';
		if ( $own_system_hosts ) {
			$php = 'unshare --mount --propagation private sh -c ' . escapeshellarg( 'mount --bind ' . escapeshellarg( $this->system_hosts ) . ' /etc/hosts && ' . $env . $php );
		} else {
			$php = $env . $php;
		}
		exec( $php . ' 2>&1', $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec
		$answer = json_decode( (string) end( $output ), true );
		$this->assertIsArray( $answer, implode( "\n", $output ) );
		return $answer;
	}

	/**
	 * The folder of the plugin resolver's hosts file (the other process reads it too).
	 */
	private function hosts_dir(): string {
		return (string) ( new \ReflectionProperty( Hosts_File_Resolver::class, 'dir' ) )->getValue( $this->hosts );
	}

	public function test_when_the_name_resolves_elsewhere_the_second_time_every_spelling_still_connects_only_to_the_vetted_address(): void {
		if ( ! function_exists( 'posix_geteuid' ) || 0 !== posix_geteuid() || '' === trim( (string) shell_exec( 'command -v unshare 2>/dev/null' ) ) ) {
			$this->markTestSkipped( 'A mount namespace with its own /etc/hosts needs root and unshare (CI runs as root); the test below covers a normal user.' );
		}
		foreach ( self::SPELLINGS as $host ) {
			$answer = $this->token_request( 'https://' . $host . ':' . self::PORT . '/token', true );
			$this->assertSame( 'network', $answer['error'], $host . ': ' . wp_json_encode( $answer ) );
			$this->assertSame( array( 'connection 127.0.0.2' ), $this->connections(), "$host: only the vetted address was connected to, never what the system says" );
		}
	}

	public function test_every_spelling_connects_to_the_vetted_address_when_the_system_does_not_know_the_name(): void {
		foreach ( self::SPELLINGS as $host ) {
			$answer = $this->token_request( 'https://' . $host . ':' . self::PORT . '/token', false );
			$this->assertSame( 'network', $answer['error'], $host . ': ' . wp_json_encode( $answer ) );
			$this->assertSame( array( 'connection 127.0.0.2' ), $this->connections(), "$host: cURL used the pin instead of a look-up of its own" );
		}
	}
}
