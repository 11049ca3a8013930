<?php
/**
 * Issue #21's "Done when" for Microsoft 365, Gmail, Mailgun (US and EU) and Amazon SES on a host
 * whose firewall rejects outbound 25, 465, 587 and 2525. One network namespace and its servers
 * for the whole class: SMTP listeners behind the firewall; the local API servers on port 443 of
 * their own loopback address each, under the providers' real host names (the namespace's hosts
 * file; a certificate for those names is the CA file the flow trusts), so the region chosen
 * decides which server a message reaches; the local OAuth authorization server for Graph and
 * Gmail. Per provider: the port test of its SMTP host recommends its HTTPS API, applied as the
 * page does (Graph and Gmail signed in through the authorization server), and a test email and
 * a visitor's password reset arrive exactly once, intact; then its error answers (bad key,
 * missing permission, throttled, too large) each keep the message in the outbox with the reason
 * in plain words.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\BlockedPorts;

use PHPUnit\Framework\TestCase;

require_once __DIR__ . '/support/Behind_The_Firewall.php';

final class Blocked_Ports_Providers_Test extends TestCase {

	use Behind_The_Firewall;

	private const BLOCKED = array( 25, 465, 587, 2525 );

	/**
	 * Local server => its provider, its loopback address, the API host name it answers for and
	 * the process it runs in (one node process per group: Mailgun's EU server needs its own, as
	 * a process serves each provider once).
	 */
	private const SERVERS = array(
		'graph'      => array( 'graph', '127.0.0.11', 'graph.microsoft.com', 'apis' ),
		'gmail'      => array( 'gmail', '127.0.0.12', 'gmail.googleapis.com', 'apis' ),
		'mailgun-us' => array( 'mailgun', '127.0.0.13', 'api.mailgun.net', 'apis' ),
		'mailgun-eu' => array( 'mailgun', '127.0.0.14', 'api.eu.mailgun.net', 'apis-eu' ),
		'ses'        => array( 'ses', '127.0.0.15', 'email.eu-central-1.amazonaws.com', 'apis' ),
		'sendgrid'   => array( 'sendgrid', '127.0.0.16', 'api.sendgrid.com', 'apis' ),
		'postmark'   => array( 'postmark', '127.0.0.17', 'api.postmarkapp.com', 'apis' ),
		'resend'     => array( 'resend', '127.0.0.18', 'api.resend.com', 'apis' ),
		'brevo'      => array( 'brevo', '127.0.0.19', 'api.brevo.com', 'apis' ),
	);

	/** The SMTP hosts whose port tests run (all of them behind the firewall). */
	private const SMTP_HOSTS = array( 'smtp.office365.com', 'smtp.gmail.com', 'smtp.mailgun.org', 'smtp.eu.mailgun.org', 'email-smtp.eu-central-1.amazonaws.com', 'smtp.sendgrid.net', 'smtp.postmarkapp.com', 'smtp.resend.com', 'smtp-relay.brevo.com' );

	/** The one account of the local authorization server (env/oauth/settings.js). */
	private const ACCOUNT = 'owner@oauth.test';

	private const OAUTH_CLIENT = array(
		'oauth_client_id'     => 'smtp-port-helper-test',
		'oauth_client_secret' => 'local-oauth-test-client-secret',
	);

	private const MAILGUN = array(
		'api_key'     => 'local-mailgun-key',
		'api_account' => 'mg.example.test',
	);

	private const SES = array(
		'api_key'     => 'local/ses+secret/AAAAAAAAAAAAAAAAAAAAAAAA',
		'api_account' => 'AKIALOCALSESTEST0001',
		'api_region'  => 'eu-central-1',
	);

	/**
	 * The plain words a refused key and a missing permission must be explained with: what is
	 * true for an HTTPS API (never "the SMTP server refused the login").
	 */
	private const API_KEY_VERDICTS = array(
		'bad key'            => array( 'held', 401, '/API key/' ),
		'missing permission' => array( 'held', 403, '/permission/' ),
	);

	/**
	 * The port test found every SMTP port refused and recommended the provider's API on 443.
	 *
	 * @param array<string, mixed> $result    The flow's result.
	 * @param string               $transport The transport id expected.
	 */
	private function assert_api_recommended( array $result, string $transport ): void {
		$report = $result['report'];
		$this->assertIsArray( $report, (string) json_encode( $result ) );
		foreach ( $report['results'] as $port ) {
			$this->assertSame( 'refused', $port['verdict'], "port {$port['port']}: {$port['message']}" );
		}
		$this->assertTrue( $report['api']['usable'], $report['api']['message'] );
		$this->assertSame( $transport, $report['recommendation']['transport'] ?? null, (string) json_encode( $report ) );
		$this->assertSame( 443, $report['recommendation']['port'] );
		$this->assertStringContainsString( 'No SMTP port works from this server (tested: 587, 2525, 465)', $report['recommendation']['reason'] );
		$this->assertSame( 200, $result['applied']['status'], (string) json_encode( $result['applied'] ) );
		$this->assertSame( $transport, $result['applied']['data']['transport'] ?? null );
	}

	/**
	 * The test email and the password reset arrived at the server, each exactly once and intact,
	 * and nothing waits in the outbox.
	 *
	 * @param array<string, mixed> $result The flow's result.
	 * @param string               $label  The local server (SERVERS).
	 * @return array<string, array<string, mixed>> Subject => the received message.
	 */
	private function assert_both_arrived_once( array $result, string $label ): array {
		$this->assertSame( 200, $result['test_email']['status'], (string) json_encode( $result['test_email'] ) );
		$this->assertTrue( $result['reset'], (string) json_encode( $result['reset'] ) );
		$this->assertSame( array(), $result['outbox'], 'nothing waits in the outbox' );
		$received = self::received( $label );
		$this->assertCount( 2, $received, 'the test email and the reset, each once' );
		$by_to = array();
		foreach ( $received as $one ) {
			$to = array_column( $one['message']['to'], 'address' );
			$this->assertCount( 1, $to );
			$by_to[ $to[0] ] = $one;
		}
		$this->assertArrayHasKey( 'admin-check@example.com', $by_to, 'the test email' );
		$this->assertArrayHasKey( $result['visitor'], $by_to, 'the password reset' );
		$this->assertSame( 'Südsee-Blog — Grüße 🎉', $result['site'] );
		$test_email = $by_to['admin-check@example.com']['message'];
		$this->assertSame( 'Test message from Südsee-Blog — Grüße 🎉 (SMTP Port Helper)', $test_email['subject'], 'the subject beyond ASCII intact' );
		$this->assertStringStartsWith( 'This test message was sent by SMTP Port Helper.', trim( $test_email['text'] ) );
		$reset = $by_to[ $result['visitor'] ]['message'];
		$this->assertSame( '[Südsee-Blog — Grüße 🎉] Password Reset', $reset['subject'], 'the subject beyond ASCII intact' );
		$this->assertMatchesRegularExpression( '/wp-login\.php\?login=' . preg_quote( rawurlencode( explode( '@', $result['visitor'] )[0] ), '/' ) . '&key=[A-Za-z0-9]{20}&action=rp/', $reset['text'], 'the reset link intact' );
		return $by_to;
	}

	/**
	 * Each error answer gave its verdict in plain words and lost nothing: a message the API may
	 * take later stays in the outbox (queued to try again, or held until the administrator acts)
	 * and the Outbox view explains it; a message too large for the API fails wp_mail() with the
	 * limit named (the caller learns it, as for an SMTP server's size refusal). None arrived.
	 *
	 * @param array<string, mixed>                                      $result   The flow's result.
	 * @param array<string, array{0: string, 1: int, 2: string}|string> $expected Error name => [status, code, the words of its
	 *                                                                            explanation] for a kept message, or the words of
	 *                                                                            wp_mail()'s refusal for one too large.
	 * @param string                                                    $label    The local server (SERVERS).
	 */
	private function assert_error_verdicts( array $result, array $expected, string $label ): void {
		$this->assertSame( array_keys( $expected ), array_keys( $result['errors'] ) );
		foreach ( $expected as $name => $verdict ) {
			$error = $result['errors'][ $name ];
			if ( is_string( $verdict ) ) {
				$this->assertFalse( $error['accepted'], "{$name}: wp_mail() says it failed" );
				$this->assertMatchesRegularExpression( $verdict, $error['refusal'], $name );
				$this->assertSame( array(), $error['kept'], "{$name}: the message can never pass this API, so it does not wait for it" );
				continue;
			}
			list( $status, $code, $words ) = $verdict;
			$this->assertTrue( $error['accepted'], "{$name}: wp_mail() hands it to the outbox" );
			$this->assertCount( 1, $error['kept'], "{$name}: the message stays in the outbox " . json_encode( $error ) );
			$kept = $error['kept'][0];
			$this->assertSame( $status, $kept['status'], $name );
			$this->assertSame( $code, $kept['code'], $name );
			$this->assertMatchesRegularExpression( $words, $kept['explanation'], "{$name}: the Outbox view's words " . json_encode( $kept ) );
			$this->assertStringNotContainsString( 'SMTP', $kept['explanation'], "{$name}: the words fit the HTTPS API in use" );
		}
		$this->assertCount( 2, self::received( $label ), 'none of them arrived' );
	}

	/**
	 * An error answer to provoke for one wp_mail().
	 *
	 * @param string               $name     Its name.
	 * @param array<string, mixed> $settings Settings changed for it (an API key, an account).
	 * @param array<string, mixed> $extra    faults (the local server's), attachment_bytes, revoke_sign_in.
	 * @return array<string, mixed>
	 */
	private static function error( string $name, array $settings = array(), array $extra = array() ): array {
		return $extra + array(
			'name'             => $name,
			'settings'         => $settings,
			'faults'           => array(),
			'attachment_bytes' => 0,
		);
	}

	/**
	 * The API's answer "slow down, try again in two minutes".
	 */
	private static function throttled(): array {
		return self::error(
			'throttled',
			array(),
			array(
				'faults' => array(
					array(
						'status'      => 429,
						'retry_after' => '120',
					),
				),
			)
		);
	}

	/**
	 * A case of a provider that signs in with OAuth 2.0 (Microsoft Graph, the Gmail API).
	 *
	 * @param string $host     The provider's SMTP host.
	 * @param string $provider The sign-in's profile.
	 * @param string $api      The API's base URL.
	 * @param int    $too_big  Attachment bytes over the API's limit.
	 */
	private static function signed_in_case( string $host, string $provider, string $api, int $too_big ): array {
		return array(
			'host'     => $host,
			'sign_in'  => true,
			'api'      => $api,
			'settings' => array(
				'auth'           => true,
				'auth_method'    => 'oauth2',
				'oauth_provider' => $provider,
				'username'       => self::ACCOUNT,
				'from_email'     => self::ACCOUNT,
			) + self::OAUTH_CLIENT,
			'errors'   => array(
				self::error( 'too large', array(), array( 'attachment_bytes' => $too_big ) ),
				self::throttled(),
				self::error( 'sign-in refused', array(), array( 'revoke_sign_in' => true ) ),
			),
		);
	}

	public function test_microsoft_365_behind_the_firewall_sends_through_graph_signed_in_at_the_authorization_server(): void {
		$result = $this->flow( self::signed_in_case( 'smtp.office365.com', 'microsoft', 'https://graph.microsoft.com', 3500000 ) );

		$this->assert_api_recommended( $result, 'microsoft-graph' );
		$this->assertTrue( $result['signed_in']['ok'], (string) json_encode( $result['signed_in'] ) );
		$arrived = $this->assert_both_arrived_once( $result, 'graph' );
		foreach ( $arrived as $one ) {
			$this->assertSame( '/v1.0/me/sendMail', $one['request']['path'] );
			$this->assertSame( self::ACCOUNT, $one['request']['account'], 'sent with the token of the signed-in mailbox' );
		}
		$this->assert_error_verdicts(
			$result,
			array(
				'too large'       => '/4 MB/',
				'throttled'       => array( 'queued', 429, '/asked to slow down/' ),
				'sign-in refused' => array( 'held', 0, '/refused the sign-in.*"Connect"/' ),
			),
			'graph'
		);
	}

	public function test_gmail_behind_the_firewall_sends_through_the_gmail_api_signed_in_at_the_authorization_server(): void {
		$result = $this->flow( self::signed_in_case( 'smtp.gmail.com', 'google', 'https://gmail.googleapis.com', 28 * 1024 * 1024 ) );

		$this->assert_api_recommended( $result, 'gmail' );
		$this->assertTrue( $result['signed_in']['ok'], (string) json_encode( $result['signed_in'] ) );
		$arrived = $this->assert_both_arrived_once( $result, 'gmail' );
		foreach ( $arrived as $one ) {
			$this->assertSame( self::ACCOUNT, $one['request']['account'] ?? null, 'sent with the token of the signed-in account' );
		}
		$this->assert_error_verdicts(
			$result,
			array(
				'too large'       => '/35 MB/',
				'throttled'       => array( 'queued', 429, '/asked to slow down/' ),
				'sign-in refused' => array( 'held', 0, '/refused the sign-in.*"Connect"/' ),
			),
			'gmail'
		);
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: string, 3: string, 4: string}>
	 */
	public function sign_ins_without_the_permission_to_send(): array {
		return array(
			'Microsoft Graph without Mail.Send' => array( 'smtp.office365.com', 'microsoft', 'microsoft-graph', 'graph', 'https://graph.microsoft.com/User.Read offline_access' ),
			'Gmail API without gmail.send'      => array( 'smtp.gmail.com', 'google', 'gmail', 'gmail', 'openid email' ),
		);
	}

	/**
	 * The app registration lacks the permission to send: the sign-in works, the API refuses to
	 * send (403), and the mail waits, held, with words that name the missing permission.
	 *
	 * @dataProvider sign_ins_without_the_permission_to_send
	 *
	 * @param string $host      The provider's SMTP host.
	 * @param string $profile   The sign-in's profile.
	 * @param string $transport The transport id.
	 * @param string $label     The local server (SERVERS).
	 * @param string $scope     The scope the sign-in gets.
	 */
	public function test_a_sign_in_without_the_permission_to_send_holds_the_mail_and_names_the_permission( string $host, string $profile, string $transport, string $label, string $scope ): void {
		$case          = self::signed_in_case( $host, $profile, 'https://' . self::SERVERS[ $label ][2], 0 );
		$case['scope'] = $scope;
		unset( $case['errors'] );

		$result = $this->flow( $case );

		$this->assert_api_recommended( $result, $transport );
		$this->assertTrue( $result['signed_in']['ok'], (string) json_encode( $result['signed_in'] ) );
		$this->assertNotSame( 200, $result['test_email']['status'], 'the test email says it was not sent' );
		$this->assertMatchesRegularExpression( '/permission|scope/i', (string) json_encode( $result['test_email']['data'] ), (string) json_encode( $result['test_email'] ) );
		$this->assertCount( 1, $result['outbox'], 'the password reset waits' );
		$kept = $result['outbox'][0];
		$this->assertSame( 'held', $kept['status'], (string) json_encode( $kept ) );
		$this->assertSame( 403, $kept['code'] );
		$this->assertMatchesRegularExpression( '/permission/', $kept['explanation'], (string) json_encode( $kept ) );
		$this->assertStringNotContainsString( 'SMTP', $kept['explanation'] );
		$this->assertSame( array(), self::received( $label ), 'nothing arrived' );
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: string, 3: string}>
	 */
	public function mailgun_regions(): array {
		return array(
			'US region' => array( 'smtp.mailgun.org', 'us', 'mailgun-us', 'mailgun-eu' ),
			'EU region' => array( 'smtp.eu.mailgun.org', 'eu', 'mailgun-eu', 'mailgun-us' ),
		);
	}

	/**
	 * @dataProvider mailgun_regions
	 */
	public function test_mailgun_behind_the_firewall_sends_through_the_api_of_the_region_chosen( string $host, string $region, string $server, string $other ): void {
		$result = $this->flow(
			array(
				'host'     => $host,
				'api'      => 'https://' . self::SERVERS[ $server ][2],
				'settings' => self::MAILGUN + array( 'api_region' => $region ),
				'errors'   => 'us' === $region ? array(
					self::error( 'bad key', array( 'api_key' => 'not-the-mailgun-key' ) ),
					self::error( 'missing permission', array( 'api_key' => 'local-mailgun-readonly-key' ) ),
					self::error( 'too large', array(), array( 'attachment_bytes' => 19 * 1024 * 1024 ) ),
					self::throttled(),
				) : array(),
			)
		);

		$this->assert_api_recommended( $result, 'mailgun' );
		$arrived = $this->assert_both_arrived_once( $result, $server );
		$this->assertSame( array(), self::received( $other ), 'nothing reached the other region' );
		foreach ( $arrived as $one ) {
			$this->assertSame( '/v3/mg.example.test/messages.mime', $one['request']['path'] ?? null );
			$this->assertStringNotContainsString( self::MAILGUN['api_key'], (string) json_encode( $one ), 'the key is not part of what arrives' );
		}
		$this->assertNotSame( array(), preg_grep( '#^/v4/domains/#', $this->logged_paths( $server ) ), 'the port test asked the API of the SMTP host\'s region' );
		$this->assertSame( array(), $this->logged_paths( $other ), 'and not the other region\'s' );
		$this->assert_error_verdicts( $result, 'us' === $region ? self::API_KEY_VERDICTS + array( 'too large' => '/25 MB/' ) + array( 'throttled' => array( 'queued', 429, '/asked to slow down/' ) ) : array(), $server );
	}

	public function test_amazon_ses_behind_the_firewall_sends_through_sendemail_in_its_region(): void {
		$result = $this->flow(
			array(
				'host'     => 'email-smtp.eu-central-1.amazonaws.com',
				'api'      => 'https://email.eu-central-1.amazonaws.com',
				'settings' => self::SES,
				'errors'   => array(
					self::error( 'bad key', array( 'api_key' => 'not/the/ses/secret/AAAAAAAAAAAAAAAAAAAAAAAA' ) ),
					self::error( 'missing permission', array( 'api_account' => 'AKIALOCALSESDENIED01' ) ),
					self::throttled(),
				),
			)
		);

		$this->assert_api_recommended( $result, 'amazon-ses' );
		$arrived = $this->assert_both_arrived_once( $result, 'ses' );
		foreach ( $arrived as $one ) {
			$this->assertSame( '/v2/email/outbound-emails', $one['request']['path'] ?? null );
			$this->assertStringNotContainsString( self::SES['api_key'], (string) json_encode( $one ), 'the secret is not part of what arrives' );
		}
		$this->assert_error_verdicts( $result, self::API_KEY_VERDICTS + array( 'throttled' => array( 'queued', 429, '/asked to slow down/' ) ), 'ses' );
	}

	public function test_every_smtp_port_is_refused_although_a_server_listens_behind_the_firewall(): void {
		$probe = 'foreach ( [ ' . implode( ', ', self::BLOCKED ) . ' ] as $p ) { $s = @stream_socket_client( "tcp://127.0.0.1:$p", $no, $msg, 2 ); echo $p, "=", false === $s ? $no : "open", "\n"; }';

		$this->assertSame( "25=111\n465=111\n587=111\n2525=111\n", self::in_namespace( array( 'php', '-r', $probe ) ), 'every SMTP port is refused (ECONNREFUSED)' );
		$this->assertStringContainsString( 'listening 2525', (string) file_get_contents( self::$dir . '/smtp-listeners.log' ), 'although a server listens on each' );
	}

	/**
	 * @return array<string, array{0: string, 1: string, 2: array<string, string>, 3: list<array<string, mixed>>, 4: array<string, mixed>}>
	 */
	public function json_api_providers(): array {
		$throttled = array( 'throttled' => array( 'queued', 429, '/asked to slow down/' ) );
		return array(
			'SendGrid' => array(
				'smtp.sendgrid.net',
				'sendgrid',
				array( 'api_key' => 'SG.local-sendgrid-key' ),
				array(
					self::error( 'bad key', array( 'api_key' => 'SG.not-the-key' ) ),
					self::error( 'missing permission', array( 'api_key' => 'SG.local-readonly-key' ) ),
					self::throttled(),
				),
				self::API_KEY_VERDICTS + $throttled,
			),
			'Postmark' => array(
				'smtp.postmarkapp.com',
				'postmark',
				array( 'api_key' => 'local-postmark-server-token' ),
				array(
					self::error( 'bad key', array( 'api_key' => 'not-the-postmark-token' ) ),
					self::error( 'too large', array(), array( 'attachment_bytes' => 8 * 1024 * 1024 ) ),
					self::throttled(),
				),
				array(
					'bad key'   => self::API_KEY_VERDICTS['bad key'],
					'too large' => '/10 MB/',
				) + $throttled,
			),
			'Resend'   => array(
				'smtp.resend.com',
				'resend',
				array( 'api_key' => 're_local_full_key' ),
				array(
					// Resend answers an unknown key with 403 invalid_api_key: still a refused key, not a missing permission.
					self::error( 'bad key', array( 'api_key' => 're_not_the_key' ) ),
					self::throttled(),
				),
				array( 'bad key' => self::API_KEY_VERDICTS['bad key'] ) + $throttled,
			),
			'Brevo'    => array(
				'smtp-relay.brevo.com',
				'brevo',
				array( 'api_key' => 'xkeysib-local-brevo-key' ),
				array(
					self::error( 'bad key', array( 'api_key' => 'xkeysib-not-the-key' ) ),
					self::throttled(),
				),
				array( 'bad key' => self::API_KEY_VERDICTS['bad key'] ) + $throttled,
			),
		);
	}

	/**
	 * @dataProvider json_api_providers
	 *
	 * @param string                                                    $host     The provider's SMTP host.
	 * @param string                                                    $server   Its local server (SERVERS), = the transport id.
	 * @param array<string, string>                                     $settings What the administrator enters (the key).
	 * @param list<array<string, mixed>>                                $errors   Its error answers to provoke.
	 * @param array<string, array{0: string, 1: int, 2: string}|string> $verdicts Their verdicts.
	 */
	public function test_a_json_api_provider_behind_the_firewall_carries_a_test_email_and_a_password_reset_once( string $host, string $server, array $settings, array $errors, array $verdicts ): void {
		$result = $this->flow(
			array(
				'host'     => $host,
				'api'      => 'https://' . self::SERVERS[ $server ][2],
				'settings' => $settings,
				'errors'   => $errors,
			)
		);

		$this->assert_api_recommended( $result, $server );
		$this->assert_both_arrived_once( $result, $server );
		foreach ( self::received( $server ) as $one ) {
			$this->assertStringNotContainsString( $settings['api_key'], (string) json_encode( $one ), 'the key is not part of what arrives' );
		}
		$this->assert_error_verdicts( $result, $verdicts, $server );
	}
}
