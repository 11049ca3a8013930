<?php
/**
 * Concurrent SMTP port prober.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Probes several ports of one host at the same time, in this PHP process, under one overall
 * deadline: one Smtp_Probe_Session per port, all driven by a single stream_select() loop.
 *
 * Usage:
 *     $report = ( new Port_Prober() )->probe( array( 'host' => 'smtp.example.com', 'ports' => array( 587, 465 ) ) );
 *     $data   = $report->to_array();
 */
class Port_Prober {

	/**
	 * Longest single wait in the loop, in seconds (keeps timers responsive).
	 */
	const MAX_WAIT = 0.25;

	/**
	 * Clock.
	 *
	 * @var Clock
	 */
	private Clock $clock;

	/**
	 * DNS resolver.
	 *
	 * @var Dns_Resolver
	 */
	private Dns_Resolver $resolver;

	/**
	 * Called with each report (Port_Memory::learn(): the family that alone works is used for sending).
	 *
	 * @var callable|null
	 */
	private $on_report;

	/**
	 * Constructor.
	 *
	 * @param Clock|null        $clock     Clock (default: monotonic system clock).
	 * @param Dns_Resolver|null $resolver  Resolver (default: system DNS).
	 * @param callable|null     $on_report Called with each Probe_Report.
	 */
	public function __construct( ?Clock $clock = null, ?Dns_Resolver $resolver = null, ?callable $on_report = null ) {
		$this->clock     = null !== $clock ? $clock : new Clock();
		$this->resolver  = null !== $resolver ? $resolver : new Dns_Resolver();
		$this->on_report = $on_report;
	}

	/**
	 * Probes the ports described by raw options (see Probe_Options).
	 *
	 * @param array<string, mixed> $options Options: host, ports, timeout, username, password,
	 *                                      cafile, ehlo_name, preferred_alternates, implicit_ports, policy.
	 * @return Probe_Report
	 * @throws Invalid_Input_Exception When an option is invalid.
	 */
	public function probe( array $options ): Probe_Report {
		return $this->run( Probe_Options::from_array( $options ) );
	}

	/**
	 * Probes with validated options.
	 *
	 * @param Probe_Options $options Options.
	 * @return Probe_Report
	 */
	public function run( Probe_Options $options ): Probe_Report {
		$started  = $this->clock->now();
		$deadline = $started + $options->timeout;

		// DNS once per host, inside the deadline.
		$dns       = $this->resolver->resolve( $options->host, $options->timeout );
		$dns['ms'] = ( $this->clock->now() - $started ) * 1000;

		// Both address families at once when the host has both, under the same deadline.
		$families = Address_Family::to_probe( $dns, $options->policy );
		$sessions = array();
		$by_port  = array();
		foreach ( $options->ports as $port ) {
			foreach ( $families as $family ) {
				$session = new Smtp_Probe_Session( $port, $options, $dns, $this->clock, $family );
				$session->start( $this->clock->now() );
				$sessions[]                  = $session;
				$by_port[ $port ][ $family ] = $session;
			}
		}

		$this->loop( $sessions, $deadline );

		$results = array();
		foreach ( $by_port as $port_sessions ) {
			$results[] = 1 === count( $port_sessions )
				? reset( $port_sessions )->get_result()
				: Address_Family::merge( $port_sessions[ Address_Family::IPV4 ]->get_result(), $port_sessions[ Address_Family::IPV6 ]->get_result() );
		}
		$recommendation = Recommender::recommend( $results, $options->preferred_alternates );
		Recommender::note_login_accepted_elsewhere( $results, $recommendation );
		$report = new Probe_Report(
			$options->host->get_ascii(),
			( $this->clock->now() - $started ) * 1000,
			$results,
			$recommendation
		);
		if ( null !== $this->on_report ) {
			call_user_func( $this->on_report, $report );
		}
		return $report;
	}

	/**
	 * The event loop.
	 *
	 * @param Smtp_Probe_Session[] $sessions Sessions.
	 * @param float                $deadline Absolute deadline.
	 * @return void
	 */
	private function loop( array $sessions, float $deadline ): void {
		while ( true ) {
			$active = array();
			foreach ( $sessions as $session ) {
				if ( ! $session->is_done() ) {
					$session->tick();
				}
				if ( ! $session->is_done() ) {
					$active[] = $session;
				}
			}
			if ( array() === $active ) {
				return;
			}
			$now = $this->clock->now();
			if ( $now >= $deadline ) {
				foreach ( $active as $session ) {
					$session->on_deadline();
				}
				return;
			}

			$read   = array();
			$write  = array();
			$owners = array();
			$wake   = $deadline;
			foreach ( $active as $session ) {
				$wake   = min( $wake, $session->next_timer() );
				$stream = $session->get_stream();
				if ( null === $stream ) {
					continue;
				}
				$id            = (int) $stream;
				$owners[ $id ] = $session;
				if ( $session->wants_read() ) {
					$read[ $id ] = $stream;
				}
				if ( $session->wants_write() ) {
					$write[ $id ] = $stream;
				}
			}
			$wait = max( 0.0, min( self::MAX_WAIT, $wake - $now ) );
			if ( array() === $read && array() === $write ) {
				usleep( (int) ( $wait * 1e6 ) + 1000 );
				continue;
			}
			$except = null;
			$sec    = (int) floor( $wait );
			$usec   = (int) ( ( $wait - $sec ) * 1e6 );
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- EINTR is harmless here.
			$count = @stream_select( $read, $write, $except, $sec, $usec );
			if ( false === $count || 0 === $count ) {
				continue;
			}
			foreach ( $write as $id => $stream ) {
				if ( isset( $owners[ $id ] ) && $owners[ $id ]->get_stream() === $stream ) {
					$owners[ $id ]->on_writable();
				}
			}
			foreach ( $read as $id => $stream ) {
				if ( isset( $owners[ $id ] ) && $owners[ $id ]->get_stream() === $stream && ! $owners[ $id ]->is_done() ) {
					$owners[ $id ]->on_readable();
				}
			}
		}
	}
}
