<?php
/**
 * A/AAAA look-ups over UDP that never wait past their time limit.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * PHP's own look-ups (dns_get_record(), gethostbynamel(), the one inside stream_socket_client())
 * block for the C library's whole retry schedule — 30 s and more when a name server never
 * answers — and take no time limit. This client sends the A and AAAA queries of every candidate
 * name to every name server at once from non-blocking sockets, resends unanswered ones every
 * RESEND seconds, and stops at its time limit with what it has.
 */
final class Dns_Client {

	/** The error when no name server could be reached at all (no UDP, as in PHP-wasm). */
	public const NO_SERVER = 'no name server could be reached';

	/** Seconds between resends of an unanswered query (UDP may lose a datagram). */
	private const RESEND = 1.0;

	/** Once the first usable name has addresses of one type, how long to wait for the other. */
	private const OTHER_TYPE_GRACE = 0.3;

	/**
	 * Name servers (IP addresses).
	 *
	 * @var string[]
	 */
	private array $servers;

	/**
	 * Port of the name servers (53; another only in tests).
	 *
	 * @var int
	 */
	private int $port;

	/**
	 * Takes the name servers.
	 *
	 * @param string[] $servers IP addresses.
	 * @param int      $port    Port.
	 */
	public function __construct( array $servers, int $port = 53 ) {
		$this->servers = $servers;
		$this->port    = $port;
	}

	/**
	 * Looks the names up; the first name (in order) with an address wins.
	 *
	 * @param string[] $names   Candidate names, in order.
	 * @param float    $seconds Time limit.
	 * @return array{a: string[], aaaa: string[], error: string, no_answer: bool} `no_answer`: no
	 *         name server answered within the time limit.
	 */
	public function lookup( array $names, float $seconds ): array {
		$started = self::now();
		$sockets = $this->open_sockets();
		$queries = array();
		foreach ( $names as $index => $name ) {
			foreach ( array( Dns_Packet::TYPE_A, Dns_Packet::TYPE_AAAA ) as $type ) {
				$queries[] = array(
					'name'      => $index,
					'type'      => $type,
					'id'        => random_int( 0, 0xffff ),
					'packet'    => '',
					'done'      => false,
					'rcode'     => -1,
					'addresses' => array(),
					'failed'    => 0,
				);
			}
		}
		foreach ( $queries as $key => $query ) {
			$queries[ $key ]['packet'] = Dns_Packet::query( $query['id'], $names[ $query['name'] ], $query['type'] );
		}
		$sent_at = -INF;
		$grace   = INF;
		while ( array() !== $sockets ) {
			$now = self::now();
			if ( $now - $started >= $seconds || $now >= $grace ) {
				break;
			}
			if ( $now - $sent_at >= self::RESEND ) {
				$sockets = $this->send_pending( $sockets, $queries );
				$sent_at = $now;
				if ( array() === $sockets ) {
					break;
				}
			}
			$wait  = max( 0.0, min( $started + $seconds, $grace, $sent_at + self::RESEND ) - $now );
			$read  = array_values( $sockets );
			$write = null;
			$other = null;
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- EINTR is harmless here.
			$ready = @stream_select( $read, $write, $other, (int) floor( $wait ), (int) ( ( $wait - floor( $wait ) ) * 1e6 ) );
			foreach ( false === $ready ? array() : $read as $socket ) {
				if ( ! $this->receive( $socket, $queries, count( $sockets ) ) ) {
					// Readable without a datagram: the server's port is closed (ICMP). Ask the others.
					fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
					$sockets = array_values( array_filter( $sockets, 'is_resource' ) );
				}
			}
			$decided = $this->decided( $queries, count( $names ) );
			if ( 'done' === $decided ) {
				break;
			}
			if ( 'grace' === $decided && INF === $grace ) {
				$grace = self::now() + self::OTHER_TYPE_GRACE;
			}
		}
		foreach ( $sockets as $socket ) {
			fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
		}
		return self::result( $queries, count( $names ), $seconds, array() === $sockets );
	}

	/**
	 * One connected, non-blocking UDP socket per name server.
	 *
	 * @return resource[]
	 */
	private function open_sockets(): array {
		$sockets = array();
		foreach ( $this->servers as $server ) {
			$target = false !== strpos( $server, ':' ) ? '[' . $server . ']' : $server;
			$errno  = 0;
			$error  = '';
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a server that cannot be reached is skipped.
			$socket = @stream_socket_client( 'udp://' . $target . ':' . $this->port, $errno, $error, 1.0 );
			if ( false !== $socket ) {
				stream_set_blocking( $socket, false );
				$sockets[] = $socket;
			}
		}
		return $sockets;
	}

	/**
	 * Sends every unanswered query to every name server; a server whose port is closed (a send
	 * fails with the ICMP error of an earlier one) is closed and left out.
	 *
	 * @param resource[]                 $sockets Sockets.
	 * @param list<array<string, mixed>> $queries Queries.
	 * @phpstan-param list<array{name: int, type: int, id: int, packet: string, done: bool, rcode: int, addresses: string[], failed: int}> $queries
	 * @return resource[] The sockets still open.
	 */
	private function send_pending( array $sockets, array $queries ): array {
		foreach ( $queries as $query ) {
			if ( $query['done'] ) {
				continue;
			}
			foreach ( $sockets as $key => $socket ) {
				// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a datagram; an error means this server's port is closed.
				if ( false === @fwrite( $socket, $query['packet'] ) ) {
					fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
					unset( $sockets[ $key ] );
				}
			}
		}
		return array_values( $sockets );
	}

	/**
	 * Reads the datagrams waiting on a socket and files each under its query.
	 *
	 * @param resource                   $socket  Socket.
	 * @param list<array<string, mixed>> $queries Queries.
	 * @param int                        $servers Number of name servers.
	 * @phpstan-param list<array{name: int, type: int, id: int, packet: string, done: bool, rcode: int, addresses: string[], failed: int}> $queries
	 * @return bool False when the socket was readable but held no datagram (the port is closed).
	 */
	private function receive( $socket, array &$queries, int $servers ): bool {
		for ( $i = 0; $i < 16; $i++ ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fread -- a datagram; a refused port reads as an error.
			$packet = @fread( $socket, 4096 );
			if ( false === $packet || '' === $packet ) {
				return $i > 0;
			}
			foreach ( $queries as $key => $query ) {
				$answer = $query['done'] ? null : Dns_Packet::parse( $packet, $query['type'] );
				if ( null === $answer || $answer['id'] !== $query['id'] || substr( $packet, 12, strlen( $query['packet'] ) - 12 ) !== substr( $query['packet'], 12 ) ) {
					continue;
				}
				if ( Dns_Packet::RCODE_OK === $answer['rcode'] || Dns_Packet::RCODE_NXDOMAIN === $answer['rcode'] ) {
					$queries[ $key ]['done']      = true;
					$queries[ $key ]['rcode']     = $answer['rcode'];
					$queries[ $key ]['addresses'] = $answer['addresses'];
				} elseif ( ++$queries[ $key ]['failed'] >= $servers ) {
					$queries[ $key ]['done']  = true; // Every server said SERVFAIL or REFUSED.
					$queries[ $key ]['rcode'] = $answer['rcode'];
				}
				break;
			}
		}
		return true;
	}

	/**
	 * Whether the look-up can stop: 'done' when the first name with addresses is known (every
	 * earlier name answered without any), 'grace' when it has addresses of one type only, else ''.
	 *
	 * @param list<array<string, mixed>> $queries Queries.
	 * @param int                        $names   Number of names.
	 * @phpstan-param list<array{name: int, type: int, id: int, packet: string, done: bool, rcode: int, addresses: string[], failed: int}> $queries
	 */
	private function decided( array $queries, int $names ): string {
		for ( $name = 0; $name < $names; $name++ ) {
			$mine      = array_slice( $queries, $name * 2, 2 );
			$all_done  = $mine[0]['done'] && $mine[1]['done'];
			$addresses = array() !== $mine[0]['addresses'] || array() !== $mine[1]['addresses'];
			if ( $all_done && ! $addresses ) {
				continue;
			}
			if ( $all_done ) {
				return 'done';
			}
			return $addresses ? 'grace' : '';
		}
		return 'done';
	}

	/**
	 * The outcome: the addresses of the first name that has any, or why there are none.
	 *
	 * @param list<array<string, mixed>> $queries   Queries.
	 * @param int                        $names     Number of names.
	 * @param float                      $seconds   Time limit.
	 * @param bool                       $no_server Whether no name server could be reached at all.
	 * @phpstan-param list<array{name: int, type: int, id: int, packet: string, done: bool, rcode: int, addresses: string[], failed: int}> $queries
	 * @return array{a: string[], aaaa: string[], error: string, no_answer: bool}
	 */
	private static function result( array $queries, int $names, float $seconds, bool $no_server ): array {
		$result = array(
			'a'         => array(),
			'aaaa'      => array(),
			'error'     => '',
			'no_answer' => false,
		);
		for ( $name = 0; $name < $names; $name++ ) {
			$mine = array_slice( $queries, $name * 2, 2 );
			if ( array() !== $mine[0]['addresses'] || array() !== $mine[1]['addresses'] ) {
				$result['a']    = $mine[0]['addresses'];
				$result['aaaa'] = $mine[1]['addresses'];
				return $result;
			}
		}
		$answered = array_filter( array_column( $queries, 'done' ) );
		if ( $no_server ) {
			$result['error'] = self::NO_SERVER;
		} elseif ( array() === $answered ) {
			$result['error']     = sprintf( 'the DNS server did not answer within %s s', self::seconds( $seconds ) );
			$result['no_answer'] = true;
		} elseif ( in_array( Dns_Packet::RCODE_NXDOMAIN, array_column( $queries, 'rcode' ), true ) ) {
			$result['error'] = 'NXDOMAIN';
		} elseif ( count( $answered ) < count( $queries ) ) {
			$result['error']     = sprintf( 'the DNS server did not answer within %s s', self::seconds( $seconds ) );
			$result['no_answer'] = true;
		} else {
			$result['error'] = in_array( Dns_Packet::RCODE_OK, array_column( $queries, 'rcode' ), true ) ? 'no A or AAAA record' : 'SERVFAIL';
		}
		return $result;
	}

	/**
	 * Seconds for a message: "1", "2.5".
	 *
	 * @param float $seconds Seconds.
	 */
	public static function seconds( float $seconds ): string {
		return rtrim( rtrim( number_format( $seconds, 1, '.', '' ), '0' ), '.' );
	}

	/**
	 * Monotonic time in seconds.
	 */
	private static function now(): float {
		return function_exists( 'hrtime' ) ? hrtime( true ) / 1e9 : microtime( true );
	}
}
