<?php
/**
 * The daily self-check: the port test of the saved path, before a visitor's mail finds it broken.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\REST\Route_Guard;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;
use SmtpPortHelper\Transport\Api_Refusal;
use SmtpPortHelper\Transport\Deadline;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Once a day per site (WP-Cron, or `wp smtp-port-helper check` from a system cron), the saved
 * port is tested with the saved login through the one engine (Probe_Options_Factory::from_settings()
 * and Port_Prober, as REST, Site Health and WP-CLI run it); nothing is sent. When it fails, the
 * other ports of the saved host are tested with the same login (alternatives_to_settings()):
 *
 * - one works and `self_heal` is on: the settings move to it (one save), recorded once in the
 *   findings; Self_Check_Notice shows it to administrators and Send_Path_Report names it;
 * - otherwise an outage begins: the run that creates the outage row (one INSERT, so two runners
 *   tell once) tells the administrator by mail over a port that still works, when one does
 *   (self_heal off), and the notice and Site Health say it until a run finds the path working.
 *
 * Bounded: the turn is an Atomic_Option lease a day old at most (two cron runners run once), each
 * engine run counts against the port-test budget (per site, and the network's on a network), and
 * on a network each site's daily time is its own offset, so the sites do not all test at once.
 */
final class Self_Check {

	/** Option: the findings (see state()). */
	public const OPTION = Stored_Names::SELF_CHECK;

	/** Option: the day's turn (an Atomic_Option lease). */
	public const TURN = Stored_Names::SELF_CHECK_TURN;

	/** Option: since when no path works; created once per outage. */
	public const OUTAGE = Stored_Names::SELF_CHECK_OUTAGE;

	/** The WP-Cron hook. */
	public const CRON_HOOK = Stored_Names::SELF_CHECK_CRON;

	/** A turn taken this long ago may be taken again (a day, less an hour of cron drift). */
	public const TURN_AGE = 23 * HOUR_IN_SECONDS;

	/** At most this long for one engine run (every port at once). */
	private const PROBE_TIMEOUT = 10;

	/** Outcomes of a run. */
	public const OK       = 'ok';
	public const SWITCHED = 'switched';
	public const OUTAGE_  = 'outage';
	public const SKIPPED  = 'skipped';
	public const BUSY     = 'busy';

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

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
	 * The mailer (the server, TLS and login of the notice mail).
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Takes the settings, the engine, its way in and the mailer.
	 *
	 * @param Settings_Store        $settings The settings.
	 * @param Port_Prober           $prober   The port test engine.
	 * @param Probe_Options_Factory $options  The one way into the engine.
	 * @param Mailer_Hook           $mailer   The server, TLS and login mail uses.
	 */
	public function __construct( Settings_Store $settings, Port_Prober $prober, Probe_Options_Factory $options, Mailer_Hook $mailer ) {
		$this->settings = $settings;
		$this->prober   = $prober;
		$this->options  = $options;
		$this->mailer   = $mailer;
	}

	/**
	 * Schedules the daily event of this site unless it is scheduled, at the site's offset.
	 */
	public static function schedule(): void {
		if ( false !== wp_next_scheduled( self::CRON_HOOK ) ) {
			return;
		}
		$now   = time();
		$first = $now - ( $now % DAY_IN_SECONDS ) + self::offset( get_current_blog_id() );
		wp_schedule_event( $first <= $now ? $first + DAY_IN_SECONDS : $first, 'daily', self::CRON_HOOK );
	}

	/**
	 * Seconds after midnight (UTC) a site's self-check runs: about an hour apart for consecutive
	 * site ids, so a network's sites spread over the day instead of testing together.
	 *
	 * @param int $site_id Site id.
	 */
	public static function offset( int $site_id ): int {
		return ( max( 1, $site_id ) * 3607 ) % DAY_IN_SECONDS;
	}

	/**
	 * The findings: the last run, the port switched to (until dismissed), the open outage.
	 *
	 * @return array{time: int, outcome: string, detail: string, switched: array{from: int, to: int, encryption: string, time: int, dismissed: bool}|null, outage_dismissed: bool}
	 */
	public static function state(): array {
		$stored   = get_option( self::OPTION, array() );
		$stored   = is_array( $stored ) ? $stored : array();
		$switched = isset( $stored['switched'] ) && is_array( $stored['switched'] ) ? $stored['switched'] : null;
		return array(
			'time'             => (int) ( $stored['time'] ?? 0 ),
			'outcome'          => (string) ( $stored['outcome'] ?? '' ),
			'detail'           => (string) ( $stored['detail'] ?? '' ),
			'switched'         => null === $switched ? null : array(
				'from'       => (int) ( $switched['from'] ?? 0 ),
				'to'         => (int) ( $switched['to'] ?? 0 ),
				'encryption' => (string) ( $switched['encryption'] ?? '' ),
				'time'       => (int) ( $switched['time'] ?? 0 ),
				'dismissed'  => ! empty( $switched['dismissed'] ),
			),
			'outage_dismissed' => ! empty( $stored['outage_dismissed'] ),
		);
	}

	/**
	 * Since when no path works (Unix time), or null.
	 */
	public static function outage_since(): ?int {
		$since = get_option( self::OUTAGE );
		return is_string( $since ) && '' !== $since ? Atomic_Option::time_of( $since ) : null;
	}

	/**
	 * WP-Cron: the day's run.
	 */
	public function run_scheduled(): void {
		$this->run();
	}

	/**
	 * Runs the self-check when this site's turn of the day is free.
	 *
	 * @return array{outcome: string, detail: string, port: int|null} What it found: OK, SWITCHED
	 *         (port: the new one), OUTAGE_, SKIPPED (nothing to check) or BUSY (the turn or the
	 *         budget was taken; port: null).
	 */
	public function run(): array {
		$settings = $this->settings->get();
		if ( ! $settings->is_active() ) {
			return self::outcome( self::SKIPPED, __( 'No SMTP server is configured.', 'smtp-port-helper' ) );
		}
		$missing = $this->missing_login();
		if ( null !== $missing ) {
			// Its own notice says it already (OAuth_Notice, Site Health's configuration test): no second one.
			return self::outcome( self::SKIPPED, $missing );
		}
		$turn = $this->take_turn();
		if ( null === $turn ) {
			return self::outcome( self::BUSY, __( 'The self-check already ran today on this site.', 'smtp-port-helper' ) );
		}
		$wait = Route_Guard::spend_probe_budget();
		if ( null !== $wait ) {
			return $this->retry_later( $turn, $wait );
		}
		return $this->check( $turn );
	}

	/**
	 * Why the saved login cannot be tested (no connected OAuth mailbox, no readable password), or null.
	 */
	private function missing_login(): ?string {
		$settings = $this->settings->get();
		if ( $settings->uses_oauth() ) {
			$connection = ( new OAuth_Connection( $this->settings ) )->tokens()->connection( $settings );
			return Token_Store::STATE_CONNECTED === $connection['state'] ? null : ( '' !== $connection['message'] ? $connection['message'] : OAuth_Connection::not_connected_message() );
		}
		if ( $settings->uses_api() ) {
			// The SMTP login fields are not used: the API key is.
			return null === $this->settings->api_keys()->credentials( $settings ) ? __( 'No readable API key is saved for the HTTPS API chosen in the settings, so WordPress cannot send. Enter it in the SMTP settings.', 'smtp-port-helper' ) : null;
		}
		if ( $settings->auth && ( '' === $settings->username || null === $this->settings->password() ) ) {
			return __( 'Login is on, but no user name or no readable password is saved, so WordPress cannot log in to send. Enter them in the SMTP settings.', 'smtp-port-helper' );
		}
		return null;
	}

	/**
	 * The port-test budget is used up: not today's run after all. The turn is given back and the
	 * run comes again after the wait.
	 *
	 * @param string $turn The day's turn.
	 * @param int    $wait Seconds until the budget allows a run.
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private function retry_later( string $turn, int $wait ): array {
		global $wpdb;
		Atomic_Option::release( $wpdb->options, self::TURN, $turn );
		wp_cache_delete( self::TURN, 'options' );
		wp_schedule_single_event( time() + $wait + wp_rand( 1, 60 ), self::CRON_HOOK );
		return self::outcome( self::BUSY, __( 'The port-test budget of this minute is used up; the self-check runs again shortly.', 'smtp-port-helper' ) );
	}

	/**
	 * The check itself: the saved port, then the others when it fails.
	 *
	 * @param string $turn The day's turn (given back when the budget refuses the second run).
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private function check( string $turn ): array {
		$settings = $this->settings->get();
		if ( $settings->uses_api() ) {
			return $this->finish( $this->check_api( $settings ) );
		}
		try {
			$report = $this->prober->run( $this->options->from_settings( (float) min( self::PROBE_TIMEOUT, max( 1, $settings->timeout ) ) ) );
		} catch ( Invalid_Input_Exception $refused ) {
			return $this->finish( $this->outage( $refused->getMessage(), null ) );
		}
		$saved = $report->get_result( $settings->port );
		if ( null !== $saved && self::works( $saved, $settings->encryption ) ) {
			Outage_Record::close();
			return $this->finish( self::outcome( self::OK, '' ) );
		}
		$why  = null !== $saved ? Verdict::message( $saved ) : __( 'The saved port could not be tested.', 'smtp-port-helper' );
		$wait = Route_Guard::spend_probe_budget();
		if ( null !== $wait ) {
			return $this->retry_later( $turn, $wait );
		}
		$alternative = $this->working_alternative();
		if ( null !== $alternative && $settings->self_heal ) {
			return $this->finish( $this->switch_to( $alternative['port'], $alternative['encryption'], $why ) );
		}
		return $this->finish( $this->outage( $why, $alternative ) );
	}

	/**
	 * The check of an HTTPS API transport: its port test row (look-up, connect, TLS, an
	 * authenticated call that sends nothing), not the SMTP ports it does not use. There is no other
	 * port to switch to: when the API fails, the outage is recorded and told (notice, Site Health).
	 *
	 * @param Settings $settings The settings.
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private function check_api( Settings $settings ): array {
		$row = ( new Transport_Factory( $this->mailer ) )->for_store( $this->settings )->test( Deadline::in( (float) min( self::PROBE_TIMEOUT, max( 1, $settings->timeout ) ) ) );
		if ( $row->is_ok() ) {
			Outage_Record::close();
			return self::outcome( self::OK, '' );
		}
		return $this->outage( Api_Refusal::why_row_fails( $row, $settings->transport ), null );
	}

	/**
	 * The first other port of the saved host that works with the saved login, or null.
	 *
	 * @return array{port: int, encryption: string}|null
	 */
	private function working_alternative(): ?array {
		$settings = $this->settings->get();
		try {
			$options = $this->options->alternatives_to_settings( (float) min( self::PROBE_TIMEOUT, max( 1, $settings->timeout ) ) );
		} catch ( Invalid_Input_Exception $refused ) {
			return null;
		}
		$report = $this->prober->run( $options );
		foreach ( $options->ports as $port ) {
			$result = $report->get_result( $port );
			if ( null !== $result && $result->is_ok() && in_array( $result->mode, array( Encryption::STARTTLS, Encryption::IMPLICIT_TLS ), true ) ) {
				return array(
					'port'       => $port,
					'encryption' => $result->mode,
				);
			}
		}
		return null;
	}

	/**
	 * Moves the settings to a port that works, and records it once.
	 *
	 * @param int    $port       The port that works.
	 * @param string $encryption Its encryption.
	 * @param string $why        Why the saved port failed.
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private function switch_to( int $port, string $encryption, string $why ): array {
		$current = $this->settings->get();
		$from    = $current->port;
		$changes = array(
			'port'       => $port,
			'encryption' => $encryption,
		);
		if ( in_array( $port, $current->fallback_ports, true ) ) {
			// The main port may not be a fallback port: the one that failed takes its place there (it may come back).
			$changes['fallback_ports'] = array_map(
				static function ( int $fallback ) use ( $port, $from ): int {
					return $fallback === $port ? $from : $fallback;
				},
				$current->fallback_ports
			);
		}
		$saved = $this->settings->update( $changes );
		if ( is_wp_error( $saved ) ) {
			// E.g. the port is fixed in wp-config.php: nothing moved, so the path is still broken.
			return $this->outage( $why . ' ' . $saved->get_error_message(), null );
		}
		Outage_Record::close();
		$state             = self::state();
		$state['switched'] = array(
			'from'       => $from,
			'to'         => $port,
			'encryption' => $encryption,
			'time'       => time(),
			'dismissed'  => false,
		);
		update_option( self::OPTION, $state, false );
		$outcome         = self::outcome( self::SWITCHED, $why );
		$outcome['port'] = $port;
		return $outcome;
	}

	/**
	 * No path works the way the settings send: an outage begins unless one is open (Outage_Record).
	 *
	 * @param string                                    $why         Why the saved path failed.
	 * @param array{port: int, encryption: string}|null $alternative A port that works (self_heal off), or null.
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private function outage( string $why, ?array $alternative ): array {
		( new Outage_Record( new Outage_Mail( $this->settings, $this->mailer ) ) )->open( $why, $alternative );
		return self::outcome( self::OUTAGE_, $why );
	}

	/**
	 * Records the run's outcome with its time.
	 *
	 * @param array{outcome: string, detail: string, port: int|null} $outcome The outcome.
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private function finish( array $outcome ): array {
		$state            = self::state();
		$state['time']    = time();
		$state['outcome'] = $outcome['outcome'];
		$state['detail']  = $outcome['detail'];
		update_option( self::OPTION, $state, false );
		/**
		 * The daily self-check ran.
		 *
		 * @param array{outcome: string, detail: string, port: int|null} $outcome What it found.
		 */
		do_action( 'smtp_port_helper_self_checked', $outcome );
		return $outcome;
	}

	/**
	 * Whether a port carries mail the way the settings send it.
	 *
	 * @param Port_Result $result     The port's result.
	 * @param string      $encryption The saved encryption.
	 */
	private static function works( Port_Result $result, string $encryption ): bool {
		return $result->is_ok() && ( Encryption::NONE === $encryption || $encryption === $result->mode );
	}

	/**
	 * Takes the day's turn: the lease, or null when another run took it less than a day ago.
	 */
	private function take_turn(): ?string {
		global $wpdb;
		$now = time();
		try {
			$turn = Atomic_Option::take( $wpdb->options, self::TURN, $now, $now - self::TURN_AGE );
		} catch ( Database_Error $error ) {
			$turn = null;
		}
		wp_cache_delete( self::TURN, 'options' );
		wp_cache_delete( 'notoptions', 'options' );
		return $turn;
	}

	/**
	 * An outcome.
	 *
	 * @param string $outcome OK, SWITCHED, OUTAGE_, SKIPPED or BUSY.
	 * @param string $detail  Why.
	 * @return array{outcome: string, detail: string, port: int|null}
	 */
	private static function outcome( string $outcome, string $detail ): array {
		return array(
			'outcome' => $outcome,
			'detail'  => $detail,
			'port'    => null,
		);
	}
}
