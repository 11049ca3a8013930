<?php
/**
 * DNS look-ups over UDP (TCP when an answer is truncated) that never wait past their time limit.
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

	/** The error of a question no name server answered within the time limit. */
	public const NO_ANSWER = 'no answer within the time limit';

	/** The error of a question every name server answered with SERVFAIL or REFUSED. */
	public const SERVER_FAILURE = 'SERVFAIL';

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
		$this->servers = array_values( $servers );
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
	 * Asks every question at once and waits, within the time limit, for the answers: any record
	 * type Dns_Packet reads. A truncated UDP answer is asked again over TCP (RFC 7766) within the
	 * same limit. Questions are asked exactly as given (no search domains).
	 *
	 * @param list<array{0: string, 1: int}> $questions Name (ASCII, no trailing dot) and type.
	 * @param float                          $seconds   Time limit.
	 * @return list<array{rcode: int, records: list<array{name: string, type: int, ttl: int, data: string}>, error: string}>
	 *         One per question, in order; error '' when a name server answered (rcode 0 or 3).
	 */
	public function query( array $questions, float $seconds ): array {
		$deadline = self::now() + $seconds;
		$sockets  = $this->open_sockets();
		$pending  = array();
		$answers  = array();
		foreach ( $questions as $key => $question ) {
			$id              = random_int( 0, 0xffff );
			$pending[ $key ] = array(
				'id'     => $id,
				'packet' => Dns_Packet::query( $id, $question[0], $question[1] ),
				'failed' => 0,
			);
			$answers[ $key ] = array(
				'rcode'   => -1,
				'records' => array(),
				'error'   => array() === $sockets ? self::NO_SERVER : self::NO_ANSWER,
			);
		}
		$sent_at = -INF;
		while ( array() !== $sockets && array() !== $pending && self::now() < $deadline ) {
			if ( self::now() - $sent_at >= self::RESEND ) {
				foreach ( $sockets as $index => $socket ) {
					foreach ( $pending as $query ) {
						// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a datagram; an error means this server's port is closed.
						if ( false === @fwrite( $socket, $query['packet'] ) ) {
							fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
							unset( $sockets[ $index ] );
							break;
						}
					}
				}
				$sent_at = self::now();
				continue;
			}
			$wait  = max( 0.0, min( $deadline, $sent_at + self::RESEND ) - self::now() );
			$read  = array_values( $sockets );
			$write = null;
			$other = null;
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- EINTR is harmless here.
			$ready = @stream_select( $read, $write, $other, (int) floor( $wait ), (int) ( ( $wait - floor( $wait ) ) * 1e6 ) );
			foreach ( false === $ready ? array() : $read as $socket ) {
				$index = (int) array_search( $socket, $sockets, true );
				// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fread -- a datagram; a refused port reads as an error.
				$datagram = @fread( $socket, 65535 );
				if ( false === $datagram || '' === $datagram ) {
					fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
					unset( $sockets[ $index ] );
					continue;
				}
				foreach ( $pending as $key => $query ) {
					$answer = self::answer_to( $datagram, $query['id'], $questions[ $key ] );
					if ( null === $answer ) {
						continue;
					}
					if ( $answer['truncated'] ) {
						$whole  = Dns_Over_Tcp::exchange( $this->servers[ $index ], $this->port, $query['packet'], $deadline );
						$answer = ( null !== $whole ? self::answer_to( $whole, $query['id'], $questions[ $key ] ) : null ) ?? $answer;
					}
					if ( Dns_Packet::RCODE_OK === $answer['rcode'] || Dns_Packet::RCODE_NXDOMAIN === $answer['rcode'] ) {
						$answers[ $key ] = array(
							'rcode'   => $answer['rcode'],
							'records' => $answer['records'],
							'error'   => '',
						);
						unset( $pending[ $key ] );
					} elseif ( ++$pending[ $key ]['failed'] >= count( $this->servers ) ) {
						$answers[ $key ]['rcode'] = $answer['rcode'];
						$answers[ $key ]['error'] = self::SERVER_FAILURE;
						unset( $pending[ $key ] );
					}
					break;
				}
			}
		}
		foreach ( $sockets as $socket ) {
			fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
		}
		$list = array();
		foreach ( $answers as $answer ) {
			$list[] = array(
				'rcode'   => $answer['rcode'],
				'records' => $answer['records'] ?? array(),
				'error'   => $answer['error'],
			);
		}
		return $list;
	}

	/**
	 * The parsed answer when a message answers this query (same id and question), else null.
	 *
	 * @param string                   $message  Message.
	 * @param int                      $id       Query id.
	 * @param array{0: string, 1: int} $question Name and type.
	 * @return array{id: int, rcode: int, truncated: bool, question: string, question_type: int, records: list<array{name: string, type: int, ttl: int, data: string}>}|null
	 */
	private static function answer_to( string $message, int $id, array $question ): ?array {
		$answer = Dns_Packet::parse_records( $message );
		if ( null === $answer || $answer['id'] !== $id || $answer['question_type'] !== $question[1] || strtolower( rtrim( $question[0], '.' ) ) !== $answer['question'] ) {
			return null;
		}
		return $answer;
	}

	/**
	 * One connected, non-blocking UDP socket per name server, keyed by the server's index.
	 *
	 * @return array<int, resource>
	 */
	private function open_sockets(): array {
		$sockets = array();
		foreach ( $this->servers as $index => $server ) {
			$target = false !== strpos( $server, ':' ) ? '[' . $server . ']' : $server;
			$errno  = 0;
			$error  = '';
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a server that cannot be reached is skipped.
			$socket = @stream_socket_client( 'udp://' . $target . ':' . $this->port, $errno, $error, 1.0 );
			if ( false !== $socket ) {
				stream_set_blocking( $socket, false );
				$sockets[ $index ] = $socket;
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
