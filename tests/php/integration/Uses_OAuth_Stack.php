<?php
/**
 * The OAuth test stack for integration tests: the local authorization server (oidc-provider,
 * env/oauth), its test-only endpoints, a sign-in like a person's, and Postfix + Dovecot's capture.
 * The suites run at the same time against the one stack: each signs in with its own account
 * (SMTP_PORT_HELPER_TEST_OAUTH_ACCOUNT, tests/php/bootstrap-wordpress.php), changes only that
 * account's test settings, counts only its refreshes and reads only the mail it sent.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * For integration test cases that sign in at the local authorization server.
 */
trait Uses_OAuth_Stack {

	private const ISSUER        = 'http://127.0.0.1:9411';
	private const ACCOUNT       = \SMTP_PORT_HELPER_TEST_OAUTH_ACCOUNT;
	private const CLIENT_ID     = 'smtp-port-helper-test';
	private const CLIENT_SECRET = 'local-oauth-test-client-secret';

	/**
	 * Skips without the stack (root, the authorization server) and saves the OAuth settings.
	 */
	private function use_oauth_stack(): void {
		if ( function_exists( 'posix_geteuid' ) && 0 !== posix_geteuid() ) {
			$this->markTestSkipped( 'Needs root: the private Postfix + Dovecot that check XOAUTH2 tokens start only as root (CI runs this as root).' );
		}
		$health = @file_get_contents( self::ISSUER . '/test/health' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged, WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- is the stack's server up?
		if ( false === $health ) {
			$this->markTestSkipped( 'The local authorization server is not running (bash env/stack.sh start, as root).' );
		}
		$this->test_post( 'access-token-ttl', array( 'seconds' => '3600' ) );
		$result = ( new Settings_Store() )->update( self::oauth_settings() );
		$this->assertFalse( is_wp_error( $result ), is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}

	/**
	 * The stack's Postfix with XOAUTH2, the local authorization server as a generic provider.
	 *
	 * @return array<string, mixed>
	 */
	private static function oauth_settings(): array {
		return array(
			'enabled'             => true,
			'host'                => '127.0.0.2',
			'port'                => 587,
			'encryption'          => 'starttls',
			'auth'                => true,
			'auth_method'         => 'oauth2',
			'username'            => self::ACCOUNT,
			'from_email'          => self::ACCOUNT,
			'oauth_provider'      => 'generic',
			'oauth_authorize_url' => self::ISSUER . '/authorize',
			'oauth_token_url'     => self::ISSUER . '/token',
			'oauth_scope'         => 'https://outlook.office.com/SMTP.Send offline_access openid email',
			'oauth_client_id'     => self::CLIENT_ID,
			'oauth_client_secret' => self::CLIENT_SECRET,
		);
	}

	/**
	 * Posts to a test-only endpoint of the authorization server, for this suite's account.
	 *
	 * @param string                $name   Endpoint under /test/.
	 * @param array<string, string> $fields Form fields.
	 * @return array<string, mixed> Its JSON answer.
	 */
	private function test_post( string $name, array $fields = array() ): array {
		$context = stream_context_create(
			array(
				'http' => array(
					'method'  => 'POST',
					'header'  => 'Content-Type: application/x-www-form-urlencoded',
					'content' => http_build_query( $fields + array( 'account' => self::ACCOUNT ) ),
				),
			)
		);
		$answer  = file_get_contents( self::ISSUER . '/test/' . $name, false, $context ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- the test stack's server.
		$this->assertIsString( $answer, $name );
		return (array) json_decode( $answer, true );
	}

	/**
	 * Refresh grants the token endpoint answered so far for this suite's account.
	 */
	private function refreshes(): int {
		$answer = file_get_contents( self::ISSUER . '/test/stats?account=' . rawurlencode( self::ACCOUNT ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- the test stack's server.
		$this->assertIsString( $answer, 'GET /test/stats' );
		return (int) ( json_decode( $answer, true )['refreshes'] ?? -1 );
	}

	/**
	 * Connects the mailbox: the REST route, the server's sign-in and consent, the page's callback.
	 */
	private function connect(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest( 'POST', '/smtp-port-helper/v1/oauth/authorize' );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		parse_str( (string) wp_parse_url( $this->token_js( 'approve', $response->get_data()['authorize_url'] ), PHP_URL_QUERY ), $query );
		$outcome = ( new OAuth_Callback( new OAuth_Connection( new Settings_Store() ) ) )->handle(
			array(
				'code'  => (string) ( $query['code'] ?? '' ),
				'state' => (string) ( $query['state'] ?? '' ),
			)
		);
		$this->assertTrue( $outcome['ok'], $outcome['message'] );
	}

	/**
	 * Runs env/oauth/token.js (the stack's helper that signs in and allows like a user) as this
	 * suite's account.
	 *
	 * @param string ...$args Arguments.
	 * @return string What it printed.
	 */
	private function token_js( string ...$args ): string {
		$command = 'OAUTH_ACCOUNT=' . escapeshellarg( self::ACCOUNT ) . ' node ' . escapeshellarg( dirname( __DIR__, 3 ) . '/env/oauth/token.js' ) . ' ' . implode( ' ', array_map( 'escapeshellarg', $args ) ) . ' 2>&1';
		exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec -- the test stack's helper.
		$this->assertSame( 0, $status, implode( "\n", $output ) );
		return trim( implode( "\n", $output ) );
	}

	/**
	 * The cached access token (for comparisons only).
	 */
	private function cached_access_token(): string {
		$store  = ( new OAuth_Connection( new Settings_Store() ) )->tokens();
		$record = $store->record_for( ( new Settings_Store() )->get() );
		$this->assertNotNull( $record );
		return (string) $store->access_token( $record, 0 );
	}

	/**
	 * The messages of this suite's account Postfix relays to the capture after `$before`, waiting up
	 * to 10 s for `$count`.
	 *
	 * @param string[] $before Captured files before sending.
	 * @param int      $count  How many are expected.
	 * @return string[] Their contents.
	 */
	private function captured( array $before, int $count ): array {
		$mails = array();
		for ( $wait = 0; $wait < 50; $wait++ ) {
			$mails = array_values( array_diff( self::mail_files(), $before ) );
			if ( count( $mails ) >= $count ) {
				break;
			}
			usleep( 200000 );
		}
		usleep( 300000 ); // Room for an extra copy to arrive, were there one.
		$mails = array_values( array_diff( self::mail_files(), $before ) );
		return array_map( static fn( string $file ): string => (string) file_get_contents( $file ), $mails ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
	}

	/**
	 * The captured files of messages Postfix accepted from this suite's account: Postfix names the
	 * sender that logged in with XOAUTH2 in its Received header.
	 *
	 * @return string[]
	 */
	private static function mail_files(): array {
		$mine = '(Authenticated sender: ' . self::ACCOUNT . ')';
		return array_values(
			array_filter(
				(array) glob( dirname( __DIR__, 3 ) . '/.run/oauth/mails/*.eml' ),
				static fn( string $file ): bool => false !== strpos( (string) file_get_contents( $file, false, null, 0, 4096 ), $mine ) // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			)
		);
	}

}
