<?php
/**
 * While mail waits, re-tests the ports of the configured host with the port test engine.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Port_Plan;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Deadline;

defined( 'ABSPATH' ) || exit;

/**
 * Before a queue run, at most once per interval (default 5 minutes, filter
 * `smtp_port_helper_outbox_retest_interval`) and only while queued mail waits for a way out (not
 * mail that only waits for the sending pace), the ports that mail is sent through — the configured port and the fallback ports of the configured host — are probed
 * at once by Port_Prober, with the saved login and the address policy of the settings' owner
 * (Probe_Options_Factory::for_sending_ports()). What it finds goes to Port_Memory: with fallback
 * on, a port that cannot be connected to is remembered as down (new mail skips it, the run tries
 * it last), as wp_mail() itself remembers it; a working one is forgotten as down, and the port that works — the configured one when it does,
 * else the first working fallback port — is remembered and tried first, by the queue run and by
 * new mail. A held queue (a refused login) is not re-tested: logging in again and again with a
 * refused password can lock the account at the provider.
 *
 * The interval is claimed with one atomic write in the options table (as Concurrency_Limit does),
 * so two runners at once re-test once.
 */
final class Port_Retest {

	/** Option: Unix time of the last re-test of this site. */
	public const OPTION = \SmtpPortHelper\Stored_Names::OUTBOX_RETEST;

	/** Seconds between two re-tests (filter `smtp_port_helper_outbox_retest_interval`). */
	public const INTERVAL = 300;

	/** At most this long for the whole re-test (every port at once). */
	private const PROBE_TIMEOUT = 10;

	/** Verdicts that mean no SMTP session could start on a port: it is down. */
	private const DOWN_VERDICTS = array( Verdict::REFUSED, Verdict::TIMEOUT, Verdict::UNREACHABLE, Verdict::NO_BANNER );

	/**
	 * The outbox.
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The ports mail is sent through.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * The port test engine.
	 *
	 * @var Port_Prober
	 */
	private Port_Prober $prober;

	/**
	 * The one way into the engine.
	 *
	 * @var Probe_Options_Factory
	 */
	private Probe_Options_Factory $options;

	/**
	 * Ports remembered as down or working.
	 *
	 * @var Port_Memory
	 */
	private Port_Memory $memory;

	/**
	 * Takes the outbox, the settings, the mailer (its ports), the engine and the port memory.
	 *
	 * @param Outbox                $outbox   The outbox.
	 * @param Settings_Store        $settings The settings.
	 * @param Mailer_Hook           $mailer   The ports mail is sent through.
	 * @param Port_Prober           $prober   The port test engine.
	 * @param Probe_Options_Factory $options  The one way into the engine.
	 * @param Port_Memory|null      $memory   Ports remembered as down or working.
	 */
	public function __construct( Outbox $outbox, Settings_Store $settings, Mailer_Hook $mailer, Port_Prober $prober, Probe_Options_Factory $options, ?Port_Memory $memory = null ) {
		$this->outbox   = $outbox;
		$this->settings = $settings;
		$this->mailer   = $mailer;
		$this->prober   = $prober;
		$this->options  = $options;
		$this->memory   = $memory ?? new Port_Memory();
	}

	/**
	 * Seconds between two re-tests.
	 */
	public static function interval(): int {
		/**
		 * Seconds between two re-tests of the SMTP ports while mail waits in the outbox.
		 *
		 * @param int $seconds Default 300.
		 */
		return max( 30, (int) apply_filters( 'smtp_port_helper_outbox_retest_interval', self::INTERVAL ) );
	}

	/**
	 * When the next re-test may run (Unix time): the outbox's schedule runs a queue run then.
	 */
	public static function next_time(): int {
		return Atomic_Option::time_of( get_option( self::OPTION ) ) + self::interval();
	}

	/**
	 * Re-tests when queued mail waits for a way out and the interval has passed since the last
	 * re-test: the server of each route such mail was written for (on a network, mail kept for the
	 * network's server re-tests the network's host, not the site's).
	 *
	 * @return array{ran: bool, working: int|null, down: list<int>} Whether it ran, the port that
	 *         works (null: none), the ports found down.
	 */
	public function maybe_run(): array {
		$none = array(
			'ran'     => false,
			'working' => null,
			'down'    => array(),
		);
		// The turn is taken whenever mail waits, also when nothing can be tested: the schedule
		// wakes the outbox at the next turn, never sooner.
		$routes = $this->outbox->waiting_routes();
		if ( array() === $routes || ! $this->claim_turn() ) {
			return $none;
		}
		$found = $none;
		foreach ( $this->stores_of( $routes ) as $store ) {
			$one = $this->run_for( $store );
			if ( $one['ran'] ) {
				$found = array(
					'ran'     => true,
					'working' => $found['working'] ?? $one['working'],
					'down'    => array_merge( $found['down'], $one['down'] ),
				);
			}
		}
		if ( $found['ran'] ) {
			/**
			 * The SMTP ports were re-tested while mail waits in the outbox.
			 *
			 * @param int|null  $working The port that works (null: none).
			 * @param list<int> $down    Ports that could not be connected to.
			 */
			do_action( 'smtp_port_helper_outbox_retested', $found['working'], $found['down'] );
		}
		return $found;
	}

	/**
	 * The settings of these routes that send over SMTP, each server once.
	 *
	 * @param string[] $routes Routes of waiting mail.
	 * @return list<Settings_Store>
	 */
	private function stores_of( array $routes ): array {
		$stores = array();
		foreach ( $routes as $route ) {
			$store = $this->mailer->stored_route( $route )['store'];
			if ( null === $store || ! $store->get()->is_active() ) {
				continue; // Held for its route, or sending off.
			}
			if ( $store->is_network() ) {
				$stores['network'] = $store;
			} else {
				$stores['site'] = $this->settings; // The site's own server, with the policy and login of its options.
			}
		}
		return array_values( $stores );
	}

	/**
	 * Re-tests the ports of one server and remembers what it found.
	 *
	 * @param Settings_Store $store The settings of a route.
	 * @return array{ran: bool, working: int|null, down: list<int>}
	 */
	private function run_for( Settings_Store $store ): array {
		$settings = $store->get();
		if ( $settings->uses_api() ) {
			return $this->run_for_api( $store );
		}
		$endpoints = $this->configured_order( $this->mailer->endpoints( $settings ), $settings );
		$factory   = $store->is_network() ? new Probe_Options_Factory( $store ) : $this->options;
		try {
			$options = $factory->for_sending_ports( $endpoints, (float) min( self::PROBE_TIMEOUT, max( 1, $settings->timeout ) ) );
		} catch ( Invalid_Input_Exception $refused ) {
			// E.g. the address policy refuses the host: the run holds the queue with its reason.
			return array(
				'ran'     => false,
				'working' => null,
				'down'    => array(),
			);
		}
		$report  = $this->prober->run( $options );
		$working = null;
		$down    = array();
		foreach ( $endpoints as $endpoint ) {
			$result = $report->get_result( $endpoint['port'] );
			if ( null === $result ) {
				continue;
			}
			if ( self::works( $result, $endpoint['encryption'] ) ) {
				$this->memory->forget( $settings->host, $endpoint['port'] );
				$working = $working ?? $endpoint['port'];
			} elseif ( $settings->fallback && in_array( $result->verdict, self::DOWN_VERDICTS, true ) ) {
				// As wp_mail() does (Port_Plan::record_attempt()): only ports with another to fall back to.
				$this->memory->remember_down( $settings->host, $endpoint['port'] );
				$down[] = $endpoint['port'];
			}
		}
		if ( null !== $working ) {
			$this->memory->remember_working( $settings->host, $working );
		}
		return array(
			'ran'     => true,
			'working' => $working,
			'down'    => $down,
		);
	}

	/**
	 * Re-tests an HTTPS API (the port test's row: look-up, connect, TLS, an authenticated call
	 * that sends nothing) instead of SMTP ports it does not use: when it answers again, waiting
	 * mail need not sit out its backoff.
	 *
	 * @param Settings_Store $store The settings of a route whose transport is an API.
	 * @return array{ran: bool, working: int|null, down: list<int>}
	 */
	private function run_for_api( Settings_Store $store ): array {
		$settings = $store->get();
		$row      = ( new Transport_Factory( $this->mailer ) )->for_store( $store )->test( Deadline::in( (float) min( self::PROBE_TIMEOUT, max( 1, $settings->timeout ) ) ) );
		return array(
			'ran'     => true,
			'working' => $row->is_ok() ? $row->port : null,
			'down'    => array(),
		);
	}

	/**
	 * Whether a port can carry mail the way the settings send it: the engine's verdict is OK in
	 * the encryption used on it (any mode for an explicit `none`, also without STARTTLS).
	 *
	 * @param Port_Result $result     The port's result.
	 * @param string      $encryption The encryption mail uses on it.
	 */
	private static function works( Port_Result $result, string $encryption ): bool {
		if ( Encryption::NONE === $encryption ) {
			return $result->is_ok() || Verdict::STARTTLS_MISSING === $result->verdict;
		}
		return $result->is_ok() && $encryption === $result->mode;
	}

	/**
	 * The ports with the configured one first and the fallback ports in their saved order (what
	 * the port memory changed in the order is left out: the re-test decides anew).
	 *
	 * @param list<array{port: int, encryption: string}> $endpoints Ports.
	 * @param Settings                                   $settings  The settings they come from.
	 * @return list<array{port: int, encryption: string}>
	 */
	private function configured_order( array $endpoints, Settings $settings ): array {
		$main   = $settings->port;
		$first  = array();
		$others = array();
		foreach ( $endpoints as $endpoint ) {
			if ( $main === $endpoint['port'] ) {
				$first[] = $endpoint;
			} else {
				$others[] = $endpoint;
			}
		}
		$order = array_values( array_unique( array_merge( $settings->fallback_ports, Port_Plan::usual_fallback_ports() ) ) );
		usort(
			$others,
			static function ( array $a, array $b ) use ( $order ): int {
				return (int) array_search( $a['port'], $order, true ) <=> (int) array_search( $b['port'], $order, true );
			}
		);
		return array_merge( $first, $others );
	}

	/**
	 * Takes this interval's re-test: true for exactly one caller per interval, whichever process
	 * it runs in (a new row, or one whose time is an interval old; 0 rows: another took it).
	 */
	private function claim_turn(): bool {
		global $wpdb;
		$now = time();
		try {
			$taken = null !== Atomic_Option::take( $wpdb->options, self::OPTION, $now, $now - self::interval() );
		} catch ( Database_Error $error ) {
			$taken = false;
		}
		wp_cache_delete( self::OPTION, 'options' );
		wp_cache_delete( 'notoptions', 'options' );
		return $taken;
	}
}
