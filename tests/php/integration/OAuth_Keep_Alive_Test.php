<?php
/**
 * Sign-ins kept alive and their ends seen coming, on the real stack (env/oauth).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\OAuth\Keep_Alive;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\OAuth_Notice;
use SmtpPortHelper\CLI\Sign_In_Status;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * The weekly keep-alive, refresh_token_expires_in, the client secret's expiry date, and what the
 * owner is told after consent was withdrawn (one notice, "Connect again", the CLI status).
 *
 * It changes the authorization server's test settings and counts its refreshes for this suite's
 * account only (Uses_OAuth_Stack): it runs beside the other suites.
 *
 * @group database
 */
final class OAuth_Keep_Alive_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;
	use Uses_OAuth_Stack;

	protected function setUp(): void {
		parent::setUp();
		$this->use_oauth_stack();
		$this->test_post( 'refresh-token-expires-in', array( 'seconds' => '0' ) );
	}

	protected function tearDown(): void {
		$this->test_post( 'refresh-token-expires-in', array( 'seconds' => '0' ) );
		wp_clear_scheduled_hook( Keep_Alive::HOOK );
		parent::tearDown();
	}

	/**
	 * Ages the sign-in: its last renewal `$seconds` ago.
	 *
	 * @param int $seconds Seconds.
	 */
	private function renewed_ago( int $seconds ): void {
		$record                 = (array) get_option( Token_Store::OPTION );
		$record['refreshed_at'] = (string) ( time() - $seconds );
		update_option( Token_Store::OPTION, $record, false );
	}

	private function notice(): OAuth_Notice {
		return new OAuth_Notice( new Settings_Store(), new OAuth_Connection( new Settings_Store() ) );
	}

	public function test_a_quiet_sites_sign_in_is_renewed_once_a_week(): void {
		wp_clear_scheduled_hook( Keep_Alive::HOOK );
		$this->connect();
		$next = Keep_Alive::next_run();
		$this->assertNotNull( $next, 'connecting schedules the keep-alive' );
		$this->assertEqualsWithDelta( time() + WEEK_IN_SECONDS, $next, 60 );
		$this->assertSame( 'weekly', wp_get_schedule( Keep_Alive::HOOK ) );
		$refreshes = $this->refreshes();
		$first     = $this->cached_access_token();

		do_action( Keep_Alive::HOOK );
		$this->assertSame( $refreshes, $this->refreshes(), 'renewed a moment ago: nothing to do' );

		$this->renewed_ago( 7 * DAY_IN_SECONDS );
		do_action( Keep_Alive::HOOK );
		$this->assertSame( $refreshes + 1, $this->refreshes(), 'a week without use: one refresh' );
		$this->assertNotSame( $first, $this->cached_access_token() );
		do_action( Keep_Alive::HOOK );
		$this->assertSame( $refreshes + 1, $this->refreshes(), 'just renewed' );

		// A grant the provider ended is found by the keep-alive, before a visitor's mail needs it.
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );
		$this->renewed_ago( 7 * DAY_IN_SECONDS );
		do_action( Keep_Alive::HOOK );
		$this->assertStringContainsString( 'invalid_grant', (string) $this->notice()->message() );
		$this->assertSame( 0, ( new Outbox() )->counts()[ Outbox::HELD ], 'no mail was needed to find out' );

		( new OAuth_Connection( new Settings_Store() ) )->tokens()->forget();
		$this->assertNull( Keep_Alive::next_run(), 'forgetting the sign-in removes the event' );
	}

	public function test_a_time_limited_grant_is_warned_about(): void {
		$this->test_post( 'refresh-token-expires-in', array( 'seconds' => (string) ( 7 * DAY_IN_SECONDS ) ) );
		$this->connect();
		$warnings = $this->notice()->warnings();
		$this->assertCount( 1, $warnings, (string) wp_json_encode( $warnings ) );
		$this->assertStringContainsString( gmdate( 'Y-m-d', time() + 7 * DAY_IN_SECONDS ), $warnings[0] );
		$this->assertSame( 'recommended', $this->notice()->test()['status'] );
	}

	public function test_the_client_secret_expiry_is_saved_and_warned_14_days_ahead(): void {
		$this->log_in_as( 'administrator' );
		$this->connect();
		$this->assertSame( array(), $this->notice()->warnings(), 'no date, no warning' );
		$this->assertSame( 'good', $this->notice()->test()['status'] );

		$soon  = gmdate( 'Y-m-d', time() + 10 * DAY_IN_SECONDS );
		$saved = $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'oauth_client_secret_expires' => $soon ) );
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertSame( $soon, $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['oauth_client_secret_expires'] );
		$warnings = $this->notice()->warnings();
		$this->assertCount( 1, $warnings );
		$this->assertStringContainsString( 'expires on ' . $soon, $warnings[0] );
		$this->assertSame( 'recommended', $this->notice()->test()['status'] );
		ob_start();
		$this->notice()->render();
		$this->assertStringContainsString( 'expires on ' . $soon, (string) ob_get_clean() );

		$this->assertSame( array(), $this->notice()->warnings( time() - 7 * DAY_IN_SECONDS ), '17 days ahead: not yet' );
		$this->assertStringContainsString( 'expired on ' . $soon, $this->notice()->warnings( time() + 11 * DAY_IN_SECONDS )[0] );

		$bad = $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'oauth_client_secret_expires' => '2027-02-30' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertArrayHasKey( 'oauth_client_secret_expires', $bad->get_data()['data']['params'] );
		$this->assertSame( $soon, ( new Settings_Store() )->get()->oauth_client_secret_expires, 'a bad value changes nothing' );
	}

	public function test_after_consent_was_withdrawn_the_owner_is_told_once_to_connect_again(): void {
		$this->log_in_as( 'administrator' );
		$this->connect();
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );
		$this->assertTrue( wp_mail( 'someone@oauth.test', 'Held', 'Body' ) );
		$this->assertTrue( wp_mail( 'someone@oauth.test', 'Held too', 'Body' ) );

		$manager = new Outbox_Manager( new Outbox(), static fn() => array() );
		$entries = $manager->entries( 10 );
		$this->assertCount( 2, $entries );
		foreach ( $entries as $entry ) {
			$this->assertSame( array( Outbox::HELD, 'oauth' ), array( $entry['status'], $entry['stage'] ) );
			$this->assertStringContainsString( 'Connect', $entry['explanation'] );
			$this->assertStringNotContainsString( 'user name or password', $entry['explanation'] );
		}

		ob_start();
		( new Outbox_Health( $manager, $this->notice() ) )->notice();
		$this->notice()->render();
		$notices = (string) ob_get_clean();
		$this->assertSame( 1, substr_count( $notices, 'class="notice' ), $notices );
		$this->assertStringContainsString( 'Connect', $notices );
		$this->assertStringNotContainsString( 'user name or password', $notices );
		$health = ( new Outbox_Health( $manager, $this->notice() ) )->test();
		$this->assertStringContainsString( 'Connect', $health['description'] );
		$this->assertStringNotContainsString( 'user name or password', $health['description'] );

		$status = ( new Command_Runner( new Port_Prober(), new Probe_Options_Factory( new Settings_Store() ), new Test_Email( new Settings_Store(), new \SmtpPortHelper\Mail\Mailer_Hook( new Settings_Store() ) ), new Settings_Store(), new Send_Path_Report( new Settings_Store() ), new Sign_In_Status( new Settings_Store(), new OAuth_Connection( new Settings_Store() ), new Outbox() ) ) )->run_status();
		$this->assertSame( 1, $status['exit'], 'mail is held' );
		$this->assertSame( 2, $status['held'] );
		$this->assertStringContainsString( self::ACCOUNT . ' refused since ' . gmdate( 'Y-m-d' ), $status['sign_in'][0] );
		$this->assertStringContainsString( 'invalid_grant', $status['sign_in'][0] );
	}

	public function test_the_status_names_the_account_and_the_next_keep_alive(): void {
		$this->connect();
		$lines = ( new Sign_In_Status( new Settings_Store(), new OAuth_Connection( new Settings_Store() ), new Outbox() ) )->lines();
		$this->assertStringContainsString( 'connected as ' . self::ACCOUNT, $lines[0] );
		$this->assertStringContainsString( 'Next keep-alive: ' . gmdate( 'Y-m-d', time() + WEEK_IN_SECONDS ), $lines[1] );
	}

	public function test_wp_cli_status_shows_the_refused_sign_in_and_exits_non_zero_while_mail_is_held(): void {
		global $wpdb;
		$this->connect();
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );
		$this->assertTrue( wp_mail( 'someone@oauth.test', 'Held', 'Body' ) );
		$wpdb->query( 'COMMIT' ); // The WP-CLI process sees the connection and the held message.
		try {
			list( $status, $output ) = $this->wp( 'smtp-port-helper status', null, true );
			$this->assertSame( 1, $status, $output );
			$this->assertStringContainsString( 'Sign-in (OAuth 2.0): ' . self::ACCOUNT . ' refused since ' . gmdate( 'Y-m-d' ), $output );
			$this->assertStringContainsString( 'Mail held: 1 message', $output );
		} finally {
			delete_option( Token_Store::OPTION );
			delete_option( Token_Store::ACCESS_OPTION );
			delete_option( \SmtpPortHelper\Plugin::SETTINGS_OPTION );
			$wpdb->query( 'DELETE FROM ' . \SmtpPortHelper\Outbox\Outbox_Table::name() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$wpdb->query( 'DELETE FROM ' . $wpdb->prefix . \SmtpPortHelper\Stored_Names::OUTBOX_RECIPIENTS_TABLE ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
