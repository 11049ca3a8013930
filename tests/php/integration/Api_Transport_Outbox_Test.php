<?php
/**
 * The outbox delivers through an HTTPS API transport on the seam, and the one failure shape
 * classifies the API's answers: throttled waits (and stops the run), a refused key holds the
 * queue, too large fails the message; the API key is write-only, sealed and bound to the API.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Path;
use SmtpPortHelper\Mail\Send_Path_Recorder;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Send_Failure;

require_once __DIR__ . '/support/Raw_Mime_Test_Transport.php';
require_once __DIR__ . '/Raw_Mime_Api_Server.php';
require_once __DIR__ . '/Queues_Outbox_Mail.php';

/**
 * @group database
 */
final class Api_Transport_Outbox_Test extends Integration_Test_Case {

	use Queues_Outbox_Mail;

	private const KEY = 'test-api-key-0123456789';

	private ?Raw_Mime_Api_Server $server = null;

	/** @var callable */
	private $register;

	protected function setUp(): void {
		parent::setUp();
		$this->server                            = new Raw_Mime_Api_Server( self::KEY );
		Raw_Mime_Test_Transport::$base_url       = $this->server->base_url();
		$this->register                          = static function ( array $classes ): array {
			$classes[ Raw_Mime_Test_Transport::ID ] = Raw_Mime_Test_Transport::class;
			return $classes;
		};
		add_filter( 'smtp_port_helper_api_transports', $this->register );
		delete_option( Port_Retest::OPTION );
	}

	protected function tearDown(): void {
		remove_filter( 'smtp_port_helper_api_transports', $this->register );
		if ( null !== $this->server ) {
			$this->server->stop();
		}
		parent::tearDown();
	}

	private function save_api( array $changes = array() ): void {
		$result = ( new Settings_Store() )->update(
			array_merge(
				array(
					'enabled'   => true,
					'transport' => Raw_Mime_Test_Transport::ID,
					'api_key'   => self::KEY,
				),
				$changes
			)
		);
		$this->assertNotWpError( $result );
	}

	private function assertNotWpError( $result ): void {
		$this->assertFalse( is_wp_error( $result ), is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}

	/**
	 * Queues a message for the site's way, as wp_mail() would have when it could not leave.
	 */
	private function queue( string $to, string $subject, int $bytes = 0 ): int {
		$data = "From: WordPress <wordpress@example.org>\r\nTo: {$to}\r\nSubject: {$subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nHello " . str_repeat( 'x', $bytes ) . "\r\n";
		return $this->queue_message( 'wordpress@example.org', array( $to ), $data );
	}

	public function test_the_outbox_delivers_the_stored_bytes_through_the_https_api_once(): void {
		$this->save_api();
		$id    = $this->queue( 'reader@example.com', 'Über die API' );
		$bytes = ( new Outbox() )->open_claimed( $id, 'none' );
		$this->assertNull( $bytes, 'not claimed yet' );

		$stats = $this->runner()->run();

		$this->assertSame( 1, $stats['delivered'], (string) wp_json_encode( ( new Outbox() )->find( $id ) ) );
		$this->assertNull( ( new Outbox() )->find( $id ), 'a delivered message is deleted' );
		$received = $this->server->messages();
		$this->assertCount( 1, $received );
		$this->assertSame( 'wordpress@example.org', $received[0]['from'] );
		$this->assertSame( array( 'reader@example.com' ), $received[0]['to'] );
		$this->assertStringContainsString( "Subject: Über die API\r\n", $received[0]['data'], 'the exact bytes' );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $received[0]['idempotency_key'] );
	}

	public function test_a_throttled_answer_waits_with_its_kind_and_stops_the_run(): void {
		$this->save_api();
		$first  = $this->queue( 'a@example.com', 'one' );
		$second = $this->queue( 'b@example.com', 'two' );
		$this->server->fault( 429, array( 'Retry-After' => '120' ), 'Too many requests', 1 );

		$stats = $this->runner()->run();

		$this->assertSame( 0, $stats['delivered'] );
		$this->assertSame( 1, $stats['waiting'], 'the second message was not tried: it would be throttled too' );
		$entry = ( new Outbox() )->find( $first );
		$this->assertSame( Outbox::QUEUED, $entry['status'] );
		$this->assertSame( 'api', $entry['stage'] );
		$this->assertSame( 429, $entry['code'] );
		$this->assertSame( Send_Failure::THROTTLED, Send_Failure::from_array( array( 'stage' => $entry['stage'], 'code' => $entry['code'], 'error' => $entry['error'] ) )->kind() );
		$this->assertSame( 2, $entry['attempts'], 'the first was tried again' );
		$this->assertSame( 1, ( new Outbox() )->find( $second )['attempts'], 'the second was not tried: only the attempt of wp_mail() that queued it' );
		$this->assertSame( array(), $this->server->messages() );
	}

	public function test_a_refused_key_holds_the_queue_and_too_large_fails_the_message(): void {
		$this->save_api();
		$held = $this->queue( 'a@example.com', 'held' );
		$this->server->fault( 401, array(), 'The API key is not valid.', 1 );
		$this->runner()->run();
		$entry = ( new Outbox() )->find( $held );
		$this->assertSame( Outbox::HELD, $entry['status'], 'every message would be refused the same way' );
		$this->assertStringContainsString( 'The API key is not valid.', $entry['error'] );

		( new Outbox() )->retry( $held );
		$this->make_due( $held );
		$large = $this->queue( 'b@example.com', 'large', Raw_Mime_Test_Transport::MAX_BYTES );
		$stats = $this->runner()->run();
		$this->assertSame( 1, $stats['delivered'], 'the held message went once released' );
		$this->assertSame( 1, $stats['failed'] );
		$entry = ( new Outbox() )->find( $large );
		$this->assertSame( Outbox::FAILED, $entry['status'], 'too large for the API: it can never be sent as it is' );
		$this->assertSame( 413, $entry['code'] );
	}

	public function test_the_api_key_is_write_only_sealed_and_bound_to_the_provider_and_its_address(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			'/smtp-port-helper/v1/settings',
			array(
				'transport' => Raw_Mime_Test_Transport::ID,
				'api_key'   => self::KEY,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertTrue( $data['api_key_set'] );
		$this->assertArrayNotHasKey( 'api_key', $data );
		$this->assertStringNotContainsString( self::KEY, (string) wp_json_encode( $data ) );
		$stored = get_option( Settings_Store::OPTION );
		$this->assertTrue( Secret_Box::is_sealed( $stored['api_key'] ) );
		$this->assertStringNotContainsString( self::KEY, (string) wp_json_encode( $stored ) );
		$this->assertSame( self::KEY, ( new Settings_Store() )->api_keys()->key( ( new Settings_Store() )->get() ) );

		// The sealed key copied beside another provider's address opens nowhere.
		$moved = Raw_Mime_Test_Transport::$base_url;
		Raw_Mime_Test_Transport::$base_url = 'https://127.0.0.2:' . wp_parse_url( $moved, PHP_URL_PORT );
		$this->assertNull( ( new Settings_Store() )->api_keys()->key( ( new Settings_Store() )->get() ), 'another API address never receives the key' );
		Raw_Mime_Test_Transport::$base_url = $moved;

		// Switching to SMTP forgets it; a bad transport names the field and changes nothing.
		$bad = $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'transport' => 'nonesuch' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertArrayHasKey( 'transport', $bad->get_data()['data']['params'] );
		$this->assertSame( $stored, get_option( Settings_Store::OPTION ) );
		$this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'transport' => 'smtp' ) );
		$this->assertArrayNotHasKey( 'api_key', get_option( Settings_Store::OPTION ) );
	}

	public function test_the_transport_tests_the_api_without_sending_with_the_port_tests_stages(): void {
		$this->save_api();
		$transport = ( new Transport_Factory( new Mailer_Hook( new Settings_Store() ) ) )->for_store( new Settings_Store() );
		$result    = $transport->test( Deadline::in( 10 ) );
		$this->assertSame( Verdict::OK, $result->verdict, $result->verdict_detail );
		$this->assertSame( 443, $result->port );
		$this->assertSame( array( 'dns', 'connect', 'tls', 'api' ), array_column( $result->stages, 'name' ) );
		$this->assertSame( array(), $this->server->messages(), 'nothing was sent' );

		$this->server->fault( 401, array(), 'The API key is not valid.', 1 );
		$refused = $transport->test( Deadline::in( 10 ) );
		$this->assertSame( Verdict::AUTH_FAILED, $refused->verdict );
		$this->assertFalse( $refused->auth_ok );
	}

	public function test_wp_mail_is_built_by_phpmailer_and_sent_by_the_https_transport(): void {
		$this->save_api( array( 'from_email' => 'sender@example.org' ) );
		$sent = wp_mail( array( 'to@example.com' ), 'Grüße über HTTPS', "Zeile eins\nZeile zwei", array( 'Bcc: hidden@example.com', 'Cc: copy@example.com' ) );
		$this->assertTrue( $sent );
		$received = $this->server->messages();
		$this->assertCount( 1, $received );
		$this->assertSame( 'sender@example.org', $received[0]['from'] );
		$this->assertEqualsCanonicalizing( array( 'to@example.com', 'copy@example.com', 'hidden@example.com' ), $received[0]['to'], 'Bcc in the envelope' );
		$this->assertStringNotContainsString( 'hidden@example.com', $received[0]['data'], 'never in a header' );
		$this->assertStringContainsString( 'Subject: =?UTF-8?', $received[0]['data'], 'PHPMailer encoded the subject' );
		$this->assertStringContainsString( 'From: WordPress <sender@example.org>', $received[0]['data'] );
		$record = get_option( Send_Path_Recorder::OPTION );
		$this->assertSame( Raw_Mime_Test_Transport::ID, $record['ours']['mailer'], 'the send path names the transport' );
		$this->assertSame( 'implicit_tls', $record['ours']['encryption'], 'HTTPS: TLS from the first byte' );
		$this->assertSame( array(), Send_Path::from_array( $record['ours'] )->differences( Send_Path::of_settings( ( new Settings_Store() )->get() ) ), 'what was used is what the settings ask for' );
		$this->assertStringContainsString( 'the HTTPS API of Raw MIME test API (127.0.0.1, port 443)', Send_Path_Report::describe( Send_Path::from_array( $record['final'] ) ) );
	}

	public function test_wp_mail_keeps_what_the_api_cannot_take_now_and_fails_what_it_never_will(): void {
		$this->save_api();
		$queued = array();
		$record = static function ( int $id ) use ( &$queued ): void {
			$queued[] = $id;
		};
		add_action( 'smtp_port_helper_mail_queued', $record );
		$this->server->fault( 503, array(), 'Service unavailable', 1 );
		$waiting = wp_mail( 'later@example.com', 'later', 'x' );
		remove_action( 'smtp_port_helper_mail_queued', $record );
		$this->assertTrue( $waiting, 'accepted for delivery: it waits in the outbox' );
		$this->assertCount( 1, $queued );
		$entry = ( new Outbox() )->find( $queued[0] );
		$this->assertSame( Outbox::QUEUED, $entry['status'] );
		$this->assertSame( 503, $entry['code'] );

		$errors = array();
		$failed = static function ( \WP_Error $error ) use ( &$errors ): void {
			$errors[] = $error->get_error_message();
		};
		add_action( 'wp_mail_failed', $failed );
		$sent = wp_mail( 'big@example.com', 'big', str_repeat( 'y', Raw_Mime_Test_Transport::MAX_BYTES ) );
		remove_action( 'wp_mail_failed', $failed );
		$this->assertFalse( $sent, 'too large for the API: wp_mail() fails' );
		$this->assertStringContainsString( 'this API takes at most', implode( ' ', $errors ) );
	}

	public function test_a_message_the_api_refuses_for_good_is_kept_as_failed_with_its_reason_and_retry_now_sends_it_over_smtp(): void {
		$this->save_api();
		$subject = 'refused for good ' . wp_generate_password( 8, false );
		$errors  = array();
		$failed  = static function ( \WP_Error $error ) use ( &$errors ): void {
			$errors[] = $error->get_error_message();
		};
		add_action( 'wp_mail_failed', $failed );
		$sent = wp_mail( 'big@example.com', $subject, str_repeat( 'y', Raw_Mime_Test_Transport::MAX_BYTES ) );
		remove_action( 'wp_mail_failed', $failed );

		$this->assertFalse( $sent, 'wp_mail() still fails' );
		$this->assertCount( 1, $errors, 'and `wp_mail_failed` fires once' );
		$this->assertStringContainsString( 'this API takes at most', $errors[0] );
		$this->log_in_as( 'administrator' );
		$listed = $this->rest( 'GET', '/smtp-port-helper/v1/outbox' )->get_data()['messages'];
		$this->assertCount( 1, $listed, 'the message is kept, not lost' );
		$this->assertSame( Outbox::FAILED, $listed[0]['status'] );
		$this->assertSame( $subject, $listed[0]['subject'] );
		$this->assertSame( array( 'big@example.com' ), $listed[0]['to'] );
		$this->assertSame( 413, $listed[0]['code'] );
		$this->assertStringContainsString( 'this API takes at most', $listed[0]['error'], 'the API\'s own reason' );
		$this->assertStringContainsString( 'HTTPS API refused this message for good', $listed[0]['explanation'] );
		$this->assertStringNotContainsString( 'expired', $listed[0]['explanation'] );
		$this->assertSame( 0, $this->runner()->run()['delivered'], 'nothing tries it again by itself' );
		$this->assertSame( array(), $this->server->messages(), 'the API received nothing' );

		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'transport' => 'smtp' ) );
		$response = $this->rest( 'POST', '/smtp-port-helper/v1/outbox/' . $listed[0]['id'] . '/retry' );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertTrue( $response->get_data()['delivered'] );
		$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $subject ), 'sent over SMTP, once' );
		$this->assertSame( array(), ( new Outbox() )->entries() );
	}

	public function test_a_message_the_api_refuses_for_good_is_not_kept_when_the_outbox_budget_refuses_it(): void {
		$this->save_api();
		$limit  = static fn( array $limits ): array => array( 'bytes' => 1024 ) + $limits;
		$errors = array();
		$failed = static function ( \WP_Error $error ) use ( &$errors ): void {
			$errors[] = $error->get_error_message();
		};
		add_filter( 'smtp_port_helper_outbox_budget', $limit );
		add_action( 'wp_mail_failed', $failed );
		$sent = wp_mail( 'big@example.com', 'over budget', str_repeat( 'y', Raw_Mime_Test_Transport::MAX_BYTES ) );
		remove_action( 'wp_mail_failed', $failed );
		remove_filter( 'smtp_port_helper_outbox_budget', $limit );

		$this->assertFalse( $sent );
		$this->assertCount( 1, $errors );
		$this->assertStringContainsString( 'this API takes at most', $errors[0], 'wp_mail() fails with the API\'s refusal' );
		$this->assertSame( array(), ( new Outbox() )->entries(), 'over the budget: nothing kept' );
		$this->assertNull( \SmtpPortHelper\Outbox\Outbox_Full_Notice::record(), 'no "outbox full" notice: mail that waits still has room' );
	}
}
