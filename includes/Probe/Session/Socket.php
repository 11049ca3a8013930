<?php
/**
 * One non-blocking TCP connection of a probe session (the socket side only).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The socket side only: asynchronous connect, reads in bounded chunks, queued writes, peeking
 * at bytes not yet read, closing. It never blocks and knows nothing of SMTP.
 */
final class Socket {

	/**
	 * Bytes per fread().
	 */
	const CHUNK = 8192;

	/**
	 * The stream (a resource cannot be a typed property in PHP 7.4).
	 *
	 * @var resource|null
	 */
	private $stream = null;

	/**
	 * Bytes waiting to be written.
	 *
	 * @var string
	 */
	private string $out = '';

	/**
	 * Local address once connected ("ip:port").
	 *
	 * @var string
	 */
	private string $local_address = '';

	/**
	 * Peer address once connected ("ip:port").
	 *
	 * @var string
	 */
	private string $peer = '';

	/**
	 * Error number of a failed connect (0 when unknown).
	 *
	 * @var int
	 */
	private int $error_number = 0;

	/**
	 * Error text of a failed connect.
	 *
	 * @var string
	 */
	private string $error_text = '';

	/**
	 * Starts connecting.
	 *
	 * @param string               $address IP address.
	 * @param int                  $port    Port.
	 * @param array<string, mixed> $ssl     SSL context options for a later handshake.
	 * @return bool False when the attempt failed at once (see error_number(), error_text()).
	 */
	public function open( string $address, int $port, array $ssl ): bool {
		$target  = false !== strpos( $address, ':' ) ? '[' . $address . ']' : $address;
		$context = stream_context_create( array( 'ssl' => $ssl ) );
		$errno   = 0;
		$errstr  = '';
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- errors are reported via $errno.
		$stream = @stream_socket_client( 'tcp://' . $target . ':' . $port, $errno, $errstr, 1.0, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT, $context );
		if ( false === $stream ) {
			$this->error_number = (int) $errno;
			$this->error_text   = (string) $errstr;
			return false;
		}
		stream_set_blocking( $stream, false );
		$this->stream = $stream;
		return true;
	}

	/**
	 * Checks the outcome of the connect once the stream is writable.
	 *
	 * @return bool False when the connect failed (see error_number(), error_text()).
	 */
	public function complete_connect(): bool {
		$stream = $this->stream;
		if ( null === $stream ) {
			return false;
		}
		$errno = 0;
		if ( function_exists( 'socket_import_stream' ) ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			$socket = @socket_import_stream( $stream );
			if ( false !== $socket ) {
				$errno = (int) socket_get_option( $socket, SOL_SOCKET, SO_ERROR );
			}
		}
		$peer = 0 === $errno ? stream_socket_get_name( $stream, true ) : false;
		if ( 0 !== $errno || false === $peer ) {
			$this->error_number = $errno;
			$this->error_text   = $errno > 0 && function_exists( 'socket_strerror' ) ? socket_strerror( $errno ) : 'connection failed';
			return false;
		}
		$local               = stream_socket_get_name( $stream, false );
		$this->local_address = is_string( $local ) ? $local : '';
		$this->peer          = $peer;
		return true;
	}

	/**
	 * The stream, or null once closed.
	 *
	 * @return resource|null
	 */
	public function stream() {
		return $this->stream;
	}

	/**
	 * Reads one chunk.
	 *
	 * @return string '' when nothing is available.
	 */
	public function read(): string {
		if ( null === $this->stream ) {
			return '';
		}
		$data = fread( $this->stream, self::CHUNK ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fread -- a network socket, not a file: WP_Filesystem does not apply.
		return false === $data ? '' : $data;
	}

	/**
	 * Whether the peer closed the connection.
	 *
	 * @return bool
	 */
	public function at_end(): bool {
		return null !== $this->stream && feof( $this->stream );
	}

	/**
	 * Bytes the peer sent, without consuming them.
	 *
	 * @param int $length Bytes at most.
	 * @return string
	 */
	public function peek( int $length ): string {
		if ( null === $this->stream ) {
			return '';
		}
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		return (string) @stream_socket_recvfrom( $this->stream, $length, STREAM_PEEK );
	}

	/**
	 * Queues bytes and writes as much as the socket takes.
	 *
	 * @param string $bytes Bytes.
	 * @return bool False when the write failed.
	 */
	public function write( string $bytes ): bool {
		$this->out .= $bytes;
		return $this->flush();
	}

	/**
	 * Writes as much queued data as the socket takes.
	 *
	 * @return bool False when the write failed.
	 */
	public function flush(): bool {
		if ( null === $this->stream || '' === $this->out ) {
			return true;
		}
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a network socket, not a file: WP_Filesystem does not apply.
		$written = @fwrite( $this->stream, $this->out );
		if ( false === $written ) {
			return false;
		}
		$this->out = (string) substr( $this->out, $written );
		return true;
	}

	/**
	 * Whether queued bytes wait to be written.
	 *
	 * @return bool
	 */
	public function has_output(): bool {
		return null !== $this->stream && '' !== $this->out;
	}

	/**
	 * Closes the stream and drops queued bytes.
	 *
	 * @return void
	 */
	public function close(): void {
		if ( null !== $this->stream ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_system_read_fclose -- a network socket, not a file: WP_Filesystem does not apply.
			@fclose( $this->stream );
		}
		$this->stream = null;
		$this->out    = '';
	}

	/**
	 * Local address ("ip:port"), '' before connecting.
	 *
	 * @return string
	 */
	public function local_address(): string {
		return $this->local_address;
	}

	/**
	 * Peer address ("ip:port"), '' before connecting.
	 *
	 * @return string
	 */
	public function peer(): string {
		return $this->peer;
	}

	/**
	 * Error number of a failed connect.
	 *
	 * @return int
	 */
	public function error_number(): int {
		return $this->error_number;
	}

	/**
	 * Error text of a failed connect.
	 *
	 * @return string
	 */
	public function error_text(): string {
		return $this->error_text;
	}
}
