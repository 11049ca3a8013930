<?php
/**
 * Provider limits: a burst is paced under the mailbox's limit and leaves complete and in order; a
 * throttling answer moves the message and slows the queue, never fails it — against a real SMTP
 * server that answers `451 4.7.0` above its rate (tests/php/servers/outbox-smtp.js --rate).
 *
 * The window is 2 seconds instead of a minute (filter `smtp_port_helper_sending_limits`), so the
 * burst of 200 at 30 a window takes seconds, not minutes.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Pacer;
use SmtpPortHelper\Mail\Send_Path_Recorder;
use SmtpPortHelper\Mail\Sending_Limits;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Pacing;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Providers\Provider_Table;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

/**
 * Each test starts its own throttling server on a free port and reads only that server's mail and
 * events, and the pacer's counters are in this suite's own database: nothing is shared with the
 * other suites. It runs beside them: a message that reaches the server late on a busy machine is
 * what the pacer's window edge (Send_Pacer::WINDOW_EDGE, a third of these windows) is for, and the
 * tests below allow the throttling answers such lateness costs.
 *
 * @group database
 */
final class Send_Pacing_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;

	private const WINDOW = 2;

	private const RATE = 30;

	private ?Server_Process $server = null;

	private string $mail_dir = '';

	private string $server_output = '';

	/** @var list<array{0: int, 1: array<string, mixed>}> */
	private array $failed = array();

	/** @var array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}|null */
	private ?array $limits = null;

	protected function setUp(): void {
		parent::setUp();
		$this->mail_dir = dirname( __DIR__, 3 ) . '/.run/pacing-test/' . wp_generate_password( 10, false );
		$this->failed   = array();
		$this->limits   = null;
		add_action( 'smtp_port_helper_mail_failed', array( $this, 'record_failed' ), 10, 2 );
		add_filter( 'smtp_port_helper_sending_limits', array( $this, 'limits' ) );
		delete_option( Port_Retest::OPTION );
		// An outage another class left behind (written outside its transaction; seen when the
		// runs-alone tests ran on their own) is not this test's: the tests below check pacing opens none.
		delete_option( Recovery_Notice::OPTION );
	}

	protected function tearDown(): void {
		remove_action( 'smtp_port_helper_mail_failed', array( $this, 'record_failed' ), 10 );
		remove_filter( 'smtp_port_helper_sending_limits', array( $this, 'limits' ) );
		if ( null !== $this->server ) {
			$this->server->stop();
			$this->server = null;
		}
		parent::tearDown();
	}

	/**
	 * @param array<string, mixed> $failure
	 */
	public function record_failed( int $id, array $failure ): void {
		$this->failed[] = array( $id, $failure );
	}

	/**
	 * The test's limits instead of the preset's (none for the test host).
	 *
	 * @param array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int} $pace
	 * @return array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}
	 */
	public function limits( array $pace ): array {
		return $this->limits ?? $pace;
	}

	public function test_a_burst_of_200_to_a_30_per_window_mailbox_leaves_30_a_window_in_order_and_none_is_refused(): void {
		// The burst waits in the outbox (the server was down while the shop sent it), then the server
		// is back with its limit: 30 messages a window, `451 4.7.0` above.
		$port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp( '127.0.0.1', $port );
		$this->limits = array(
			'per_window'         => self::RATE,
			'window'             => self::WINDOW,
			'messages_per_day'   => 0,
			'recipients_per_day' => 0,
		);
		$tag     = wp_generate_password( 8, false );
		$refused = 0;
		for ( $n = 1; $n <= 200; $n++ ) {
			$refused += wp_mail( sprintf( 'reader%03d@example.com', $n ), sprintf( 'burst %s #%03d', $tag, $n ), 'x' ) ? 0 : 1;
		}
		$this->assertSame( 0, $refused, 'every wp_mail() of the burst accepted its message' );
		$this->assertSame( 200, ( new Outbox() )->counts()[ Outbox::QUEUED ] );
		$this->start_server( self::RATE, self::WINDOW, $port );
		$this->make_all_due();

		$started = microtime( true );
		$this->drain();
		$elapsed = microtime( true ) - $started;

		$this->assertSame( range( 1, 200 ), $this->received_numbers( $tag ), 'all 200 arrived once each, in the order they were written' );
		$this->assertSame( array(), $this->failed, 'no message failed' );
		$this->assertSame( array(), ( new Outbox() )->entries(), 'the outbox is empty' );
		$windows = $this->server_windows( 'accepted' );
		foreach ( $windows as $window => $count ) {
			$this->assertLessThanOrEqual( self::RATE, $count, "window $window" );
		}
		$throttled = count( $this->server_events( 'throttled' ) );
		$this->assertLessThanOrEqual( 2, $throttled, 'paced under the limit: the server hardly had to say no' );
		fwrite( STDERR, sprintf( "\n[pacing] 200 queued, %d per %d s: drained in %.1f s over %d windows, %d throttling answers\n", self::RATE, self::WINDOW, $elapsed, count( $windows ), $throttled ) );
	}

	public function test_wp_mail_faster_than_the_limit_keeps_the_rest_in_order_behind_what_waits(): void {
		$port = $this->start_server( 5, 3 );
		$this->save_smtp( '127.0.0.1', $port );
		$this->limits = array(
			'per_window'         => 5,
			'window'             => 3,
			'messages_per_day'   => 0,
			'recipients_per_day' => 0,
		);
		$tag = wp_generate_password( 8, false );

		for ( $n = 1; $n <= 20; $n++ ) {
			$this->assertTrue( wp_mail( sprintf( 'reader%03d@example.com', $n ), sprintf( 'fast %s #%03d', $tag, $n ), 'x' ) );
		}
		$waiting = ( new Outbox() )->entries();
		$this->assertNotSame( array(), $waiting, 'what is over the limit waits' );
		$this->assertSame( Outbox_Pacing::PACED, $waiting[0]['stage'] );
		$this->assertSame( 0, $waiting[0]['attempts'], 'waiting for the limit is no attempt' );
		$this->assertLessThanOrEqual( time() + 3, $waiting[0]['next_attempt_at'], 'due when the window has room' );

		$this->drain();

		$this->assertSame( range( 1, 20 ), $this->received_numbers( $tag ), 'all arrived, in the order they were written' );
		foreach ( $this->server_windows( 'accepted' ) as $window => $count ) {
			$this->assertLessThanOrEqual( 5, $count, "window $window" );
		}
		$this->assertSame( array(), $this->failed );
		$this->assertFalse( get_option( Recovery_Notice::OPTION ), 'pacing is no outage' );
	}

	public function test_a_message_sent_at_the_end_of_a_window_counts_in_the_next_one_too(): void {
		// The server counts a message when its MAIL arrives: one admitted in a window's last moment may
		// arrive in the next, which must then have room for it (seen: a sixth MAIL in a 5-a-window
		// server window, answered 451, on a busy CI machine).
		$this->save_smtp( '127.0.0.1', Server_Process::free_ports( 1 )[0] );
		$this->limits = array(
			'per_window'         => 2,
			'window'             => 3,
			'messages_per_day'   => 0,
			'recipients_per_day' => 0,
		);
		$settings = ( new Settings_Store() )->get();
		$pacer    = new Send_Pacer();
		$end      = ( intdiv( time(), 3 ) + 1 ) * 3;
		if ( $end - microtime( true ) < 0.9 ) {
			$end += 3; // Too close to the edge to set it up in this window.
		}
		usleep( max( 0, (int) ( ( $end - 0.5 - microtime( true ) ) * 1000000 ) ) );
		$this->assertSame( 0, $pacer->admit( $settings, 1, true ), 'half a second before the end: room' );
		usleep( max( 0, (int) ( ( $end + 0.05 - microtime( true ) ) * 1000000 ) ) );
		$this->assertSame( 0, $pacer->admit( $settings, 1, true ), 'the next window: one place left' );
		$this->assertSame( $end + 3, $pacer->admit( $settings, 1, true ), 'the next window is full with the one from the edge' );
	}

	public function test_a_server_that_throttles_an_unknown_mailbox_slows_the_queue_and_loses_nothing(): void {
		// 3 messages per 2 s: fewer than wp_mail() sends even on a slow machine.
		$port = $this->start_server( 3, self::WINDOW );
		$this->save_smtp( '127.0.0.1', $port );
		$tag = wp_generate_password( 8, false );

		for ( $n = 1; $n <= 20; $n++ ) {
			$this->assertTrue( wp_mail( sprintf( 'reader%03d@example.com', $n ), sprintf( 'slowed %s #%03d', $tag, $n ), 'x' ) );
		}
		$waiting = ( new Outbox() )->entries();
		$this->assertNotSame( array(), $waiting );
		$this->assertSame( Outbox_Pacing::THROTTLED, $waiting[0]['stage'], 'the first message the server throttled' );
		$this->assertSame( 0, $waiting[0]['attempts'], 'a throttling answer is not counted as a failed attempt' );
		$this->assertSame( 451, $waiting[0]['code'] );
		$this->assertLessThanOrEqual( time() + 2, $waiting[0]['next_attempt_at'], 'moved by a second (no hint, the first answer), not the usual minute' );
		$status = ( new Mailer_Hook( new Settings_Store() ) )->pacer()->status( ( new Settings_Store() )->get() );
		$this->assertGreaterThanOrEqual( 1, $status['learned'], 'a rate learned from the answer' );
		$this->assertLessThanOrEqual( 3, $status['learned'], 'no more a second than the server took before it answered' );
		$this->assertSame( 451, $status['throttle']['code'] ?? null );

		$this->drain();

		$this->assertSame( range( 1, 20 ), $this->received_numbers( $tag ), 'all arrived, in order' );
		$this->assertSame( array(), $this->failed );
		$this->assertFalse( get_option( Recovery_Notice::OPTION ), 'throttling is no outage' );
	}

	public function test_a_used_up_daily_quota_554_5_2_0_waits_an_hour_instead_of_failing(): void {
		$port = $this->start_server( 0, 60 );
		$this->save_smtp( '127.0.0.1', $port );

		$this->assertTrue( wp_mail( 'quota@example.com', 'over the quota', 'x' ), 'kept, not refused' );

		$entry = ( new Outbox() )->entries()[0] ?? null;
		$this->assertNotNull( $entry );
		$this->assertSame( Outbox::QUEUED, $entry['status'] );
		$this->assertSame( Outbox_Pacing::THROTTLED, $entry['stage'] );
		$this->assertSame( 554, $entry['code'] );
		$this->assertEqualsWithDelta( time() + HOUR_IN_SECONDS, $entry['next_attempt_at'], 5 );

		$this->make_all_due();
		$this->runner()->run();
		$entry = ( new Outbox() )->find( $entry['id'] );
		$this->assertNotNull( $entry );
		$this->assertSame( Outbox::QUEUED, $entry['status'], 'the outbox does not fail it either' );
		$this->assertSame( 0, $entry['attempts'] );
		$this->assertSame( array(), $this->failed );
	}

	public function test_each_preset_names_its_limits_with_a_source_and_the_day_checked(): void {
		$presets = array( 'sendgrid', 'mailgun-us', 'mailgun-eu', 'google', 'microsoft365', 'amazon-ses', 'brevo', 'postmark', 'sparkpost', 'zoho', 'zoho-eu', 'resend', 'smtp2go' );
		$this->assertSame( $presets, array_keys( Provider_Table::all() ), 'the presets of Providers/Provider_Table (src/presets.ts reads them from the boot data)' );
		$rows = Sending_Limits::for_page();
		foreach ( $presets as $id ) {
			$this->assertArrayHasKey( $id, $rows, $id );
			$this->assertStringStartsWith( 'https://', $rows[ $id ]['source'], $id );
			$this->assertMatchesRegularExpression( '/^\d{4}-\d{2}-\d{2}$/', $rows[ $id ]['checked'], $id );
			$this->assertNotSame( '', $rows[ $id ]['summary'], $id );
		}
		remove_filter( 'smtp_port_helper_sending_limits', array( $this, 'limits' ) );
		$this->assertSame(
			array(
				'per_window'         => 30,
				'window'             => 60,
				'messages_per_day'   => 0,
				'recipients_per_day' => 10000,
			),
			Sending_Limits::pace_for( 'smtp.office365.com', 'shop@example.com' )
		);
		$this->assertSame( 2000, Sending_Limits::pace_for( 'smtp.gmail.com', 'shop@example.com' )['messages_per_day'] );
		$this->assertSame( 'amazon-ses', Sending_Limits::preset_of( 'email-smtp.eu-west-1.amazonaws.com' ) );
		$this->assertSame( 0, Sending_Limits::pace_for( 'email-smtp.eu-west-1.amazonaws.com', 'AKIA' )['per_window'], 'SES: the account\'s own rate, learned from its answers' );
	}

	public function test_the_daily_recipient_limit_is_a_sliding_day_of_hours(): void {
		$this->limits = array(
			'per_window'         => 0,
			'window'             => 60,
			'messages_per_day'   => 0,
			'recipients_per_day' => 5,
		);
		$settings = ( new Settings_Store() )->get();
		$pacer    = new Send_Pacer();

		$this->assertSame( 0, $pacer->admit( $settings, 3, true ) );
		$this->assertSame( 0, $pacer->admit( $settings, 2, true ) );
		$until = $pacer->admit( $settings, 1, true );

		$this->assertSame( ( intdiv( time(), HOUR_IN_SECONDS ) + 1 ) * HOUR_IN_SECONDS, $until, 'the sixth recipient waits until the day has room' );
		$this->assertSame( 5, $pacer->status( $settings )['recipients_today'] );
	}

	public function test_wp_cli_status_shows_the_last_self_check_and_the_pace_of_the_mailbox(): void {
		global $wpdb;
		remove_filter( 'smtp_port_helper_sending_limits', array( $this, 'limits' ) );
		$this->with_saved_settings(
			'smtp.office365.com',
			587,
			array( 'username' => 'shop@example.com' ),
			function () use ( $wpdb ): void {
				try {
					update_option(
						Self_Check::OPTION,
						array(
							'time'    => 1796540000,
							'outcome' => Self_Check::OK,
							'detail'  => '',
						),
						false
					);
					// The last message of an earlier test may have gone around the plugin: status exits 1 for that.
					delete_option( Send_Path_Recorder::OPTION );
					$settings = ( new Settings_Store() )->get();
					$pacer    = new Send_Pacer();
					$this->assertSame( 0, $pacer->admit( $settings, 2, true ) );
					// The status command also reports the last message's path: no record left by an earlier test.
					delete_option( Send_Path_Recorder::OPTION );
					$wpdb->query( 'COMMIT' );

					list( $status, $output ) = $this->wp( 'smtp-port-helper status', null, true );
					$this->assertSame( 0, $status, $output );
					$this->assertStringContainsString( 'Self-check: last 2026-12-06 ', $output );
					$this->assertStringContainsString( 'the saved port works', $output );
					$this->assertStringContainsString( 'Sending limits: 1 of 30 messages per 60 s, 2 of 10000 recipients in 24 hours.', $output );

					$pacer->throttled(
						$settings,
						array(
							'stage' => 'mail',
							'code'  => 451,
							'error' => '451 4.7.0 Message submission rate limit exceeded, try again in 40 seconds',
						)
					);
					$wpdb->query( 'COMMIT' );
					list( $status, $output ) = $this->wp( 'smtp-port-helper status --format=json' );
					$report                  = json_decode( $output, true );
					$this->assertSame( 0, $status, $output );
					$this->assertStringContainsString( 'Waiting: the server asked to slow down', implode( "\n", $report['pacing'] ?? array() ), $output );
					$this->assertStringContainsString( 'Slowed down: at most 1 message per 60 s', implode( "\n", $report['pacing'] ?? array() ), $output );
				} finally {
					delete_option( Self_Check::OPTION );
					$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'smtp_port_helper_pace_' ) . '%' ) );
					$wpdb->query( 'COMMIT' );
				}
			}
		);
	}

	/**
	 * Runs the outbox as WP-Cron would: at each scheduled time, until it is empty.
	 *
	 * @param int $seconds At most this long: a hang guard, not a measurement (nothing asserts how
	 *                     long it took). Beside the other suites and the browser specs on a busy
	 *                     2-core machine the burst of 200 took 36 s over 19 windows (15 s alone).
	 */
	private function drain( int $seconds = 120 ): void {
		$until = time() + $seconds;
		while ( time() < $until && array() !== ( new Outbox() )->entries() ) {
			$this->runner()->run();
			$next = wp_next_scheduled( Mail_Queue::CRON_HOOK );
			if ( false !== $next && $next > time() ) {
				usleep( (int) ( ( min( $next, $until ) - microtime( true ) ) * 1000000 ) + 1000 );
			}
		}
	}

	private function runner(): Outbox_Runner {
		$queue  = new Mail_Queue( new Outbox() );
		$mailer = new Mailer_Hook( new Settings_Store(), null, $queue );
		return new Outbox_Runner( new Outbox(), $mailer, $queue, null, null, new Outbox_Pacing( $mailer ) );
	}

	private function make_all_due(): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( 'UPDATE ' . Outbox_Table::name() . ' SET next_attempt_at = 0 WHERE status = %s', Outbox::QUEUED ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
	}

	private function start_server( int $rate, int $window, int $port = 0 ): int {
		$port         = 0 === $port ? Server_Process::free_ports( 1 )[0] : $port;
		$this->server = new Server_Process();
		$this->server->start(
			array( 'node', dirname( __DIR__ ) . '/servers/outbox-smtp.js', '--port', (string) $port, '--out', $this->mail_dir, '--cert-dir', dirname( __DIR__, 3 ) . '/.run/smtp', '--rate', (string) $rate, '--window', (string) $window ),
			array(),
			1,
			dirname( __DIR__, 3 ) . '/.run/logs/outbox-smtp.log'
		);
		return $port;
	}

	/**
	 * The numbers of the tagged messages the server accepted, in the order it accepted them.
	 *
	 * @return list<int>
	 */
	private function received_numbers( string $tag ): array {
		$files = (array) glob( $this->mail_dir . '/*.eml' );
		// <time>-<port>-<pid>-<n>.eml: n counts the server's accepted messages.
		usort( $files, static fn( $a, $b ): int => (int) substr( (string) strrchr( basename( (string) $a, '.eml' ), '-' ), 1 ) <=> (int) substr( (string) strrchr( basename( (string) $b, '.eml' ), '-' ), 1 ) );
		$numbers = array();
		foreach ( $files as $file ) {
			if ( 1 === preg_match( '/^Subject: \S+ ' . preg_quote( $tag, '/' ) . ' #(\d+)/m', (string) file_get_contents( (string) $file ), $match ) ) {
				$numbers[] = (int) $match[1];
			}
		}
		return $numbers;
	}

	/**
	 * The server's logged events of a kind.
	 *
	 * @return list<array<string, mixed>>
	 */
	private function server_events( string $event ): array {
		$events               = array();
		$this->server_output .= null === $this->server ? '' : $this->server->read_output();
		foreach ( explode( "\n", $this->server_output ) as $line ) {
			$entry = json_decode( $line, true );
			if ( is_array( $entry ) && $event === ( $entry['event'] ?? '' ) ) {
				$events[] = $entry;
			}
		}
		return $events;
	}

	/**
	 * Accepted (or throttled) messages per server window.
	 *
	 * @return array<int, int>
	 */
	private function server_windows( string $event ): array {
		$windows = array();
		foreach ( $this->server_events( $event ) as $entry ) {
			$windows[ (int) $entry['window'] ] = ( $windows[ (int) $entry['window'] ] ?? 0 ) + 1;
		}
		return $windows;
	}
}
