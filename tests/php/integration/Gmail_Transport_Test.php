<?php
/**
 * The Gmail API's users.messages.send on the real stack: the local Gmail server
 * (env/providers/gmail.js) accepts only tokens the local authorization server (env/oauth) issued,
 * by introspection, with a scope that may send, and checks each request against the schema
 * written from Google's discovery document for gmail v1; the plugin signs in with its OAuth
 * connection and the scope gmail.send alone.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Configured_Check;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Transport;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Providers\Gmail_Transport;
use SmtpPortHelper\Transport\Send_Failure;

require_once __DIR__ . '/Sends_Over_OAuth_Api.php';
require_once __DIR__ . '/support/Local_Gmail_Transport.php';

/**
 * It changes the authorization server's test settings and counts its refreshes for this suite's
 * account only (Uses_OAuth_Stack), on a provider server of its own: it runs beside the other suites.
 *
 * @group database
 */
final class Gmail_Transport_Test extends Integration_Test_Case {

	use Sends_Over_OAuth_Api;

	private const GMAIL_SCOPE = 'https://www.googleapis.com/auth/gmail.send openid email';

	private const SUBJECT = 'Grüße aus Köln — 🎉 Bestätigung';

	/**
	 * Chooses the Gmail API, signs in with the stack's authorization server and connects.
	 *
	 * @param string $scope The scope the sign-in asks for.
	 */
	private function connect_gmail( string $scope = self::GMAIL_SCOPE ): void {
		$this->save(
			array(
				'transport'   => 'gmail',
				'oauth_scope' => $scope,
			)
		);
		$this->connect();
	}

	private static function transport(): Api_Transport {
		return self::oauth_api_transport( 'gmail', self::$servers->base_url( 'gmail' ) );
	}

	/**
	 * The test's message.
	 *
	 * @param string $attachment An attached file's bytes ('' for none).
	 */
	private static function message( string $attachment = '' ): Outgoing_Message {
		return self::message_built_for_smtp( self::SUBJECT, $attachment );
	}

	/**
	 * What Gmail received, parsed by mailparser, as it would send it.
	 *
	 * @param array<string, mixed> $received The server's record.
	 * @param string               $file     The attachment's bytes ('' for none).
	 */
	private function assert_arrived_intact( array $received, string $file = '' ): void {
		$this->assertSame( self::ACCOUNT, $received['request']['account'], 'the token of the signed-in account' );
		$this->assertSame( 'me', $received['request']['user_id'] );
		$this->assertEqualsCanonicalizing( array( 'juergen@example.com', 'cc@example.com', 'hidden@example.com' ), $received['envelope']['to'], 'Gmail sends to To, Cc and Bcc' );
		$mail = $received['message'];
		$this->assertSame( array( self::ACCOUNT => 'Südsee-Blog' ), array_column( $mail['from'], 'name', 'address' ) );
		$this->assertSame( array( 'juergen@example.com' => 'Müller, Jürgen' ), array_column( $mail['to'], 'name', 'address' ) );
		$this->assertSame( array( 'cc@example.com' => 'Cc Person' ), array_column( $mail['cc'], 'name', 'address' ) );
		$this->assertSame( array( 'hidden@example.com' ), array_column( $mail['bcc'], 'address' ), 'the envelope-only recipient reaches Gmail as Bcc' );
		$this->assertArrayNotHasKey( 'bcc', $mail['headers'], 'and is hidden from the others' );
		$this->assertSame( array( 'reply@example.com' => 'Antwort-Team' ), array_column( $mail['reply_to'], 'name', 'address' ) );
		$this->assertSame( self::SUBJECT, $mail['subject'] );
		$this->assertSame( 'süß', $mail['headers']['x-custom-tag'] );
		$this->assertStringContainsString( '<p>Grüße, <b>Jürgen</b>!</p>', $mail['html'] );
		$this->assertSame( 'Grüße, Jürgen!', trim( $mail['text'] ) );
		if ( '' !== $file ) {
			$this->assertSame( array( 'Rechnung März.pdf' ), array_column( $mail['attachments'], 'filename' ) );
			$this->assertSame( hash( 'sha256', $file ), $mail['attachments'][0]['sha256'] );
		}
	}

	public function test_gmail_receives_the_message_intact_once_as_raw_base64url(): void {
		$this->connect_gmail();
		$file = "%PDF-1.4\n\xe2\xe3\xcf\xd3 Rechnung \x00\x01\x02\n";

		$outcome = self::transport()->send( self::message( $file ), Deadline::in( 20 ) );

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : self::$servers->log() );
		$received = self::$servers->received( 'gmail' );
		$this->assertCount( 1, $received );
		$this->assertSame( '/gmail/v1/users/me/messages/send', $received[0]['request']['path'] );
		$this->assertSame( 'application/json', $received[0]['request']['content_type'] );
		$this->assertSame( $outcome->message_id, $received[0]['message_id'] );
		$this->assert_arrived_intact( $received[0], $file );
	}

	public function test_a_message_over_5_mb_of_json_goes_as_a_media_upload_intact(): void {
		$this->connect_gmail();
		$file = random_bytes( 4 * 1024 * 1024 );

		$outcome = self::transport()->send( self::message( $file ), Deadline::in( 30 ) );

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : self::$servers->log() );
		$received = self::$servers->received( 'gmail' );
		$this->assertCount( 1, $received );
		$this->assertSame( '/upload/gmail/v1/users/me/messages/send', $received[0]['request']['path'] );
		$this->assertSame( 'media', $received[0]['request']['upload_type'] );
		$this->assertSame( 'message/rfc822', $received[0]['request']['content_type'] );
		$this->assert_arrived_intact( $received[0], $file );
	}

	public function test_a_message_over_gmails_35_mb_fails_with_a_clear_verdict_and_sends_nothing(): void {
		$this->connect_gmail();

		$failure = self::transport()->send( self::message( random_bytes( 27 * 1024 * 1024 ) ), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::TOO_LARGE, $failure->kind() );
		$this->assertTrue( $failure->fails_message() );
		$this->assertStringContainsString( 'at most 35 MB', $failure->error );
		$this->assertSame( array(), self::$servers->received( 'gmail' ) );
	}

	public function test_the_port_test_checks_the_token_and_its_scope_and_sends_nothing(): void {
		$this->connect_gmail();

		$row = self::transport()->test( Deadline::in( 20 ) );

		$this->assertSame( Verdict::OK, $row->verdict, $row->verdict_detail . self::$servers->log() );
		$this->assertSame( 443, $row->port );
		$this->assertSame( array( 'dns', 'connect', 'tls', 'api' ), array_column( $row->stages, 'name' ) );
		$this->assertTrue( $row->auth_ok );
		$this->assertSame( array(), self::$servers->received( 'gmail' ), 'the port test sends nothing' );
	}

	public function test_a_sign_in_without_a_send_scope_is_a_missing_permission_that_holds(): void {
		$this->connect_gmail( 'smtp openid email' );

		$failure = self::transport()->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::PERMISSION, $failure->kind(), $failure->error );
		$this->assertStringContainsString( 'insufficientPermissions', $failure->error );
		$this->assertTrue( $failure->holds_queue() );
		$row = self::transport()->test( Deadline::in( 20 ) );
		$this->assertSame( Verdict::AUTH_FAILED, $row->verdict );
		$this->assertStringContainsString( 'insufficient authentication scopes', $row->verdict_detail );
		$this->assertSame( array(), self::$servers->received( 'gmail' ) );
	}

	public function test_a_token_refused_early_is_refreshed_once_and_the_message_sent_again_at_once(): void {
		$this->connect_gmail();
		$this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) );
		$refreshes = $this->refreshes();

		$outcome = self::transport()->send( self::message(), Deadline::in( 20 ) );

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		$this->assertSame( $refreshes + 1, $this->refreshes(), 'one refresh' );
		$this->assertCount( 1, self::$servers->received( 'gmail' ), 'delivered once' );
	}

	public function test_only_a_refused_refresh_holds_the_mail(): void {
		$this->connect_gmail();
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );

		$failure = self::transport()->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( 'oauth', $failure->stage, $failure->error );
		$this->assertTrue( $failure->holds_queue() );
		$this->assertSame( array(), self::$servers->received( 'gmail' ) );
	}

	/**
	 * Gmail names a usage limit with 403 as often as 429, and the time to retry in its words.
	 */
	public function test_gmails_403_rate_limit_waits_until_the_time_it_names_and_reads_back_the_same(): void {
		$this->connect_gmail();
		self::$servers->faults(
			'gmail',
			array(
				array(
					'status'   => 403,
					'reason'   => 'userRateLimitExceeded',
					'retry_in' => 90,
				),
			)
		);

		$failure = self::transport()->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::THROTTLED, $failure->kind(), $failure->error );
		$this->assertFalse( $failure->holds_queue() || $failure->fails_message(), 'a throttled message waits' );
		$this->assertGreaterThanOrEqual( 85, $failure->retry_after );
		$this->assertLessThanOrEqual( 91, $failure->retry_after );
		$this->assertStringContainsString( 'HTTP 403: userRateLimitExceeded', $failure->error );
		$this->assertSame( Send_Failure::THROTTLED, Send_Failure::from_array( $failure->to_array() )->kind(), 'the outbox reads it back as throttled' );
		$this->assertSame( array(), self::$servers->received( 'gmail' ) );
	}

	public function test_429_waits_for_retry_after_a_server_error_waits_and_an_account_without_gmail_holds(): void {
		$this->connect_gmail();
		self::$servers->faults(
			'gmail',
			array(
				array(
					'status'      => 429,
					'retry_after' => 37,
				),
				array( 'status' => 503 ),
				array(
					'status' => 400,
					'reason' => 'failedPrecondition',
				),
			)
		);
		$transport = self::transport();

		$throttled = $transport->send( self::message(), Deadline::in( 20 ) )->failure;
		$down      = $transport->send( self::message(), Deadline::in( 20 ) )->failure;
		$no_gmail  = $transport->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $throttled );
		$this->assertSame( Send_Failure::THROTTLED, $throttled->kind() );
		$this->assertSame( 37, $throttled->retry_after );
		$this->assertNotNull( $down );
		$this->assertSame( Send_Failure::SERVER_ERROR, $down->kind() );
		$this->assertFalse( $down->holds_queue() || $down->fails_message(), 'a 5xx waits' );
		$this->assertNotNull( $no_gmail );
		$this->assertSame( Send_Failure::PERMISSION, $no_gmail->kind(), $no_gmail->error );
		$this->assertStringContainsString( 'Mail service not enabled', $no_gmail->error );
		$this->assertSame( array(), self::$servers->received( 'gmail' ) );
		$this->assertTrue( $transport->send( self::message(), Deadline::in( 20 ) )->is_delivered() );
	}

	/**
	 * Gmail takes no idempotency key: a lost answer is sent again once at most, and the record says so.
	 */
	public function test_a_lost_answer_is_sent_again_once_at_most(): void {
		$this->connect_gmail();
		self::$servers->faults( 'gmail', array( array( 'lose_answer' => true ), array( 'lose_answer' => true ) ) );
		$transport = self::transport();
		$message   = self::message();

		$first  = $transport->send( $message, Deadline::in( 20 ) )->failure;
		$second = $transport->send( $message, Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $first );
		$this->assertSame( 'unanswered', $first->stage, $first->error );
		$this->assertStringContainsString( 'sent again once at most', $first->error );
		$this->assertNotNull( $second );
		$this->assertTrue( $second->fails_message(), 'no third copy' );
		$this->assertCount( 2, self::$servers->received( 'gmail' ) );
	}

	public function test_the_consent_asks_for_gmail_send_only_narrower_than_smtps_scope(): void {
		$store = new Settings_Store();
		$this->save(
			array(
				'oauth_provider' => 'google',
				'transport'      => 'smtp',
			)
		);
		$this->assertSame( 'https://mail.google.com/', Provider_Profile::of( $store->get() )->scope );
		$this->save( array( 'transport' => 'gmail' ) );
		$this->assertSame( Gmail_Transport::SCOPE, Provider_Profile::of( $store->get() )->scope );
	}

	/**
	 * The Done-when path: wp_mail() with the settings' transport `gmail` goes through
	 * Transport_Factory and the PHPMailer bridge, and a visitor's password reset arrives once.
	 */
	public function test_a_visitors_password_reset_arrives_once_over_the_gmail_api(): void {
		Local_Gmail_Transport::$base_url = self::$servers->base_url( 'gmail' );
		$register                        = static function ( array $classes ): array {
			$classes['gmail'] = Local_Gmail_Transport::class;
			return $classes;
		};
		add_filter( 'smtp_port_helper_api_transports', $register );
		try {
			$this->connect_gmail();
			$this->save( array( 'from_email' => self::ACCOUNT ) );
			$login = 'visitor' . wp_generate_password( 6, false, false );
			$this->assertIsInt(
				wp_insert_user(
					array(
						'user_login' => $login,
						'user_pass'  => wp_generate_password(),
						'user_email' => $login . '@example.com',
					)
				)
			);
			wp_set_current_user( 0 );
			$_SERVER['REMOTE_ADDR'] = '127.0.0.1'; // The reset mail names the requester's address.

			$this->assertTrue( retrieve_password( $login ) );

			$received = self::$servers->received( 'gmail' );
			$this->assertCount( 1, $received, 'arrived once' );
			$this->assertSame( array( strtolower( $login ) . '@example.com' ), array_column( $received[0]['message']['to'], 'address' ) );
			$this->assertStringContainsString( 'Password Reset', $received[0]['message']['subject'] );
			$this->assertStringContainsString( 'action=rp', $received[0]['message']['text'] );
			$counts = ( new Outbox() )->counts();
			$this->assertSame( 0, $counts[ Outbox::HELD ] + $counts[ Outbox::QUEUED ], 'nothing held or waiting: ' . wp_json_encode( $counts ) );
		} finally {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
	}

	/**
	 * Gmail sends as the signed-in account: a From address set to another one is rewritten unless
	 * it is a "Send mail as" address. The page (the settings answer) and Site Health warn; the
	 * account's own address, or WordPress's default (which becomes the account), does not.
	 */
	public function test_a_from_address_other_than_the_signed_in_account_is_warned_about_on_the_page_and_in_site_health(): void {
		$this->connect_gmail();
		$this->save(
			array(
				'from_email'       => 'news@example.org',
				'force_from_email' => true,
			)
		);

		$answer = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data();

		$this->assertSame( 'news@example.org', $answer['from_address']['email'] );
		$this->assertStringContainsString( 'is not the signed-in Google account ' . self::ACCOUNT, $answer['from_address']['warning'] ?? '' );
		$this->assertStringContainsString( '"Send mail as"', $answer['from_address']['warning'] );
		$health = ( new Configured_Check( new Settings_Store() ) )->test();
		$this->assertSame( 'recommended', $health['status'], $health['label'] );
		$this->assertSame( 'The From address is not the signed-in account the provider sends as', $health['label'] );
		$this->assertStringContainsString( 'Gmail sends it as ' . self::ACCOUNT, $health['description'] );

		foreach ( array( strtoupper( self::ACCOUNT ), '' ) as $from ) {
			$this->save( array( 'from_email' => $from ) );
			$answer = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data();
			$this->assertArrayNotHasKey( 'warning', $answer['from_address'], "From '$from': the account itself" );
			$this->assertSame( 'good', ( new Configured_Check( new Settings_Store() ) )->test()['status'] );
		}
	}
}
