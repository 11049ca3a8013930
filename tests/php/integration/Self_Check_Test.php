<?php
/**
 * The daily self-check on real SMTP servers: the saved port closed by the host, a wrong password
 * (no way works), two runners at once.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Health\Self_Check_Notice;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

require_once __DIR__ . '/Own_Smtp_Servers.php';
require_once __DIR__ . '/Runs_Wp_Cli.php';

/**
 * The class's own servers (Own_Smtp_Servers) with a login the stack's servers refuse: the mail
 * it counts is its own, the port it closes is one nothing listens on, and the stack's servers on
 * the default ports, which the self-check tries too, refuse the login — so it runs beside the
 * other suites instead of restarting the shared servers without 587.
 *
 * @group database
 */
final class Self_Check_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;

	private const USER     = 'self-check';
	private const PASSWORD = 'self-check-pass-7';

	private static ?Own_Smtp_Servers $servers = null;

	/** The saved port of the tests where it works; its login is the servers'. */
	private static int $submission = 0;

	/** The other port of the saved host that works, a fallback port of the settings. */
	private static int $alternate = 0;

	/** A port nothing listens on: the saved port the host closed. */
	private static int $closed = 0;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$servers = new Own_Smtp_Servers( self::USER, self::PASSWORD, 2 );
		list( self::$submission, self::$alternate ) = self::$servers->ports;
		do {
			self::$closed = Server_Process::free_ports( 1 )[0];
		} while ( in_array( self::$closed, self::$servers->ports, true ) );
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$servers ) {
			self::$servers->stop();
			self::$servers = null;
		}
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		delete_option( Self_Check::OPTION );
		delete_option( Self_Check::TURN );
		delete_option( Self_Check::OUTAGE );
		update_option( 'admin_email', 'owner-' . wp_generate_password( 6, false, false ) . '@example.com' );
	}

	/**
	 * The servers' login, with further settings.
	 *
	 * @param array<string, mixed> $changes Further settings.
	 * @return array<string, mixed>
	 */
	private static function with_login( array $changes = array() ): array {
		return array_merge(
			array(
				'username' => self::USER,
				'password' => self::PASSWORD,
			),
			$changes
		);
	}

	/** The next day: the turn is a day old. */
	private static function next_day(): void {
		delete_option( Self_Check::TURN );
		wp_cache_flush();
	}

	private static function mailbox(): Smtp_Mailbox {
		if ( null === self::$servers ) {
			throw new \LogicException( 'The servers start in setUpBeforeClass().' );
		}
		return self::$servers->mailbox();
	}

	/** Every message the class's servers received so far. */
	private static function received(): int {
		return count( self::mailbox()->find( '' ) );
	}

	public function test_a_closed_saved_port_is_switched_to_the_one_that_works_before_any_mail_and_said_once(): void {
		$submission = self::$closed;
		$alternate  = self::$alternate;
		$this->save_smtp( 'localhost', $submission, self::with_login( array( 'fallback_ports' => array( $alternate ) ) ) );
		$before = self::received();

		do_action( Self_Check::CRON_HOOK );

		$settings = ( new Settings_Store() )->get();
		$this->assertSame( $alternate, $settings->port, 'moved to the port that works' );
		$this->assertSame( 'starttls', $settings->encryption );
		$this->assertSame( array( $submission ), $settings->fallback_ports, 'the port that failed takes its place among the fallback ports' );
		$this->assertSame( $before, self::received(), 'the self-check sends nothing' );
		$state = Self_Check::state();
		$this->assertSame( Self_Check::SWITCHED, $state['outcome'] );
		$this->assertNotNull( $state['switched'] );
		$this->assertSame( array( $submission, $alternate ), array( $state['switched']['from'], $state['switched']['to'] ) );
		$this->assertNull( Self_Check::outage_since(), 'a switch is no outage' );

		$notice = new Self_Check_Notice( new Settings_Store() );
		$this->assertCount( 1, $notice->messages() );
		$this->assertStringContainsString( sprintf( 'port %d no longer works and port %d does', $submission, $alternate ), $notice->messages()[0] );
		$this->assertStringContainsString( 'no longer works', implode( ' ', ( new Send_Path_Report( new Settings_Store() ) )->check()['messages'] ), 'the send path record says it' );

		// The next day: the new port works, nothing new is said.
		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$again = Self_Check::state();
		$this->assertSame( Self_Check::OK, $again['outcome'] );
		$this->assertSame( $state['switched'], $again['switched'], 'the one switch, as recorded' );
		$this->assertSame( $notice->messages(), ( new Self_Check_Notice( new Settings_Store() ) )->messages() );

		// A visitor's mail now leaves through the new port at once.
		$subject = 'self-check visitor ' . wp_generate_password( 8, false, false );
		$this->assertTrue( wp_mail( 'visitor@example.com', $subject, 'Hello' ) );
		$found = self::mailbox()->find( $subject );
		$this->assertCount( 1, $found );
		$this->assertSame( $alternate, $found[0]['envelope']['port'] );

		Self_Check_Notice::mark_dismissed();
		$this->assertSame( array(), ( new Self_Check_Notice( new Settings_Store() ) )->messages() );
	}

	public function test_with_switching_off_the_admin_is_mailed_once_over_the_port_that_still_works(): void {
		$submission = self::$closed;
		$alternate  = self::$alternate;
		$this->save_smtp(
			'localhost',
			$submission,
			self::with_login(
				array(
					'self_heal'      => false,
					'fallback_ports' => array( $alternate ),
				)
			)
		);
		$admin = (string) get_option( 'admin_email' );

		do_action( Self_Check::CRON_HOOK );

		$this->assertSame( $submission, ( new Settings_Store() )->get()->port, 'switching is off: the settings stay' );
		$this->assertSame( Self_Check::OUTAGE_, Self_Check::state()['outcome'] );
		$this->assertNotNull( Self_Check::outage_since() );
		$told = self::mailbox()->find( $admin );
		$this->assertCount( 1, $told, 'the administrator is told by mail' );
		$this->assertSame( $alternate, $told[0]['envelope']['port'], 'over the port that still works' );
		$this->assertStringContainsString( 'once per outage', $told[0]['raw'] );

		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$this->assertCount( 1, self::mailbox()->find( $admin ), 'the same outage is not told twice' );
		$this->assertCount( 1, ( new Self_Check_Notice( new Settings_Store() ) )->messages() );
	}

	public function test_when_nothing_works_one_notice_per_outage_and_site_health_says_it(): void {
		$this->save_smtp( 'localhost', self::$submission, self::with_login( array( 'password' => 'wrong-' . wp_generate_password( 8, false, false ) ) ) );
		$before = self::received();
		$notice = new Self_Check_Notice( new Settings_Store() );

		do_action( Self_Check::CRON_HOOK );

		$since = Self_Check::outage_since();
		$this->assertNotNull( $since, 'an outage began' );
		$this->assertSame( Self_Check::OUTAGE_, Self_Check::state()['outcome'] );
		$this->assertSame( self::$submission, ( new Settings_Store() )->get()->port, 'no port works with this login: nothing to switch to' );
		$this->assertSame( $before, self::received(), 'no path works: only the notice' );
		$this->assertCount( 1, $notice->messages() );
		$this->assertStringContainsString( 'could not send through localhost on port ' . self::$submission, $notice->messages()[0] );
		$this->assertSame( 'critical', $notice->test()['status'] );

		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$this->assertSame( $since, Self_Check::outage_since(), 'the same outage' );
		$this->assertCount( 1, $notice->messages(), 'one notice per outage' );

		// Fixed: the next run ends the outage and Site Health is good again.
		$this->save_smtp( 'localhost', self::$submission, self::with_login() );
		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$this->assertNull( Self_Check::outage_since() );
		$this->assertSame( array(), $notice->messages() );
		$this->assertSame( 'good', $notice->test()['status'] );
	}

	public function test_a_login_that_cannot_be_tested_is_left_to_its_own_notice(): void {
		$this->save_smtp( 'localhost', self::$submission, self::with_login() );
		$this->assertInstanceOf( \SmtpPortHelper\Settings\Settings::class, ( new Settings_Store() )->update( array( 'clear_password' => true ) ) );
		$outcome = $this->plugin_check()->run();
		$this->assertSame( Self_Check::SKIPPED, $outcome['outcome'] );
		$this->assertStringContainsString( 'no readable password', $outcome['detail'] );
		$this->assertNull( Self_Check::outage_since(), 'no second notice beside the configuration\'s' );
		$this->assertFalse( get_option( Self_Check::TURN ), 'the day\'s turn is not spent' );
	}

	public function test_the_day_is_claimed_once_and_the_event_is_scheduled_at_the_site_offset(): void {
		$this->save_smtp( 'localhost', self::$submission, self::with_login() );
		$check = $this->plugin_check();
		$this->assertSame( Self_Check::OK, $check->run()['outcome'] );
		$this->assertSame( Self_Check::BUSY, $check->run()['outcome'], 'the second runner of the day does nothing' );

		wp_clear_scheduled_hook( Self_Check::CRON_HOOK );
		Self_Check::schedule();
		$next = wp_next_scheduled( Self_Check::CRON_HOOK );
		$this->assertIsInt( $next );
		$this->assertSame( Self_Check::offset( get_current_blog_id() ), $next % DAY_IN_SECONDS );
		$this->assertSame( 'daily', wp_get_schedule( Self_Check::CRON_HOOK ) );
		$this->assertNotSame( Self_Check::offset( 1 ), Self_Check::offset( 2 ), 'sites of a network test at different times' );
	}

	public function test_wp_cli_check_runs_the_same_self_check_once_a_day_for_a_system_cron(): void {
		$alternate = self::$alternate;
		$this->with_saved_settings(
			'localhost',
			self::$closed,
			self::with_login( array( 'fallback_ports' => array( $alternate ) ) ),
			function () use ( $alternate ): void {
				global $wpdb;
				try {
					list( $status, $output ) = $this->wp( 'smtp-port-helper check', null, true );
					$this->assertSame( 0, $status, $output );
					$this->assertStringContainsString( 'switched to port ' . $alternate, $output );
					list( $status, $output ) = $this->wp( 'smtp-port-helper check', null, true );
					$this->assertSame( 0, $status, $output );
					$this->assertStringContainsString( 'already ran today', $output );
				} finally {
					delete_option( Self_Check::OPTION );
					delete_option( Self_Check::TURN );
					delete_option( Self_Check::OUTAGE );
					$wpdb->query( 'COMMIT' );
				}
			}
		);
	}

	private function plugin_check(): Self_Check {
		$settings = new Settings_Store();
		return new Self_Check(
			$settings,
			new \SmtpPortHelper\Probe\Port_Prober(),
			new \SmtpPortHelper\Probe\Probe_Options_Factory( $settings ),
			new \SmtpPortHelper\Mail\Mailer_Hook( $settings )
		);
	}
}
