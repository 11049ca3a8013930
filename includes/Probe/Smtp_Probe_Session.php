<?php
/**
 * Per-port probe: one port's connections, driven by Port_Prober's event loop.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Probe\Session\Address_List;
use SmtpPortHelper\Probe\Session\Certificate_Inspection;
use SmtpPortHelper\Probe\Session\Conversation;
use SmtpPortHelper\Probe\Session\Failure;
use SmtpPortHelper\Probe\Session\Failure_Classifier;
use SmtpPortHelper\Probe\Session\Probe_Mode;
use SmtpPortHelper\Probe\Session\Reply_Action;
use SmtpPortHelper\Probe\Session\Result_Recorder;
use SmtpPortHelper\Probe\Session\Socket;
use SmtpPortHelper\Probe\Session\State;
use SmtpPortHelper\Probe\Session\Tls_Handshake;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Probes one port with non-blocking I/O. Port_Prober drives many sessions from one
 * stream_select() loop: it asks each session for its stream and whether it wants to read or
 * write, calls on_readable() / on_writable() / tick(), and calls on_deadline() when the
 * overall time is up. A session never blocks.
 *
 * Conversation: connect, then either TLS right away (implicit-TLS ports) or wait for the
 * greeting; EHLO; STARTTLS + TLS handshake + EHLO; optional AUTH PLAIN/LOGIN; QUIT. It never
 * sends MAIL FROM. How a connection opens is a Probe_Mode: plain-text bytes during an implicit
 * handshake mean plain SMTP (reconnect without TLS), silence on a plain port followed by a
 * working handshake means implicit TLS. When the certificate fails verification, a second
 * connection reads it (Certificate_Inspection). What a failure means is Failure_Classifier's.
 */
class Smtp_Probe_Session {

	/**
	 * Bytes read per session at most (all replies together).
	 */
	const SESSION_LIMIT = 98304;

	/**
	 * Options.
	 *
	 * @var Probe_Options
	 */
	private Probe_Options $options;

	/**
	 * Clock.
	 *
	 * @var Clock
	 */
	private Clock $clock;

	/**
	 * Result being filled.
	 *
	 * @var Port_Result
	 */
	private Port_Result $result;

	/**
	 * Writes stages and the verdict into the result.
	 *
	 * @var Result_Recorder
	 */
	private Result_Recorder $recorder;

	/**
	 * Addresses to try.
	 *
	 * @var Address_List
	 */
	private Address_List $addresses;

	/**
	 * Current connection.
	 *
	 * @var Socket
	 */
	private Socket $connection;

	/**
	 * Reply parser of the current connection.
	 *
	 * @var Reply_Reader
	 */
	private Reply_Reader $reader;

	/**
	 * State (State constants).
	 *
	 * @var string
	 */
	private string $state = State::NEW;

	/**
	 * How the current connection opens.
	 *
	 * @var Probe_Mode
	 */
	private Probe_Mode $mode;

	/**
	 * Handshake in progress (or the last one) on the current connection.
	 *
	 * @var Tls_Handshake|null
	 */
	private ?Tls_Handshake $handshake = null;

	/**
	 * Whether TLS is active on the current connection.
	 *
	 * @var bool
	 */
	private bool $tls_active = false;

	/**
	 * Set while the certificate-reading connection runs.
	 *
	 * @var Certificate_Inspection|null
	 */
	private ?Certificate_Inspection $inspection = null;

	/**
	 * Time when a silent greeting triggers a TLS attempt (0: none).
	 *
	 * @var float
	 */
	private float $banner_deadline = 0.0;

	/**
	 * Seconds to wait for a greeting before trying TLS on a port not expected to be implicit.
	 *
	 * @var float
	 */
	private float $banner_grace;

	/**
	 * Bytes read on the current connection.
	 *
	 * @var int
	 */
	private int $bytes_connection = 0;

	/**
	 * Bytes read in the whole session.
	 *
	 * @var int
	 */
	private int $bytes_total = 0;

	/**
	 * The SMTP dialogue.
	 *
	 * @var Conversation
	 */
	private Conversation $conversation;

	/**
	 * Constructor.
	 *
	 * @param int                                                          $port    Port.
	 * @param Probe_Options                                                $options Options.
	 * @param array{a: string[], aaaa: string[], error: string, ms: float} $dns     Resolution result with its time.
	 * @param Clock                                                        $clock   Clock.
	 */
	public function __construct( int $port, Probe_Options $options, array $dns, Clock $clock ) {
		$this->options                   = $options;
		$this->clock                     = $clock;
		$this->addresses                 = new Address_List( $dns );
		$this->result                    = new Port_Result( $port );
		$this->result->implicit_expected = $options->expects_implicit_tls( $port );
		$this->result->host              = $options->host->get_ascii();
		$this->recorder                  = new Result_Recorder( $this->result );
		$this->conversation              = new Conversation( $options, $this->result, $this->recorder );
		$this->connection                = new Socket();
		$this->reader                    = new Reply_Reader();
		$this->mode                      = Probe_Mode::first_connection( $this->result->implicit_expected );
		$this->banner_grace              = max( 0.5, min( 3.0, $options->timeout * 0.3 ) );
	}

	/**
	 * Starts the session (DNS stage and connect).
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function start( float $now ): void {
		$this->recorder->start( $now );
		$addresses = $this->addresses;
		if ( $addresses->is_empty() ) {
			$this->result->add_stage( 'dns', false, $addresses->lookup_ms(), $addresses->error() );
			$this->recorder->decide( Verdict::DNS_FAILED, $addresses->error() );
			$this->finish( $now );
			return;
		}
		$this->result->add_stage( 'dns', true, $addresses->lookup_ms(), $addresses->stage_detail( $this->options->host->is_ip() ) );
		$this->open_connection( $now );
	}

	/**
	 * The stream to watch, or null.
	 *
	 * @return resource|null
	 */
	public function get_stream() {
		return $this->connection->stream();
	}

	/**
	 * Whether the session is finished.
	 *
	 * @return bool
	 */
	public function is_done(): bool {
		return State::DONE === $this->state;
	}

	/**
	 * Whether the session waits for the stream to become readable.
	 *
	 * @return bool
	 */
	public function wants_read(): bool {
		return null !== $this->connection->stream() && State::CONNECTING !== $this->state && State::DONE !== $this->state;
	}

	/**
	 * Whether the session waits for the stream to become writable.
	 *
	 * @return bool
	 */
	public function wants_write(): bool {
		return null !== $this->connection->stream() && ( State::CONNECTING === $this->state || $this->connection->has_output() );
	}

	/**
	 * Next time at which tick() has something to do (INF when none).
	 *
	 * @return float
	 */
	public function next_timer(): float {
		if ( State::BANNER === $this->state && $this->banner_deadline > 0 ) {
			return $this->banner_deadline;
		}
		return INF;
	}

	/**
	 * The result.
	 *
	 * @return Port_Result
	 */
	public function get_result(): Port_Result {
		return $this->result;
	}

	/**
	 * Called when the stream is writable.
	 *
	 * @return void
	 */
	public function on_writable(): void {
		$now = $this->clock->now();
		if ( State::CONNECTING === $this->state ) {
			$this->connected( $now );
			return;
		}
		if ( ! $this->connection->flush() ) {
			$this->closed_by_peer( $now );
		}
	}

	/**
	 * Time-based work: a silent greeting leads to a TLS attempt.
	 *
	 * @return void
	 */
	public function tick(): void {
		if ( State::BANNER !== $this->state || $this->banner_deadline <= 0 ) {
			return;
		}
		$now = $this->clock->now();
		if ( $now < $this->banner_deadline ) {
			return;
		}
		$this->banner_deadline = 0.0;
		if ( 0 !== $this->bytes_connection || $this->tls_active ) {
			return;
		}
		$this->recorder->stage( 'banner', false, $now, sprintf( 'no plain-text greeting within %.1f s; trying implicit TLS', $this->banner_grace ) );
		$this->mode = $this->mode->with_tls_on_silence();
		$this->begin_tls( $now );
	}

	/**
	 * Called when the stream is readable.
	 *
	 * @return void
	 */
	public function on_readable(): void {
		$now = $this->clock->now();
		if ( State::TLS === $this->state ) {
			$this->step_tls( $now, true );
			return;
		}
		for ( $i = 0; $i < 16; $i++ ) {
			$data = $this->connection->read();
			if ( '' === $data ) {
				break;
			}
			if ( 0 === $this->bytes_connection && State::BANNER === $this->state && ! $this->tls_active && Tls_Handshake::looks_like_tls( $data ) ) {
				// A TLS record before any greeting: the server speaks TLS first.
				$this->recorder->stage( 'banner', false, $now, 'TLS data instead of a greeting' );
				$this->restart( $now, true );
				return;
			}
			$this->bytes_connection += strlen( $data );
			$this->bytes_total      += strlen( $data );
			if ( $this->bytes_total > self::SESSION_LIMIT ) {
				$this->fail( Failure_Classifier::protocol_error( $this->state, 'more than ' . self::SESSION_LIMIT . ' bytes received' ), $now );
				return;
			}
			$this->reader->feed( $data );
			if ( ! $this->process_replies( $now ) ) {
				return;
			}
		}
		if ( $this->connection->at_end() ) {
			$this->closed_by_peer( $now );
		}
	}

	/**
	 * The overall deadline passed: record where we were and stop.
	 *
	 * @return void
	 */
	public function on_deadline(): void {
		if ( State::DONE === $this->state ) {
			return;
		}
		$now = $this->clock->now();
		if ( null !== $this->inspection && $this->recorder->has_verdict() ) {
			$this->finish( $now );
			return;
		}
		$saw_bytes = null !== $this->handshake && $this->handshake->saw_bytes();
		$failure   = Failure_Classifier::deadline( $this->state, $this->mode, $saw_bytes, $this->bytes_connection, $this->reader->pending_bytes(), $this->addresses->current() );
		$this->fail( $failure, $now );
	}

	/**
	 * Opens a non-blocking connection to the current address.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function open_connection( float $now ): void {
		$address                = $this->addresses->current();
		$this->result->address  = $address;
		$this->connection       = new Socket();
		$this->reader           = new Reply_Reader();
		$this->handshake        = null;
		$this->tls_active       = false;
		$this->bytes_connection = 0;
		$this->banner_deadline  = 0.0;
		$this->recorder->mark( $now );
		$ssl = Tls_Handshake::ssl_options( $this->options, ! $this->mode->reads_certificate() );
		if ( ! $this->connection->open( $address, $this->result->port, $ssl ) ) {
			$this->connect_failed( $now );
			return;
		}
		$this->state = State::CONNECTING;
	}

	/**
	 * Completes a non-blocking connect.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function connected( float $now ): void {
		if ( null === $this->connection->stream() ) {
			return;
		}
		if ( ! $this->connection->complete_connect() ) {
			$this->connect_failed( $now );
			return;
		}
		$this->recorder->stage( 'connect', true, $now, 'connected to ' . $this->connection->peer() );
		$this->conversation->connected( $this->connection->local_address() );
		if ( $this->mode->starts_with_tls() ) {
			$this->begin_tls( $now );
			return;
		}
		$this->state           = State::BANNER;
		$this->banner_deadline = $this->mode->may_try_tls_on_silence() ? $now + $this->banner_grace : 0.0;
	}

	/**
	 * Handles a failed connection attempt.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function connect_failed( float $now ): void {
		$this->connection->close();
		$failure = Failure_Classifier::connect_failed( $this->connection->error_number(), $this->connection->error_text(), $this->addresses->current(), $this->addresses->has_next() );
		$this->fail( $failure, $now );
	}

	/**
	 * Handles complete replies and parser errors.
	 *
	 * @param float $now Current time.
	 * @return bool False when the connection was closed or replaced.
	 */
	private function process_replies( float $now ): bool {
		$stream = $this->connection->stream();
		$reply  = $this->reader->next_reply();
		while ( null !== $reply ) {
			if ( State::BANNER === $this->state ) {
				$this->banner_deadline = 0.0;
			}
			$this->act( $this->conversation->reply( $this->state, $reply, $this->tls_active, null !== $this->inspection, $now ), $now );
			if ( $this->connection->stream() !== $stream || State::TLS === $this->state ) {
				return false;
			}
			$reply = $this->reader->next_reply();
		}
		if ( '' !== $this->reader->get_error() ) {
			$this->fail( Failure_Classifier::protocol_error( $this->state, $this->reader->describe_error() ), $now );
			return false;
		}
		return true;
	}

	/**
	 * Carries out what the conversation asks for after a reply.
	 *
	 * @param Reply_Action $action Action.
	 * @param float        $now    Current time.
	 * @return void
	 */
	private function act( Reply_Action $action, float $now ): void {
		switch ( $action->kind() ) {
			case Reply_Action::SEND:
				$this->send( $action->text(), $now );
				$this->state = $action->state();
				break;
			case Reply_Action::QUIT:
				$this->send_quit( $now );
				break;
			case Reply_Action::START_TLS:
				$this->reader->reset();
				$this->begin_tls( $now );
				break;
			case Reply_Action::FINISH:
				$this->finish( $now );
				break;
			case Reply_Action::CERTIFICATE_UNREADABLE:
				$this->fail_inspection( $action->text(), $now );
				break;
			default:
				break;
		}
	}

	/**
	 * Starts a TLS handshake on the current connection.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function begin_tls( float $now ): void {
		$this->state     = State::TLS;
		$this->handshake = new Tls_Handshake( $this->mode->starts_with_tls() );
		$this->recorder->mark( $now );
		$this->step_tls( $now, false );
	}

	/**
	 * Advances the handshake and acts on its outcome.
	 *
	 * @param float $now      Current time.
	 * @param bool  $readable Whether the socket reported readable.
	 * @return void
	 */
	private function step_tls( float $now, bool $readable ): void {
		$stream    = $this->connection->stream();
		$handshake = $this->handshake;
		if ( null === $stream || null === $handshake ) {
			return;
		}
		$outcome = $handshake->step( $stream, $readable );
		if ( Tls_Handshake::DONE === $outcome ) {
			$this->tls_done( $now, $stream );
		} elseif ( Tls_Handshake::PLAIN_TEXT === $outcome ) {
			$this->fail( Failure_Classifier::plain_text_in_handshake( $this->connection->peek( 64 ) ), $now );
		} elseif ( Tls_Handshake::FAILED === $outcome ) {
			$this->fail( Failure_Classifier::handshake_failed( $handshake->error(), $this->mode, $handshake->saw_bytes() ), $now );
		}
	}

	/**
	 * Handshake complete: report the certificate (second connection) or go on talking.
	 *
	 * @param float    $now    Current time.
	 * @param resource $stream The connection's stream.
	 * @return void
	 */
	private function tls_done( float $now, $stream ): void {
		$this->tls_active = true;
		$negotiated       = Tls_Handshake::negotiated( $stream );
		if ( null !== $this->inspection ) {
			$this->inspection->certificate_read( $negotiated, $now );
			if ( $this->mode->starts_with_tls() ) {
				// Implicit TLS: the greeting comes first; the conversation answers it with QUIT.
				$this->state = State::BANNER;
			} else {
				$this->send_quit( $now );
			}
			return;
		}
		$this->result->tls = Certificate_Inspector::verified_tls( $negotiated, $this->options->host, time() );
		$this->recorder->stage( 'tls', true, $now, trim( $negotiated['version'] . ' ' . $negotiated['cipher'] ) );
		if ( $this->mode->starts_with_tls() ) {
			$this->result->mode = Port_Result::MODE_IMPLICIT_TLS;
			$this->mode         = $this->mode->with_tls_confirmed();
			$this->state        = State::BANNER;
			return;
		}
		$this->send( $this->conversation->ehlo(), $now );
		$this->state = State::EHLO_TLS;
	}

	/**
	 * Records a failure and does what it calls for next.
	 *
	 * @param Failure $failure Failure.
	 * @param float   $now     Current time.
	 * @return void
	 */
	private function fail( Failure $failure, float $now ): void {
		if ( null !== $this->inspection ) {
			$this->fail_inspection( $failure->cause(), $now );
			return;
		}
		$this->recorder->stage( $failure->stage(), false, $now, $failure->detail() );
		if ( '' !== $failure->verdict() ) {
			$this->recorder->decide( $failure->verdict(), $failure->verdict_detail() );
		}
		switch ( $failure->next() ) {
			case Failure::NEXT_ADDRESS:
				$this->addresses->advance();
				$this->open_connection( $now );
				break;
			case Failure::RECONNECT_PLAIN:
				$this->restart( $now, false );
				break;
			case Failure::READ_CERTIFICATE:
				$this->read_certificate( $failure->detail(), $now );
				break;
			default:
				$this->finish( $now );
		}
	}

	/**
	 * The certificate-reading connection failed: report what is known and stop.
	 *
	 * @param string $cause Why the certificate could not be read.
	 * @param float  $now   Current time.
	 * @return void
	 */
	private function fail_inspection( string $cause, float $now ): void {
		if ( null !== $this->inspection ) {
			$this->inspection->certificate_unreadable( $cause, $now );
		}
		$this->finish( $now );
	}

	/**
	 * Connects a second time, with verification off, only to read the certificate.
	 *
	 * @param string $verify_error OpenSSL error text of the verified handshake.
	 * @param float  $now          Current time.
	 * @return void
	 */
	private function read_certificate( string $verify_error, float $now ): void {
		if ( $this->mode->starts_with_tls() ) {
			$this->result->mode = Port_Result::MODE_IMPLICIT_TLS;
		}
		$this->inspection = new Certificate_Inspection( $verify_error, $this->options->host, $this->result, $this->recorder );
		$this->recorder->go_quiet();
		$this->mode = $this->mode->for_certificate_reading();
		$this->connection->close();
		$this->open_connection( $now );
	}

	/**
	 * Reconnects, with implicit TLS or plain text.
	 *
	 * @param float $now       Current time.
	 * @param bool  $tls_first Whether to start with TLS.
	 * @return void
	 */
	private function restart( float $now, bool $tls_first ): void {
		$this->connection->close();
		$this->mode = $this->mode->reconnect( $tls_first );
		$this->open_connection( $now );
	}

	/**
	 * The server closed the connection.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function closed_by_peer( float $now ): void {
		if ( State::QUIT === $this->state ) {
			$this->recorder->stage( 'quit', true, $now, 'connection closed' );
			$this->finish( $now );
			return;
		}
		$this->fail( Failure_Classifier::closed( $this->state, $this->bytes_connection ), $now );
	}

	/**
	 * Sends QUIT (the verdict is known), or finishes if the connection is unusable.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function send_quit( float $now ): void {
		if ( null === $this->connection->stream() ) {
			$this->finish( $now );
			return;
		}
		$this->send( 'QUIT', $now );
		$this->state = State::QUIT;
	}

	/**
	 * Sends a command line; the next stage is timed from now.
	 *
	 * @param string $line Command without CRLF.
	 * @param float  $now  Current time.
	 * @return void
	 * @throws \LogicException When the line contains control characters (never expected).
	 */
	private function send( string $line, float $now ): void {
		if ( Host_Name::has_control_chars( $line ) ) {
			throw new \LogicException( 'refusing to send a control character' );
		}
		$this->recorder->mark( $now );
		if ( ! $this->connection->write( $line . "\r\n" ) ) {
			$this->closed_by_peer( $now );
		}
	}

	/**
	 * Closes the connection and the result.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function finish( float $now ): void {
		$this->connection->close();
		$this->state = State::DONE;
		$this->recorder->finish( $now );
	}
}
