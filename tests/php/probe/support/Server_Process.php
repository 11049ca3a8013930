<?php
/**
 * A test server child process.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

/**
 * Starts a Node server with proc_open (no shell), waits for its "listening" JSON lines and
 * stops it. The child keeps our stdin pipe: when this PHP process dies the pipe closes and
 * the child exits by itself (both server scripts watch stdin and have a maximum lifetime).
 */
class Server_Process {

	/**
	 * Process handle.
	 *
	 * @var resource|null
	 */
	private $process = null;

	/**
	 * Pipes.
	 *
	 * @var array<int, resource>
	 */
	private $pipes = array();

	/**
	 * Ports forbidden for tests (the lead's stack uses them).
	 *
	 * @param int $port Port.
	 * @return bool
	 */
	public static function is_forbidden_port( int $port ): bool {
		return in_array( $port, array( 25, 465, 587, 2525, 8889, 3307 ), true ) || ( $port >= 9400 && $port <= 9499 ) || $port < 1024;
	}

	/**
	 * Returns free loopback ports. They come from below the kernel's range for outgoing connections
	 * (ip_local_port_range) when it leaves room: a port from that range, released here before the
	 * server binds it, can meanwhile become the local port of any process's outgoing connection —
	 * seen as EADDRINUSE with the WordPress suites running at the same time. Otherwise the kernel
	 * chooses (bind to port 0).
	 *
	 * @param int $count How many.
	 * @return int[]
	 */
	public static function free_ports( int $count ): array {
		$ports   = array();
		$holders = array();
		$below   = self::outgoing_range_start();
		$tries   = 0;
		while ( count( $ports ) < $count ) {
			$wanted = $below > self::LOWEST_CHOSEN_PORT + 1000 && ++$tries < 1000 ? random_int( self::LOWEST_CHOSEN_PORT, $below - 1 ) : 0;
			$server = @stream_socket_server( 'tcp://127.0.0.1:' . $wanted, $errno, $errstr ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a chosen port may be taken: the next one is tried.
			if ( false === $server ) {
				if ( 0 !== $wanted ) {
					continue;
				}
				throw new \RuntimeException( 'cannot bind: ' . $errstr );
			}
			$name = (string) stream_socket_get_name( $server, false );
			$port = (int) substr( $name, strrpos( $name, ':' ) + 1 );
			$holders[] = $server;
			if ( ! self::is_forbidden_port( $port ) && ! in_array( $port, $ports, true ) ) {
				$ports[] = $port;
			}
		}
		foreach ( $holders as $server ) {
			fclose( $server );
		}
		return $ports;
	}

	/** The lowest port free_ports() chooses itself: above the stack's fixed ports (…, 10587, 10063). */
	private const LOWEST_CHOSEN_PORT = 20000;

	/**
	 * The first port of the kernel's range for outgoing connections (0 when unknown).
	 */
	private static function outgoing_range_start(): int {
		$range = @file_get_contents( '/proc/sys/net/ipv4/ip_local_port_range' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged,WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- not Linux: the kernel chooses.
		return false === $range ? 0 : (int) preg_split( '/\s+/', trim( $range ) )[0];
	}

	/**
	 * Starts a command and waits until `$expect` "listening" lines were printed.
	 *
	 * @param string[]              $command  Command and arguments.
	 * @param array<string, string> $env      Extra environment.
	 * @param int                   $expect   Number of "listening" events to wait for.
	 * @param string                $log_file Where stderr goes.
	 * @return void
	 */
	public function start( array $command, array $env, int $expect, string $log_file ): void {
		$full_env = array_merge( getenv(), $env );
		$this->process = proc_open(
			$command,
			array(
				0 => array( 'pipe', 'r' ),
				1 => array( 'pipe', 'w' ),
				2 => array( 'file', $log_file, 'a' ),
			),
			$this->pipes,
			dirname( __DIR__, 4 ),
			$full_env
		);
		if ( ! is_resource( $this->process ) ) {
			throw new \RuntimeException( 'cannot start ' . implode( ' ', $command ) );
		}
		stream_set_blocking( $this->pipes[1], false );
		$seen   = 0;
		$buffer = '';
		// A hang guard, not a measurement: Node with TLS took over 20 s to listen with the three
		// WordPress suites, the static checks and the other sessions on the same two cores.
		$until  = microtime( true ) + 60;
		while ( $seen < $expect ) {
			if ( microtime( true ) > $until ) {
				$this->stop();
				throw new \RuntimeException( 'server did not start: ' . $buffer . ' ' . @file_get_contents( $log_file ) );
			}
			$read   = array( $this->pipes[1] );
			$write  = null;
			$except = null;
			if ( stream_select( $read, $write, $except, 0, 200000 ) > 0 ) {
				$chunk = fread( $this->pipes[1], 8192 );
				if ( '' === $chunk && feof( $this->pipes[1] ) ) {
					$this->stop();
					throw new \RuntimeException( 'server exited: ' . $buffer . ' ' . @file_get_contents( $log_file ) );
				}
				$buffer .= $chunk;
				while ( false !== ( $pos = strpos( $buffer, "\n" ) ) ) {
					$line   = substr( $buffer, 0, $pos );
					$buffer = substr( $buffer, $pos + 1 );
					$event  = json_decode( $line, true );
					if ( is_array( $event ) && isset( $event['event'] ) ) {
						if ( 'listening' === $event['event'] ) {
							++$seen;
						} elseif ( 'error' === $event['event'] ) {
							$this->stop();
							throw new \RuntimeException( 'server error: ' . $line );
						}
					}
				}
			}
		}
	}

	/**
	 * What the child printed on stdout since start() returned (or the last call), without waiting.
	 *
	 * @return string
	 */
	public function read_output(): string {
		$output = '';
		if ( isset( $this->pipes[1] ) && is_resource( $this->pipes[1] ) ) {
			while ( '' !== ( $chunk = (string) @fread( $this->pipes[1], 65536 ) ) ) { // phpcs:ignore
				$output .= $chunk;
			}
		}
		return $output;
	}

	/**
	 * Drains stdout so the child never blocks on a full pipe.
	 *
	 * @return void
	 */
	public function drain(): void {
		if ( isset( $this->pipes[1] ) && is_resource( $this->pipes[1] ) ) {
			while ( '' !== (string) @fread( $this->pipes[1], 65536 ) ) { // phpcs:ignore
				continue;
			}
		}
	}

	/**
	 * Stops the child (SIGTERM, then SIGKILL after 3 s).
	 *
	 * @return void
	 */
	public function stop(): void {
		if ( null === $this->process ) {
			return;
		}
		foreach ( $this->pipes as $pipe ) {
			if ( is_resource( $pipe ) ) {
				fclose( $pipe );
			}
		}
		$this->pipes = array();
		proc_terminate( $this->process, 15 );
		$until = microtime( true ) + 3;
		while ( microtime( true ) < $until ) {
			$status = proc_get_status( $this->process );
			if ( ! $status['running'] ) {
				break;
			}
			usleep( 20000 );
		}
		$status = proc_get_status( $this->process );
		if ( $status['running'] ) {
			proc_terminate( $this->process, 9 );
		}
		proc_close( $this->process );
		$this->process = null;
	}
}
