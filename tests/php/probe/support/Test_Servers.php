<?php
/**
 * All servers the probe tests need, on free high loopback ports.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

require_once __DIR__ . '/Server_Process.php';
require_once __DIR__ . '/Test_Certificates.php';

/**
 * Starts the real smtp-server (env/smtp/servers.js, through a watchdog wrapper) once per
 * certificate (good, expired, self-signed, wrong host), the hostile server with every mode,
 * a closed port and a "black hole" port, and stops them all.
 *
 * Ports (all chosen at run time): $port['good_starttls'], ['good_starttls2'], ['good_implicit'],
 * ['good_implicit2'], ['expired_starttls'], ['expired_implicit'], ['selfsigned_starttls'],
 * ['wronghost_starttls'], ['closed'], ['blackhole'] and one per hostile mode (['silent'], ...).
 */
class Test_Servers {

	const HOSTILE_MODES = array( 'silent', 'http', 'drip', 'huge_line', 'huge_reply', 'reject', 'stall', 'no_starttls', 'starttls_refuse', 'close_tls', 'close_implicit', 'tls_garbage', 'no_auth', 'auth_reject', 'intercept', 'login_only', 'm365_auth_off', 'm365_basic', 'gmail_app' );

	/**
	 * Ports by role.
	 *
	 * @var array<string, int>
	 */
	public $port = array();

	/**
	 * Certificates.
	 *
	 * @var Test_Certificates
	 */
	public $certs;

	/**
	 * Temporary directory.
	 *
	 * @var string
	 */
	public $dir;

	/**
	 * Child processes.
	 *
	 * @var Server_Process[]
	 */
	private $processes = array();

	/**
	 * Listening socket with a full backlog (connects to it never complete).
	 *
	 * @var \Socket|resource|null
	 */
	private $blackhole = null;

	/**
	 * Filler connection that occupies the black hole's backlog.
	 *
	 * @var resource|null
	 */
	private $blackhole_filler = null;

	/**
	 * Starts servers.
	 *
	 * @param string[] $which Groups: real, expired, selfsigned, wronghost, hostile, closed, blackhole.
	 */
	public function __construct( array $which = array( 'real', 'expired', 'selfsigned', 'wronghost', 'hostile', 'closed', 'blackhole' ) ) {
		$this->dir = sys_get_temp_dir() . '/sph-probe-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		mkdir( $this->dir, 0700, true );
		$this->certs = new Test_Certificates( $this->dir . '/certs' );
		if ( ! is_dir( dirname( __DIR__, 4 ) . '/node_modules/smtp-server' ) && array_intersect( $which, array( 'real', 'expired', 'selfsigned', 'wronghost' ) ) ) {
			throw new \RuntimeException( 'node_modules/smtp-server is missing: run npm install' );
		}
		try {
			if ( in_array( 'real', $which, true ) ) {
				$ports = Server_Process::free_ports( 4 );
				$this->port['good_starttls']  = $ports[0];
				$this->port['good_starttls2'] = $ports[1];
				$this->port['good_implicit']  = $ports[2];
				$this->port['good_implicit2'] = $ports[3];
				$this->start_real( 'good', array( $ports[0], $ports[1] ), array( $ports[2], $ports[3] ) );
			}
			foreach ( array( 'expired', 'selfsigned', 'wronghost' ) as $cert ) {
				if ( in_array( $cert, $which, true ) ) {
					$ports                              = Server_Process::free_ports( 2 );
					$this->port[ $cert . '_starttls' ] = $ports[0];
					$this->port[ $cert . '_implicit' ] = $ports[1];
					$this->start_real( $cert, array( $ports[0] ), array( $ports[1] ) );
				}
			}
			if ( in_array( 'hostile', $which, true ) ) {
				$ports   = Server_Process::free_ports( count( self::HOSTILE_MODES ) );
				$command = array( 'node', __DIR__ . '/../../servers/hostile-smtp.js', '--cert-dir', $this->certs->leaf_dir( 'good' ), '--intercept-cert-dir', $this->certs->leaf_dir( 'intercept' ), '--max-seconds', '300' );
				foreach ( self::HOSTILE_MODES as $i => $mode ) {
					$this->port[ $mode ] = $ports[ $i ];
					$command[]           = $mode . ':' . $ports[ $i ];
				}
				$process = new Server_Process();
				$process->start( $command, array(), count( self::HOSTILE_MODES ), $this->dir . '/hostile.log' );
				$this->processes[] = $process;
			}
			if ( in_array( 'closed', $which, true ) ) {
				// Bound then closed: nothing listens, the kernel answers with RST (refused).
				$this->port['closed'] = Server_Process::free_ports( 1 )[0];
			}
			if ( in_array( 'blackhole', $which, true ) ) {
				$this->start_blackhole();
			}
		} catch ( \Throwable $e ) {
			$this->stop();
			throw $e;
		}
	}

	/**
	 * Starts one real smtp-server process.
	 *
	 * @param string $cert     Leaf name.
	 * @param int[]  $starttls STARTTLS ports.
	 * @param int[]  $implicit Implicit TLS ports.
	 * @return void
	 */
	private function start_real( string $cert, array $starttls, array $implicit ): void {
		$all     = array_merge( $starttls, $implicit );
		$process = new Server_Process();
		$process->start(
			array( 'node', __DIR__ . '/../../servers/smtp-server-watchdog.js', $this->dir . '/mail-' . $cert ),
			array(
				'SMTP_PORTS'       => implode( ',', $all ),
				'SMTP_TLS_PORTS'   => implode( ',', $implicit ),
				'SMTP_RELAY_PORT'  => '1',
				'SMTP_CERT_DIR'    => $this->certs->leaf_dir( $cert ),
				'SMTP_HOST'        => '127.0.0.1',
				'SMTP_USER'        => 'test',
				'SMTP_PASS'        => 'secret',
				'WATCHDOG_SECONDS' => '300',
			),
			count( $all ),
			$this->dir . '/smtp-' . $cert . '.log'
		);
		$this->processes[] = $process;
	}

	/**
	 * A real connect timeout on loopback: a listening socket with backlog 0 whose single queue
	 * slot is taken by a connection that is never accepted. Further SYNs are dropped by the
	 * kernel, so connect() neither succeeds nor fails: exactly what a firewall that drops
	 * packets looks like from the client.
	 *
	 * @return void
	 */
	private function start_blackhole(): void {
		$socket = socket_create( AF_INET, SOCK_STREAM, SOL_TCP );
		socket_bind( $socket, '127.0.0.1', 0 );
		socket_listen( $socket, 0 );
		socket_getsockname( $socket, $address, $port );
		if ( Server_Process::is_forbidden_port( (int) $port ) ) {
			socket_close( $socket );
			$this->start_blackhole();
			return;
		}
		$this->blackhole        = $socket;
		$this->port['blackhole'] = (int) $port;
		$filler                 = stream_socket_client( 'tcp://127.0.0.1:' . $port, $errno, $errstr, 1, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT );
		$read                   = array();
		$write                  = array( $filler );
		$except                 = null;
		stream_select( $read, $write, $except, 1 );
		$this->blackhole_filler = $filler;
	}

	/**
	 * Starts latency proxies (tests/php/servers/latency-proxy.js, one Node process) in front of
	 * ports: every chunk is delayed by $delay_ms in both directions (one round trip costs twice
	 * the delay), bytes pass unchanged so TLS works end to end. Stopped by stop().
	 *
	 * @param int[] $targets  Ports to put a proxy in front of.
	 * @param int   $delay_ms Delay per chunk and direction, in milliseconds.
	 * @return array<int, int> Proxy port by target port.
	 */
	public function start_latency_proxies( array $targets, int $delay_ms ): array {
		$ports   = Server_Process::free_ports( count( $targets ) );
		$command = array( 'node', __DIR__ . '/../../servers/latency-proxy.js', '--delay-ms', (string) $delay_ms, '--max-seconds', '300' );
		$map     = array();
		foreach ( array_values( $targets ) as $i => $target ) {
			$map[ (int) $target ] = $ports[ $i ];
			$command[]            = $ports[ $i ] . ':' . (int) $target;
		}
		$process = new Server_Process();
		$process->start( $command, array(), count( $targets ), $this->dir . '/latency-proxy.log' );
		$this->processes[] = $process;
		return $map;
	}

	/**
	 * Starts extra silent servers (accept, never send anything) in one hostile-smtp.js process.
	 * Stopped by stop().
	 *
	 * @param int $count How many.
	 * @return int[] Their ports.
	 */
	public function start_silent_servers( int $count ): array {
		$ports   = Server_Process::free_ports( $count );
		$command = array( 'node', __DIR__ . '/../../servers/hostile-smtp.js', '--max-seconds', '300' );
		foreach ( $ports as $port ) {
			$command[] = 'silent:' . $port;
		}
		$process = new Server_Process();
		$process->start( $command, array(), $count, $this->dir . '/silent.log' );
		$this->processes[] = $process;
		return $ports;
	}

	/**
	 * Stops everything and removes the temporary directory.
	 *
	 * @return void
	 */
	public function stop(): void {
		foreach ( $this->processes as $process ) {
			$process->stop();
		}
		$this->processes = array();
		if ( null !== $this->blackhole_filler ) {
			fclose( $this->blackhole_filler );
			$this->blackhole_filler = null;
		}
		if ( null !== $this->blackhole ) {
			socket_close( $this->blackhole );
			$this->blackhole = null;
		}
		if ( is_dir( $this->dir ) ) {
			self::remove_tree( $this->dir );
		}
	}

	/**
	 * Keeps child stdout pipes drained.
	 *
	 * @return void
	 */
	public function drain(): void {
		foreach ( $this->processes as $process ) {
			$process->drain();
		}
	}

	/**
	 * Removes a directory tree.
	 *
	 * @param string $dir Directory.
	 * @return void
	 */
	private static function remove_tree( string $dir ): void {
		$items = new \RecursiveIteratorIterator( new \RecursiveDirectoryIterator( $dir, \FilesystemIterator::SKIP_DOTS ), \RecursiveIteratorIterator::CHILD_FIRST );
		foreach ( $items as $item ) {
			if ( $item->isDir() ) {
				rmdir( $item->getPathname() );
			} else {
				unlink( $item->getPathname() );
			}
		}
		rmdir( $dir );
	}
}
