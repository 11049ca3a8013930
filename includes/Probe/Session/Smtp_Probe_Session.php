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
 * Conversation answers each reply, Failure_Classifier says what a failure means, Failure_Follow_Up
 * what it leads to (the next connection or the end).
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
	 * Where the session stands.
	 *
	 * @var Session_State
	 */
	private Session_State $state;

	/**
	 * Records failures and ends the session.
	 *
	 * @var Failure_Follow_Up
	 */
	private Failure_Follow_Up $follow_up;

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
		$this->state                     = new Session_State();
		$this->follow_up                 = new Failure_Follow_Up( $this->connector, $this->recorder, $this->state );
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
			$this->follow_up->finish( $now );
			return;
		}
		$this->follow_up->connecting( $this->connector->first( $now ), $now );
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
		return $this->state->is( State::DONE );
	}

	/**
	 * Whether the session waits for the stream to become readable.
	 *
	 * @return bool
	 */
	public function wants_read(): bool {
		return null !== $this->get_stream() && ! $this->state->is( State::CONNECTING ) && ! $this->state->is( State::DONE );
	}

	/**
	 * Whether the session waits for the stream to become writable.
	 *
	 * @return bool
	 */
	public function wants_write(): bool {
		return null !== $this->get_stream() && ( $this->state->is( State::CONNECTING ) || $this->connection()->socket()->has_output() );
	}

	/**
	 * Next time at which tick() has something to do (INF when none).
	 *
	 * @return float
	 */
	public function next_timer(): float {
		return $this->state->is( State::BANNER ) ? $this->connection()->banner_timer() : INF;
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
		if ( $this->state->is( State::CONNECTING ) ) {
			$this->connected( $now );
			return;
		}
		if ( ! $this->connection()->socket()->flush() ) {
			$this->follow_up->closed_by_peer( $now );
		}
	}

	/**
	 * Time-based work: a silent greeting leads to a TLS attempt.
	 *
	 * @return void
	 */
	public function tick(): void {
		if ( ! $this->state->is( State::BANNER ) || ! $this->connection()->has_banner_timer() ) {
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
		if ( $this->state->is( State::TLS ) ) {
			$this->step_tls( $now, true );
			return;
		}
		$connection = $this->connection();
		for ( $i = 0; $i < 16; $i++ ) {
			$data = $connection->socket()->read();
			if ( '' === $data ) {
				break;
			}
			if ( $this->state->is( State::BANNER ) && $connection->is_tls_before_greeting( $data ) ) {
				$this->recorder->stage( 'banner', false, $now, 'TLS data instead of a greeting' );
				$this->follow_up->connecting( $this->connector->reconnect_tls_first( $now ), $now );
				return;
			}
			$this->bytes_total += strlen( $data );
			if ( $this->bytes_total > self::SESSION_LIMIT ) {
				$this->follow_up->fail( Failure_Classifier::protocol_error( $this->state->get(), 'more than ' . self::SESSION_LIMIT . ' bytes received' ), $now );
				return;
			}
			$connection->receive( $data );
			if ( ! $this->process_replies( $now ) ) {
				return;
			}
		}
		if ( $connection->socket()->at_end() ) {
			$this->follow_up->closed_by_peer( $now );
		}
	}

	/**
	 * The overall deadline passed: record where we were and stop.
	 *
	 * @return void
	 */
	public function on_deadline(): void {
		if ( $this->state->is( State::DONE ) ) {
			return;
		}
		$now = $this->clock->now();
		if ( null !== $this->connector->inspection() && $this->recorder->has_verdict() ) {
			$this->follow_up->finish( $now );
			return;
		}
		$this->follow_up->fail( $this->connection()->deadline_failure( $this->state->get() ), $now );
	}

	/**
	 * The other address family answered and the grace after it passed: stop waiting for this
	 * one (a black-holed family), and say so.
	 *
	 * @param float $waited Seconds waited after the other family's answer.
	 */
	public function stop_waiting( float $waited ): void {
		if ( $this->state->is( State::DONE ) ) {
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
			$this->follow_up->fail( $failure, $now );
			return;
		}
		$this->recorder->stage( 'connect', true, $now, 'connected to ' . $socket->peer() );
		$this->conversation->connected( $socket->local_address() );
		if ( $this->connection()->mode()->starts_with_tls() ) {
			$this->begin_tls( $now, false );
			return;
		}
		$this->state->set( State::BANNER );
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
			if ( $this->state->is( State::BANNER ) ) {
				$connection->stop_banner_timer();
			}
			$this->act( $this->conversation->reply( $this->state->get(), $reply, $connection->tls_active(), null !== $this->connector->inspection(), $now ), $now );
			if ( $this->get_stream() !== $stream || $this->state->is( State::TLS ) ) {
				return false;
			}
			$reply = $connection->next_reply();
		}
		$error = $connection->reply_error();
		if ( '' !== $error ) {
			$this->follow_up->fail( Failure_Classifier::protocol_error( $this->state->get(), $error ), $now );
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
				$this->follow_up->send( $action->text(), $now );
				$this->state->set( $action->state() );
				break;
			case Reply_Action::AWAIT:
				$this->state->set( $action->state() );
				break;
			case Reply_Action::QUIT:
				$this->follow_up->quit( $now );
				break;
			case Reply_Action::START_TLS:
				$this->begin_tls( $now, false );
				break;
			case Reply_Action::FINISH:
				$this->follow_up->finish( $now );
				break;
			case Reply_Action::CERTIFICATE_UNREADABLE:
				$this->follow_up->fail_inspection( $action->text(), $now );
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
		$this->state->set( State::TLS );
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
			$this->follow_up->fail( $failure, $now );
			return;
		}
		$negotiated = $this->connection()->negotiated();
		if ( null === $negotiated ) {
			return;
		}
		$this->act( $this->conversation->tls_established( $negotiated, $this->connection()->mode()->starts_with_tls(), $this->connector->inspection(), $now ), $now );
	}
}
