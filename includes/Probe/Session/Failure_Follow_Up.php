<?php
/**
 * What a failed step of a probe session leads to: the next connection, or the end.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Every failure path of Smtp_Probe_Session ends here: the failure is recorded, then the session
 * either opens its next connection (another address, a reconnect, the certificate-reading one) or
 * closes. Sending a command lives here because a refused write means the server closed, and the
 * ending (QUIT, finish) because every path that is not a new connection ends in it.
 */
final class Failure_Follow_Up {

	/**
	 * Opens the connections and keeps the current one.
	 *
	 * @var Connector
	 */
	private Connector $connector;

	/**
	 * Writes stages and the verdict into the result.
	 *
	 * @var Result_Recorder
	 */
	private Result_Recorder $recorder;

	/**
	 * The session's state.
	 *
	 * @var Session_State
	 */
	private Session_State $state;

	/**
	 * Constructor.
	 *
	 * @param Connector       $connector Opens the connections.
	 * @param Result_Recorder $recorder  Writes the result.
	 * @param Session_State   $state     The session's state.
	 */
	public function __construct( Connector $connector, Result_Recorder $recorder, Session_State $state ) {
		$this->connector = $connector;
		$this->recorder  = $recorder;
		$this->state     = $state;
	}

	/**
	 * A connection was opened (or failed at once).
	 *
	 * @param Failure|null $failure Why opening failed at once, or null.
	 * @param float        $now     Current time.
	 * @return void
	 */
	public function connecting( ?Failure $failure, float $now ): void {
		if ( null !== $failure ) {
			$this->fail( $failure, $now );
			return;
		}
		$this->state->set( State::CONNECTING );
	}

	/**
	 * Records a failure and does what it calls for next: stop, or another connection.
	 *
	 * @param Failure $failure Failure.
	 * @param float   $now     Current time.
	 * @return void
	 */
	public function fail( Failure $failure, float $now ): void {
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
	public function fail_inspection( string $cause, float $now ): void {
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
	public function closed_by_peer( float $now ): void {
		if ( $this->state->is( State::QUIT ) ) {
			$this->recorder->stage( 'quit', true, $now, 'connection closed' );
			$this->finish( $now );
			return;
		}
		$this->fail( $this->connector->connection()->closed_failure( $this->state->get() ), $now );
	}

	/**
	 * Closes the connection and the result.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function finish( float $now ): void {
		$this->connector->connection()->socket()->close();
		$this->state->set( State::DONE );
		$this->recorder->finish( $now );
	}

	/**
	 * Sends QUIT (the verdict is known), or finishes if the connection is unusable.
	 *
	 * @param float $now Current time.
	 * @return void
	 */
	public function quit( float $now ): void {
		if ( null === $this->connector->connection()->socket()->stream() ) {
			$this->finish( $now );
			return;
		}
		$this->send( 'QUIT', $now );
		$this->state->set( State::QUIT );
	}

	/**
	 * Sends a command line; the next stage is timed from now.
	 *
	 * @param string $line Command without CRLF.
	 * @param float  $now  Current time.
	 * @return void
	 */
	public function send( string $line, float $now ): void {
		$this->recorder->mark( $now );
		if ( ! $this->connector->connection()->send( $line ) ) {
			$this->closed_by_peer( $now );
		}
	}
}
