<?php
/**
 * A DNS query over TCP, for an answer that did not fit a datagram.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * When a name server sets the truncation flag, Dns_Client asks the same question again over TCP
 * within what is left of its deadline; a server without TCP leaves the truncated answer in use.
 */
final class Dns_Over_Tcp {
	/**
	 * Sends one query over TCP (two-byte length prefix, RFC 1035 4.2.2), non-blocking, until the
	 * deadline.
	 *
	 * @param string $server   Name server.
	 * @param int    $port     Its port.
	 * @param string $packet   The query.
	 * @param float  $deadline Monotonic deadline.
	 * @return string|null The whole answer message, or null when none came in time.
	 */
	public static function exchange( string $server, int $port, string $packet, float $deadline ): ?string {
		$target = false !== strpos( $server, ':' ) ? '[' . $server . ']' : $server;
		$errno  = 0;
		$error  = '';
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- a server without TCP keeps the truncated answer.
		$socket = @stream_socket_client( 'tcp://' . $target . ':' . $port, $errno, $error, 0, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT );
		if ( false === $socket ) {
			return null;
		}
		stream_set_blocking( $socket, false );
		$outgoing = pack( 'n', strlen( $packet ) ) . $packet;
		$incoming = '';
		while ( self::now() < $deadline ) {
			$wait  = max( 0.0, $deadline - self::now() );
			$read  = array( $socket );
			$write = '' === $outgoing ? null : array( $socket );
			$other = null;
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- EINTR is harmless here.
			if ( ! @stream_select( $read, $write, $other, (int) floor( $wait ), (int) ( ( $wait - floor( $wait ) ) * 1e6 ) ) ) {
				continue;
			}
			if ( is_array( $write ) && in_array( $socket, $write, true ) ) {
				// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a socket; a refused connection reads as an error.
				$written = @fwrite( $socket, $outgoing );
				if ( false === $written ) {
					break;
				}
				$outgoing = (string) substr( $outgoing, $written );
			}
			if ( in_array( $socket, $read, true ) ) {
				// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fread -- a socket.
				$chunk = @fread( $socket, 65537 );
				if ( false === $chunk || ( '' === $chunk && feof( $socket ) ) ) {
					break;
				}
				$incoming .= $chunk;
				if ( strlen( $incoming ) >= 2 ) {
					$length = Dns_Packet::u16( $incoming, 0 );
					if ( strlen( $incoming ) >= 2 + $length ) {
						fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
						return substr( $incoming, 2, $length );
					}
				}
			}
		}
		fclose( $socket ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a socket.
		return null;
	}

	/**
	 * Monotonic time in seconds.
	 */
	private static function now(): float {
		return function_exists( 'hrtime' ) ? hrtime( true ) / 1e9 : microtime( true );
	}
}
