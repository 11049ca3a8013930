<?php
/**
 * wp_mail() through the phpmailer_init hook, delivered to the real local SMTP test servers.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

final class Mail_Delivery_Test extends Integration_Test_Case {

	private Smtp_Mailbox $mailbox;

	/** @var list<string> */
	private array $failures = array();

	/** @var list<resource> */
	private array $silent_servers = array();

	protected function setUp(): void {
		parent::setUp();
		$this->mailbox  = new Smtp_Mailbox();
		$this->failures = array();
		add_action( 'wp_mail_failed', array( $this, 'record_failure' ) );
	}

	protected function tearDown(): void {
		remove_action( 'wp_mail_failed', array( $this, 'record_failure' ) );
		foreach ( $this->silent_servers as $server ) {
			fclose( $server );
		}
		$this->silent_servers = array();
		parent::tearDown();
	}

	public function record_failure( \WP_Error $error ): void {
		$this->failures[] = $error->get_error_message();
	}

	/**
	 * @return array<string, array{0: int, 1: string}>
	 */
	public function submission_ports(): array {
		return array(
			'587, STARTTLS'     => array( 2, '127.0.0.1' ),
			'2525, STARTTLS'    => array( 3, 'localhost' ),
			'465, implicit TLS' => array( 1, 'localhost' ),
		);
	}

	/**
	 * @dataProvider submission_ports
	 */
	public function test_wp_mail_is_delivered_through_the_saved_host_and_port_with_auth( int $port_index, string $host ): void {
		$port = Smtp_Mailbox::port( $port_index );
		$this->save_smtp(
			$host,
			$port,
			array(
				'from_email'  => 'sender@example.com',
				'from_name'   => 'Site Sender',
				'return_path' => true,
			)
		);
		$subject = 'round trip ' . wp_generate_password( 16, false );

		$sent = wp_mail( 'someone@example.com', $subject, "Hello from the integration test.\n" );

		$this->assertSame( array(), $this->failures );
		$this->assertTrue( $sent );
		$messages = $this->mailbox->find( $subject );
		$this->assertCount( 1, $messages, 'exactly one message arrives at the SMTP server' );
		$envelope = $messages[0]['envelope'];
		$this->assertSame( $port, $envelope['port'] );
		$this->assertTrue( $envelope['tls'], 'the message travelled over TLS' );
		$this->assertSame( 'test', $envelope['user'], 'the client authenticated' );
		$this->assertSame( 'sender@example.com', $envelope['mailFrom'], 'Return-Path = From' );
		$this->assertSame( array( 'someone@example.com' ), $envelope['rcptTo'] );
		$this->assertStringContainsString( "Subject: $subject", $messages[0]['raw'] );
		$this->assertStringContainsString( 'From: Site Sender <sender@example.com>', $messages[0]['raw'] );
	}

	public function test_saving_only_port_465_switches_to_implicit_tls(): void {
		$implicit = Smtp_Mailbox::port( 1 );
		$this->save_smtp( 'localhost', Smtp_Mailbox::port( 2 ) );
		$result = ( new Settings_Store() )->update( array( 'port' => 465 ) );
		$this->assertSame( 'implicit_tls', $result->encryption );
		$result = ( new Settings_Store() )->update(
			array(
				'port'       => $implicit,
				'encryption' => 'implicit_tls',
			)
		);
		$this->assertSame( 'implicit_tls', $result->encryption );
		$subject = 'implicit ' . wp_generate_password( 12, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );
		$this->assertCount( 1, $this->mailbox->find( $subject ) );
	}

	public function test_a_plugin_s_own_from_is_kept_unless_forced(): void {
		$port = Smtp_Mailbox::port( 2 );
		$this->save_smtp( '127.0.0.1', $port, array( 'from_email' => 'site@example.com', 'from_name' => 'The Site' ) );
		$kept = 'kept ' . wp_generate_password( 12, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $kept, 'x', array( 'From: Shop <shop@example.net>' ) ) );
		$this->assertStringContainsString( 'From: Shop <shop@example.net>', $this->mailbox->find( $kept )[0]['raw'] );

		$this->save_smtp( '127.0.0.1', $port, array( 'force_from_email' => true ) );
		$forced = 'forced email ' . wp_generate_password( 12, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $forced, 'x', array( 'From: Shop <shop@example.net>' ) ) );
		$this->assertStringContainsString( 'From: Shop <site@example.com>', $this->mailbox->find( $forced )[0]['raw'], 'the name is forced separately' );

		$this->save_smtp( '127.0.0.1', $port, array( 'force_from_name' => true ) );
		$both = 'forced both ' . wp_generate_password( 12, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $both, 'x', array( 'From: Shop <shop@example.net>' ) ) );
		$this->assertStringContainsString( 'From: The Site <site@example.com>', $this->mailbox->find( $both )[0]['raw'] );
	}

	public function test_starttls_is_required_and_never_downgraded(): void {
		$seen = array();
		$spy  = static function ( $phpmailer ) use ( &$seen ): void {
			// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
			$seen = array( $phpmailer->SMTPSecure, $phpmailer->SMTPAutoTLS, $phpmailer->Host, $phpmailer->SMTPOptions['ssl']['verify_peer'] );
			// phpcs:enable
		};
		add_action( 'phpmailer_init', $spy, 99 );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		wp_mail( 'someone@example.com', 'spy ' . wp_generate_password( 8, false ), 'x' );
		remove_action( 'phpmailer_init', $spy, 99 );
		$this->assertSame( array( 'tls', false, 'tls://127.0.0.1:' . Smtp_Mailbox::port( 2 ), true ), $seen );
	}

	public function test_closed_port_queues_the_message_quickly_in_the_outbox(): void {
		$this->save_smtp( '127.0.0.1', 1 );
		$subject = 'closed port ' . wp_generate_password( 16, false );
		$queued  = $this->watch_queue();
		$started = microtime( true );

		$sent = wp_mail( 'someone@example.com', $subject, 'x' );

		$this->assertTrue( $sent, 'accepted for delivery, as a local MTA would' );
		$this->assertSame( array(), $this->failures );
		$this->assertCount( 1, $queued->ids );
		$this->assertSame( 'connect', ( new Outbox() )->find( $queued->ids[0] )['stage'] );
		$this->assertSame( array(), $this->mailbox->find( $subject ) );
		$this->assertLessThan( 10.0, microtime( true ) - $started, 'the send gives up within its connection timeout' );
	}

	public function test_fallback_delivers_once_when_the_main_port_is_closed_and_remembers_it(): void {
		$submission = Smtp_Mailbox::port( 2 );
		$this->save_smtp(
			'127.0.0.1',
			1,
			array(
				'fallback'       => true,
				'fallback_ports' => array( $submission ),
			)
		);
		$subject = 'fallback ' . wp_generate_password( 16, false );

		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );

		$this->assertSame( array(), $this->failures );
		$messages = $this->mailbox->find( $subject );
		$this->assertCount( 1, $messages, 'delivered exactly once' );
		$this->assertSame( $submission, $messages[0]['envelope']['port'] );
		$this->assertSame( 'test', $messages[0]['envelope']['user'] );
		$this->assertNotFalse( get_transient( Port_Memory::key( '127.0.0.1', 1 ) ), 'the closed port is remembered' );
		$this->assertFalse( get_transient( Port_Memory::key( '127.0.0.1', $submission ) ) );
	}

	public function test_a_port_that_never_greets_is_remembered_and_skipped_by_the_next_message(): void {
		$silent     = $this->silent_port();
		$submission = Smtp_Mailbox::port( 3 );
		$this->save_smtp(
			'127.0.0.1',
			$silent,
			array(
				'timeout'        => 1,
				'fallback'       => true,
				'fallback_ports' => array( $submission ),
			)
		);
		$first   = 'slow first ' . wp_generate_password( 12, false );
		$started = microtime( true );
		$this->assertTrue( wp_mail( 'someone@example.com', $first, 'x' ) );
		$this->assertGreaterThanOrEqual( 0.9, microtime( true ) - $started, 'the first message waited for the silent port' );
		$this->assertNotFalse( get_transient( Port_Memory::key( '127.0.0.1', $silent ) ) );

		$second  = 'fast second ' . wp_generate_password( 12, false );
		$started = microtime( true );
		$this->assertTrue( wp_mail( 'someone@example.com', $second, 'x' ) );
		$this->assertLessThan( 0.9, microtime( true ) - $started, 'the second message did not wait' );
		$this->assertCount( 1, $this->mailbox->find( $first ) );
		$this->assertCount( 1, $this->mailbox->find( $second ) );
		$this->assertSame( $submission, $this->mailbox->find( $second )[0]['envelope']['port'] );
	}

	public function test_an_auth_failure_does_not_move_to_the_next_port_and_holds_the_message(): void {
		$this->save_smtp(
			'127.0.0.1',
			Smtp_Mailbox::port( 2 ),
			array(
				'password'       => 'wrong',
				'fallback'       => true,
				'fallback_ports' => array( Smtp_Mailbox::port( 3 ) ),
			)
		);
		$subject = 'wrong password ' . wp_generate_password( 12, false );
		$queued  = $this->watch_queue();
		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );
		$this->assertSame( array(), $this->mailbox->find( $subject ) );
		$entry = ( new Outbox() )->find( $queued->ids[0] );
		$this->assertSame( Outbox::HELD, $entry['status'], 'held until the settings change' );
		$this->assertSame( 535, $entry['code'] );
		$attempts = $GLOBALS['phpmailer']->getSMTPInstance()->attempts();
		$this->assertCount( 1, $attempts, 'a server answered: no second port is tried' );
		$this->assertFalse( get_transient( Port_Memory::key( '127.0.0.1', Smtp_Mailbox::port( 2 ) ) ), 'a port that answered is not remembered as down' );
	}

	public function test_an_unreadable_password_is_never_sent_and_the_message_is_held(): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		// The password saved under other keys (e.g. the salts changed since).
		( new Settings_Store( null, new Secret_Box( 'the old salts' ) ) )->update( array( 'password' => 'secret' ) );
		$subject = 'unreadable ' . wp_generate_password( 12, false );
		$log     = $this->error_log_size();
		$queued  = $this->watch_queue();

		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );

		$entry = ( new Outbox() )->find( $queued->ids[0] );
		$this->assertSame( Outbox::HELD, $entry['status'] );
		$this->assertStringContainsString( 'Re-enter the password', $entry['error'] );
		$this->assertSame( array(), $this->mailbox->find( $subject ) );
		$this->assertSame( $log, $this->error_log_size(), 'no PHP warning or notice' );
	}

	/**
	 * Collects the ids of the messages queued from now on (until the test ends).
	 */
	private function watch_queue(): \stdClass {
		$queued      = new \stdClass();
		$queued->ids = array();
		add_action(
			'smtp_port_helper_mail_queued',
			static function ( int $id ) use ( $queued ): void {
				$queued->ids[] = $id;
			}
		);
		return $queued;
	}

	public function test_disabled_or_without_a_host_wordpress_keeps_its_own_transport(): void {
		delete_option( Settings_Store::OPTION );
		$this->assertSame( 'mail', $this->mailer_used() );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'enabled' => false ) );
		$this->assertSame( 'mail', $this->mailer_used() );
	}

	private function mailer_used(): string {
		$seen = null;
		$spy  = static function ( $phpmailer ) use ( &$seen ): void {
			$seen = $phpmailer->Mailer; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		};
		add_action( 'phpmailer_init', $spy, 99 );
		wp_mail( 'someone@example.com', 'no smtp ' . wp_generate_password( 8, false ), 'x' );
		remove_action( 'phpmailer_init', $spy, 99 );
		return (string) $seen;
	}

	/**
	 * A port that accepts TCP connections (kernel backlog) but never says anything.
	 */
	private function silent_port(): int {
		$server = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $errstr );
		$this->assertIsResource( $server, $errstr );
		$this->silent_servers[] = $server;
		$name                   = (string) stream_socket_get_name( $server, false );
		return (int) substr( $name, strrpos( $name, ':' ) + 1 );
	}

	private function error_log_size(): int {
		$file = dirname( __DIR__, 3 ) . '/.run/logs/wp-debug.log';
		clearstatcache( true, $file );
		return is_file( $file ) ? (int) filesize( $file ) : 0;
	}
}
