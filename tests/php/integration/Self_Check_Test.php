<?php
/**
 * The daily self-check on the real stack: the test SMTP servers restarted without the saved port
 * (587 closed by the host), a wrong password (no way works), two runners at once.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Health\Self_Check_Notice;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Settings\Settings_Store;

require_once __DIR__ . '/Smtp_Mailbox.php';
require_once __DIR__ . '/Runs_Wp_Cli.php';

/**
 * @group database
 * @group runs-alone
 */
final class Self_Check_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;

	/** Whether this test restarted the SMTP servers with fewer ports. */
	private bool $restarted = false;

	protected function setUp(): void {
		parent::setUp();
		delete_option( Self_Check::OPTION );
		delete_option( Self_Check::TURN );
		delete_option( Self_Check::OUTAGE );
		update_option( 'admin_email', 'owner-' . wp_generate_password( 6, false, false ) . '@example.com' );
	}

	protected function tearDown(): void {
		if ( $this->restarted ) {
			self::restart_smtp( (string) ( getenv( 'SMTP_PORTS' ) ?: '25,465,587,2525' ) );
		}
		parent::tearDown();
	}

	/** The port of the stack's servers at an index of SMTP_PORTS (25, 465, 587, 2525 as root). */
	private static function port( int $index ): int {
		return Smtp_Mailbox::port( $index );
	}

	/** Restarts the stack's SMTP test servers on these ports only. */
	private static function restart_smtp( string $ports ): void {
		$root = dirname( __DIR__, 3 );
		exec( 'cd ' . escapeshellarg( $root ) . ' && SMTP_PORTS=' . escapeshellarg( $ports ) . ' bash env/stack.sh smtp-restart 2>&1', $output, $status );
		if ( 0 !== $status ) {
			throw new \RuntimeException( 'smtp-restart failed: ' . implode( "\n", $output ) );
		}
		// The script may return before the new process listens (its log keeps the old "listening" lines).
		$until = microtime( true ) + 15;
		foreach ( explode( ',', $ports ) as $port ) {
			while ( false === ( $socket = @fsockopen( '127.0.0.1', (int) $port, $errno, $errstr, 0.5 ) ) && microtime( true ) < $until ) { // phpcs:ignore
				usleep( 100000 );
			}
			if ( is_resource( $socket ) ) {
				fclose( $socket ); // phpcs:ignore
			}
		}
	}

	/** Closes the saved port: the servers run without it, as when the host blocks it. */
	private function close_submission_port(): void {
		$ports = array( self::port( 0 ), self::port( 1 ), self::port( 3 ) );
		$this->restarted = true;
		self::restart_smtp( implode( ',', $ports ) );
	}

	/** The next day: the turn is a day old. */
	private static function next_day(): void {
		delete_option( Self_Check::TURN );
		wp_cache_flush();
	}

	/** Every message the servers received so far. */
	private static function received(): int {
		return count( ( new Smtp_Mailbox() )->find( '' ) );
	}

	public function test_a_closed_saved_port_is_switched_to_the_one_that_works_before_any_mail_and_said_once(): void {
		$submission = self::port( 2 );
		$alternate  = self::port( 3 );
		// As a normal user the stack's servers use high ports, which the self-check tries as fallback ports.
		$this->save_smtp( 'localhost', $submission, array( 'fallback_ports' => array( $alternate ) ) );
		$this->close_submission_port();
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
		$found = ( new Smtp_Mailbox() )->find( $subject );
		$this->assertCount( 1, $found );
		$this->assertSame( $alternate, $found[0]['envelope']['port'] );

		Self_Check_Notice::mark_dismissed();
		$this->assertSame( array(), ( new Self_Check_Notice( new Settings_Store() ) )->messages() );
	}

	public function test_with_switching_off_the_admin_is_mailed_once_over_the_port_that_still_works(): void {
		$submission = self::port( 2 );
		$alternate  = self::port( 3 );
		$this->save_smtp(
			'localhost',
			$submission,
			array(
				'self_heal'      => false,
				'fallback_ports' => array( $alternate ),
			)
		);
		$this->close_submission_port();
		$admin = (string) get_option( 'admin_email' );

		do_action( Self_Check::CRON_HOOK );

		$this->assertSame( $submission, ( new Settings_Store() )->get()->port, 'switching is off: the settings stay' );
		$this->assertSame( Self_Check::OUTAGE_, Self_Check::state()['outcome'] );
		$this->assertNotNull( Self_Check::outage_since() );
		$told = ( new Smtp_Mailbox() )->find( $admin );
		$this->assertCount( 1, $told, 'the administrator is told by mail' );
		$this->assertSame( $alternate, $told[0]['envelope']['port'], 'over the port that still works' );
		$this->assertStringContainsString( 'once per outage', $told[0]['raw'] );

		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $admin ), 'the same outage is not told twice' );
		$this->assertCount( 1, ( new Self_Check_Notice( new Settings_Store() ) )->messages() );
	}

	public function test_when_nothing_works_one_notice_per_outage_and_site_health_says_it(): void {
		$this->save_smtp( 'localhost', self::port( 2 ), array( 'password' => 'wrong-' . wp_generate_password( 8, false, false ) ) );
		$before = self::received();
		$notice = new Self_Check_Notice( new Settings_Store() );

		do_action( Self_Check::CRON_HOOK );

		$since = Self_Check::outage_since();
		$this->assertNotNull( $since, 'an outage began' );
		$this->assertSame( Self_Check::OUTAGE_, Self_Check::state()['outcome'] );
		$this->assertSame( self::port( 2 ), ( new Settings_Store() )->get()->port, 'no port works with this login: nothing to switch to' );
		$this->assertSame( $before, self::received(), 'no path works: only the notice' );
		$this->assertCount( 1, $notice->messages() );
		$this->assertStringContainsString( 'could not send through localhost on port ' . self::port( 2 ), $notice->messages()[0] );
		$this->assertSame( 'critical', $notice->test()['status'] );

		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$this->assertSame( $since, Self_Check::outage_since(), 'the same outage' );
		$this->assertCount( 1, $notice->messages(), 'one notice per outage' );

		// Fixed: the next run ends the outage and Site Health is good again.
		$this->save_smtp( 'localhost', self::port( 2 ) );
		self::next_day();
		do_action( Self_Check::CRON_HOOK );
		$this->assertNull( Self_Check::outage_since() );
		$this->assertSame( array(), $notice->messages() );
		$this->assertSame( 'good', $notice->test()['status'] );
	}

	public function test_a_login_that_cannot_be_tested_is_left_to_its_own_notice(): void {
		$this->save_smtp( 'localhost', self::port( 2 ) );
		$this->assertInstanceOf( \SmtpPortHelper\Settings\Settings::class, ( new Settings_Store() )->update( array( 'clear_password' => true ) ) );
		$outcome = $this->plugin_check()->run();
		$this->assertSame( Self_Check::SKIPPED, $outcome['outcome'] );
		$this->assertStringContainsString( 'no readable password', $outcome['detail'] );
		$this->assertNull( Self_Check::outage_since(), 'no second notice beside the configuration\'s' );
		$this->assertFalse( get_option( Self_Check::TURN ), 'the day\'s turn is not spent' );
	}

	public function test_the_day_is_claimed_once_and_the_event_is_scheduled_at_the_site_offset(): void {
		$this->save_smtp( 'localhost', self::port( 2 ) );
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
		$submission = self::port( 2 );
		$alternate  = self::port( 3 );
		$this->close_submission_port();
		$this->with_saved_settings(
			'localhost',
			$submission,
			array( 'fallback_ports' => array( $alternate ) ),
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
