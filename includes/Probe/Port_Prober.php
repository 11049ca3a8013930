<?php
/**
 * Concurrent SMTP port prober.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Session\Login_Turn;
use SmtpPortHelper\Probe\Session\Smtp_Probe_Session;

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

	/** Seconds a family still gets after the other family of the port answered (then it is given up on). */
	const FAMILY_GRACE = 2.0;

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
			// One login per port: over both families, the first to reach it logs in.
			$login = count( $families ) > 1 ? new Login_Turn() : null;
			foreach ( $families as $family ) {
				$session = new Smtp_Probe_Session( $port, $options, $dns, $this->clock, $family, $login );
				$session->start( $this->clock->now() );
				$sessions[]                  = $session;
				$by_port[ $port ][ $family ] = $session;
			}
		}

		$this->loop( $sessions, $deadline, array_filter( $by_port, static fn( array $pair ): bool => 2 === count( $pair ) ) );

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
	 * Over two address families, a family that has not answered is given up on once the other
	 * family of the same port has answered (its session ended after connecting) and FAMILY_GRACE
	 * has passed: a black-holed family does not hold the whole test up to its deadline.
	 *
	 * @param array<int, array<string, Smtp_Probe_Session>> $pairs       The two family sessions per port.
	 * @param array<int, float>                             $answered_at When a port's first family answered (filled here).
	 * @param float                                         $deadline    The test's deadline.
	 * @return float When to look again (at the latest the deadline).
	 */
	private function stop_waiting_for_silent_families( array $pairs, array &$answered_at, float $deadline ): float {
		$now  = $this->clock->now();
		$wake = $deadline;
		foreach ( $pairs as $port => $pair ) {
			$done    = array_filter( $pair, static fn( Smtp_Probe_Session $session ): bool => $session->is_done() );
			$waiting = array_diff_key( $pair, $done );
			if ( 1 !== count( $done ) || 1 !== count( $waiting ) ) {
				continue;
			}
			$answered = null !== reset( $done )->get_result()->get_stage( 'connect' ) && reset( $done )->get_result()->get_stage( 'connect' )['ok'];
			if ( ! $answered ) {
				continue;
			}
			$answered_at[ $port ] = $answered_at[ $port ] ?? $now;
			$give_up              = $answered_at[ $port ] + self::FAMILY_GRACE;
			if ( $now >= $give_up ) {
				reset( $waiting )->stop_waiting( $now - $answered_at[ $port ] );
			} else {
				$wake = min( $wake, $give_up );
			}
		}
		return $wake;
	}

	/**
	 * The event loop.
	 *
	 * @param Smtp_Probe_Session[]                          $sessions Sessions.
	 * @param float                                         $deadline Absolute deadline.
	 * @param array<int, array<string, Smtp_Probe_Session>> $pairs    The two family sessions of each port probed over both families.
	 * @return void
	 */
	private function loop( array $sessions, float $deadline, array $pairs = array() ): void {
		$answered_at = array();
		while ( true ) {
			$wake   = $this->stop_waiting_for_silent_families( $pairs, $answered_at, $deadline );
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
