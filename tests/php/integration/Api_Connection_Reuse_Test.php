<?php
/**
 * An HTTPS API transport keeps its TLS connection between the messages of one queue run, counted
 * by the local provider server (env/providers/api-servers.js counts the connections that carried
 * its API's requests): two messages of a queue run, one connection; close() ends it; an answer
 * lost on a kept connection is one unanswered attempt (cURL does not repeat the request by
 * itself), and the next message goes over a new connection.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Providers\Mailgun_Transport;
use SmtpPortHelper\Transport\Providers\Sendgrid_Transport;

require_once __DIR__ . '/Serves_Provider_Apis.php';

/**
 * @group database
 */
final class Api_Connection_Reuse_Test extends Integration_Test_Case {

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
			)
		);
		$this->assertFalse( is_wp_error( $result ), is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}

	protected function tearDown(): void {
		$this->stop_serving_locally();
		parent::tearDown();
	}

	private function queue( string $subject ): int {
		global $wpdb;
		$to    = 'reader@example.com';
		$route = ( new Send_Route( new Settings_Store() ) )->for_message( array( $to ) )['route'];
		$data  = "From: blog@example.org\r\nTo: {$to}\r\nSubject: {$subject}\r\nMessage-ID: <" . md5( $subject ) . "@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{$subject}\r\n";
		$id    = ( new Outbox() )->add( 'blog@example.org', array( $to ), $data, array( 'stage' => 'connect', 'code' => 0, 'error' => 'test' ), $route );
		$this->assertIsInt( $id );
		$wpdb->update( Outbox_Table::name(), array( 'next_attempt_at' => 0 ), array( 'id' => $id ) );
		return (int) $id;
	}

	private function runner(): Outbox_Runner {
		$queue = new Mail_Queue( new Outbox() );
		return new Outbox_Runner( new Outbox(), new Mailer_Hook( new Settings_Store(), null, $queue ), $queue );
	}

	/**
	 * The subjects the Mailgun server received, in order.
	 *
	 * @return list<string>
	 */
	private function received_subjects(): array {
		return array_map(
			static function ( array $received ): string {
				return (string) $received['message']['subject'];
			},
			self::$servers->received( 'mailgun' )
		);
	}

	public function test_two_messages_of_one_queue_run_go_over_one_tls_connection(): void {
		$this->queue( 'first of the run' );
		$this->queue( 'second of the run' );
		$before = self::$servers->api_connections( 'mailgun' );

		$stats = $this->runner()->run();

		$this->assertSame( 2, $stats['delivered'], self::$servers->log() );
		$this->assertSame( array( 'first of the run', 'second of the run' ), $this->received_subjects() );
		$this->assertSame( 1, self::$servers->api_connections( 'mailgun' ) - $before, 'one TLS connection for both messages' );
	}

	public function test_close_ends_the_kept_connection_and_the_next_message_opens_a_new_one(): void {
		$transport = $this->sendgrid();
		$before    = self::$servers->api_connections( 'sendgrid' );

		$this->assertTrue( $transport->send( $this->message( 'one' ), Deadline::in( 20 ) )->is_delivered(), self::$servers->log() );
		$this->assertTrue( $transport->send( $this->message( 'two' ), Deadline::in( 20 ) )->is_delivered(), self::$servers->log() );
		$this->assertSame( 1, self::$servers->api_connections( 'sendgrid' ) - $before, 'the second message reused the first one\'s connection' );

		$transport->close();
		$this->assertTrue( $transport->send( $this->message( 'three' ), Deadline::in( 20 ) )->is_delivered(), self::$servers->log() );
		$this->assertSame( 2, self::$servers->api_connections( 'sendgrid' ) - $before, 'after close() a new connection' );
		$this->assertCount( 3, self::$servers->received( 'sendgrid' ) );
		$transport->close();
	}

	/**
	 * On a kept connection cURL repeats a request by itself when the connection closes before
	 * any answer — for a provider without an idempotency key a second copy nobody records. The
	 * body read in chunks stops that: the lost answer is one unanswered attempt, the message is
	 * at the server once, and the next message goes over a new connection.
	 */
	public function test_a_lost_answer_on_a_kept_connection_is_not_sent_again_by_curl_and_the_next_message_takes_a_new_connection(): void {
		$transport = $this->sendgrid();
		$before    = self::$servers->api_connections( 'sendgrid' );
		$this->assertTrue( $transport->send( $this->message( 'opens the connection' ), Deadline::in( 20 ) )->is_delivered(), self::$servers->log() );
		self::$servers->faults( 'sendgrid', array( array( 'lose_answer' => true ) ) );

		$lost = $transport->send( $this->message( 'answer lost' ), Deadline::in( 20 ) );

		$this->assertSame( 'unanswered', $lost->failure->stage ?? '', (string) wp_json_encode( $lost ) );
		$this->assertSame( array( 'opens the connection', 'answer lost' ), $this->subjects( 'sendgrid' ), 'the lost one arrived once, not repeated by cURL' );
		$after_lost = self::$servers->api_connections( 'sendgrid' );
		$this->assertTrue( $transport->send( $this->message( 'after the drop' ), Deadline::in( 20 ) )->is_delivered(), self::$servers->log() );
		$this->assertSame( array( 'opens the connection', 'answer lost', 'after the drop' ), $this->subjects( 'sendgrid' ) );
		$this->assertSame( 1, self::$servers->api_connections( 'sendgrid' ) - $after_lost, 'a new connection after the dropped one' );
		$transport->close();
	}

	private function sendgrid(): Sendgrid_Transport {
		return new Sendgrid_Transport(
			new Api_Credentials( Provider_Api_Servers::KEYS['sendgrid'], '', '', self::$servers->base_url( 'sendgrid' ) ),
			new Https_Client( Address_Policy::administrator(), true, (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) )
		);
	}

	private function message( string $subject ): Outgoing_Message {
		return new Outgoing_Message( 'blog@example.org', array( 'reader@example.com' ), "From: blog@example.org\r\nTo: reader@example.com\r\nSubject: {$subject}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\n{$subject}\r\n", bin2hex( random_bytes( 16 ) ) );
	}

	/**
	 * The subjects a provider's server received, in order.
	 *
	 * @return list<string>
	 */
	private function subjects( string $provider ): array {
		return array_map(
			static function ( array $received ): string {
				return (string) $received['message']['subject'];
			},
			self::$servers->received( $provider )
		);
	}
}
