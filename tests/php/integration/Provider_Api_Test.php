<?php
/**
 * SendGrid, Postmark, Mailgun, Resend and Brevo over HTTPS against their local servers (env/providers): the
 * message WordPress built arrives intact (as each server's MIME parser or field mapping reads it),
 * the port test's call sends nothing, and each error answer becomes the right verdict.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Api_Transport;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Transport_Registry;

require_once __DIR__ . '/Provider_Api_Servers.php';

/**
 * The retry record of a lost answer is a transient (options table): runs on MariaDB and SQLite.
 *
 * @group database
 */
final class Provider_Api_Test extends Integration_Test_Case {

	private const PDF = "%PDF-1.4\n\xe2\xe3\xcf\xd3 Rechnung \x00\x01\x02\n";

	private const PNG = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";

	private static ?Provider_Api_Servers $servers = null;

	private static string $files = '';

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$servers = new Provider_Api_Servers();
		self::$files   = sys_get_temp_dir() . '/sph-provider-files-' . getmypid();
		wp_mkdir_p( self::$files );
		file_put_contents( self::$files . '/Rechnung März.pdf', self::PDF ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
		file_put_contents( self::$files . '/logo.png', self::PNG ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$servers ) {
			self::$servers->stop();
		}
		array_map( 'unlink', glob( self::$files . '/*' ) ?: array() );
		@rmdir( self::$files ); // phpcs:ignore
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		self::$servers->forget_received();
	}

	private static function transport( string $provider, string $key = '', string $account = '' ): Api_Transport {
		$accounts  = array(
			'mailgun' => Provider_Api_Servers::MAILGUN_DOMAIN,
			'ses'     => Provider_Api_Servers::SES_ACCESS_KEY_ID,
		);
		$transport = Transport_Registry::api_transport(
			'ses' === $provider ? 'amazon-ses' : $provider,
			new Api_Credentials( '' !== $key ? $key : Provider_Api_Servers::KEYS[ $provider ], '' !== $account ? $account : ( $accounts[ $provider ] ?? '' ), 'ses' === $provider ? Provider_Api_Servers::SES_REGION : '', self::$servers->base_url( $provider ) ),
			new Https_Client( Address_Policy::administrator(), true, (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) )
		);
		self::assertNotNull( $transport );
		return $transport;
	}

	/**
	 * The message as wp_mail() builds it: names with commas and umlauts, Cc, Bcc, Reply-To, a
	 * custom header, text and HTML, an inline image and an attachment with a non-ASCII name.
	 */
	private static function message_wordpress_built(): Outgoing_Message {
		$built   = null;
		$capture = static function ( $phpmailer ) use ( &$built ): void {
			$phpmailer->AltBody = "Grüße, Jürgen!\nDer Text für Programme ohne HTML.";
			$phpmailer->addEmbeddedImage( self::$files . '/logo.png', 'logo@blog', 'logo.png', 'base64', 'image/png' );
			// The test hands the bytes to the API transport itself; PHPMailer only builds them. As
			// for mail() and sendmail, PHPMailer then writes a Bcc header: the transports must drop it.
			$phpmailer->isMail();
			$phpmailer->preSend();
			$built = new Outgoing_Message( $phpmailer->Sender ? $phpmailer->Sender : $phpmailer->From, array_keys( $phpmailer->getAllRecipientAddresses() ), $phpmailer->getSentMIMEMessage(), 'test-' . bin2hex( random_bytes( 8 ) ) );
		};
		add_action( 'phpmailer_init', $capture, PHP_INT_MAX );
		try {
			wp_mail(
				// An array: wp_mail() splits a string at every comma, also one inside a name (and keeps quotes in the name).
				array( 'Müller, Jürgen <juergen@example.com>', 'plain@example.com' ),
				'Grüße aus Köln — 🎉 Bestätigung',
				'<p>Grüße, <b>Jürgen</b>! <img src="cid:logo@blog"></p>',
				array(
					'From: Südsee-Blog <blog@example.com>',
					'Cc: Cc Person <cc@example.com>',
					'Bcc: hidden@example.com',
					'Reply-To: Antwort-Team <reply@example.com>',
					'Content-Type: text/html; charset=UTF-8',
					'X-Custom-Tag: süß',
				),
				array( self::$files . '/Rechnung März.pdf' )
			);
		} finally {
			remove_action( 'phpmailer_init', $capture, PHP_INT_MAX );
		}
		self::assertInstanceOf( Outgoing_Message::class, $built );
		return $built;
	}

	/**
	 * @param array<string, mixed> $list Addresses as the server stored them.
	 * @return array<string, string> Address => name.
	 */
	private static function names( array $list ): array {
		return array_column( $list, 'name', 'address' );
	}

	private function assert_arrived_intact( array $message, bool $bcc_in_fields, bool $inline_files = true ): void {
		$this->assertSame( array( 'blog@example.com' => 'Südsee-Blog' ), self::names( $message['from'] ) );
		$this->assertSame(
			array(
				'juergen@example.com' => 'Müller, Jürgen',
				'plain@example.com'   => '',
			),
			self::names( $message['to'] )
		);
		$this->assertSame( array( 'cc@example.com' => 'Cc Person' ), self::names( $message['cc'] ) );
		$this->assertSame( $bcc_in_fields ? array( 'hidden@example.com' => '' ) : array(), self::names( $message['bcc'] ), 'Bcc never in a header' );
		$this->assertSame( array( 'reply@example.com' => 'Antwort-Team' ), self::names( $message['reply_to'] ) );
		$this->assertSame( 'Grüße aus Köln — 🎉 Bestätigung', $message['subject'] );
		$this->assertSame( 'süß', $message['headers']['x-custom-tag'] );
		$this->assertSame( "Grüße, Jürgen!\nDer Text für Programme ohne HTML.", trim( str_replace( "\r\n", "\n", $message['text'] ) ) );
		$this->assertStringContainsString( '<p>Grüße, <b>Jürgen</b>! <img src="cid:logo@blog"></p>', $message['html'] );
		$files = array_column( $message['attachments'], null, 'filename' );
		$this->assertSame( array( 'logo.png', 'Rechnung März.pdf' ), array_keys( $files ) );
		$this->assertSame( hash( 'sha256', self::PNG ), $files['logo.png']['sha256'] );
		if ( $inline_files ) {
			$this->assertSame( 'logo@blog', $files['logo.png']['content_id'] );
			$this->assertSame( 'inline', $files['logo.png']['disposition'] );
			$this->assertSame( 'image/png', $files['logo.png']['content_type'] );
		}
		$this->assertSame( hash( 'sha256', self::PDF ), $files['Rechnung März.pdf']['sha256'] );
		$this->assertSame( 'attachment', $files['Rechnung März.pdf']['disposition'] );
	}

	public function test_sendgrid_receives_the_message_intact_once(): void {
		$outcome = self::transport( 'sendgrid' )->send( self::message_wordpress_built(), Deadline::in( 20 ) );
		$this->assertTrue( $outcome->is_delivered(), self::$servers->log() );
		$this->assertNotSame( '', $outcome->message_id );
		$received = self::$servers->received( 'sendgrid' );
		$this->assertCount( 1, $received );
		$this->assertSame( $outcome->message_id, $received[0]['message_id'] );
		$this->assert_arrived_intact( $received[0]['message'], true );
	}

	public function test_postmark_receives_the_message_intact_once_in_its_stream(): void {
		$outcome = self::transport( 'postmark' )->send( self::message_wordpress_built(), Deadline::in( 20 ) );
		$this->assertTrue( $outcome->is_delivered(), self::$servers->log() );
		$received = self::$servers->received( 'postmark' );
		$this->assertCount( 1, $received );
		$this->assertSame( 'outbound', $received[0]['stream'] );
		$this->assertSame( $outcome->message_id, $received[0]['message_id'] );
		$this->assert_arrived_intact( $received[0]['message'], true );
	}

	public function test_mailgun_receives_the_mime_bytes_intact_once_with_bcc_only_in_the_envelope(): void {
		$message = self::message_wordpress_built();
		$outcome = self::transport( 'mailgun' )->send( $message, Deadline::in( 20 ) );
		$this->assertTrue( $outcome->is_delivered(), self::$servers->log() );
		$received = self::$servers->received( 'mailgun' );
		$this->assertCount( 1, $received );
		$this->assertSame( '/v3/' . Provider_Api_Servers::MAILGUN_DOMAIN . '/messages.mime', $received[0]['request']['path'] );
		$this->assertEqualsCanonicalizing( array( 'juergen@example.com', 'plain@example.com', 'cc@example.com', 'hidden@example.com' ), $received[0]['envelope']['to'] );
		$this->assert_arrived_intact( $received[0]['message'], false );
	}

	/**
	 * @dataProvider providers
	 */
	public function test_the_port_test_call_sends_nothing_and_checks_the_key( string $provider ): void {
		$result = self::transport( $provider )->test( Deadline::in( 20 ) );
		$this->assertSame( Verdict::OK, $result->verdict, $result->verdict_detail . self::$servers->log() );
		$this->assertSame( 443, $result->port );
		$this->assertSame( array(), self::$servers->received( $provider ), 'the test sends nothing' );
		$this->assertSame( Verdict::AUTH_FAILED, self::transport( $provider, 'wrong-key' )->test( Deadline::in( 20 ) )->verdict );
	}

	public function test_a_sendgrid_key_without_mail_send_fails_the_port_test_as_a_missing_permission(): void {
		$result = self::transport( 'sendgrid', Provider_Api_Servers::NO_SEND_KEYS['sendgrid'] )->test( Deadline::in( 20 ) );
		$this->assertSame( Verdict::AUTH_FAILED, $result->verdict );
		$this->assertStringContainsString( 'mail.send', $result->verdict_detail );
	}

	/**
	 * @dataProvider providers
	 */
	public function test_a_wrong_key_holds_the_queue_as_a_refused_login( string $provider ): void {
		$failure = self::transport( $provider, 'wrong-key' )->send( self::message_wordpress_built(), Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::LOGIN_REFUSED, $failure->kind(), $failure->error );
		$this->assertTrue( $failure->holds_queue() );
		$this->assertStringNotContainsString( 'wrong-key', $failure->error, 'the key is never in the record' );
		$this->assertSame( array(), self::$servers->received( $provider ) );
	}

	/**
	 * @dataProvider providers_without_idempotency
	 */
	public function test_a_key_without_the_send_permission_holds_the_queue( string $provider ): void {
		// Amazon SES: the same secret, but an IAM user whose policy lacks ses:SendRawEmail.
		$transport = 'ses' === $provider ? self::transport( 'ses', '', Provider_Api_Servers::SES_DENIED_ACCESS_KEY_ID ) : self::transport( $provider, Provider_Api_Servers::NO_SEND_KEYS[ $provider ] );
		$failure   = $transport->send( self::message_wordpress_built(), Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::PERMISSION, $failure->kind(), $failure->error );
		$this->assertTrue( $failure->holds_queue() );
		$this->assertSame( array(), self::$servers->received( $provider ) );
	}

	/**
	 * @dataProvider providers
	 */
	public function test_throttling_moves_the_next_attempt_by_retry_after_and_a_server_error_waits( string $provider ): void {
		self::$servers->faults(
			$provider,
			array(
				array(
					'status'      => 429,
					'retry_after' => 37,
				),
				array( 'status' => 503 ),
			)
		);
		$transport = self::transport( $provider );
		$throttled = $transport->send( self::message_wordpress_built(), Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $throttled );
		$this->assertSame( Send_Failure::THROTTLED, $throttled->kind() );
		$this->assertSame( 37, $throttled->retry_after );
		$this->assertFalse( $throttled->holds_queue() || $throttled->fails_message(), 'a throttled message waits' );
		$down = $transport->send( self::message_wordpress_built(), Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $down );
		$this->assertSame( Send_Failure::SERVER_ERROR, $down->kind() );
		$this->assertFalse( $down->holds_queue() || $down->fails_message(), 'a 5xx waits' );
		$this->assertSame( array(), self::$servers->received( $provider ) );
		$this->assertTrue( $transport->send( self::message_wordpress_built(), Deadline::in( 20 ) )->is_delivered() );
		$this->assertCount( 1, self::$servers->received( $provider ) );
	}

	/**
	 * No provider of these three takes an idempotency key: a request whose answer is lost (the
	 * server stored the message, then closed the connection) is sent again once, and a second
	 * lost answer fails the message instead of risking a third copy — each time the record says so.
	 *
	 * @dataProvider providers_without_idempotency
	 */
	public function test_a_lost_answer_is_sent_again_once_at_most_and_the_record_says_so( string $provider ): void {
		self::$servers->faults( $provider, array( array( 'lose_answer' => true ), array( 'lose_answer' => true ) ) );
		$transport = self::transport( $provider );
		$message   = self::message_wordpress_built();
		$first     = $transport->send( $message, Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $first );
		$this->assertSame( 'unanswered', $first->stage, $first->error );
		$this->assertSame( Send_Failure::NETWORK, $first->kind() );
		$this->assertFalse( $first->holds_queue() || $first->fails_message(), 'the first lost answer waits for one more attempt' );
		$this->assertStringContainsString( 'may have been delivered', $first->error );
		$this->assertStringContainsString( 'sent again once at most', $first->error );
		$this->assertCount( 1, self::$servers->received( $provider ) );

		$second = $transport->send( $message, Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $second );
		$this->assertTrue( $second->fails_message(), 'a second lost answer is not sent a third time' );
		$this->assertStringContainsString( 'not sent a third time', $second->error );
		$this->assertCount( 2, self::$servers->received( $provider ) );
	}

	public function test_after_one_lost_answer_the_retry_that_is_answered_ends_the_record(): void {
		self::$servers->faults( 'sendgrid', array( array( 'lose_answer' => true ) ) );
		$transport = self::transport( 'sendgrid' );
		$message   = self::message_wordpress_built();
		$this->assertSame( 'unanswered', $transport->send( $message, Deadline::in( 20 ) )->failure->stage );
		$this->assertTrue( $transport->send( $message, Deadline::in( 20 ) )->is_delivered() );
		self::$servers->faults( 'sendgrid', array( array( 'lose_answer' => true ) ) );
		$again = $transport->send( $message, Deadline::in( 20 ) )->failure;
		$this->assertSame( 'unanswered', $again->stage, 'a new lost answer starts a new count' );
	}

	public function test_resend_receives_the_message_intact_once(): void {
		$outcome = self::transport( 'resend' )->send( self::message_wordpress_built(), Deadline::in( 20 ) );
		$this->assertTrue( $outcome->is_delivered(), self::$servers->log() );
		$received = self::$servers->received( 'resend' );
		$this->assertCount( 1, $received );
		$this->assertSame( $outcome->message_id, $received[0]['message_id'] );
		$this->assert_arrived_intact( $received[0]['message'], true );
	}

	/**
	 * Resend takes an idempotency key: the request repeated after a lost answer carries the same
	 * key, gets the first answer, and the message arrives exactly once.
	 */
	public function test_resend_delivers_exactly_once_across_a_retry_after_a_lost_answer(): void {
		self::$servers->faults( 'resend', array( array( 'lose_answer' => true ) ) );
		$transport = self::transport( 'resend' );
		$message   = self::message_wordpress_built();
		$first     = $transport->send( $message, Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $first );
		$this->assertSame( 'unanswered', $first->stage );
		$this->assertFalse( $first->holds_queue() || $first->fails_message() );
		$this->assertStringContainsString( 'takes an idempotency key', $first->error );
		$this->assertCount( 1, self::$servers->received( 'resend' ), 'the first request arrived' );
		$retry = $transport->send( $message, Deadline::in( 20 ) );
		$this->assertTrue( $retry->is_delivered(), self::$servers->log() );
		$received = self::$servers->received( 'resend' );
		$this->assertCount( 1, $received, 'delivered exactly once' );
		$this->assertSame( $received[0]['message_id'], $retry->message_id, 'the first answer, again' );
		$this->assertSame( $message->idempotency_key, $received[0]['request']['idempotency_key'] );
	}

	public function test_a_resend_key_that_may_only_send_passes_the_port_test(): void {
		$this->assertSame( Verdict::OK, self::transport( 'resend', Provider_Api_Servers::RESEND_SENDING_KEY )->test( Deadline::in( 20 ) )->verdict );
	}

	/**
	 * Brevo's attachment has no Content-ID: the inline image arrives as an ordinary attachment,
	 * byte for byte (docs/facts.md); everything else arrives as built.
	 */
	public function test_brevo_receives_the_message_intact_once_its_inline_image_as_an_attachment(): void {
		$outcome = self::transport( 'brevo' )->send( self::message_wordpress_built(), Deadline::in( 20 ) );
		$this->assertTrue( $outcome->is_delivered(), self::$servers->log() );
		$received = self::$servers->received( 'brevo' );
		$this->assertCount( 1, $received );
		$this->assertSame( $outcome->message_id, trim( $received[0]['message_id'], '<>' ) );
		$this->assert_arrived_intact( $received[0]['message'], true, false );
	}

	/**
	 * Amazon SES gets the raw MIME (its Bcc header gone) with every recipient in Destination,
	 * through aws-ses-v2-local behind the proxy that checks Signature Version 4.
	 */
	public function test_amazon_ses_receives_the_raw_message_intact_once_signed_with_sigv4(): void {
		$outcome = self::transport( 'ses' )->send( self::message_wordpress_built(), Deadline::in( 20 ) );
		$this->assertTrue( $outcome->is_delivered(), self::$servers->log() );
		$received = self::$servers->received( 'ses' );
		$this->assertCount( 1, $received );
		$this->assertSame( $outcome->message_id, $received[0]['message_id'] );
		$this->assertEqualsCanonicalizing( array( 'juergen@example.com', 'plain@example.com', 'cc@example.com', 'hidden@example.com' ), $received[0]['envelope']['to'] );
		$this->assert_arrived_intact( $received[0]['message'], false );
	}

	public function test_amazon_ses_refuses_a_wrong_secret_by_its_signature_and_a_user_without_the_send_permission(): void {
		$wrong = self::transport( 'ses', 'not-the-secret' )->send( self::message_wordpress_built(), Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $wrong );
		$this->assertSame( Send_Failure::LOGIN_REFUSED, $wrong->kind(), $wrong->error );
		$this->assertStringContainsString( 'SignatureDoesNotMatch', $wrong->error );
		$this->assertStringNotContainsString( 'not-the-secret', $wrong->error );
		$denied = self::transport( 'ses', '', Provider_Api_Servers::SES_DENIED_ACCESS_KEY_ID )->send( self::message_wordpress_built(), Deadline::in( 20 ) )->failure;
		$this->assertNotNull( $denied );
		$this->assertSame( Send_Failure::PERMISSION, $denied->kind(), $denied->error );
		$this->assertStringContainsString( 'ses:SendRawEmail', $denied->error );
		$this->assertSame( array(), self::$servers->received( 'ses' ) );
	}

	/**
	 * @return array<string, array{string}>
	 */
	public function providers(): array {
		return self::providers_without_idempotency() + array( 'Resend' => array( 'resend' ) );
	}

	/**
	 * @return array<string, array{string}>
	 */
	public static function providers_without_idempotency(): array {
		return array(
			'SendGrid' => array( 'sendgrid' ),
			'Postmark' => array( 'postmark' ),
			'Mailgun'  => array( 'mailgun' ),
			'Brevo'    => array( 'brevo' ),
			'SES'      => array( 'ses' ),
		);
	}
}
