<?php
/**
 * The host of Blocked_Ports_Providers_Test: a network namespace whose nftables rules reject
 * outbound 25, 465, 587 and 2525 (SMTP listeners wait behind them), a hosts file that points the
 * providers' SMTP hosts and API host names at loopback, a certificate for those names, the local
 * API servers on port 443 of their own loopback address each and the local OAuth authorization
 * server — set up once for the class, with a copy of the stack's SQLite WordPress; and the flow
 * (support/api-provider-flow.php) run inside it.
 *
 * The using class names BLOCKED (the ports), SMTP_HOSTS and SERVERS (label => provider, loopback
 * address, API host name, server process).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\BlockedPorts;

trait Behind_The_Firewall {

	private static string $root;

	private static string $namespace = '';

	private static string $dir = '';

	/** @var list<resource> */
	private static array $processes = array();

	private static string $skip = '';

	/**
	 * Server => the size of its log when the test began.
	 *
	 * @var array<string, int>
	 */
	private array $log_offsets = array();

	public static function setUpBeforeClass(): void {
		self::$root = dirname( __DIR__, 4 );
		self::$skip = self::missing();
		if ( '' !== self::$skip ) {
			return;
		}
		self::$dir       = sys_get_temp_dir() . '/sph-blocked-providers-' . getmypid();
		self::$namespace = 'sph-blocked-p' . getmypid();
		try {
			self::set_up_the_blocked_host();
		} catch ( \Throwable $failure ) {
			// PHPUnit does not tear a class down whose set-up failed: no namespace or server is left behind.
			self::tearDownAfterClass();
			throw $failure;
		}
	}

	/**
	 * The namespace, its firewall and hosts file, the certificate and the servers.
	 */
	private static function set_up_the_blocked_host(): void {
		mkdir( self::$dir . '/cert', 0755, true );
		// A consistent copy of the stack's SQLite WordPress for the class: the flow's writes reach only
		// the copy, so the suite may run beside the sqlite suite, which uses the same database file.
		mkdir( self::$dir . '/sqlite', 0700 );
		foreach ( array( '.htaccess', 'index.php' ) as $file ) {
			copy( self::$root . '/.run/sqlite/' . $file, self::$dir . '/sqlite/' . $file );
		}
		( new \PDO( 'sqlite:' . self::$root . '/.run/sqlite/wordpress.sqlite' ) )->exec( 'VACUUM INTO ' . ( new \PDO( 'sqlite::memory:' ) )->quote( self::$dir . '/sqlite/wordpress.sqlite' ) );
		$names = implode( ',', array_map( static fn( array $server ): string => 'DNS:' . $server[2], self::SERVERS ) );
		self::run_command( array( 'openssl', 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', self::$dir . '/cert/key.pem', '-out', self::$dir . '/cert/cert.pem', '-days', '1', '-subj', '/CN=provider-apis.test', '-addext', 'subjectAltName=' . $names . ',IP:127.0.0.1' ) );
		self::run_command( array( 'ip', 'netns', 'add', self::$namespace ) );
		self::in_namespace( array( 'ip', 'link', 'set', 'lo', 'up' ) );
		$ports = implode( ', ', self::BLOCKED );
		self::in_namespace( array( 'nft', '-f', '-' ), "table inet sph_blocked {\n chain output {\n  type filter hook output priority 0; policy accept;\n  tcp dport { {$ports} } reject with tcp reset\n }\n}\n" );
		$hosts = '127.0.0.1 localhost ' . implode( ' ', self::SMTP_HOSTS ) . "\n";
		foreach ( self::SERVERS as $server ) {
			$hosts .= $server[1] . ' ' . $server[2] . "\n";
		}
		@mkdir( '/etc/netns/' . self::$namespace, 0755, true ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		file_put_contents( '/etc/netns/' . self::$namespace . '/hosts', $hosts );

		$listeners = 'const net = require( "net" ); for ( const port of [ ' . implode( ', ', self::BLOCKED ) . ' ] ) { net.createServer( ( s ) => s.end( "220 ready\r\n" ) ).listen( port, "127.0.0.1", () => console.log( "listening " + port ) ); }';
		self::start( 'smtp-listeners', array( 'node', '-e', $listeners ), array(), count( self::BLOCKED ) );
		self::start( 'authorization-server', array( 'node', self::$root . '/env/oauth/authorization-server.js' ), array(), 1 );
		$groups = array();
		foreach ( self::SERVERS as list( $provider, $address, , $group ) ) {
			$groups[ $group ][] = $provider . '=' . $address . ':443';
		}
		foreach ( $groups as $group => $ports ) {
			self::start(
				$group,
				array( 'node', self::$root . '/env/providers/api-servers.js', self::$dir . '/' . $group ),
				array(
					'PROVIDER_API_PORTS'    => implode( ',', $ports ),
					'PROVIDER_API_CERT_DIR' => self::$dir . '/cert',
				),
				count( $ports )
			);
		}
	}

	public static function tearDownAfterClass(): void {
		foreach ( self::$processes as $process ) {
			proc_terminate( $process );
			proc_close( $process );
		}
		self::$processes = array();
		if ( '' !== self::$namespace ) {
			@unlink( '/etc/netns/' . self::$namespace . '/hosts' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			@rmdir( '/etc/netns/' . self::$namespace ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			exec( 'ip netns delete ' . escapeshellarg( self::$namespace ) . ' 2>&1' );
		}
		if ( '' !== self::$dir ) {
			// SPH_KEEP_BLOCKED_HOST=1 keeps the servers' logs and what they received, to read after a failure.
			if ( '1' !== getenv( 'SPH_KEEP_BLOCKED_HOST' ) ) {
				exec( 'rm -rf ' . escapeshellarg( self::$dir ) );
			}
		}
	}

	protected function setUp(): void {
		if ( '' !== self::$skip ) {
			$this->markTestSkipped( self::$skip );
		}
		foreach ( (array) glob( self::$dir . '/apis*/*/*.json' ) as $file ) {
			unlink( (string) $file );
		}
		clearstatcache();
		foreach ( array_unique( array_column( self::SERVERS, 3 ) ) as $group ) {
			$this->log_offsets[ $group ] = (int) filesize( self::$dir . '/' . $group . '.log' );
		}
	}

	/**
	 * Why the suite cannot run here, or ''.
	 */
	private static function missing(): string {
		if ( ! function_exists( 'posix_geteuid' ) || 0 !== posix_geteuid() ) {
			return 'needs root: it creates a network namespace and its firewall (ip netns, nft)';
		}
		foreach ( array( 'ip', 'nft', 'node', 'openssl', 'unshare' ) as $tool ) {
			if ( '' === trim( (string) shell_exec( 'command -v ' . $tool ) ) ) {
				return "needs `{$tool}` (Debian: iproute2, nftables, nodejs, openssl, util-linux)";
			}
		}
		if ( ! is_file( self::$root . '/.run/wp-sqlite/wp-config.php' ) ) {
			return 'needs the stack\'s SQLite WordPress: bash env/stack.sh start';
		}
		return '';
	}

	/**
	 * @param list<string>          $command Command.
	 * @param string                $stdin   Standard input.
	 * @param array<string, string> $env     Extra environment.
	 * @return string Standard output.
	 */
	private static function run_command( array $command, string $stdin = '', array $env = array() ): string {
		$process = proc_open( $command, array( array( 'pipe', 'r' ), array( 'pipe', 'w' ), array( 'pipe', 'w' ) ), $pipes, null, $env + getenv() );
		self::assertIsResource( $process );
		fwrite( $pipes[0], $stdin );
		fclose( $pipes[0] );
		$out = (string) stream_get_contents( $pipes[1] );
		$err = (string) stream_get_contents( $pipes[2] );
		self::assertSame( 0, proc_close( $process ), implode( ' ', $command ) . ': ' . $err . $out );
		return $out;
	}

	/**
	 * @param list<string> $command Command.
	 * @param string       $stdin   Standard input.
	 */
	private static function in_namespace( array $command, string $stdin = '' ): string {
		return self::run_command( array_merge( array( 'ip', 'netns', 'exec', self::$namespace ), $command ), $stdin );
	}

	/**
	 * Starts a server in the namespace, its output in `$name`.log, and waits until it printed
	 * `$ready` lines matching `$pattern`.
	 *
	 * @param string                $name    Its name.
	 * @param list<string>          $command Command.
	 * @param array<string, string> $env     Extra environment.
	 * @param int                   $ready   How many lines to wait for.
	 * @param string                $pattern What a ready line holds (a regular expression without delimiters).
	 */
	private static function start( string $name, array $command, array $env, int $ready, string $pattern = 'listening' ): void {
		$log     = self::$dir . '/' . $name . '.log';
		$process = proc_open( array_merge( array( 'ip', 'netns', 'exec', self::$namespace ), $command ), array( array( 'pipe', 'r' ), array( 'file', $log, 'w' ), array( 'file', $log, 'a' ) ), $pipes, null, $env + getenv() );
		self::assertIsResource( $process );
		self::$processes[] = $process;
		$seen              = 0;
		$until             = microtime( true ) + 60; // A hang guard: on a busy machine oidc-provider alone loads for 20 s.
		while ( $seen < $ready && microtime( true ) < $until ) {
			usleep( 50000 );
			$seen = (int) preg_match_all( '/' . $pattern . '/', (string) file_get_contents( $log ) );
		}
		self::assertGreaterThanOrEqual( $ready, $seen, 'server did not start: ' . implode( ' ', $command ) . "\n" . file_get_contents( $log ) );
	}

	/**
	 * Runs support/api-provider-flow.php in the namespace, the test certificate in place of the
	 * stack's CA file and the class's copy of the SQLite database in place of the stack's (mounts
	 * of its own: nothing outside the flow sees them).
	 *
	 * @param array<string, mixed> $case The case (see the flow script).
	 * @return array<string, mixed> What the flow printed.
	 */
	private function flow( array $case ): array {
		$ca     = self::$root . '/.run/smtp/cert.pem';
		$script = 'mount --bind "$0" "$1" && mount --bind "$2" "$3" && exec php -d sendmail_path=/bin/true -d memory_limit=1G "$4"';
		$output = self::run_command(
			array( 'ip', 'netns', 'exec', self::$namespace, 'unshare', '--mount', 'sh', '-c', $script, self::$dir . '/cert/cert.pem', $ca, self::$dir . '/sqlite', self::$root . '/.run/sqlite', __DIR__ . '/api-provider-flow.php' ),
			'',
			array( 'SPH_CASE' => (string) json_encode( $case + array( 'api_hosts' => array_column( self::SERVERS, 2 ) ) ) )
		);
		$lines  = array_values( array_filter( explode( "\n", $output ), static fn( string $line ): bool => '{' === substr( $line, 0, 1 ) ) );
		$result = json_decode( (string) end( $lines ), true );
		$this->assertIsArray( $result, $output );
		return $result;
	}

	/**
	 * The messages a local server received, decoded.
	 *
	 * @param string $label The server (SERVERS).
	 * @return list<array<string, mixed>>
	 */
	private static function received( string $label ): array {
		list( $provider, , , $group ) = self::SERVERS[ $label ];
		$files                        = (array) glob( self::$dir . '/' . $group . '/' . $provider . '/*.json' );
		return array_map( static fn( $file ): array => (array) json_decode( (string) file_get_contents( (string) $file ), true ), $files );
	}

	/**
	 * The requests a local server logged since the test began, by path.
	 *
	 * @param string $label The server (SERVERS).
	 * @return list<string>
	 */
	private function logged_paths( string $label ): array {
		list( $provider, , , $group ) = self::SERVERS[ $label ];
		$log                          = (string) file_get_contents( self::$dir . '/' . $group . '.log', false, null, $this->log_offsets[ $group ] );
		$paths                        = array();
		foreach ( explode( "\n", $log ) as $line ) {
			$entry = json_decode( $line, true );
			if ( is_array( $entry ) && 'request' === ( $entry['event'] ?? '' ) && $provider === ( $entry['provider'] ?? '' ) ) {
				$paths[] = (string) $entry['path'];
			}
		}
		return $paths;
	}
}
