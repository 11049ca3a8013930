<?php
/**
 * Per-port probe: the state machine Port_Prober's event loop drives.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Clock;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Probes one port with non-blocking I/O. Port_Prober drives many sessions from one
 * stream_select() loop: it asks each session for its stream and whether it wants to read or
 * write, calls on_readable() / on_writable() / tick(), and calls on_deadline() when the
 * overall time is up. A session never blocks.
 *
 * The session holds the State and moves it on each event: connect, then either TLS right away
 * (implicit-TLS ports) or wait for the greeting; EHLO; STARTTLS + TLS handshake + EHLO; optional
 * AUTH PLAIN/LOGIN; QUIT. It never sends MAIL FROM. Its parts: Connector opens the connections
 * (next address, reconnects, the certificate-reading one), Connection is the current one,
 * Conversation answers each reply, Failure_Classifier says what a failure means.
 */
class Smtp_Probe_Session {

	/**
	 * Bytes read per session at most (all replies together).
	 */
	const SESSION_LIMIT = 98304;

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
	 * Opens the connections and keeps the current one.
	 *
	 * @var Connector
	 */
	private Connector $connector;

	/**
	 * The SMTP dialogue.
	 *
	 * @var Conversation
	 */
	private Conversation $conversation;

	/**
	 * State (State constants).
	 *
	 * @var string
	 */
	private string $state = State::NEW;

	/**
	 * Bytes read in the whole session.
	 *
	 * @var int
	 */
	private int $bytes_total = 0;

	/**
	 * Constructor.
	 *
	 * @param int                                                                           $port    Port.
	 * @param Probe_Options                                                                 $options Options.
	 * @param array{a: string[], aaaa: string[], error: string, no_answer: bool, ms: float} $dns     Resolution result with its time.
	 * @param Clock                                                                         $clock   Clock.
	 * @param string                                                                        $family  Only this address family (Address_Family constants); '' for all.
	 * @param Login_Turn|null                                                               $login   The port's one login, shared by its two family sessions.
	 */
	public function __construct( int $port, Probe_Options $options, array $dns, Clock $clock, string $family = '', ?Login_Turn $login = null ) {
		$this->clock                     = $clock;
		$this->result                    = new Port_Result( $port );
		$this->result->implicit_expected = $options->expects_implicit_tls( $port );
		$this->result->host              = $options->host->get_ascii();
		$this->recorder                  = new Result_Recorder( $this->result );
		$this->connector                 = new Connector( $options, $dns, $this->result, $this->recorder, $family );
		$this->conversation              = new Conversation( $options, $this->result, $this->recorder, $login, $family );
	}

	/**
	 * Starts the session (DNS stage and connect).
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function start( float $now ): void {
		$this->recorder->start( $now );
		if ( ! $this->connector->record_dns() ) {
			$this->finish( $now );
			return;
		}
		$this->connecting( $this->connector->first( $now ), $now );
	}

	/**
	 * The stream to watch, or null.
	 *
	 * @return resource|null
	 */
	public function get_stream() {
		return $this->connection()->socket()->stream();
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
		return null !== $this->get_stream() && State::CONNECTING !== $this->state && State::DONE !== $this->state;
	}

	/**
	 * Whether the session waits for the stream to become writable.
	 *
	 * @return bool
	 */
	public function wants_write(): bool {
		return null !== $this->get_stream() && ( State::CONNECTING === $this->state || $this->connection()->socket()->has_output() );
	}

	/**
	 * Next time at which tick() has something to do (INF when none).
	 *
	 * @return float
	 */
	public function next_timer(): float {
		return State::BANNER === $this->state ? $this->connection()->banner_timer() : INF;
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
	 * Called when the stream is writable: the connect completed, or queued bytes can go out.
	 *
	 * @return void
	 */
	public function on_writable(): void {
		$now = $this->clock->now();
		if ( State::CONNECTING === $this->state ) {
			$this->connected( $now );
			return;
		}
		if ( ! $this->connection()->socket()->flush() ) {
			$this->closed_by_peer( $now );
		}
	}

	/**
	 * Time-based work: a silent greeting leads to a TLS attempt.
	 *
	 * @return void
	 */
	public function tick(): void {
		if ( State::BANNER !== $this->state || ! $this->connection()->has_banner_timer() ) {
			return;
		}
		$now = $this->clock->now();
		if ( ! $this->connection()->greeting_overdue( $now ) ) {
			return;
		}
		$this->recorder->stage( 'banner', false, $now, sprintf( 'no plain-text greeting within %.1f s; trying implicit TLS', $this->connector->banner_grace() ) );
		$this->begin_tls( $now, true );
	}

	/**
	 * Called when the stream is readable: a handshake step, or replies.
	 *
	 * @return void
	 */
	public function on_readable(): void {
		$now = $this->clock->now();
		if ( State::TLS === $this->state ) {
			$this->step_tls( $now, true );
			return;
		}
		$connection = $this->connection();
		for ( $i = 0; $i < 16; $i++ ) {
			$data = $connection->socket()->read();
			if ( '' === $data ) {
				break;
			}
			if ( State::BANNER === $this->state && $connection->is_tls_before_greeting( $data ) ) {
				$this->recorder->stage( 'banner', false, $now, 'TLS data instead of a greeting' );
				$this->connecting( $this->connector->reconnect_tls_first( $now ), $now );
				return;
			}
			$this->bytes_total += strlen( $data );
			if ( $this->bytes_total > self::SESSION_LIMIT ) {
				$this->fail( Failure_Classifier::protocol_error( $this->state, 'more than ' . self::SESSION_LIMIT . ' bytes received' ), $now );
				return;
			}
			$connection->receive( $data );
			if ( ! $this->process_replies( $now ) ) {
				return;
			}
		}
		if ( $connection->socket()->at_end() ) {
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
		if ( null !== $this->connector->inspection() && $this->recorder->has_verdict() ) {
			$this->finish( $now );
			return;
		}
		$this->fail( $this->connection()->deadline_failure( $this->state ), $now );
	}

	/**
	 * The other address family answered and the grace after it passed: stop waiting for this
	 * one (a black-holed family), and say so.
	 *
	 * @param float $waited Seconds waited after the other family's answer.
	 */
	public function stop_waiting( float $waited ): void {
		if ( State::DONE === $this->state ) {
			return;
		}
		$this->result->stopped_after_other = $waited;
		$this->on_deadline();
	}

	/**
	 * The current connection.
	 *
	 * @return Connection
	 */
	private function connection(): Connection {
		return $this->connector->connection();
	}

	/**
	 * A connection was opened (or failed at once).
	 *
	 * @param Failure|null $failure Why opening failed at once, or null.
	 * @param float        $now     Current time.
	 * @return void
	 */
	private function connecting( ?Failure $failure, float $now ): void {
		if ( null !== $failure ) {
			$this->fail( $failure, $now );
			return;
		}
		$this->state = State::CONNECTING;
	}

	/**
	 * Completes a non-blocking connect: TLS first, or wait for the greeting.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function connected( float $now ): void {
		$socket = $this->connection()->socket();
		if ( null === $socket->stream() ) {
			return;
		}
		$failure = $this->connector->complete_connect( $now );
		if ( null !== $failure ) {
			$this->fail( $failure, $now );
			return;
		}
		$this->recorder->stage( 'connect', true, $now, 'connected to ' . $socket->peer() );
		$this->conversation->connected( $socket->local_address() );
		if ( $this->connection()->mode()->starts_with_tls() ) {
			$this->begin_tls( $now, false );
			return;
		}
		$this->state = State::BANNER;
	}

	/**
	 * Handles complete replies and parser errors.
	 *
	 * @param float $now Current time.
	 * @return bool False when the connection was closed or replaced.
	 */
	private function process_replies( float $now ): bool {
		$connection = $this->connection();
		$stream     = $this->get_stream();
		$reply      = $connection->next_reply();
		while ( null !== $reply ) {
			if ( State::BANNER === $this->state ) {
				$connection->stop_banner_timer();
			}
			$this->act( $this->conversation->reply( $this->state, $reply, $connection->tls_active(), null !== $this->connector->inspection(), $now ), $now );
			if ( $this->get_stream() !== $stream || State::TLS === $this->state ) {
				return false;
			}
			$reply = $connection->next_reply();
		}
		$error = $connection->reply_error();
		if ( '' !== $error ) {
			$this->fail( Failure_Classifier::protocol_error( $this->state, $error ), $now );
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
			case Reply_Action::AWAIT:
				$this->state = $action->state();
				break;
			case Reply_Action::QUIT:
				$this->send_quit( $now );
				break;
			case Reply_Action::START_TLS:
				$this->begin_tls( $now, false );
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
	 * @param float $now        Current time.
	 * @param bool  $on_silence Whether TLS is tried because the greeting stayed silent.
	 * @return void
	 */
	private function begin_tls( float $now, bool $on_silence ): void {
		$this->state = State::TLS;
		$this->connection()->begin_tls( $on_silence );
		$this->recorder->mark( $now );
		$this->step_tls( $now, false );
	}

	/**
	 * Advances the handshake; once done, reports the certificate (second connection) or goes on talking.
	 *
	 * @param float $now      Current time.
	 * @param bool  $readable Whether the socket reported readable.
	 * @return void
	 */
	private function step_tls( float $now, bool $readable ): void {
		$failure = $this->connection()->step_tls( $readable );
		if ( null !== $failure ) {
			$this->fail( $failure, $now );
			return;
		}
		$negotiated = $this->connection()->negotiated();
		if ( null === $negotiated ) {
			return;
		}
		$this->act( $this->conversation->tls_established( $negotiated, $this->connection()->mode()->starts_with_tls(), $this->connector->inspection(), $now ), $now );
	}

	/**
	 * Records a failure and does what it calls for next: stop, or another connection.
	 *
	 * @param Failure $failure Failure.
	 * @param float   $now     Current time.
	 * @return void
	 */
	private function fail( Failure $failure, float $now ): void {
		if ( null !== $this->connector->inspection() ) {
			$this->fail_inspection( $failure->cause(), $now );
			return;
		}
		$this->recorder->stage( $failure->stage(), false, $now, $failure->detail() );
		if ( '' !== $failure->verdict() ) {
			$this->recorder->decide( $failure->verdict(), $failure->verdict_detail() );
		}
		if ( Failure::STOP === $failure->next() ) {
			$this->finish( $now );
			return;
		}
		$this->connecting( $this->connector->follow( $failure, $now ), $now );
	}

	/**
	 * The certificate-reading connection failed: report what is known and stop.
	 *
	 * @param string $cause Why the certificate could not be read.
	 * @param float  $now   Current time.
	 * @return void
	 */
	private function fail_inspection( string $cause, float $now ): void {
		$inspection = $this->connector->inspection();
		if ( null !== $inspection ) {
			$inspection->certificate_unreadable( $cause, $now );
		}
		$this->finish( $now );
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
		$this->fail( $this->connection()->closed_failure( $this->state ), $now );
	}

	/**
	 * Sends QUIT (the verdict is known), or finishes if the connection is unusable.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	private function send_quit( float $now ): void {
		if ( null === $this->get_stream() ) {
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
	 */
	private function send( string $line, float $now ): void {
		$this->recorder->mark( $now );
		if ( ! $this->connection()->send( $line ) ) {
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
		$this->connection()->socket()->close();
		$this->state = State::DONE;
		$this->recorder->finish( $now );
	}
}
