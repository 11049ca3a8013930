<?php
/**
 * The outbox delivers through a real provider transport chosen in the settings (the sealed key,
 * the account field, the region, Transport_Factory): Mailgun in its EU region against the local
 * Mailgun server — the message arrives intact once; a lost answer is sent again once and a second
 * one fails the message, and the outbox's record says why.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Outbox\Outbox_Pacing;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Providers\Mailgun_Transport;
use SmtpPortHelper\Transport\Providers\Resend_Transport;

require_once __DIR__ . '/Serves_Provider_Apis.php';
require_once __DIR__ . '/Queues_Outbox_Mail.php';

/**
 * @group database
 */
final class Provider_Outbox_Test extends Integration_Test_Case {

	use Queues_Outbox_Mail;
	use Serves_Provider_Apis;

	protected function setUp(): void {
		parent::setUp();
		self::$servers->forget_received();
		$this->serve_locally( 'mailgun', Mailgun_Transport::class );
		delete_option( Port_Retest::OPTION );
		$result = ( new Settings_Store() )->update(
			array(
				'enabled'     => true,
				'transport'   => 'mailgun',
				'api_key'     => Provider_Api_Servers::KEYS['mailgun'],
				'api_account' => Provider_Api_Servers::MAILGUN_DOMAIN,
				'api_region'  => 'eu',
			)
		);
		$this->assertFalse( is_wp_error( $result ), is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}

	protected function tearDown(): void {
		$this->stop_serving_locally();
		parent::tearDown();
	}

	private function queue(): int {
		$to   = 'reader@example.com';
		$data = "From: =?UTF-8?Q?S=C3=BCdsee?= <blog@example.org>\r\nTo: {$to}\r\nBcc: hidden@example.com\r\nSubject: =?UTF-8?Q?Passwort_zur=C3=BCcksetzen?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nIhr Link: https://example.org/wp-login.php?action=rp&key=abc\r\n";
		return $this->queue_message( 'blog@example.org', array( $to, 'hidden@example.com' ), $data );
	}

	public function test_the_outbox_delivers_through_mailgun_chosen_in_the_settings_once_and_intact(): void {
		$id    = $this->queue();
		$stats = $this->runner()->run();
		$this->assertSame( 1, $stats['delivered'], (string) wp_json_encode( ( new Outbox() )->find( $id ) ) . self::$servers->log() );
		$received = self::$servers->received( 'mailgun' );
		$this->assertCount( 1, $received );
		$this->assertSame( 'Passwort zurücksetzen', $received[0]['message']['subject'] );
		$this->assertSame( array(), $received[0]['message']['bcc'], 'no Bcc header reaches the provider' );
		$this->assertEqualsCanonicalizing( array( 'reader@example.com', 'hidden@example.com' ), $received[0]['envelope']['to'] );
		$this->assertStringContainsString( 'action=rp&key=abc', $received[0]['message']['text'] );
	}

	/**
	 * wp_mail()'s own first attempt carries an idempotency key too, and the outbox's retry after a
	 * lost answer carries the same one: Resend (which takes the key) delivers the message once.
	 */
	public function test_wp_mails_first_attempt_and_the_outbox_retry_share_one_idempotency_key_and_deliver_once(): void {
		$this->serve_locally( 'resend', Resend_Transport::class );
		try {
			$saved = ( new Settings_Store() )->update(
				array(
					'transport'   => 'resend',
					'api_key'     => Provider_Api_Servers::KEYS['resend'],
					'api_account' => '',
					'api_region'  => '',
				)
			);
			$this->assertFalse( is_wp_error( $saved ), is_wp_error( $saved ) ? (string) wp_json_encode( $saved->get_error_data() ) : '' );
			self::$servers->faults( 'resend', array( array( 'lose_answer' => true ) ) );

			$this->assertTrue( wp_mail( 'reader@example.com', 'Bestellung 42', 'Danke.' ), 'the lost answer waits in the outbox' );
			$first = self::$servers->received( 'resend' );
			$this->assertCount( 1, $first, 'the first attempt arrived' );
			$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', (string) $first[0]['request']['idempotency_key'], 'the first attempt carries a key' );
			$waiting = ( new Outbox() )->entries();
			$this->assertCount( 1, $waiting );
			$this->make_due( $waiting[0]['id'] );

			$this->assertSame( 1, $this->runner()->run()['delivered'], self::$servers->log() );

			$this->assertCount( 1, self::$servers->received( 'resend' ), 'delivered exactly once' );
		} finally {
			$this->stop_serving_locally();
		}
	}

	/**
	 * wp_mail() over an HTTPS API is paced under the provider account's limits (the preset of
	 * the provider: here Mailgun's, lowered by the filter to 2 a window): what is over them waits
	 * in the outbox in order, uncounted as an attempt.
	 */
	public function test_wp_mail_over_an_api_is_paced_under_the_providers_limits(): void {
		$presets = array();
		$limits  = static function ( array $pace, string $host, string $login, string $preset ) use ( &$presets ): array {
			$presets[] = $preset;
			return 'mailgun-eu' === $preset || 'mailgun-us' === $preset
				? array(
					'per_window'         => 2,
					'window'             => 600,
					'messages_per_day'   => 0,
					'recipients_per_day' => 0,
				)
				: $pace;
		};
		add_filter( 'smtp_port_helper_sending_limits', $limits, 10, 4 );
		try {
			for ( $n = 1; $n <= 5; $n++ ) {
				$this->assertTrue( wp_mail( 'reader@example.com', 'Rundbrief ' . $n, 'x' ) );
			}
		} finally {
			remove_filter( 'smtp_port_helper_sending_limits', $limits, 10 );
		}
		$this->assertCount( 2, self::$servers->received( 'mailgun' ), 'two a window reach the API' );
		$waiting = ( new Outbox() )->entries();
		$this->assertSame( array( 'Rundbrief 3', 'Rundbrief 4', 'Rundbrief 5' ), array_column( $waiting, 'subject' ), 'the rest waits, in order' );
		$this->assertSame( array( Outbox_Pacing::PACED ), array_values( array_unique( array_column( $waiting, 'stage' ) ) ) );
		$this->assertSame( array( 0, 0, 0 ), array_column( $waiting, 'attempts' ), 'waiting for the limit is no attempt' );
		$this->assertContains( 'mailgun-us', $presets, 'paced under the provider\'s preset, not an SMTP host\'s' );
	}

	public function test_a_lost_answer_is_sent_again_once_by_the_outbox_and_its_record_says_so(): void {
		self::$servers->faults( 'mailgun', array( array( 'lose_answer' => true ), array( 'lose_answer' => true ) ) );
		$id = $this->queue();
		$this->runner()->run();
		$entry = ( new Outbox() )->find( $id );
		$this->assertSame( Outbox::QUEUED, $entry['status'], 'waits for one more attempt' );
		$this->assertStringContainsString( 'may have been delivered', $entry['error'] );
		$this->make_due( $id );
		$this->runner()->run();
		$entry = ( new Outbox() )->find( $id );
		$this->assertSame( Outbox::FAILED, $entry['status'], 'not sent a third time' );
		$this->assertStringContainsString( 'not sent a third time', $entry['error'] );
		$this->assertCount( 2, self::$servers->received( 'mailgun' ) );
	}

	/**
	 * A key the provider refuses (401) holds the mail: the Outbox view and Site Health name the
	 * API key of the provider in use, not an SMTP user name or password the site does not use.
	 */
	public function test_mail_held_by_a_refused_api_key_is_explained_as_the_providers_api_key(): void {
		$saved = ( new Settings_Store() )->update( array( 'api_key' => 'key-refused-by-mailgun' ) );
		$this->assertFalse( is_wp_error( $saved ) );
		$id = $this->queue();

		$this->assertSame( 1, $this->runner()->run()['held'] );

		$manager = new Outbox_Manager( new Outbox(), fn() => $this->runner() );
		$entry   = $manager->entry( $id );
		$this->assertSame( Outbox::HELD, $entry['status'] );
		$this->assertSame( 401, $entry['code'] );
		$this->assertStringStartsWith( 'Mailgun refused the API key', $entry['explanation'] );
		$this->assertStringNotContainsString( 'SMTP', $entry['explanation'] );
		$health = ( new Outbox_Health( $manager ) )->test();
		$this->assertSame( 'critical', $health['status'] );
		$this->assertSame( 'Email is held: Mailgun refused the API key', $health['label'] );
		$this->assertStringNotContainsString( 'user name or password', wp_strip_all_tags( $health['description'] ) );
		$this->assertStringContainsString( 'Save a valid API key', wp_strip_all_tags( $health['description'] ) );
		unload_textdomain( 'smtp-port-helper' );
		$this->assertTrue( load_textdomain( 'smtp-port-helper', dirname( __DIR__, 3 ) . '/languages/smtp-port-helper-de_DE.mo' ) );
		try {
			$this->assertStringStartsWith( 'Mailgun hat den API-Schlüssel abgelehnt', $manager->entry( $id )['explanation'], 'in German too' );
			$this->assertSame( 'E-Mails werden zurückgehalten: Mailgun hat den API-Schlüssel abgelehnt', ( new Outbox_Health( $manager ) )->test()['label'] );
		} finally {
			unload_textdomain( 'smtp-port-helper' );
		}
	}

	/**
	 * A key accepted without the permission to send (403): the missing permission, in both places.
	 */
	public function test_mail_held_by_a_missing_permission_says_the_key_lacks_it(): void {
		self::$servers->faults( 'mailgun', array( array( 'status' => 403 ) ) );
		$id = $this->queue();

		$this->assertSame( 1, $this->runner()->run()['held'] );

		$manager = new Outbox_Manager( new Outbox(), fn() => $this->runner() );
		$this->assertStringStartsWith( 'Mailgun accepted the API key but refused to send with it', $manager->entry( $id )['explanation'] );
		$health = ( new Outbox_Health( $manager ) )->test();
		$this->assertSame( 'Email is held: Mailgun refused the permission to send', $health['label'] );
		$this->assertStringContainsString( '1 message waits in the outbox until then', wp_strip_all_tags( $health['description'] ) );
		$this->assertSame( array(), self::$servers->received( 'mailgun' ) );
	}
}
