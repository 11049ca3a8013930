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
	 * Returns free loopback ports chosen by the kernel (bind to port 0, read, close).
	 *
	 * @param int $count How many.
	 * @return int[]
	 */
	public static function free_ports( int $count ): array {
		$ports   = array();
		$holders = array();
		while ( count( $ports ) < $count ) {
			$server = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $errstr );
			if ( false === $server ) {
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
		$until  = microtime( true ) + 20;
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
