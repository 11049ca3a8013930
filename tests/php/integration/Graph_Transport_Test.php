<?php
/**
 * Microsoft Graph sendMail on the real stack: the local Graph server (env/providers/graph.js)
 * accepts only tokens the local authorization server (env/oauth) issued, by introspection, and
 * checks each request against the schema written from Graph's metadata; the plugin signs in
 * with its OAuth connection, refreshes a token refused early once and sends again at once, and
 * holds mail only when the refresh is refused.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Api_Port_Test;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\Keep_Alive;
use SmtpPortHelper\OAuth\OAuth_Notice;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Transport;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Providers\Graph_Transport;
use SmtpPortHelper\Transport\Send_Failure;

require_once __DIR__ . '/Sends_Over_OAuth_Api.php';
require_once __DIR__ . '/support/Local_Graph_Transport.php';

/**
 * It changes the authorization server's test settings and counts its refreshes for this suite's
 * account only (Uses_OAuth_Stack), on a provider server of its own: it runs beside the other suites.
 *
 * @group database
 */
final class Graph_Transport_Test extends Integration_Test_Case {

	use Sends_Over_OAuth_Api;

	private const GRAPH_SCOPE = 'https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/User.Read offline_access openid email';

	/**
	 * Saves the Graph transport with the stack's sign-in and connects the mailbox.
	 *
	 * @param array<string, mixed> $changes Settings changed on top.
	 */
	private function connect_graph( array $changes = array() ): void {
		$this->save(
			array_merge(
				array(
					'transport'   => 'microsoft-graph',
					'oauth_scope' => self::GRAPH_SCOPE,
				),
				$changes
			)
		);
		$this->connect();
	}

	/**
	 * Moves `microsoft-graph` to the local Graph server for the settings, wp_mail() and the outbox
	 * (filter `smtp_port_helper_api_transports`); the caller removes the returned filter.
	 *
	 * @return callable The filter added.
	 */
	private static function serve_graph_locally(): callable {
		Local_Graph_Transport::$base_url = self::$servers->base_url( 'graph' ) . '/v1.0';
		$register                        = static function ( array $classes ): array {
			$classes['microsoft-graph'] = Local_Graph_Transport::class;
			return $classes;
		};
		add_filter( 'smtp_port_helper_api_transports', $register );
		return $register;
	}

	private static function transport( string $account = '' ): Api_Transport {
		return self::oauth_api_transport( 'microsoft-graph', self::$servers->base_url( 'graph' ) . '/v1.0', $account );
	}

	/**
	 * A message as PHPMailer builds it for SMTP (no Bcc header: the hidden recipient is only in the envelope).
	 *
	 * @param int $attachment_bytes Size of an attached file (0: none).
	 */
	private static function message( int $attachment_bytes = 0 ): Outgoing_Message {
		return self::message_built_for_smtp( 'Grüße aus Köln — 🎉 ' . wp_generate_password( 6, false ), $attachment_bytes > 0 ? random_bytes( $attachment_bytes ) : '' );
	}

	public function test_graph_receives_the_mime_message_intact_once_the_bcc_hidden(): void {
		$this->connect_graph();
		$message = self::message();

		$outcome = self::transport()->send( $message, Deadline::in( 20 ) );

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		$received = self::$servers->received( 'graph' );
		$this->assertCount( 1, $received );
		$this->assertSame( '/v1.0/me/sendMail', $received[0]['request']['path'] );
		$this->assertSame( 'text/plain', $received[0]['request']['content_type'], 'the MIME form' );
		$this->assertSame( self::ACCOUNT, $received[0]['request']['account'], 'the token of the signed-in mailbox' );
		$mail = $received[0]['message'];
		$this->assertSame( array( 'juergen@example.com' => 'Müller, Jürgen' ), array_column( $mail['to'], 'name', 'address' ) );
		$this->assertSame( array( 'cc@example.com' => 'Cc Person' ), array_column( $mail['cc'], 'name', 'address' ) );
		$this->assertSame( array( 'hidden@example.com' ), array_column( $mail['bcc'], 'address' ), 'the envelope-only recipient reaches Graph as Bcc' );
		$this->assertArrayNotHasKey( 'bcc', $mail['headers'], 'and is hidden from the others' );
		$this->assertSame( array( 'reply@example.com' => 'Antwort-Team' ), array_column( $mail['reply_to'], 'name', 'address' ) );
		$this->assertStringStartsWith( 'Grüße aus Köln — 🎉 ', $mail['subject'] );
		$this->assertStringContainsString( '<p>Grüße, <b>Jürgen</b>!</p>', $mail['html'] );
		$this->assertSame( 'Grüße, Jürgen!', trim( $mail['text'] ) );
	}

	public function test_a_token_refused_early_is_refreshed_once_and_the_request_sent_again_at_once(): void {
		$this->connect_graph();
		$refused = $this->cached_access_token();
		$this->assertGreaterThanOrEqual( 1, $this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) )['revoked'] ?? 0 );
		$refreshes = $this->refreshes();

		$outcome = self::transport()->send( self::message(), Deadline::in( 20 ) );

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		$this->assertSame( $refreshes + 1, $this->refreshes(), 'one refresh' );
		$this->assertCount( 1, self::$servers->received( 'graph' ), 'delivered once' );
		$this->assertNotSame( $refused, $this->cached_access_token(), 'the new token is cached' );
		$this->assertTrue( self::transport()->send( self::message(), Deadline::in( 20 ) )->is_delivered() );
		$this->assertSame( $refreshes + 1, $this->refreshes(), 'the next message uses it: no other refresh' );
	}

	public function test_the_port_test_refreshes_a_refused_token_once_too(): void {
		$this->connect_graph();
		$this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) );
		$refreshes = $this->refreshes();

		$row = self::transport()->test( Deadline::in( 20 ) );

		$this->assertSame( Verdict::OK, $row->verdict, $row->verdict_detail );
		$this->assertSame( 443, $row->port );
		$this->assertSame( array( 'dns', 'connect', 'tls', 'api' ), array_column( $row->stages, 'name' ) );
		$this->assertSame( $refreshes + 1, $this->refreshes() );
		$this->assertSame( array(), self::$servers->received( 'graph' ), 'the port test sends nothing' );
	}

	public function test_only_a_refused_refresh_holds_the_mail(): void {
		$this->connect_graph();
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );

		$failure = self::transport()->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( 'oauth', $failure->stage, $failure->error );
		$this->assertTrue( $failure->holds_queue(), 'held until "Connect" again' );
		$this->assertFalse( $failure->fails_message() );
		$this->assertSame( array(), self::$servers->received( 'graph' ) );
		$this->assertSame( 'failed', ( new OAuth_Connection( new Settings_Store() ) )->tokens()->connection( ( new Settings_Store() )->get() )['state'] );
		$row = self::transport()->test( Deadline::in( 20 ) );
		$this->assertSame( Verdict::OAUTH_REFRESH_FAILED, $row->verdict, 'the port test names the sign-in, asks nothing' );
	}

	public function test_a_sign_in_made_for_smtp_is_not_sent_to_graph(): void {
		$this->save( array( 'transport' => 'smtp' ) );
		$this->connect();
		$this->save(
			array(
				'transport'   => 'microsoft-graph',
				'oauth_scope' => self::GRAPH_SCOPE,
			)
		);

		$failure = self::transport()->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( 'oauth', $failure->stage, $failure->error );
		$this->assertSame( Verdict::OAUTH_NOT_CONNECTED, self::transport()->test( Deadline::in( 20 ) )->verdict, 'another resource: "Connect" again for Graph' );
		$this->assertSame( array(), self::$servers->received( 'graph' ) );
	}

	public function test_a_shared_mailbox_without_mail_send_shared_is_a_missing_permission(): void {
		$this->connect_graph( array( 'api_account' => 'shared@oauth.test' ) );

		$failure = self::transport( 'shared@oauth.test' )->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::PERMISSION, $failure->kind(), $failure->error );
		$this->assertStringContainsString( 'ErrorAccessDenied', $failure->error );
		$this->assertTrue( $failure->holds_queue() );
		$this->assertSame( array(), self::$servers->received( 'graph' ) );
	}

	public function test_a_shared_mailbox_with_mail_send_shared_sends_through_users_id(): void {
		$this->connect_graph(
			array(
				'api_account' => 'shared@oauth.test',
				'oauth_scope' => self::GRAPH_SCOPE . ' https://graph.microsoft.com/Mail.Send.Shared',
			)
		);

		$outcome = self::transport( 'shared@oauth.test' )->send( self::message(), Deadline::in( 20 ) );

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		$received = self::$servers->received( 'graph' );
		$this->assertCount( 1, $received );
		$this->assertSame( '/v1.0/users/shared%40oauth.test/sendMail', $received[0]['request']['path'] );
	}

	public function test_a_message_over_graphs_4_mb_request_limit_fails_with_a_clear_verdict_and_sends_nothing(): void {
		$this->connect_graph();

		$failure = self::transport()->send( self::message( 3200 * 1024 ), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::TOO_LARGE, $failure->kind() );
		$this->assertTrue( $failure->fails_message() );
		$this->assertStringContainsString( 'at most 4 MB per request', $failure->error );
		$this->assertSame( array(), self::$servers->received( 'graph' ) );
	}

	public function test_a_10_mb_message_is_refused_on_its_length_before_it_is_copied_or_base64_encoded(): void {
		$this->connect_graph();
		$transport = self::transport();
		$message   = self::message( 7680 * 1024 ); // A 10 MB message once the attachment is base64 in it.
		$size      = strlen( $message->data );
		$this->assertTrue( $transport->send( self::message(), Deadline::in( 20 ) )->is_delivered(), 'signed in: the token is at hand' );

		memory_reset_peak_usage();
		$before  = memory_get_usage();
		$failure = $transport->send( $message, Deadline::in( 20 ) )->failure;
		$grown   = memory_get_peak_usage() - $before;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::TOO_LARGE, $failure->kind() );
		$this->assertStringContainsString( sprintf( 'The message is %.1f MB (%.1f MB as Microsoft Graph takes it, base64-encoded)', $size / 1048576, 4 * ceil( $size / 3 ) / 1048576 ), $failure->error );
		// Encoding first held a copy of the message and its base64 besides (2.35 × its size on top).
		$this->assertLessThan( intdiv( $size, 10 ), $grown, sprintf( 'refusing a %.1f MB message took %.1f MB more', $size / 1048576, $grown / 1048576 ) );
		$this->assertCount( 1, self::$servers->received( 'graph' ), 'only the small message arrived' );
	}

	public function test_throttling_waits_for_retry_after(): void {
		$this->connect_graph();
		self::$servers->faults(
			'graph',
			array(
				array(
					'status'      => 429,
					'retry_after' => 41,
				),
			)
		);

		$failure = self::transport()->send( self::message(), Deadline::in( 20 ) )->failure;

		$this->assertNotNull( $failure );
		$this->assertSame( Send_Failure::THROTTLED, $failure->kind(), $failure->error );
		$this->assertSame( 41, $failure->retry_after );
		$this->assertSame( array(), self::$servers->received( 'graph' ) );
	}

	public function test_the_consent_asks_for_what_the_chosen_transport_needs(): void {
		$store = new Settings_Store();
		$this->save(
			array(
				'oauth_provider' => 'microsoft',
				'transport'      => 'smtp',
			)
		);
		$this->assertSame( 'https://outlook.office.com/SMTP.Send offline_access', Provider_Profile::of( $store->get() )->scope );
		$this->save( array( 'transport' => 'microsoft-graph' ) );
		$this->assertSame( Graph_Transport::oauth_scope( '' ), Provider_Profile::of( $store->get() )->scope );
		$this->assertStringContainsString( 'https://graph.microsoft.com/Mail.Send ', Provider_Profile::of( $store->get() )->scope );
		$this->save( array( 'api_account' => 'shared@example.com' ) );
		$this->assertStringContainsString( 'https://graph.microsoft.com/Mail.Send.Shared', Provider_Profile::of( $store->get() )->scope );
	}

	public function test_wp_mail_over_graph_refreshes_a_token_refused_early_once_and_the_password_reset_arrives_once(): void {
		$register = self::serve_graph_locally();
		try {
			$this->connect_graph();
			$this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) );
			$refreshes = $this->refreshes();
			$subject   = 'Password reset ' . wp_generate_password( 8, false );

			$this->assertTrue( wp_mail( 'visitor@example.com', $subject, 'Reset link' ) );

			$this->assertSame( $refreshes + 1, $this->refreshes(), 'one refresh' );
			$received = self::$servers->received( 'graph' );
			$this->assertCount( 1, $received, 'arrived once' );
			$this->assertSame( $subject, $received[0]['message']['subject'] );
			$this->assertSame( array( 'visitor@example.com' ), array_column( $received[0]['message']['to'], 'address' ) );
			$counts = ( new Outbox() )->counts();
			$this->assertSame( 0, $counts[ Outbox::HELD ] + $counts[ Outbox::QUEUED ], 'nothing held or waiting: ' . wp_json_encode( $counts ) );
		} finally {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
	}

	public function test_the_port_test_of_smtp_office365_com_has_a_graph_row_signed_in_or_not(): void {
		// A Microsoft 365 tenant refusing SMTP logins (5.7.139) needs Graph: the port test of its
		// SMTP host shows Graph's row before the site signed in for it, and tests the sign-in after.
		$register = self::serve_graph_locally();
		try {
			$this->save( array( 'transport' => 'smtp' ) );
			$this->connect(); // An SMTP sign-in: never sent to Graph.
			$ports = new Api_Port_Test( new Settings_Store() );
			$row   = $ports->run( 'smtp.office365.com', Address_Policy::administrator(), (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ), 10.0 );
			$this->assertNotNull( $row, 'smtp.office365.com has an HTTPS API' );
			$this->assertSame( 'microsoft-graph', $row->provider->id );
			$this->assertTrue( $row->usable(), $row->message() );
			$this->assertFalse( $row->key_saved );
			$this->assertStringContainsString( 'has not signed in for it yet', $row->message() );
			$this->assertSame( array( 'dns', 'connect', 'tls', 'api' ), array_column( $row->result->stages, 'name' ) );

			$this->connect_graph();
			$refreshes = $this->refreshes();
			$row       = $ports->run( 'smtp.office365.com', Address_Policy::administrator(), (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ), 10.0 );
			$this->assertNotNull( $row );
			$this->assertTrue( $row->key_saved, 'signed in for Graph: the sign-in is tested' );
			$this->assertSame( Verdict::OK, $row->result->verdict, $row->result->verdict_detail );
			$this->assertSame( $refreshes, $this->refreshes(), 'a valid token is not refreshed' );

			$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );
			$this->test_post( 'revoke-access-tokens', array( 'account' => self::ACCOUNT ) );
			$row = $ports->run( 'smtp.office365.com', Address_Policy::administrator(), (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ), 10.0 );
			$this->assertNotNull( $row );
			$this->assertFalse( $row->usable(), 'a revoked sign-in: the row says so and nothing recommends it' );
			$this->assertSame( Verdict::OAUTH_REFRESH_FAILED, $row->result->verdict, $row->result->verdict_detail );
			$this->assertSame( array(), self::$servers->received( 'graph' ), 'the port test sends nothing' );
		} finally {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
	}

	public function test_a_graph_sign_in_is_kept_alive_and_its_end_told_whatever_the_smtp_login_fields_say(): void {
		$this->connect_graph( array( 'auth' => false ) );
		$this->assertTrue( ( new Settings_Store() )->get()->uses_oauth(), 'Graph signs in with OAuth' );
		$refreshes              = $this->refreshes();
		$record                 = (array) get_option( Token_Store::OPTION );
		$record['refreshed_at'] = (string) ( time() - 7 * DAY_IN_SECONDS );
		update_option( Token_Store::OPTION, $record, false );

		do_action( Keep_Alive::HOOK );

		$this->assertSame( $refreshes + 1, $this->refreshes(), 'a quiet week: the keep-alive renews the Graph sign-in' );
		$this->test_post( 'revoke-grants', array( 'account' => self::ACCOUNT ) );
		$this->assertFalse( self::transport()->send( self::message(), Deadline::in( 20 ) )->is_delivered() );
		$notice = ( new OAuth_Notice( new Settings_Store(), new OAuth_Connection( new Settings_Store() ) ) )->message();
		$this->assertStringContainsString( 'invalid_grant', (string) $notice, 'the admin is told the sign-in ended' );
	}

	/**
	 * Graph refuses to send for the signed-in mailbox (403, a missing permission): wp_mail() keeps
	 * the message, and the Outbox view and Site Health say the permission is missing and to sign in
	 * again — not "the SMTP user name or password".
	 */
	public function test_mail_held_by_graphs_missing_permission_is_explained_as_a_sign_in_matter(): void {
		$register = self::serve_graph_locally();
		try {
			$this->connect_graph();
			self::$servers->faults( 'graph', array( array( 'status' => 403 ) ) );

			$this->assertTrue( wp_mail( 'visitor@example.com', 'Held by Graph', 'x' ), 'kept in the outbox' );

			$manager = new Outbox_Manager( new Outbox(), static fn() => null );
			$entries = $manager->entries();
			$this->assertCount( 1, $entries );
			$this->assertSame( Outbox::HELD, $entries[0]['status'] );
			$this->assertStringStartsWith( 'Microsoft 365 (Graph API) accepted the sign-in but refused to send for this mailbox', $entries[0]['explanation'] );
			$this->assertStringContainsString( 'Mail.Send', $entries[0]['explanation'] );
			$health = ( new Outbox_Health( $manager ) )->test();
			$this->assertSame( 'Email is held: Microsoft 365 (Graph API) refused the permission to send', $health['label'] );
			$this->assertStringNotContainsString( 'user name or password', $health['description'] );
		} finally {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
	}

	/**
	 * Graph sends as the signed-in mailbox and refuses another From (ErrorSendAsDenied): a message
	 * with WordPress's default From leaves from the mailbox, as the page says it will.
	 */
	public function test_wordpress_default_from_leaves_from_the_signed_in_mailbox_as_the_page_says(): void {
		$register = self::serve_graph_locally();
		try {
			$this->connect_graph( array( 'from_email' => '' ) );
			$this->assertSame( self::ACCOUNT, $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['from_address']['email'], 'the page says the mailbox' );

			$this->assertTrue( wp_mail( 'visitor@example.com', 'Default sender', 'x' ) );

			$received = self::$servers->received( 'graph' );
			$this->assertCount( 1, $received );
			$this->assertSame( array( self::ACCOUNT ), array_column( $received[0]['message']['from'], 'address' ), 'not wordpress@ the site' );
		} finally {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
	}

	/**
	 * With a shared mailbox in the account field, WordPress's default From is that mailbox — on the
	 * page and in what Graph gets through /users/{id}/sendMail (sending as the signed-in user from
	 * the shared mailbox's route would be refused with ErrorSendAsDenied).
	 */
	public function test_wordpress_default_from_leaves_from_the_shared_mailbox_the_account_field_names(): void {
		$register = self::serve_graph_locally();
		try {
			$this->connect_graph(
				array(
					'from_email'  => '',
					'api_account' => 'shared@oauth.test',
					'oauth_scope' => self::GRAPH_SCOPE . ' https://graph.microsoft.com/Mail.Send.Shared',
				)
			);
			$this->assertSame( 'shared@oauth.test', $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['from_address']['email'], 'the page says the shared mailbox' );

			$this->assertTrue( wp_mail( 'visitor@example.com', 'Default sender, shared mailbox', 'x' ) );

			$received = self::$servers->received( 'graph' );
			$this->assertCount( 1, $received );
			$this->assertSame( '/v1.0/users/shared%40oauth.test/sendMail', $received[0]['request']['path'] );
			$this->assertSame( array( 'shared@oauth.test' ), array_column( $received[0]['message']['from'], 'address' ), 'not the signed-in user' );
		} finally {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
	}

}
