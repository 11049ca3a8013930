<?php
/**
 * What SendGrid, Postmark and Mailgun are sent for the message PHPMailer built, their limits,
 * and how their answers are read.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport\Providers;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Tests\Unit\Transport\Mime_Fixture;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Providers\Brevo_Transport;
use SmtpPortHelper\Transport\Providers\Mailgun_Transport;
use SmtpPortHelper\Transport\Providers\Postmark_Transport;
use SmtpPortHelper\Transport\Providers\Resend_Transport;
use SmtpPortHelper\Transport\Providers\Sendgrid_Transport;
use SmtpPortHelper\Transport\Providers\Ses_Transport;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Transport_Registry;

require_once dirname( __DIR__ ) . '/Mime_Fixture.php';

final class Provider_Payload_Test extends TestCase {

	private const RECIPIENTS = array( 'juergen@example.com', 'plain@example.com', 'cc@example.com', 'hidden@example.com' );

	private static function message( array $recipients = self::RECIPIENTS, string $data = '' ): Outgoing_Message {
		return new Outgoing_Message( 'bounce@example.com', $recipients, '' !== $data ? $data : Mime_Fixture::message() );
	}

	public function test_sendgrid_gets_every_field_and_bcc_from_the_envelope(): void {
		$payload = Sendgrid_Transport::payload( self::message() );
		$this->assertIsArray( $payload );
		$this->assertSame(
			array(
				'to'  => array(
					array(
						'email' => 'juergen@example.com',
						// SendGrid refuses ',' and ';' in a name: an encoded word keeps it.
						'name'  => '=?UTF-8?B?' . base64_encode( 'Müller, Jürgen' ) . '?=',
					),
					array( 'email' => 'plain@example.com' ),
				),
				'cc'  => array(
					array(
						'email' => 'cc@example.com',
						'name'  => 'Cc Person',
					),
				),
				'bcc' => array( array( 'email' => 'hidden@example.com' ) ),
			),
			$payload['personalizations'][0]
		);
		$this->assertSame( array( 'email' => 'blog@example.com', 'name' => 'Südsee-Blog' ), $payload['from'] );
		$this->assertSame( array( 'email' => 'reply@example.com', 'name' => 'Antwort' ), $payload['reply_to'] );
		$this->assertSame( 'Grüße aus Köln', $payload['subject'] );
		$this->assertSame( array( 'text/plain', 'text/html' ), array_column( $payload['content'], 'type' ), 'text first, as SendGrid requires' );
		$this->assertSame( array( 'logo.png', 'Rechnung März.pdf' ), array_column( $payload['attachments'], 'filename' ) );
		$this->assertSame( 'logo@blog', $payload['attachments'][0]['content_id'] );
		$this->assertSame( 'inline', $payload['attachments'][0]['disposition'] );
		$this->assertSame( Mime_Fixture::PDF, base64_decode( $payload['attachments'][1]['content']->contents(), true ) );
		$this->assertSame( array( 'X-Mailer', 'X-Custom-Tag' ), array_keys( $payload['headers'] ) );
	}

	public function test_sendgrid_refuses_over_30_mb_and_over_1000_recipients_before_sending(): void {
		$large = Sendgrid_Transport::payload( self::message( self::RECIPIENTS, Mime_Fixture::message() . str_repeat( 'x', Sendgrid_Transport::MAX_BYTES ) ) );
		$this->assertInstanceOf( Send_Failure::class, $large );
		$this->assertSame( Send_Failure::TOO_LARGE, $large->kind() );
		$this->assertTrue( $large->fails_message() );
		$many = array();
		for ( $i = 0; $i <= 1000; $i++ ) {
			$many[] = "r$i@example.com";
		}
		$crowd = Sendgrid_Transport::payload( self::message( $many ) );
		$this->assertInstanceOf( Send_Failure::class, $crowd );
		$this->assertSame( Send_Failure::REJECTED, $crowd->kind() );
	}

	public function test_sendgrid_reads_the_wait_of_a_429_from_its_rate_limit_reset(): void {
		$transport = new Sendgrid_Transport( new Api_Credentials( 'SG.key', '', '', 'https://api.sendgrid.com' ), new Https_Client( Address_Policy::open() ) );
		$failure   = $transport->classify( Send_Failure::STAGE_API, 429, 'too many requests', array( 'x-ratelimit-reset' => (string) ( time() + 42 ) ) );
		$this->assertSame( Send_Failure::THROTTLED, $failure->kind() );
		$this->assertGreaterThanOrEqual( 41, $failure->retry_after );
		$this->assertLessThanOrEqual( 42, $failure->retry_after );
		$this->assertSame( 7, $transport->classify( Send_Failure::STAGE_API, 429, '', array( 'retry-after' => '7', 'x-ratelimit-reset' => (string) ( time() + 42 ) ) )->retry_after, 'Retry-After wins' );
	}

	public function test_postmark_gets_header_text_addresses_its_stream_and_inline_files_by_cid(): void {
		$payload = Postmark_Transport::payload( self::message(), '' );
		$this->assertIsArray( $payload );
		$this->assertSame( 'Südsee-Blog <blog@example.com>', $payload['From'] );
		$this->assertSame( '"Müller, Jürgen" <juergen@example.com>, plain@example.com', $payload['To'] );
		$this->assertSame( 'Cc Person <cc@example.com>', $payload['Cc'] );
		$this->assertSame( 'hidden@example.com', $payload['Bcc'] );
		$this->assertSame( 'Antwort <reply@example.com>', $payload['ReplyTo'] );
		$this->assertSame( 'outbound', $payload['MessageStream'], "Postmark's default transactional stream" );
		$this->assertSame( 'notifications', Postmark_Transport::payload( self::message(), 'notifications' )['MessageStream'] );
		$this->assertSame( 'cid:logo@blog', $payload['Attachments'][0]['ContentID'] );
		$this->assertArrayNotHasKey( 'ContentID', $payload['Attachments'][1] );
		$this->assertSame( array( 'Name' => 'X-Custom-Tag', 'Value' => 'süß' ), $payload['Headers'][1] );
	}

	public function test_postmark_refuses_over_50_recipients(): void {
		$many = array();
		for ( $i = 0; $i <= 50; $i++ ) {
			$many[] = "r$i@example.com";
		}
		$failure = Postmark_Transport::payload( self::message( $many ), '' );
		$this->assertInstanceOf( Send_Failure::class, $failure );
		$this->assertSame( Send_Failure::REJECTED, $failure->kind() );
	}

	public function test_resend_gets_lists_of_header_texts_and_inline_files_by_content_id(): void {
		$payload = Resend_Transport::payload( self::message() );
		$this->assertIsArray( $payload );
		$this->assertSame( 'Südsee-Blog <blog@example.com>', $payload['from'] );
		$this->assertSame( array( '"Müller, Jürgen" <juergen@example.com>', 'plain@example.com' ), $payload['to'] );
		$this->assertSame( array( 'Cc Person <cc@example.com>' ), $payload['cc'] );
		$this->assertSame( array( 'hidden@example.com' ), $payload['bcc'] );
		$this->assertSame( array( 'Antwort <reply@example.com>' ), $payload['reply_to'] );
		$this->assertSame( 'logo@blog', $payload['attachments'][0]['content_id'] );
		$this->assertArrayNotHasKey( 'content_id', $payload['attachments'][1] );
		$this->assertSame( 'süß', $payload['headers']['X-Custom-Tag'] );
	}

	public function test_brevo_gets_address_objects_one_reply_to_and_named_attachments(): void {
		$payload = Brevo_Transport::payload( self::message() );
		$this->assertIsArray( $payload );
		$this->assertSame( array( 'email' => 'blog@example.com', 'name' => 'Südsee-Blog' ), $payload['sender'] );
		$this->assertSame( array( 'email' => 'juergen@example.com', 'name' => 'Müller, Jürgen' ), $payload['to'][0] );
		$this->assertSame( array( array( 'email' => 'hidden@example.com' ) ), $payload['bcc'] );
		$this->assertSame( array( 'email' => 'reply@example.com', 'name' => 'Antwort' ), $payload['replyTo'] );
		$this->assertSame( array( 'logo.png', 'Rechnung März.pdf' ), array_column( $payload['attachment'], 'name' ) );
		$this->assertFalse( Brevo_Transport::provider()->idempotent );
	}

	public function test_amazon_ses_gets_the_raw_bytes_and_every_recipient_in_its_destination(): void {
		$payload = Ses_Transport::payload( self::message() );
		$this->assertIsArray( $payload );
		$this->assertSame( Mime_Fixture::message(), base64_decode( $payload['Content']['Raw']['Data']->contents(), true ) );
		$this->assertSame(
			array(
				'ToAddresses'  => array( 'juergen@example.com', 'plain@example.com' ),
				'CcAddresses'  => array( 'cc@example.com' ),
				'BccAddresses' => array( 'hidden@example.com' ),
			),
			$payload['Destination']
		);
		$this->assertSame( 'https://email.eu-central-1.amazonaws.com', Ses_Transport::provider()->base_url( 'eu-central-1' ) );
		$this->assertSame( 'amazon-ses', Transport_Registry::for_smtp_host( 'email-smtp.eu-west-1.amazonaws.com' )->id );
	}

	public function test_mailgun_sends_the_mime_bytes_untouched_and_every_recipient_as_to(): void {
		$message = self::message();
		$form    = Mailgun_Transport::form( $message->recipients, $message->data, 'BOUNDARY' )->contents();
		$this->assertStringContainsString( "name=\"message\"; filename=\"message.mime\"\r\nContent-Type: message/rfc822\r\n\r\n" . Mime_Fixture::message() . "\r\n--BOUNDARY--\r\n", $form );
		$this->assertSame( 4, substr_count( $form, 'name="to"' ) );
		$this->assertStringContainsString( "name=\"to\"\r\n\r\nhidden@example.com\r\n", $form );
	}

	public function test_the_providers_are_registered_with_their_regions_and_smtp_hosts(): void {
		$this->assertSame( array( 'smtp', 'sendgrid', 'postmark', 'mailgun', 'resend', 'brevo', 'amazon-ses', 'microsoft-graph', 'gmail' ), Transport_Registry::ids() );
		$this->assertSame( 'gmail', Transport_Registry::for_smtp_host( 'smtp.gmail.com' )->id );
		$this->assertSame( \SmtpPortHelper\Transport\Providers\Gmail_Transport::class, Transport_Registry::oauth_class( 'gmail' ), 'the Gmail API signs in with OAuth' );
		$this->assertSame( 'microsoft-graph', Transport_Registry::for_smtp_host( 'smtp.office365.com' )->id );
		$this->assertSame( \SmtpPortHelper\Transport\Providers\Graph_Transport::class, Transport_Registry::oauth_class( 'microsoft-graph' ), 'Graph signs in with OAuth' );
		$this->assertNull( Transport_Registry::oauth_class( 'sendgrid' ), 'an API key transport' );
		$this->assertTrue( Resend_Transport::provider()->idempotent, 'Resend takes an Idempotency-Key' );
		$this->assertSame( 'https://api.eu.mailgun.net', Mailgun_Transport::provider()->base_url( 'eu' ) );
		$this->assertSame( 'https://api.mailgun.net', Mailgun_Transport::provider()->base_url( 'us' ) );
		$this->assertSame( 'mailgun', Transport_Registry::for_smtp_host( 'smtp.eu.mailgun.org' )->id );
		$this->assertSame( 'postmark', Transport_Registry::for_smtp_host( 'smtp.postmarkapp.com' )->id );
		$this->assertSame( 'sendgrid', Transport_Registry::for_smtp_host( 'smtp.sendgrid.net' )->id );
		$this->assertFalse( Sendgrid_Transport::provider()->idempotent, 'SendGrid takes no idempotency key' );
		$this->assertFalse( Postmark_Transport::provider()->idempotent );
		$this->assertFalse( Mailgun_Transport::provider()->idempotent );
	}
}
