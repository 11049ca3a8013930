<?php
/**
 * OAuth 2.0 on the real stack: the local authorization server (oidc-provider) and Postfix whose
 * SASL is Dovecot's oauth2 passdb (env/oauth).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Port_Check;
use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\OAuth_Notice;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

/**
 * The code flow through the REST route and the page's callback with a real code, the token in
 * the port test and a test email accepted by Postfix through Dovecot, refresh after expiry, a
 * revoked grant, a wrong state and an editor's callback — and no secret in any answer.
 *
 * It changes the authorization server's test settings and reads the mail Postfix captured, of
 * this suite's account only (Uses_OAuth_Stack): it runs beside the other suites.
 */
final class OAuth_Flow_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;
	use Uses_OAuth_Stack;

	/**
	 * Tests that send through the private Postfix (127.0.0.2:587) need root, as Postfix's master
	 * does; as root they run and fail when Postfix did not start.
	 */
	private function needs_postfix(): void {
		if ( function_exists( 'posix_geteuid' ) && 0 !== posix_geteuid() ) {
			$this->markTestSkipped( 'Needs root: the private Postfix + Dovecot that check XOAUTH2 tokens start only as root (CI runs this as root).' );
		}
	}

	protected function setUp(): void {
		parent::setUp();
		$health = @file_get_contents( self::ISSUER . '/test/health' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- is the stack's server up?
		if ( false === $health ) {
			$this->markTestSkipped( 'The local authorization server is not running (bash env/stack.sh start, as root).' );
		}
		$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );
		$this->assertNotWPError( ( new Settings_Store() )->update( self::oauth_settings() ) );
	}

	protected function tearDown(): void {
		$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );
		parent::tearDown();
	}

	/**
	 * Fails with the error's data when a value is a WP_Error.
	 *
	 * @param mixed $value Any value.
	 */
	private function assertNotWPError( $value ): void {
		$this->assertFalse( is_wp_error( $value ), is_wp_error( $value ) ? (string) wp_json_encode( $value->get_error_data() ) : '' );
	}

	/**
	 * Starts the flow through the REST route as the current user and signs in at the server.
	 *
	 * @return array<string, string> The callback's query (code and state).
	 */
	private function sign_in(): array {
		$response = $this->rest( 'POST', '/smtp-port-helper/v1/oauth/authorize' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$url = $response->get_data()['authorize_url'];
		$this->assertStringStartsWith( self::ISSUER . '/authorize?', $url );
		parse_str( (string) wp_parse_url( $url, PHP_URL_QUERY ), $asked );
		$this->assertSame( 'S256', $asked['code_challenge_method'] );
		$this->assertSame( admin_url( 'options-general.php?page=smtp-port-helper' ), $asked['redirect_uri'] );
		$this->assertArrayNotHasKey( 'client_secret', $asked );

		$back = $this->token_js( 'approve', $url );
		$this->assertStringStartsWith( admin_url( 'options-general.php?page=smtp-port-helper' ), $back );
		parse_str( (string) wp_parse_url( $back, PHP_URL_QUERY ), $query );
		$this->assertArrayHasKey( 'code', $query, $back );
		return array(
			'code'  => (string) $query['code'],
			'state' => (string) $query['state'],
		);
	}

	/**
	 * The callback as the page's load hook runs it.
	 *
	 * @param array<string, string> $query Callback query.
	 * @return array{ok: bool, code: string, message: string}
	 */
	private function finish( array $query ): array {
		return ( new OAuth_Callback( new OAuth_Connection( new Settings_Store() ) ) )->handle( $query );
	}

	/**
	 * The connected tokens, opened (for comparisons only).
	 *
	 * @return array{refresh: string, access: string}
	 */
	private function stored_tokens(): array {
		$store  = ( new OAuth_Connection( new Settings_Store() ) )->tokens();
		$record = $store->record_for( ( new Settings_Store() )->get() );
		$this->assertNotNull( $record );
		return array(
			'refresh' => (string) $store->refresh_token( $record ),
			'access'  => (string) $store->access_token( $record, 0 ),
		);
	}

	/**
	 * Everything a browser or a log could see must not hold a secret.
	 *
	 * @param string   $where   What is checked.
	 * @param string   $text    The text.
	 * @param string[] $secrets Secrets.
	 */
	private function assertNoSecret( string $where, string $text, array $secrets ): void {
		foreach ( array_filter( $secrets ) as $secret ) {
			$this->assertStringNotContainsString( $secret, $text, $where );
			$this->assertStringNotContainsString( base64_encode( $secret ), $text, $where ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		}
	}

	public function test_connect_then_the_port_test_and_a_test_email_log_in_with_xoauth2(): void {
		$this->needs_postfix();
		$this->log_in_as( 'administrator' );
		$outcome = $this->finish( $this->sign_in() );
		$this->assertTrue( $outcome['ok'], $outcome['message'] );

		$settings = $this->rest( 'GET', '/smtp-port-helper/v1/settings' );
		$this->assertSame( 'connected', $settings->get_data()['oauth_connection']['state'] );
		$this->assertSame( self::ACCOUNT, $settings->get_data()['oauth_connection']['account'], 'the ID token\'s e-mail' );
		$this->assertTrue( $settings->get_data()['oauth_client_secret_set'] );
		$tokens  = $this->stored_tokens();
		$secrets = array( $tokens['refresh'], $tokens['access'], self::CLIENT_SECRET );
		$this->assertNotSame( '', $tokens['refresh'] );
		$this->assertNoSecret( 'settings answer', (string) wp_json_encode( $settings->get_data() ), $secrets );
		$this->assertNoSecret( 'stored options', (string) $this->raw_option( Token_Store::OPTION ) . $this->raw_option( Token_Store::ACCESS_OPTION ) . $this->raw_option( 'smtp_port_helper_settings' ), $secrets );
		global $wpdb;
		$this->assertSame( 'off', $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Token_Store::OPTION ) ) );
		$this->assertSame( 'off', $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Token_Store::ACCESS_OPTION ) ) );

		// The port test through REST: the saved server and mailbox, no password → the token.
		$report = $this->rest(
			'POST',
			'/smtp-port-helper/v1/port-tests',
			array(
				'host'  => '127.0.0.2',
				'ports' => array( 587 ),
				'auth'  => array( 'username' => self::ACCOUNT ),
			)
		);
		$this->assertSame( 200, $report->get_status(), (string) wp_json_encode( $report->get_data() ) );
		$result = $report->get_data()['results'][0];
		$this->assertSame( Verdict::OK, $result['verdict'], (string) wp_json_encode( $result ) );
		$auth = array_values( array_filter( $result['stages'], static fn( array $stage ): bool => 'auth' === $stage['name'] ) );
		$this->assertStringStartsWith( 'XOAUTH2: 235', $auth[0]['detail'] );
		$this->assertNoSecret( 'port test answer', (string) wp_json_encode( $report->get_data() ), $secrets );

		// A test email, accepted by Postfix after Dovecot introspected the token; no From set, so it
		// leaves from the signed-in mailbox.
		$this->assertNotWPError( ( new Settings_Store() )->update( array( 'from_email' => '' ) ) );
		$mails_before = self::mail_files();
		$sent         = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@oauth.test' ) );
		$this->assertSame( 200, $sent->get_status(), (string) wp_json_encode( $sent->get_data() ) );
		$this->assertTrue( $sent->get_data()['sent'] );
		$this->assertNoSecret( 'test email answer', (string) wp_json_encode( $sent->get_data() ), $secrets );
		// Postfix relays what it accepted to the capture a moment later.
		for ( $wait = 0; $wait < 50; $wait++ ) {
			$mails = array_diff( self::mail_files(), $mails_before );
			if ( array() !== $mails ) {
				break;
			}
			usleep( 200000 );
		}
		$this->assertCount( 1, $mails, 'Postfix delivered the test email' );
		$this->assertStringContainsString( 'Authenticated sender: ' . self::ACCOUNT, (string) file_get_contents( (string) reset( $mails ) ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		// From follows the mailbox: WordPress's default sender would be refused as SendAsDenied by Microsoft.
		$this->assertMatchesRegularExpression( '/^From: .*<' . preg_quote( self::ACCOUNT, '/' ) . '>\r?$/m', (string) file_get_contents( (string) reset( $mails ) ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents

		// Disconnect forgets both tokens and answers the settings, without a secret.
		$gone = $this->rest( 'POST', '/smtp-port-helper/v1/oauth/disconnect' );
		$this->assertSame( 200, $gone->get_status() );
		$this->assertSame( 'none', $gone->get_data()['oauth_connection']['state'] );
		$this->assertNoSecret( 'disconnect answer', (string) wp_json_encode( $gone->get_data() ), $secrets );
		$this->assertNull( $this->raw_option( Token_Store::OPTION ) );
		$this->assertNull( $this->raw_option( Token_Store::ACCESS_OPTION ) );
	}

	public function test_an_expiring_access_token_is_refreshed_and_then_cached(): void {
		$this->needs_postfix();
		$this->log_in_as( 'administrator' );
		// Tokens of this sign-in live 60 s: still valid, but inside the 5-minute margin, so the next use refreshes.
		$this->test_post( 'access-token-ttl', array( 'seconds' => '60' ) );
		$this->assertTrue( $this->finish( $this->sign_in() )['ok'] );
		$first = $this->stored_tokens()['access'];
		$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );

		$oauth  = new OAuth_Connection( new Settings_Store() );
		$policy = ( new Address_Policy_Source() )->for_current_user();
		$second = $oauth->access_token( $policy );
		$this->assertTrue( $second->ok(), $second->message );
		$this->assertNotSame( $first, $second->token, 'refreshed' );
		$this->assertSame( $second->token, $oauth->access_token( $policy )->token, 'cached while it lives' );
		$this->assertSame( $second->token, $this->stored_tokens()['access'] );

		// The refreshed token logs in at Postfix (Dovecot introspects it).
		$report = ( new Port_Prober() )->run( ( new Probe_Options_Factory( new Settings_Store() ) )->from_settings( 10.0 ) );
		$this->assertSame( Verdict::OK, $report->get_result( 587 )->verdict, (string) wp_json_encode( $report->get_result( 587 )->to_array() ) );
	}

	/**
	 * Waits for the next message Postfix relays to the capture.
	 *
	 * @param string[] $before The captured files before sending.
	 * @return string[] The new files.
	 */
	private function captured_since( array $before ): array {
		for ( $wait = 0; $wait < 50; $wait++ ) {
			$mails = array_diff( self::mail_files(), $before );
			if ( array() !== $mails ) {
				return array_values( $mails );
			}
			usleep( 200000 );
		}
		return array();
	}

	public function test_rekey_seals_the_client_secret_and_the_tokens_again_so_sending_goes_on(): void {
		$this->needs_postfix();
		global $wpdb;
		$this->log_in_as( 'administrator' );
		// The access token is inside the refresh margin: the send after the rekey must open the refresh token and the client secret.
		$this->test_post( 'access-token-ttl', array( 'seconds' => '60' ) );
		$this->assertTrue( $this->finish( $this->sign_in() )['ok'] );
		$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );
		$new_key = "--exec='define( \"SMTP_PORT_HELPER_KEY\", \"oauth-rekey-new-phrase\" );'";
		$new_box = new Secret_Box( 'constant|oauth-rekey-new-phrase' );
		$wpdb->query( 'COMMIT' );
		try {
			list( $status, $output ) = $this->wp( "$new_key smtp-port-helper rekey", null, true );
			$this->assertSame( 0, $status, $output );
			$rekey_output = $output;
			wp_cache_flush();

			// A test email through the real WP-CLI under the new key: refreshed, then XOAUTH2 at Postfix.
			$before                  = self::mail_files();
			list( $status, $output ) = $this->wp( "$new_key smtp-port-helper send-test someone@oauth.test", null, true );
			$this->assertSame( 0, $status, $output );
			$mails = $this->captured_since( $before );
			$this->assertCount( 1, $mails, 'Postfix delivered the test email' );
			$this->assertStringContainsString( 'Authenticated sender: ' . self::ACCOUNT, (string) file_get_contents( $mails[0] ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents

			$this->assertMatchesRegularExpression( '/OAuth client secret of site \d+\s+resealed/', $rekey_output );
			$this->assertMatchesRegularExpression( '/OAuth sign-in of site \d+\s+resealed/', $rekey_output );
			$this->assertStringNotContainsString( self::CLIENT_SECRET, $rekey_output );
			wp_cache_flush();

			$under_new = new Settings_Store( null, $new_box );
			$this->assertSame( self::CLIENT_SECRET, $under_new->oauth_client_secret(), 'the client secret opens under the new key' );
			$this->assertNull( ( new Settings_Store() )->oauth_client_secret(), 'and no longer under the salts' );
			$tokens = new Token_Store( $new_box, 'site:' . get_current_blog_id() );
			$record = $tokens->record_for( $under_new->get() );
			$this->assertNotNull( $record );
			$this->assertNotNull( $tokens->refresh_token( $record ), 'the refresh token opens under the new key' );
			$this->assertNotNull( $tokens->access_token( $record, 0 ), 'the access token too' );

			list( $status, $output ) = $this->wp( "$new_key smtp-port-helper rekey", null, true );
			$this->assertSame( 0, $status, $output );
			$this->assertMatchesRegularExpression( '/OAuth client secret of site \d+\s+current/', $output );
			$this->assertMatchesRegularExpression( '/OAuth sign-in of site \d+\s+current/', $output );
		} finally {
			delete_option( Token_Store::OPTION );
			delete_option( Token_Store::ACCESS_OPTION );
			delete_option( Settings_Store::OPTION );
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}

	/**
	 * Starts a TCP relay from a port of its own to the authorization server: the token endpoint
	 * the plugin is given, so that the test can take it down and bring it back while the
	 * server (and the grants it keeps in memory) goes on.
	 *
	 * @param int $port Port to listen on.
	 * @return resource The relay's process.
	 */
	private function start_token_relay( int $port ) {
		$script  = 'const net = require( "net" ); net.createServer( ( c ) => { const s = net.connect( ' . (int) wp_parse_url( self::ISSUER, PHP_URL_PORT ) . ', "127.0.0.1" ); c.pipe( s ); s.pipe( c ); c.on( "error", () => s.destroy() ); s.on( "error", () => c.destroy() ); } ).listen( ' . $port . ', "127.0.0.1", () => console.log( "listening" ) );';
		$process = proc_open( array( 'node', '-e', $script ), array( 1 => array( 'pipe', 'w' ) ), $pipes );
		$this->assertIsResource( $process );
		$this->assertSame( "listening\n", fgets( $pipes[1] ) );
		return $process;
	}

	/**
	 * Ends a relay started by start_token_relay().
	 *
	 * @param resource $process The relay's process.
	 */
	private function stop_token_relay( $process ): void {
		proc_terminate( $process );
		proc_close( $process );
	}

	/**
	 * The outbox runner as WP-Cron runs it.
	 */
	private function outbox_runner(): Outbox_Runner {
		$queue = new Mail_Queue( new Outbox() );
		return new Outbox_Runner( new Outbox(), new Mailer_Hook( new Settings_Store(), null, $queue ), $queue );
	}

	public function test_mail_held_back_by_an_unreachable_token_endpoint_is_delivered_once_by_the_outbox_when_it_answers_again(): void {
		$this->needs_postfix();
		global $wpdb;
		$relay_port = Server_Process::free_ports( 1 )[0];
		$token_url  = 'http://127.0.0.1:' . $relay_port . '/token';
		$relay      = $this->start_token_relay( $relay_port );
		try {
			$this->assertNotWPError(
				( new Settings_Store() )->update(
					array(
						'oauth_token_url'     => $token_url,
						'oauth_client_secret' => self::CLIENT_SECRET,
					)
				)
			);
			$this->log_in_as( 'administrator' );
			// Tokens of this sign-in live 60 s: inside the refresh margin, so every use refreshes at the token endpoint.
			$this->test_post( 'access-token-ttl', array( 'seconds' => '60' ) );
			$this->assertTrue( $this->finish( $this->sign_in() )['ok'] );
			$this->stop_token_relay( $relay );
			$relay = null;

			$subject = 'Waits for the token endpoint ' . wp_generate_password( 8, false );
			$this->assertTrue( wp_mail( 'someone@oauth.test', $subject, 'Body' ), 'wp_mail() reports the message kept' );
			$table = Outbox_Table::name();
			$id    = (int) $wpdb->get_var( "SELECT id FROM {$table} ORDER BY id DESC LIMIT 1" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			$entry = ( new Outbox() )->find( $id );
			$this->assertSame( Outbox::QUEUED, $entry['status'] ?? null, 'waiting to be retried, not held: ' . wp_json_encode( $entry ) );
			$this->assertSame( 'token', $entry['stage'] ?? null );
			$this->assertSame( 'connected', $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['oauth_connection']['state'], 'an outage does not fail the connection' );

			// Still down when the backoff is over: it waits again.
			$wpdb->update( $table, array( 'next_attempt_at' => 0 ), array( 'id' => $id ) );
			$stats = $this->outbox_runner()->run();
			$this->assertSame( array( 0, 1, 0 ), array( $stats['delivered'], $stats['waiting'], $stats['held'] ), (string) wp_json_encode( $stats ) );
			$this->assertSame( Outbox::QUEUED, ( new Outbox() )->find( $id )['status'] ?? null );

			// The token endpoint answers again: the next run refreshes and delivers, once.
			$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );
			$relay  = $this->start_token_relay( $relay_port );
			$before = self::mail_files();
			$wpdb->update( $table, array( 'next_attempt_at' => 0 ), array( 'id' => $id ) );
			$this->assertSame( 1, $this->outbox_runner()->run()['delivered'] );
			$this->assertNull( ( new Outbox() )->find( $id ) );
			$this->assertSame( 0, array_sum( $this->outbox_runner()->run() ), 'a second run finds nothing' );
			$this->assertNotSame( array(), $this->captured_since( $before ), 'Postfix delivered it' );
			usleep( 500000 ); // Room for a second copy to arrive, were there one.
			$mails = array_values( array_diff( self::mail_files(), $before ) );
			$this->assertCount( 1, $mails, 'delivered exactly once' );
			$this->assertStringContainsString( $subject, (string) file_get_contents( $mails[0] ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			$this->assertStringContainsString( 'Authenticated sender: ' . self::ACCOUNT, (string) file_get_contents( $mails[0] ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		} finally {
			if ( null !== $relay ) {
				$this->stop_token_relay( $relay );
			}
		}
	}

	public function test_a_revoked_grant_fails_the_connection_holds_mail_and_is_critical(): void {
		$this->needs_postfix();
		$this->log_in_as( 'administrator' );
		$this->test_post( 'access-token-ttl', array( 'seconds' => '2' ) );
		$this->assertTrue( $this->finish( $this->sign_in() )['ok'] );
		$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );
		$this->test_post( 'revoke-grants' );

		$token = ( new OAuth_Connection( new Settings_Store() ) )->access_token( ( new Address_Policy_Source() )->for_current_user() );
		$this->assertFalse( $token->ok() );
		$this->assertSame( Verdict::OAUTH_REFRESH_FAILED, $token->code );
		$this->assertStringContainsString( 'invalid_grant', $token->message );
		$this->assertStringContainsString( 'Connect', $token->message );

		$connection = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['oauth_connection'];
		$this->assertSame( 'failed', $connection['state'] );
		$this->assertSame( Verdict::OAUTH_REFRESH_FAILED, $connection['code'] );
		$this->assertStringContainsString( 'invalid_grant', $connection['message'] );
		$this->assertStringContainsString( 'invalid_grant', (string) ( new OAuth_Notice( new Settings_Store(), new OAuth_Connection( new Settings_Store() ) ) )->message() );

		// wp_mail() keeps the message in the outbox, held until the mailbox is connected again.
		$this->assertTrue( wp_mail( 'someone@oauth.test', 'Held', 'Body' ), 'wp_mail() reports the message kept' );
		$held = ( new Outbox() )->counts();
		$this->assertSame( 1, $held[ Outbox::HELD ], (string) wp_json_encode( $held ) );
		$this->assertSame( 0, array_sum( $this->outbox_runner()->run() ), 'held until connected again: the outbox does not retry it' );
		$this->assertSame( 1, ( new Outbox() )->counts()[ Outbox::HELD ] );

		// Site Health: critical, with the provider's error in plain words; and the probe's verdict.
		$site_health = new Port_Check( new Settings_Store(), new Port_Prober(), new Probe_Options_Factory( new Settings_Store() ) );
		$check       = $site_health->test();
		$this->assertSame( 'critical', $check['status'] );
		$this->assertStringContainsString( 'invalid_grant', $check['description'] );
		$report = ( new Port_Prober() )->run( ( new Probe_Options_Factory( new Settings_Store() ) )->from_settings( 10.0 ) );
		$this->assertSame( Verdict::OAUTH_REFRESH_FAILED, $report->get_result( 587 )->verdict );
	}

	public function test_a_wrong_or_reused_state_is_refused_and_nothing_is_stored(): void {
		$this->log_in_as( 'administrator' );
		$query = $this->sign_in();

		$forged = $this->finish( array( 'state' => str_repeat( 'A', 32 ) . substr( $query['state'], 32 ) ) + $query );
		$this->assertFalse( $forged['ok'] );
		$this->assertSame( 'oauth_state_invalid', $forged['code'] );
		$this->assertNull( $this->raw_option( Token_Store::OPTION ), 'nothing stored' );

		// Another administrator cannot use this user's state.
		$this->log_in_as( 'administrator' );
		$this->assertSame( 'oauth_state_invalid', $this->finish( $query )['code'] );
		$this->assertNull( $this->raw_option( Token_Store::OPTION ) );
		$this->assertSame( 'none', $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['oauth_connection']['state'] );
	}

	public function test_a_state_works_once(): void {
		$this->log_in_as( 'administrator' );
		$query = $this->sign_in();
		$this->assertTrue( $this->finish( $query )['ok'] );
		$this->assertSame( 'oauth_state_invalid', $this->finish( $query )['code'] );
	}

	public function test_an_editor_can_neither_start_nor_finish_a_sign_in(): void {
		$this->log_in_as( 'administrator' );
		$query = $this->sign_in();

		$this->log_in_as( 'editor' );
		$refused = $this->finish( $query );
		$this->assertFalse( $refused['ok'] );
		$this->assertSame( 'oauth_forbidden', $refused['code'] );
		$this->assertNull( $this->raw_option( Token_Store::OPTION ), 'nothing stored' );
		$this->assertSame( 403, $this->rest( 'POST', '/smtp-port-helper/v1/oauth/authorize' )->get_status() );
		$this->assertSame( 403, $this->rest( 'POST', '/smtp-port-helper/v1/oauth/disconnect' )->get_status() );
	}

	public function test_authorize_names_the_missing_setting(): void {
		$this->log_in_as( 'administrator' );
		$this->assertNotWPError( ( new Settings_Store() )->update( array( 'oauth_client_id' => '' ) ) );
		$response = $this->rest( 'POST', '/smtp-port-helper/v1/oauth/authorize' );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'oauth_client_id', $response->get_data()['data']['params'] );
	}

	public function test_the_client_secret_is_write_only_and_bound_to_its_endpoint(): void {
		$this->log_in_as( 'administrator' );
		$answer = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data();
		$this->assertTrue( $answer['oauth_client_secret_set'] );
		$this->assertArrayNotHasKey( 'oauth_client_secret', $answer );
		$this->assertStringNotContainsString( self::CLIENT_SECRET, (string) $this->raw_option( 'smtp_port_helper_settings' ) );
		$this->assertSame( self::CLIENT_SECRET, ( new Settings_Store() )->oauth_client_secret() );

		// Another token endpoint never receives the stored secret: it is forgotten.
		$this->assertNotWPError( ( new Settings_Store() )->update( array( 'oauth_token_url' => 'https://evil.example/token' ) ) );
		$this->assertNull( ( new Settings_Store() )->oauth_client_secret() );
		$this->assertFalse( $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data()['oauth_client_secret_set'] );

		$bad = $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'oauth_token_url' => 'http://login.example.com/token' ) );
		$this->assertSame( 400, $bad->get_status() );
		$this->assertArrayHasKey( 'oauth_token_url', $bad->get_data()['data']['params'] );
	}
}
