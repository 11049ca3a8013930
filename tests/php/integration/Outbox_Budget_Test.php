<?php
/**
 * The outbox has a budget: with the SMTP server down, a flood of mail (a visitor asking for
 * password resets over and over) fills it only to its limits — messages and bytes per site,
 * messages per recipient an hour. Past them wp_mail() fails with the reason (`wp_mail_failed`),
 * the site's administrators see one notice, and nothing is dropped silently.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Budget;
use SmtpPortHelper\Outbox\Outbox_Full_Notice;
use SmtpPortHelper\Outbox\Outbox_Pacing;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

/**
 * @group database
 */
final class Outbox_Budget_Test extends Integration_Test_Case {

	use Runs_Php_Processes;

	/** @var list<int> */
	private array $queued = array();

	/** @var list<\WP_Error> */
	private array $failed = array();

	/** @var list<string> */
	private array $refused = array();

	protected function setUp(): void {
		parent::setUp();
		global $wpdb;
		$this->queued  = array();
		$this->failed  = array();
		$this->refused = array();
		add_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ) );
		add_action( 'wp_mail_failed', array( $this, 'record_failed' ) );
		add_action( 'smtp_port_helper_mail_refused', array( $this, 'record_refused' ) );
		// The counts are the site's: start from an empty outbox (rolled back after the test).
		$wpdb->query( 'DELETE FROM ' . Outbox_Table::name() ); // phpcs:ignore
		$wpdb->query( 'DELETE FROM ' . Outbox_Table::recipients_name() ); // phpcs:ignore
		// The SMTP server is down: nothing listens on the saved port.
		$this->save_smtp( '127.0.0.1', Server_Process::free_ports( 1 )[0] );
	}

	protected function tearDown(): void {
		remove_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ) );
		remove_action( 'wp_mail_failed', array( $this, 'record_failed' ) );
		remove_action( 'smtp_port_helper_mail_refused', array( $this, 'record_refused' ) );
		remove_all_filters( 'smtp_port_helper_outbox_budget' );
		parent::tearDown();
	}

	public function record_queued( int $id ): void {
		$this->queued[] = $id;
	}

	public function record_failed( \WP_Error $error ): void {
		$this->failed[] = $error;
	}

	public function record_refused( string $limit ): void {
		$this->refused[] = $limit;
	}

	private static function budget( int $rows, int $bytes, int $per_recipient_hour ): void {
		add_filter(
			'smtp_port_helper_outbox_budget',
			static function () use ( $rows, $bytes, $per_recipient_hour ): array {
				return array(
					'rows'               => $rows,
					'bytes'              => $bytes,
					'per_recipient_hour' => $per_recipient_hour,
				);
			}
		);
	}

	private function waiting(): int {
		return array_sum( ( new Outbox() )->counts() );
	}

	public function test_a_flood_of_password_resets_for_one_account_keeps_five_and_refuses_the_rest_with_a_reason(): void {
		$login = 'flooded_' . wp_generate_password( 6, false );
		$this->assertIsInt(
			wp_insert_user(
				array(
					'user_login' => $login,
					'user_pass'  => wp_generate_password(),
					'user_email' => $login . '@example.com',
				)
			)
		);

		$_SERVER['REMOTE_ADDR'] = '127.0.0.1'; // The reset mail names the requester's address.
		$results                = array();
		for ( $i = 0; $i < 12; $i++ ) {
			$results[] = retrieve_password( $login ); // What the "Lost your password?" form runs.
		}

		$this->assertSame( array_fill( 0, Outbox_Budget::PER_RECIPIENT_HOUR, true ), array_slice( $results, 0, Outbox_Budget::PER_RECIPIENT_HOUR ), 'the first five wait in the outbox' );
		foreach ( array_slice( $results, Outbox_Budget::PER_RECIPIENT_HOUR ) as $refused ) {
			$this->assertInstanceOf( \WP_Error::class, $refused, 'the rest fail, as a send failure does' );
		}
		$this->assertSame( Outbox_Budget::PER_RECIPIENT_HOUR, $this->waiting(), 'five messages wait, not twelve' );
		$this->assertCount( 7, $this->failed, 'each refused message went through wp_mail_failed' );
		$this->assertSame( array_fill( 0, 7, 'recipient' ), $this->refused );
		foreach ( $this->failed as $error ) {
			$this->assertStringContainsString( 'limit per recipient', $error->get_error_message(), 'the reason is logged' );
			$this->assertStringContainsString( 'SMTP server could not take it now', $error->get_error_message() );
			$this->assertSame( array( $login . '@example.com' ), $error->get_error_data()['to'] );
		}
		$this->assertSame( count( $results ), count( $this->queued ) + count( $this->failed ), 'nothing was dropped silently' );

		$this->assertTrue( wp_mail( 'someone-else@example.com', 'another recipient', 'x' ), 'another recipient still has room' );
	}

	public function test_the_rows_of_a_site_are_bounded(): void {
		self::budget( 3, Outbox_Budget::BYTES, 100 );
		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertTrue( wp_mail( "reader{$i}@example.com", "rows $i", 'x' ) );
		}
		$this->assertFalse( wp_mail( 'reader9@example.com', 'rows 4', 'x' ) );
		$this->assertSame( 3, $this->waiting() );
		$this->assertSame( array( 'rows' ), $this->refused );
		$this->assertStringContainsString( 'holds 3 messages', $this->failed[0]->get_error_message() );
	}

	public function test_the_bytes_of_a_site_are_bounded(): void {
		self::budget( 100, 20000, 100 );
		$this->assertTrue( wp_mail( 'reader@example.com', 'small', str_repeat( 'a', 5000 ) ) );
		$this->assertFalse( wp_mail( 'reader2@example.com', 'too big now', str_repeat( 'b', 16000 ) ) );
		$this->assertTrue( wp_mail( 'reader3@example.com', 'still fits', str_repeat( 'c', 5000 ) ) );
		$this->assertSame( 2, $this->waiting() );
		$this->assertSame( array( 'bytes' ), $this->refused );
		$this->assertStringContainsString( 'limit of', $this->failed[0]->get_error_message() );
	}

	/**
	 * Messages refused for good (kept as failed until someone deletes them) and mail that waits
	 * are counted apart: large failed messages never leave a password reset no room to wait, and
	 * the failed ones have a budget of their own, past which a refused message is not kept.
	 */
	public function test_mail_refused_for_good_does_not_take_the_room_of_mail_that_waits(): void {
		self::budget( 3, 20000, 100 );
		$outbox  = new Outbox();
		$refused = array(
			'stage' => 'api',
			'code'  => 413,
			'error' => 'The message is too large for the API.',
		);
		$this->assertIsInt( $outbox->add( 'site@example.com', array( 'big@example.com' ), "Subject: big\r\n\r\n" . str_repeat( 'f', 16000 ), $refused ) );
		$this->assertSame( 1, $outbox->counts()[ Outbox::FAILED ] );

		$this->assertTrue( wp_mail( 'reader@example.com', 'still has room', str_repeat( 'a', 15000 ) ), 'the failed message does not count against mail that waits' );
		$this->assertSame( 1, $outbox->counts()[ Outbox::QUEUED ] );

		try {
			$outbox->add( 'site@example.com', array( 'big2@example.com' ), "Subject: big 2\r\n\r\n" . str_repeat( 'g', 5000 ), $refused );
			$this->fail( 'a second failed message past the failed budget must not be kept' );
		} catch ( \SmtpPortHelper\Outbox\Outbox_Full_Exception $error ) {
			$this->assertStringContainsString( 'limit of', $error->getMessage() );
		}
		$this->assertSame( 1, $outbox->counts()[ Outbox::FAILED ] );
		$this->assertSame( 1, $outbox->counts()[ Outbox::QUEUED ] );
	}

	public function test_the_defaults_are_500_messages_50_mb_and_5_per_recipient_an_hour(): void {
		$budget = Outbox_Budget::current();
		$this->assertSame( 500, $budget->rows );
		$this->assertSame( 50 * 1024 * 1024, $budget->bytes );
		$this->assertSame( 5, $budget->per_recipient_hour );
	}

	public function test_only_the_last_hour_counts_for_a_recipient(): void {
		global $wpdb;
		for ( $i = 0; $i < Outbox_Budget::PER_RECIPIENT_HOUR; $i++ ) {
			$this->assertTrue( wp_mail( 'Reader@Example.com', "hour $i", 'x' ) );
		}
		$this->assertFalse( wp_mail( 'reader@example.com', 'over', 'x' ), 'the same address in another letter case' );
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Outbox_Table::recipients_name() . ' SET created_at = %d', time() - HOUR_IN_SECONDS - 1 ) ); // phpcs:ignore
		$this->assertTrue( wp_mail( 'reader@example.com', 'an hour later', 'x' ) );
	}

	public function test_the_admin_notice_says_so_once_until_dismissed_and_again_after_the_outbox_took_mail(): void {
		self::budget( 2, Outbox_Budget::BYTES, 100 );
		$this->assertTrue( wp_mail( 'a@example.com', 'one', 'x' ) );
		$this->assertTrue( wp_mail( 'b@example.com', 'two', 'x' ) );
		$this->assertFalse( wp_mail( 'c@example.com', 'three', 'x' ) );
		$this->assertFalse( wp_mail( 'd@example.com', 'four', 'x' ) );

		$this->assertSame( '', $this->notices(), 'not for someone who does not manage the site' );
		$this->log_in_as( 'administrator' );
		$html = $this->notices();
		$this->assertSame( 1, substr_count( $html, 'smtp-port-helper-outbox-full-notice' ), 'one notice for two refused messages' );
		$this->assertStringContainsString( '2 emails were not sent', $html );
		$this->assertStringContainsString( 'holds 2 messages', $html );
		$this->assertStringContainsString( 'action=' . Outbox_Full_Notice::DISMISS_ACTION, html_entity_decode( $html ) );

		Outbox_Full_Notice::mark_dismissed();
		$this->assertFalse( wp_mail( 'e@example.com', 'five', 'x' ) );
		$this->assertSame( '', $this->notices(), 'dismissed: quiet while the flood goes on' );
		$this->assertSame( 3, Outbox_Full_Notice::record()['refused'] );

		( new Outbox() )->delete( $this->queued[0] );
		$this->assertTrue( wp_mail( 'f@example.com', 'room again', 'x' ) );
		$this->assertNull( Outbox_Full_Notice::record(), 'the outbox took mail again: the episode is over' );
		$this->assertFalse( wp_mail( 'g@example.com', 'full again', 'x' ) );
		$this->assertStringContainsString( '1 email was not sent', $this->notices(), 'a new episode, a new notice' );
	}

	public function test_when_the_outbox_cannot_count_the_message_is_refused_with_a_reason_not_let_through(): void {
		global $wpdb;
		// Another request holds the outbox's add lock for longer than an add waits.
		$held = Atomic_Option::take( $wpdb->options, Outbox::ADD_LOCK_OPTION, time() + 60, 0 );
		$this->assertNotNull( $held );
		try {
			$started = microtime( true );
			$this->assertFalse( wp_mail( 'reader@example.com', 'uncounted', 'x' ) );
			$this->assertLessThan( 8.0, microtime( true ) - $started, 'it waited a few seconds, not forever' );
		} finally {
			Atomic_Option::release( $wpdb->options, Outbox::ADD_LOCK_OPTION, (string) $held );
		}
		$this->assertSame( 0, $this->waiting() );
		$this->assertSame( array( 'uncounted' ), $this->refused );
		$this->assertStringContainsString( 'could not count', $this->failed[0]->get_error_message() );
		$this->assertTrue( wp_mail( 'reader@example.com', 'counted again', 'x' ), 'the lock was given back' );
		$this->assertNull( $this->raw_option( Outbox::ADD_LOCK_OPTION ), 'and the add gave its own back' );
	}

	public function test_a_flood_from_several_processes_at_once_keeps_no_more_than_the_budget(): void {
		global $wpdb;
		// The other processes see only committed settings and rows: this test commits on purpose
		// and puts the settings back in the end. First, what is committed now.
		$wpdb->query( 'ROLLBACK' );
		wp_cache_flush(); // The object cache still holds what was rolled back.
		$previous = $this->raw_option( \SmtpPortHelper\Settings\Settings_Store::OPTION );
		$address  = 'flood-' . wp_generate_password( 6, false, false ) . '@example.com';
		$wpdb->query( 'START TRANSACTION' );
		$this->save_smtp( '127.0.0.1', Server_Process::free_ports( 1 )[0] );
		$wpdb->query( 'COMMIT' );
		try {
			$floods = array();
			for ( $i = 0; $i < 4; $i++ ) {
				$floods[] = array( __DIR__ . '/support/flood-mail.php', '5', $address, "flood $i" );
			}
			$results = $this->run_php_processes( $floods );
			$sent    = array_sum( array_column( $results, 'sent' ) );
			$failed  = array_sum( array_column( $results, 'failed' ) );
			$waiting = ( new Outbox() )->ids_for_recipient( $address, 100 );
			$this->assertCount( Outbox_Budget::PER_RECIPIENT_HOUR, $waiting, 'twenty messages at once, five kept' );
			$this->assertSame( Outbox_Budget::PER_RECIPIENT_HOUR, $sent );
			$this->assertSame( 20 - Outbox_Budget::PER_RECIPIENT_HOUR, $failed, 'the others failed, none was dropped silently' );
		} finally {
			foreach ( ( new Outbox() )->ids_for_recipient( $address, 100 ) as $id ) {
				( new Outbox() )->delete( $id );
			}
			if ( null === $previous ) {
				delete_option( \SmtpPortHelper\Settings\Settings_Store::OPTION );
			} else {
				update_option( \SmtpPortHelper\Settings\Settings_Store::OPTION, maybe_unserialize( $previous ) );
			}
			delete_option( Outbox_Full_Notice::OPTION );
			delete_option( \SmtpPortHelper\Outbox\Recovery_Notice::OPTION );
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", '%smtp_port_helper_down_%' ) );
			wp_clear_scheduled_hook( \SmtpPortHelper\Outbox\Mail_Queue::CRON_HOOK );
			$wpdb->query( 'COMMIT' );
		}
	}

	/**
	 * A burst over the mailbox's sending pace waits in the outbox for its turn (Outbox_Pacing):
	 * that is no outage, and the per-recipient budget must not refuse the messages behind it.
	 */
	public function test_mail_that_waits_for_the_sending_pace_does_not_count_against_a_recipients_hour(): void {
		$pace = static function (): array {
			return array(
				'per_window'         => 1,
				'window'             => 600,
				'messages_per_day'   => 0,
				'recipients_per_day' => 0,
			);
		};
		add_filter( 'smtp_port_helper_sending_limits', $pace );
		try {
			$accepted = array();
			for ( $i = 1; $i <= 2 * Outbox_Budget::PER_RECIPIENT_HOUR; $i++ ) {
				$accepted[] = wp_mail( 'orders@example.com', 'order #' . $i, 'x' );
			}
		} finally {
			remove_filter( 'smtp_port_helper_sending_limits', $pace );
		}
		$this->assertSame( array_fill( 0, 2 * Outbox_Budget::PER_RECIPIENT_HOUR, true ), $accepted, (string) wp_json_encode( array_map( static fn( \WP_Error $e ): string => $e->get_error_message(), $this->failed ) ) );
		$this->assertSame( array(), $this->refused, 'nothing refused for the recipient\'s hour' );
		$paced = array_filter( ( new Outbox() )->entries(), static fn( array $entry ): bool => Outbox_Pacing::PACED === $entry['stage'] );
		$this->assertGreaterThan( Outbox_Budget::PER_RECIPIENT_HOUR, count( $paced ), 'more than five wait for the pace' );
	}

	public function test_german(): void {
		unload_textdomain( 'smtp-port-helper' );
		$this->assertTrue( load_textdomain( 'smtp-port-helper', dirname( __DIR__, 3 ) . '/languages/smtp-port-helper-de_DE.mo' ) );
		try {
			self::budget( 1, Outbox_Budget::BYTES, 100 );
			$this->assertTrue( wp_mail( 'a@example.com', 'one', 'x' ) );
			$this->assertFalse( wp_mail( 'b@example.com', 'two', 'x' ) );
			$this->assertStringContainsString( 'Postausgang', $this->failed[0]->get_error_message() );
			$this->assertStringContainsString( 'Postausgang', (string) Outbox_Full_Notice::message() );
		} finally {
			unload_textdomain( 'smtp-port-helper' );
		}
	}

	private function notices(): string {
		ob_start();
		( new Outbox_Full_Notice() )->render();
		return (string) ob_get_clean();
	}
}
