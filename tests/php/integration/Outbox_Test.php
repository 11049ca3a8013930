<?php
/**
 * Nothing lost: the time limit of a message, the outbox, delivery exactly once when a port works
 * again — against real SMTP servers that are stopped and started, answer 4xx and 5xx.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Mail\Send_Pacer;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Entry;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

/**
 * @group database
 */
final class Outbox_Test extends Integration_Test_Case {

	use Runs_Php_Processes;

	/** @var list<Server_Process> */
	private array $servers = array();

	/** @var list<resource> */
	private array $silent = array();

	private string $mail_dir = '';

	/** @var list<array{0: int, 1: list<string>, 2: array<string, mixed>}> */
	private array $queued = array();

	protected function setUp(): void {
		parent::setUp();
		$this->mail_dir = dirname( __DIR__, 3 ) . '/.run/outbox-test/' . wp_generate_password( 10, false );
		$this->queued   = array();
		add_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ), 10, 3 );
		// Another process (a WP-CLI test's `outbox run`) may have re-tested a moment ago.
		delete_option( Port_Retest::OPTION );
	}

	protected function tearDown(): void {
		remove_action( 'smtp_port_helper_mail_queued', array( $this, 'record_queued' ), 10 );
		foreach ( $this->servers as $server ) {
			$server->stop();
		}
		foreach ( $this->silent as $socket ) {
			fclose( $socket );
		}
		$this->servers = array();
		$this->silent  = array();
		parent::tearDown();
	}

	/**
	 * @param list<string>         $recipients
	 * @param array<string, mixed> $failure
	 */
	public function record_queued( int $id, array $recipients, array $failure ): void {
		$this->queued[] = array( $id, $recipients, $failure );
	}

	public function test_the_time_limit_holds_when_every_port_is_black_holed_and_known_down_ports_are_not_tried_again(): void {
		$ports = array( $this->silent_port(), $this->silent_port(), $this->silent_port() );
		$this->save_smtp(
			'127.0.0.1',
			$ports[0],
			array(
				'timeout'         => 10,
				'send_time_limit' => 3,
				'fallback'        => true,
				'fallback_ports'  => array( $ports[1], $ports[2] ),
			)
		);
		$subject = 'black hole ' . wp_generate_password( 12, false );

		$started = microtime( true );
		$sent    = wp_mail( 'someone@example.com', $subject, 'x' );
		$first   = microtime( true ) - $started;

		$this->assertTrue( $sent, 'accepted for delivery: the message waits in the outbox' );
		// Three ports of 10 s each would be 30 s; the limit is 3 s (generous slack for a busy machine).
		$this->assertLessThan( 8.0, $first, 'the request waited no longer than the time limit' );
		$this->assertCount( 1, $this->queued );
		$this->assertSame( array( 'someone@example.com' ), $this->queued[0][1] );
		$entry = ( new Outbox() )->find( $this->queued[0][0] );
		$this->assertNotNull( $entry );
		$this->assertSame( Outbox::QUEUED, $entry['status'] );
		$this->assertSame( $subject, $entry['subject'] );

		foreach ( $ports as $port ) {
			$this->assertNotFalse( get_transient( Port_Memory::key( '127.0.0.1', $port ) ), "port $port is remembered as down" );
		}
		$started = microtime( true );
		$this->assertTrue( wp_mail( 'someone@example.com', 'second ' . $subject, 'x' ) );
		$second = microtime( true ) - $started;
		$this->assertLessThan( 1.0, $second, 'every port known down: no inline try' );
		$this->assertSame( array(), $GLOBALS['phpmailer']->getSMTPInstance()->attempts(), 'not one connection was tried' );
		$this->assertSame( 'down', $this->queued[1][2]['stage'] );
		fwrite( STDERR, sprintf( "\n[outbox] black-holed ports, limit 3 s: first message %.0f ms, next %.1f ms\n", $first * 1000, $second * 1000 ) );
	}

	public function test_fallback_on_without_saved_ports_tries_the_usual_order(): void {
		$this->save_smtp(
			'127.0.0.1',
			1,
			array(
				'fallback'       => true,
				'fallback_ports' => array(),
			)
		);
		$subject = 'usual order ' . wp_generate_password( 12, false );

		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );

		$this->assertSame( array(), $this->queued, 'delivered, not queued' );
		$messages = ( new Smtp_Mailbox() )->find( $subject );
		$this->assertCount( 1, $messages );
		$this->assertSame( Smtp_Mailbox::port( 2 ), $messages[0]['envelope']['port'], '587 is the first usual fallback port' );
	}

	public function test_a_message_queued_while_the_server_is_down_is_delivered_once_byte_for_byte_with_its_attachment(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port, array( 'from_email' => 'sender@example.com' ) );
		$attachment = (string) tempnam( sys_get_temp_dir(), 'outbox' );
		file_put_contents( $attachment, random_bytes( 3000 ) );
		$content = (string) file_get_contents( $attachment );
		$subject = 'outage ' . wp_generate_password( 12, false );

		$this->assertTrue( wp_mail( array( 'first@example.com', 'second@example.com' ), $subject, "Your reset link: https://example.com/secret-token\n", array( 'Cc: copy@example.com' ), array( $attachment ) ) );

		unlink( $attachment ); // Attachments are kept as sent, not as paths that may vanish.
		$this->assertCount( 1, $this->queued );
		$id  = $this->queued[0][0];
		$row = $this->row( $id );
		$this->assertStringNotContainsString( 'secret-token', $row['payload'], 'encrypted at rest' );
		$this->assertStringNotContainsString( $subject, $row['summary'] . $row['payload'] );
		$box = Secret_Box::for_site();
		$this->assertNotNull( $box );
		$this->assertStringStartsWith( 'v2:', $row['payload'] );
		$this->assertNull( $box->open( $row['payload'], Secret_Box::binding( 'site:' . get_current_blog_id(), 'outbox', 'summary' ) ), 'bound to its field' );
		$stored = json_decode( (string) $box->open( $row['payload'], Secret_Box::binding( 'site:' . get_current_blog_id(), 'outbox', 'payload' ) ), true );
		$this->assertSame( array( 'first@example.com', 'second@example.com', 'copy@example.com' ), $stored['recipients'] );
		$this->assertSame( 'sender@example.com', $stored['from'] );
		$this->assertSame( 'connect', $this->queued[0][2]['stage'] );

		$this->assertSame( 0, $this->runner()->run()['delivered'], 'not due yet: it waits for its backoff' );
		$this->make_due( $id );
		$stats = $this->runner()->run();
		$this->assertSame( 1, $stats['waiting'], 'still down: it waits again' );
		$this->assertSame( 2, ( new Outbox() )->find( $id )['attempts'] );

		$this->start_server( $port );
		$this->make_due( $id );
		$this->assertSame( 1, $this->runner()->run()['delivered'] );
		$this->make_due( $id );
		$this->assertSame( 0, $this->runner()->run()['delivered'], 'a second run finds nothing' );

		$messages = $this->received( $subject );
		$this->assertCount( 1, $messages, 'delivered exactly once' );
		$this->assertSame( array( 'first@example.com', 'second@example.com', 'copy@example.com' ), $messages[0]['envelope']['rcptTo'] );
		$this->assertSame( 'sender@example.com', $messages[0]['envelope']['mailFrom'] );
		$this->assertTrue( $messages[0]['envelope']['tls'] );
		$this->assertSame( 'test', $messages[0]['envelope']['user'] );
		$this->assertSame( self::normalized( $stored['data'] ), self::normalized( $messages[0]['data'] ), 'the stored message arrives byte for byte' );
		$this->assertStringContainsString( str_replace( "\r\n", "\n", chunk_split( base64_encode( $content ), 76, "\r\n" ) ), str_replace( "\r\n", "\n", $messages[0]['data'] ), 'with its attachment' );
		$this->assertNull( ( new Outbox() )->find( $id ), 'nothing of a delivered message is kept' );
	}

	public function test_a_greylisted_recipient_is_delivered_on_retry_and_a_refused_one_fails_without_retry(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->start_server( $port );
		$this->save_smtp( '127.0.0.1', $port );
		$grey    = 'greylist ' . wp_generate_password( 12, false );
		$refused = 'refused ' . wp_generate_password( 12, false );

		$this->assertTrue( wp_mail( 'greylist@example.com', $grey, 'x' ), 'a 451 at send time: accepted for delivery' );
		$this->assertFalse( wp_mail( 'refuse@example.com', $refused, 'x' ), 'a 550 at send time fails as before' );
		$this->assertCount( 1, $this->queued );
		$this->assertSame( 451, $this->queued[0][2]['code'] );
		$this->assertSame( array(), $this->received( $grey ) );

		$this->make_due( $this->queued[0][0] );
		$this->assertSame( 1, $this->runner()->run()['delivered'] );
		$this->assertCount( 1, $this->received( $grey ) );

		// A queued message refused for good at delivery: failed with the server's answer, never retried.
		$this->stop_servers();
		$this->assertTrue( wp_mail( array( 'refuse@example.com' ), $refused, 'x' ) );
		$id = $this->queued[1][0];
		$this->start_server( $port );
		$this->make_due( $id );
		$failed = array();
		add_action(
			'smtp_port_helper_mail_failed',
			static function ( int $failed_id, array $failure ) use ( &$failed ): void {
				$failed[] = array( $failed_id, $failure );
			},
			10,
			2
		);
		$this->assertSame( 1, $this->runner()->run()['failed'] );
		$entry = ( new Outbox() )->find( $id );
		$this->assertSame( Outbox::FAILED, $entry['status'] );
		$this->assertSame( 550, $entry['code'] );
		$this->assertStringContainsString( 'mailbox unavailable', $entry['error'] );
		$this->assertCount( 1, $failed );
		$this->make_due( $id, Outbox::FAILED );
		$this->assertSame( array( 0, 0 ), array( $this->runner()->run()['failed'], $this->runner()->run()['delivered'] ), 'a failed message is not tried again by itself' );
		$this->assertSame( 2, ( new Outbox() )->find( $id )['attempts'] );
		$this->assertSame( array(), $this->received( $refused ) );
	}

	public function test_a_message_the_smtp_server_refuses_for_good_at_data_fails_wp_mail_and_is_kept_as_failed(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->start_server( $port );
		$this->save_smtp( '127.0.0.1', $port );
		$subject = 'content refused ' . wp_generate_password( 12, false );
		$errors  = array();
		$failed  = static function ( \WP_Error $error ) use ( &$errors ): void {
			$errors[] = $error->get_error_message();
		};
		add_action( 'wp_mail_failed', $failed );
		$sent = wp_mail( 'reject-content@example.com', $subject, 'x' );
		remove_action( 'wp_mail_failed', $failed );

		$this->assertFalse( $sent, 'a 554 to DATA fails wp_mail() as before' );
		$this->assertCount( 1, $errors, '`wp_mail_failed` fires once' );
		$this->assertSame( array(), $this->queued, 'not queued: nothing sends it again by itself' );
		$entries = ( new Outbox() )->entries();
		$this->assertCount( 1, $entries, 'but the message is kept' );
		$this->assertSame( Outbox::FAILED, $entries[0]['status'] );
		$this->assertSame( $subject, $entries[0]['subject'] );
		$this->assertSame( array( 'reject-content@example.com' ), $entries[0]['to'] );
		$this->assertSame( 'data', $entries[0]['stage'] );
		$this->assertSame( 554, $entries[0]['code'] );
		$this->assertStringContainsString( 'content rejected', $entries[0]['error'], 'with the server\'s reason' );
		$this->assertStringContainsString( 'refused this message for good', Outbox_Manager::explain( $entries[0]['status'], $entries[0]['stage'], $entries[0]['code'] ) );
		$this->make_due( $entries[0]['id'], Outbox::FAILED );
		$this->assertSame( array( 0, 0 ), array( $this->runner()->run()['failed'], $this->runner()->run()['delivered'] ), 'a failed message is not tried again by itself' );
		$this->assertSame( array(), $this->received( $subject ) );
	}

	public function test_a_recipient_deferred_while_others_accept_waits_alone_and_nobody_gets_it_twice(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->start_server( $port );
		$this->save_smtp( '127.0.0.1', $port );
		$subject = 'partly deferred ' . wp_generate_password( 10, false );

		$this->assertTrue( wp_mail( array( 'now@example.com', 'greylist-later@example.com' ), $subject, 'x' ) );

		$arrived = $this->received( $subject );
		$this->assertCount( 1, $arrived );
		$this->assertSame( array( 'now@example.com' ), $arrived[0]['envelope']['rcptTo'] );
		$this->assertCount( 1, $this->queued );
		$this->assertSame( array( 'greylist-later@example.com' ), $this->queued[0][1], 'kept for the deferred recipient only' );
		$this->make_due( $this->queued[0][0] );
		$this->assertSame( 1, $this->runner()->run()['delivered'] );
		$rcpts = array_map( static fn( array $m ): array => $m['envelope']['rcptTo'], $this->received( $subject ) );
		$this->assertEqualsCanonicalizing( array( array( 'now@example.com' ), array( 'greylist-later@example.com' ) ), $rcpts, 'each recipient got it once' );
	}

	public function test_a_message_claimed_by_a_runner_that_died_is_delivered_once_its_lease_runs_out(): void {
		global $wpdb;
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port );
		$subject = 'orphaned claim ' . wp_generate_password( 10, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );
		$id     = $this->queued[0][0];
		$outbox = new Outbox();
		$this->make_due( $id );
		$this->assertTrue( $outbox->claim( $id, 'runner-that-dies' ) );
		$this->assertFalse( $outbox->claim( $id, 'another-runner' ), 'claimed once' );
		$this->start_server( $port );

		$this->assertSame( 0, $this->runner()->run()['delivered'], 'a live claim is left alone' );
		$wpdb->update( Outbox_Table::name(), array( 'claimed_until' => time() - 1 ), array( 'id' => $id ) );
		$this->assertSame( 1, $this->runner()->run()['delivered'], 'the lease ran out: another runner takes it' );
		$outbox->delivered( $id, 'runner-that-dies' ); // The dead runner's late bookkeeping changes nothing.
		$this->assertCount( 1, $this->received( $subject ) );
	}

	/**
	 * A runner that died mid-delivery (a fatal error: WP-Cron had already removed the event that
	 * started it) leaves its claim. The outbox wakes when the lease ends; from then on the message
	 * says "interrupted" with the time of its next try, not "being sent now", and can be retried.
	 */
	public function test_a_claim_left_by_a_runner_that_died_wakes_the_queue_says_interrupted_and_can_be_retried(): void {
		global $wpdb;
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port );
		$subject = 'interrupted ' . wp_generate_password( 10, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );
		$id     = $this->queued[0][0];
		$outbox = new Outbox();
		$this->make_due( $id );
		$this->assertTrue( $outbox->claim( $id, 'runner-that-dies' ) );
		wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK ); // WP-Cron removed the event before the runner ran.
		$lease_end = (int) $wpdb->get_var( $wpdb->prepare( 'SELECT claimed_until FROM ' . Outbox_Table::name() . ' WHERE id = %d', $id ) ); // phpcs:ignore

		( new Mail_Queue( new Outbox() ) )->schedule(); // Any later mail or page view re-schedules.
		$this->assertSame( $lease_end, wp_next_scheduled( Mail_Queue::CRON_HOOK ), 'a run comes when the lease ends' );
		$this->assertSame( Outbox::SENDING, $outbox->find( $id )['status'], 'a live claim is being sent' );

		$wpdb->update( Outbox_Table::name(), array( 'claimed_until' => time() - 1 ), array( 'id' => $id ) );
		$manager = new Outbox_Manager( new Outbox(), fn() => $this->runner() );
		$entry   = $manager->entry( $id );
		$this->assertSame( Outbox::QUEUED, $entry['status'], 'no longer "being sent now"' );
		$this->assertSame( Outbox_Entry::INTERRUPTED, $entry['stage'] );
		$this->assertStringContainsString( 'interrupted', $entry['explanation'] );
		$this->assertGreaterThanOrEqual( time() - 1, $entry['next_attempt_at'] );

		$this->start_server( $port );
		$this->assertTrue( $manager->retry( $id )['delivered'], 'Retry now takes it' );
		$this->assertCount( 1, $this->received( $subject ) );
	}

	public function test_an_authentication_failure_holds_the_queue_until_the_settings_change(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->start_server( $port );
		$this->save_smtp( '127.0.0.1', $port, array( 'password' => 'wrong' ) );
		$subject = 'held ' . wp_generate_password( 12, false );

		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );

		$this->assertSame( 'auth', $this->queued[0][2]['stage'] );
		$id = $this->queued[0][0];
		$this->assertSame( Outbox::HELD, ( new Outbox() )->find( $id )['status'] );
		$this->make_due( $id, Outbox::HELD );
		$this->assertSame( 0, array_sum( $this->runner()->run() ), 'held: not tried' );

		$this->save_smtp( '127.0.0.1', $port ); // The right password.
		$this->assertSame( Outbox::QUEUED, ( new Outbox() )->find( $id )['status'], 'the settings changed: due now' );
		$this->assertSame( 1, $this->runner()->run()['delivered'] );
		$this->assertCount( 1, $this->received( $subject ) );
	}

	public function test_a_login_refused_at_delivery_holds_every_waiting_message(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port, array( 'password' => 'wrong' ) );
		$this->assertTrue( wp_mail( 'a@example.com', 'one ' . wp_generate_password( 8, false ), 'x' ) );
		$this->assertTrue( wp_mail( 'b@example.com', 'two ' . wp_generate_password( 8, false ), 'x' ) );
		$this->start_server( $port );
		$this->make_due( $this->queued[0][0] );
		$this->make_due( $this->queued[1][0] );

		$this->assertSame( 1, $this->runner()->run()['held'], 'the first refusal stops the run' );
		$this->assertSame( array( Outbox::HELD, Outbox::HELD ), array( ( new Outbox() )->find( $this->queued[0][0] )['status'], ( new Outbox() )->find( $this->queued[1][0] )['status'] ) );
	}

	public function test_while_mail_waits_a_retest_finds_the_working_fallback_port_and_the_queue_drains_through_it(): void {
		list( $main, $fallback ) = Server_Process::free_ports( 2 );
		$this->save_smtp(
			'127.0.0.1',
			$main,
			array(
				'timeout'        => 3,
				'fallback'       => true,
				'fallback_ports' => array( $fallback ),
			)
		);
		$tag = 'retest ' . wp_generate_password( 10, false );
		for ( $i = 0; $i < 3; $i++ ) {
			$this->assertTrue( wp_mail( 'someone@example.com', "$tag #$i", 'x' ) );
		}
		$this->assertCount( 3, $this->queued, 'no port answers: the mail waits' );
		$memory = new Port_Memory();
		$this->assertTrue( $memory->is_down( '127.0.0.1', $main ) && $memory->is_down( '127.0.0.1', $fallback ) );
		$retests = array();
		add_action(
			'smtp_port_helper_outbox_retested',
			static function ( ?int $working, array $down ) use ( &$retests ): void {
				$retests[] = array( $working, $down );
			},
			10,
			2
		);

		$this->start_server( $fallback ); // The main port stays down.
		$stats = $this->runner_with_retest()->run();

		$this->assertSame( array( array( $fallback, array( $main ) ) ), $retests, 'one re-test by the probe engine: the fallback port works, the main port is down' );
		$this->assertSame( 3, $stats['delivered'], 'a port works: the waiting mail did not sit out its backoff' );
		$arrived = $this->received( $tag );
		$this->assertCount( 3, $arrived, 'each message once' );
		$this->assertSame( array( $fallback ), array_values( array_unique( array_map( static fn( array $m ): int => (int) $m['envelope']['port'], $arrived ) ) ), 'through the working fallback port' );
		$this->assertSame( $fallback, $memory->working( '127.0.0.1' ), 'the working port is remembered' );
		$this->assertTrue( $memory->is_down( '127.0.0.1', $main ) );
		$this->assertFalse( $memory->is_down( '127.0.0.1', $fallback ) );

		$this->assertTrue( wp_mail( 'someone@example.com', "$tag late", 'x' ) );
		$this->assertSame( 3, count( $this->queued ) );
		$this->assertSame( array( $fallback ), array_column( $GLOBALS['phpmailer']->getSMTPInstance()->attempts(), 'port' ), 'new mail goes straight to the working port' );

		$this->stop_servers();
		$this->assertTrue( wp_mail( 'someone@example.com', "$tag while down again", 'x' ) );
		$this->make_due( $this->queued[3][0] );
		$this->start_server( $fallback );
		$this->assertSame( 1, $this->runner_with_retest()->run()['delivered'] );
		$this->assertCount( 1, $retests, 'within the interval the ports are not re-tested again' );
		$this->assertSame( Port_Retest::interval() + Atomic_Option::time_of( get_option( Port_Retest::OPTION ) ), Port_Retest::next_time() );
	}

	public function test_a_queue_held_by_a_refused_login_is_not_retested(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->start_server( $port );
		$this->save_smtp( '127.0.0.1', $port, array( 'password' => 'wrong' ) );
		$this->assertTrue( wp_mail( 'someone@example.com', 'held ' . wp_generate_password( 8, false ), 'x' ) );
		$this->assertSame( Outbox::HELD, ( new Outbox() )->find( $this->queued[0][0] )['status'] );
		$retested = 0;
		add_action(
			'smtp_port_helper_outbox_retested',
			static function () use ( &$retested ): void {
				++$retested;
			}
		);

		$this->assertSame( 0, array_sum( $this->runner_with_retest()->run() ) );

		$this->assertSame( 0, $retested, 'no login is tried again with a refused password' );
		$this->assertFalse( get_option( Port_Retest::OPTION ), 'nor is a turn taken' );
	}

	/**
	 * Mail that only waits for the mailbox's sending pace has a way that works: no re-test, and the
	 * outbox is not woken every five minutes for one — until mail waits for a way out.
	 */
	public function test_mail_that_only_waits_for_the_sending_pace_is_not_retested_nor_woken_for_a_retest(): void {
		$this->save_smtp( '127.0.0.1', Server_Process::free_ports( 1 )[0] );
		$paced_until = time() + 1800;
		$outbox      = new Outbox();
		$this->assertNotNull( $outbox->add( 'blog@example.org', array( 'a@example.com' ), "Subject: paced\r\n\r\nx", Send_Pacer::held( $paced_until ) ) );
		global $wpdb;
		$wpdb->update( Outbox_Table::name(), array( 'next_attempt_at' => $paced_until ), array( 'status' => Outbox::QUEUED ) );
		$retested = 0;
		add_action(
			'smtp_port_helper_outbox_retested',
			static function () use ( &$retested ): void {
				++$retested;
			}
		);
		wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );

		$this->runner_with_retest()->run();

		$this->assertSame( 0, $retested, 'no port re-test for paced mail' );
		$this->assertFalse( get_option( Port_Retest::OPTION ), 'nor is a turn taken' );
		$this->assertSame( $paced_until, wp_next_scheduled( Mail_Queue::CRON_HOOK ), 'woken when the pace allows, not for a re-test' );

		$this->assertNotNull( $outbox->add( 'blog@example.org', array( 'b@example.com' ), "Subject: down\r\n\r\nx", array( 'stage' => 'connect', 'code' => 0, 'error' => 'Connection refused' ) ) );
		$this->assertTrue( ( new Port_Retest( new Outbox(), new Settings_Store(), new Mailer_Hook( new Settings_Store() ), new Port_Prober(), new Probe_Options_Factory( new Settings_Store() ) ) )->maybe_run()['ran'], 'mail that waits for a way out is re-tested' );
	}

	public function test_one_notice_mail_tells_the_admin_when_delivery_works_again(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port );
		$tag = 'notice ' . wp_generate_password( 10, false );
		$this->assertTrue( wp_mail( 'someone@example.com', "$tag one", 'x' ) );
		$this->assertTrue( wp_mail( 'someone@example.com', "$tag two", 'x' ) );
		$this->assertNotFalse( get_option( Recovery_Notice::OPTION ), 'the server could not take mail: an outage began' );
		$this->make_due( $this->queued[0][0] );
		$this->make_due( $this->queued[1][0] );
		$this->assertSame( 0, $this->runner_with_retest()->run()['delivered'], 'still down' );
		$this->assertSame( array(), $this->received( 'delivered again' ), 'no notice while it is down' );

		$this->start_server( $port );
		$this->make_due( $this->queued[0][0] );
		$this->make_due( $this->queued[1][0] );
		$this->assertSame( 2, $this->runner_with_retest()->run()['delivered'] );

		$notices = $this->received( 'delivered again' );
		$this->assertCount( 1, $notices, 'one notice' );
		$this->assertSame( array( (string) get_option( 'admin_email' ) ), $notices[0]['envelope']['rcptTo'], 'to the admin address' );
		$this->assertSame( $port, (int) $notices[0]['envelope']['port'], 'through the path that works' );
		$this->assertStringContainsString( 'Delivered late just now: 2', $notices[0]['data'] );
		$this->assertCount( 2, $this->queued, 'the notice itself is never queued' );
		$this->assertFalse( get_option( Recovery_Notice::OPTION ), 'the outage is over' );

		// A greylisted recipient waits, but the server works: no outage, no second notice.
		$this->assertTrue( wp_mail( 'greylist-notice@example.com', "$tag three", 'x' ) );
		$this->make_due( $this->queued[2][0] );
		$stats = $this->runner_with_retest()->run();
		$this->assertSame( 1, $stats['delivered'], (string) wp_json_encode( array( $stats, $this->queued[2], ( new Outbox() )->find( $this->queued[2][0] ) ) ) );
		$this->assertCount( 1, $this->received( 'delivered again' ), 'at most once per outage' );
	}

	public function test_mail_sent_while_the_server_is_stopped_arrives_exactly_once_after_cron_runs(): void {
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port );
		$tag         = 'cron ' . wp_generate_password( 10, false );
		$message_ids = array();
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertTrue( wp_mail( 'someone@example.com', "$tag #$i", "message $i" ) );
			$message_ids[] = $GLOBALS['phpmailer']->getLastMessageID();
		}
		$this->assertCount( 5, $this->queued, 'every message waits, nothing is lost' );
		$this->assertCount( 5, array_unique( $message_ids ) );
		$this->assertNotFalse( wp_next_scheduled( Mail_Queue::CRON_HOOK ), 'a WP-Cron run is scheduled' );

		$this->start_server( $port );
		foreach ( $this->queued as $entry ) {
			$this->make_due( $entry[0] );
		}
		delete_option( Port_Retest::OPTION );
		do_action( Mail_Queue::CRON_HOOK ); // What wp-cron.php runs: the plugin's own runner.
		do_action( Mail_Queue::CRON_HOOK );

		$arrived = array();
		foreach ( $this->received( $tag ) as $message ) {
			$this->assertSame( 1, preg_match( '/^Message-ID:\s*(<[^>]+>)/mi', $message['data'], $match ) );
			$arrived[] = $match[1];
		}
		sort( $arrived );
		sort( $message_ids );
		$this->assertSame( $message_ids, $arrived, 'each Message-ID arrived exactly once' );
		$this->assertSame(
			array(
				Outbox::QUEUED  => 0,
				Outbox::SENDING => 0,
				Outbox::HELD    => 0,
				Outbox::FAILED  => 0,
			),
			( new Outbox() )->counts()
		);
		$this->assertFalse( wp_next_scheduled( Mail_Queue::CRON_HOOK ), 'nothing waits: no run is scheduled' );
	}

	public function test_two_runners_at_once_deliver_each_message_exactly_once(): void {
		global $wpdb;
		$count    = (int) ( getenv( 'SMTP_PORT_HELPER_OUTBOX_MESSAGES' ) ?: 500 );
		$port     = Server_Process::free_ports( 1 )[0];
		$previous = $this->raw_option( Settings_Store::OPTION );
		$this->save_smtp( '127.0.0.1', $port );
		$tag = 'concurrent ' . wp_generate_password( 10, false );
		// A drain of many messages to one address, not a flood: past the outbox's budget (Outbox_Budget).
		$budget = static function () use ( $count ): array {
			return array(
				'rows'               => $count + 1000,
				'per_recipient_hour' => $count,
			);
		};
		add_filter( 'smtp_port_helper_outbox_budget', $budget );
		for ( $i = 0; $i < $count; $i++ ) {
			$this->assertTrue( wp_mail( 'someone@example.com', "$tag #$i", "message $i" ) );
		}
		remove_filter( 'smtp_port_helper_outbox_budget', $budget );
		$ids   = array_column( $this->queued, 0 );
		$table = Outbox_Table::name();
		$wpdb->query( "UPDATE {$table} SET next_attempt_at = 0" ); // phpcs:ignore
		$wpdb->query( 'COMMIT' ); // The other processes see only committed rows.
		try {
			$this->start_server( $port );
			$started = microtime( true );
			$results = $this->run_in_parallel( 2 );
			$elapsed = microtime( true ) - $started;

			$delivered = array_sum( array_column( $results, 'delivered' ) );
			$this->assertSame( $count, $delivered, 'the two runners together delivered each message once' );
			$subjects = array();
			foreach ( $this->received( $tag ) as $message ) {
				preg_match( '/^Subject: (.*)$/m', $message['data'], $match );
				$subjects[] = trim( $match[1] );
			}
			$this->assertCount( $count, $subjects );
			$this->assertCount( $count, array_unique( $subjects ), 'no message arrived twice' );
			$this->assertGreaterThan( 0, min( array_column( $results, 'delivered' ) ), 'both runners took part' );
			fwrite( STDERR, sprintf( "\n[outbox] %d queued messages, 2 runners: drained in %.2f s (%.0f messages/s)\n", $count, $elapsed, $count / $elapsed ) );
		} finally {
			$wpdb->query( "DELETE FROM {$table} WHERE id IN (" . implode( ',', array_map( 'intval', $ids ) ) . ')' ); // phpcs:ignore
			$wpdb->query( 'DELETE FROM ' . Outbox_Table::recipients_name() . ' WHERE message_id IN (' . implode( ',', array_map( 'intval', $ids ) ) . ')' ); // phpcs:ignore
			if ( null === $previous ) {
				delete_option( Settings_Store::OPTION );
			} else {
				update_option( Settings_Store::OPTION, maybe_unserialize( $previous ) );
			}
			delete_option( Outbox_Health::LATE_OPTION );
			delete_option( Port_Retest::OPTION ); // Written by the runners' processes.
			delete_option( Recovery_Notice::OPTION );
			wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
			$wpdb->query( 'COMMIT' );
		}
	}

	/**
	 * Runs the outbox in separate PHP processes at the same time.
	 *
	 * @return list<array<string, int>>
	 */
	private function run_in_parallel( int $runners ): array {
		return $this->run_php_processes( array_fill( 0, $runners, array( __DIR__ . '/support/run-outbox.php' ) ) );
	}

	private function runner(): Outbox_Runner {
		$queue = new Mail_Queue( new Outbox() );
		return new Outbox_Runner( new Outbox(), new Mailer_Hook( new Settings_Store(), null, $queue ), $queue );
	}

	private function runner_with_retest(): Outbox_Runner {
		$settings = new Settings_Store();
		$queue    = new Mail_Queue( new Outbox() );
		$mailer   = new Mailer_Hook( $settings, null, $queue );
		$retest   = new Port_Retest( new Outbox(), $settings, $mailer, new Port_Prober(), new Probe_Options_Factory( $settings ) );
		return new Outbox_Runner( new Outbox(), $mailer, $queue, $retest, new Recovery_Notice( $settings ) );
	}

	private function make_due( int $id, string $status = Outbox::QUEUED ): void {
		global $wpdb;
		$wpdb->update(
			Outbox_Table::name(),
			array( 'next_attempt_at' => 0 ),
			array(
				'id'     => $id,
				'status' => $status,
			)
		);
	}

	/**
	 * @return array<string, string>
	 */
	private function row( int $id ): array {
		global $wpdb;
		$table = Outbox_Table::name();
		return (array) $wpdb->get_row( $wpdb->prepare( "SELECT * FROM {$table} WHERE id = %d", $id ), ARRAY_A ); // phpcs:ignore
	}

	private function start_server( int $port ): void {
		$server = new Server_Process();
		$server->start(
			array( 'node', dirname( __DIR__ ) . '/servers/outbox-smtp.js', '--port', (string) $port, '--out', $this->mail_dir, '--cert-dir', dirname( __DIR__, 3 ) . '/.run/smtp' ),
			array(),
			1,
			dirname( __DIR__, 3 ) . '/.run/logs/outbox-smtp.log'
		);
		$this->servers[] = $server;
	}

	private function stop_servers(): void {
		foreach ( $this->servers as $server ) {
			$server->stop();
		}
		$this->servers = array();
	}

	/**
	 * Messages received by the test server whose text contains the needle.
	 *
	 * @return list<array{envelope: array<string, mixed>, data: string}>
	 */
	private function received( string $needle ): array {
		$found = array();
		foreach ( (array) glob( $this->mail_dir . '/*.eml' ) as $file ) {
			$raw = (string) file_get_contents( (string) $file );
			if ( false === strpos( $raw, $needle ) ) {
				continue;
			}
			$cut     = strpos( $raw, "\r\n" );
			$found[] = array(
				'envelope' => (array) json_decode( substr( $raw, strlen( 'X-Test-Envelope: ' ), $cut - strlen( 'X-Test-Envelope: ' ) ), true ),
				'data'     => substr( $raw, $cut + 2 ),
			);
		}
		return $found;
	}

	/**
	 * A message with CRLF line ends and without trailing line ends (DATA adds the final one).
	 */
	private static function normalized( string $message ): string {
		return rtrim( str_replace( array( "\r\n", "\r", "\n" ), "\r\n", str_replace( "\r\n", "\n", $message ) ), "\r\n" );
	}

	/**
	 * A port that accepts TCP connections (kernel backlog) but never says anything.
	 */
	private function silent_port(): int {
		$server = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $errstr );
		$this->assertIsResource( $server, $errstr );
		$this->silent[] = $server;
		$name           = (string) stream_socket_get_name( $server, false );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}
}
