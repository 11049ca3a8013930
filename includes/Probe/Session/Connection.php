<?php
/**
 * One connection of a probe session and what it has seen so far.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Probe\Probe_Options;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Per-connection state: the address and Probe_Mode it was opened with, its socket and reply
 * parser, its TLS handshake, the bytes read on it and the timer that turns a silent greeting
 * into a TLS attempt. A reconnect is a new Connection; the session decides when. Failures are
 * handed back as Failure values (Failure_Classifier) built from what this connection saw.
 */
final class Connection {

	/**
	 * Address connected to ('' before the first connection).
	 *
	 * @var string
	 */
	private string $address;

	/**
	 * How the connection opens.
	 *
	 * @var Probe_Mode
	 */
	private Probe_Mode $mode;

	/**
	 * The socket.
	 *
	 * @var Socket
	 */
	private Socket $socket;

	/**
	 * Reply parser.
	 *
	 * @var Reply_Reader
	 */
	private Reply_Reader $reader;

	/**
	 * Handshake in progress (or the last one).
	 *
	 * @var Tls_Handshake|null
	 */
	private ?Tls_Handshake $handshake = null;

	/**
	 * What the finished handshake negotiated; null while TLS is not active.
	 *
	 * @var array{version: string, cipher: string, certificate: mixed}|null
	 */
	private ?array $negotiated = null;

	/**
	 * Bytes read.
	 *
	 * @var int
	 */
	private int $bytes = 0;

	/**
	 * Time when a silent greeting triggers a TLS attempt (0: none).
	 *
	 * @var float
	 */
	private float $banner_deadline = 0.0;

	/**
	 * Constructor. Nothing is opened yet.
	 *
	 * @param string     $address IP address.
	 * @param Probe_Mode $mode    How the connection opens.
	 */
	public function __construct( string $address, Probe_Mode $mode ) {
		$this->address = $address;
		$this->mode    = $mode;
		$this->socket  = new Socket();
		$this->reader  = new Reply_Reader();
	}

	/**
	 * Starts connecting; certificates are verified unless the mode only reads one.
	 *
	 * @param int           $port    Port.
	 * @param Probe_Options $options Options (host, CA file).
	 * @return bool False when the attempt failed at once (see connect_failure()).
	 */
	public function open( int $port, Probe_Options $options ): bool {
		return $this->socket->open( $this->address, $port, Tls_Handshake::ssl_options( $options, ! $this->mode->reads_certificate() ) );
	}

	/**
	 * Checks the connect once the stream is writable and starts the silent-greeting timer.
	 *
	 * @param float $now          Current time.
	 * @param float $banner_grace Seconds to wait for a greeting before trying TLS, where the mode allows it.
	 * @return bool False when the connect failed (see connect_failure()).
	 */
	public function complete_connect( float $now, float $banner_grace ): bool {
		if ( ! $this->socket->complete_connect() ) {
			return false;
		}
		$this->banner_deadline = $this->mode->may_try_tls_on_silence() ? $now + $banner_grace : 0.0;
		return true;
	}

	/**
	 * Closes the connection and says why the connect failed.
	 *
	 * @param bool $another_address Whether another address is left to try.
	 * @return Failure
	 */
	public function connect_failure( bool $another_address ): Failure {
		$this->socket->close();
		return Failure_Classifier::connect_failed( $this->socket->error_number(), $this->socket->error_text(), $this->address, $another_address );
	}

	/**
	 * Address connected to.
	 *
	 * @return string
	 */
	public function address(): string {
		return $this->address;
	}

	/**
	 * How the connection opens.
	 *
	 * @return Probe_Mode
	 */
	public function mode(): Probe_Mode {
		return $this->mode;
	}

	/**
	 * The socket (stream, reads, queued writes, addresses).
	 *
	 * @return Socket
	 */
	public function socket(): Socket {
		return $this->socket;
	}

	/**
	 * Whether a silent-greeting timer runs.
	 *
	 * @return bool
	 */
	public function has_banner_timer(): bool {
		return $this->banner_deadline > 0;
	}

	/**
	 * When the silent-greeting timer fires (INF when none runs).
	 *
	 * @return float
	 */
	public function banner_timer(): float {
		return $this->banner_deadline > 0 ? $this->banner_deadline : INF;
	}

	/**
	 * Stops the silent-greeting timer (a reply arrived).
	 *
	 * @return void
	 */
	public function stop_banner_timer(): void {
		$this->banner_deadline = 0.0;
	}

	/**
	 * Whether the timer fired with nothing received; the timer stops once it fired.
	 *
	 * @param float $now Current time.
	 * @return bool
	 */
	public function greeting_overdue( float $now ): bool {
		if ( ! $this->has_banner_timer() || $now < $this->banner_deadline ) {
			return false;
		}
		$this->banner_deadline = 0.0;
		return 0 === $this->bytes && ! $this->tls_active();
	}

	/**
	 * Whether bytes read before any greeting are a TLS record (the server speaks TLS first).
	 *
	 * @param string $data Bytes just read.
	 * @return bool
	 */
	public function is_tls_before_greeting( string $data ): bool {
		return 0 === $this->bytes && ! $this->tls_active() && Tls_Handshake::looks_like_tls( $data );
	}

	/**
	 * Counts bytes read and hands them to the reply parser.
	 *
	 * @param string $data Bytes read.
	 * @return void
	 */
	public function receive( string $data ): void {
		$this->bytes += strlen( $data );
		$this->reader->feed( $data );
	}

	/**
	 * The next complete reply, or null.
	 *
	 * @return Smtp_Reply|null
	 */
	public function next_reply(): ?Smtp_Reply {
		return $this->reader->next_reply();
	}

	/**
	 * What was wrong with the server's bytes ('' while they are well-formed).
	 *
	 * @return string
	 */
	public function reply_error(): string {
		return '' === $this->reader->get_error() ? '' : $this->reader->describe_error();
	}

	/**
	 * Sends a command line.
	 *
	 * @param string $line Command without CRLF.
	 * @return bool False when the write failed.
	 * @throws \LogicException When the line contains control characters (never expected).
	 */
	public function send( string $line ): bool {
		if ( Host_Name::has_control_chars( $line ) ) {
			throw new \LogicException( 'refusing to send a control character' );
		}
		return $this->socket->write( $line . "\r\n" );
	}

	/**
	 * Starts a TLS handshake (after STARTTLS, on a TLS-first port, or on a silent greeting).
	 *
	 * @param bool $on_silence Whether TLS is tried because the greeting stayed silent.
	 * @return void
	 */
	public function begin_tls( bool $on_silence ): void {
		if ( $on_silence ) {
			$this->mode = $this->mode->with_tls_on_silence();
		}
		$this->reader->reset();
		$this->handshake = new Tls_Handshake( $this->mode->starts_with_tls() );
	}

	/**
	 * Advances the handshake; once it is done, negotiated() tells what it agreed on.
	 *
	 * @param bool $readable Whether the socket reported readable.
	 * @return Failure|null The failure, or null while pending or once done.
	 */
	public function step_tls( bool $readable ): ?Failure {
		$stream    = $this->socket->stream();
		$handshake = $this->handshake;
		if ( null === $stream || null === $handshake ) {
			return null;
		}
		$outcome = $handshake->step( $stream, $readable );
		if ( Tls_Handshake::DONE === $outcome ) {
			$this->negotiated = Tls_Handshake::negotiated( $stream );
			$this->mode       = $this->mode->with_tls_confirmed();
		} elseif ( Tls_Handshake::PLAIN_TEXT === $outcome ) {
			return Failure_Classifier::plain_text_in_handshake( $this->socket->peek( 64 ) );
		} elseif ( Tls_Handshake::FAILED === $outcome ) {
			return Failure_Classifier::handshake_failed( $handshake->error(), $this->mode, $handshake->saw_bytes() );
		}
		return null;
	}

	/**
	 * What the finished handshake negotiated, or null while TLS is not active.
	 *
	 * @return array{version: string, cipher: string, certificate: mixed}|null
	 */
	public function negotiated(): ?array {
		return $this->negotiated;
	}

	/**
	 * Whether TLS is active.
	 *
	 * @return bool
	 */
	public function tls_active(): bool {
		return null !== $this->negotiated;
	}

	/**
	 * What the overall deadline means in a given state of this connection.
	 *
	 * @param string $state State constant.
	 * @return Failure
	 */
	public function deadline_failure( string $state ): Failure {
		$saw_bytes = null !== $this->handshake && $this->handshake->saw_bytes();
		return Failure_Classifier::deadline( $state, $this->mode, $saw_bytes, $this->bytes, $this->reader->pending_bytes(), $this->address );
	}

	/**
	 * What the server closing this connection in a given state means.
	 *
	 * @param string $state State constant (not QUIT).
	 * @return Failure
	 */
	public function closed_failure( string $state ): Failure {
		return Failure_Classifier::closed( $state, $this->bytes );
	}
}
