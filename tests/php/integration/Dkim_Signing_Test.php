<?php
/**
 * The site's own DKIM key through its real front doors (REST, WP-CLI), and mail the plugin signed
 * and sent through the real SMTP test server, verified by a real verifier — mailauth from npm —
 * against a real name server (NSD, Test_Name_Server) serving the record the site told us to publish.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Deliverability\Dkim_Key_Store;
use SmtpPortHelper\REST\Rate_Limiter;
use SmtpPortHelper\REST\Route_Guard;

require_once __DIR__ . '/Uses_Test_Name_Server.php';

/**
 * signed.test: SPF names only 192.0.2.10, DMARC p=reject, the relay the site sends through is
 * 192.0.2.77 — so DMARC passes only with the site's DKIM signature.
 *
 * @group database
 */
final class Dkim_Signing_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;
	use Uses_Test_Name_Server;

	private const ROUTE = '/smtp-port-helper/v1/dkim-key';

	/** The address receivers see the relay send from (in the zone; never connected to). */
	private const RELAY_IP = '192.0.2.77';

	/**
	 * Generates the site's key over REST and answers the record it says to publish.
	 *
	 * @return array<string, mixed> The answer.
	 */
	private function generate( string $domain = 'signed.test' ): array {
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'action' => 'generate',
				'domain' => $domain,
			)
		);
		$this->assertSame( 201, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return $response->get_data();
	}

	/**
	 * Serves signed.test with the given DKIM records.
	 *
	 * @param list<string> $dkim Records under the zone (relative names).
	 */
	private function serve_signed_zone( array $dkim ): void {
		$records = array_merge(
			array(
				'@ ' . Test_Name_Server::txt( 'v=spf1 ip4:192.0.2.10 -all' ),
				'_dmarc ' . Test_Name_Server::txt( 'v=DMARC1; p=reject' ),
				'@ MX 10 mx',
				'mx A 192.0.2.40',
				'relay A ' . self::RELAY_IP,
			),
			$dkim
		);
		$this->assertSame( '', Test_Name_Server::serve( 'signed.test', $records ) );
	}

	/**
	 * The record as a zone line.
	 *
	 * @param array{type: string, name: string, value: string} $record Record to publish.
	 */
	private static function zone_line( array $record ): string {
		return $record['name'] . '. ' . Test_Name_Server::txt( $record['value'] );
	}

	/**
	 * Sends a message through the SMTP test server (port 587, STARTTLS and login) as
	 * wordpress@signed.test and answers it as received.
	 *
	 * @return array{envelope: array<string, mixed>, raw: string, file: string}
	 */
	private function send( bool $signing ): array {
		$this->save_smtp(
			'127.0.0.1',
			Smtp_Mailbox::port( 2 ),
			array(
				'from_email'   => 'wordpress@signed.test',
				'dkim_signing' => $signing,
			)
		);
		$subject = 'DKIM ' . wp_generate_password( 12, false );
		$this->assertTrue( wp_mail( 'someone@receiver.test', $subject, "Signed or not.\nA second line.\n" ) );
		$found = ( new Smtp_Mailbox() )->find( $subject );
		$this->assertCount( 1, $found );
		return $found[0];
	}

	/**
	 * mailauth's verdict on a received message, as the receiver of mail from the relay.
	 *
	 * @param string $file The message as the test server stored it.
	 * @return array{dkim: list<array{domain: string, selector: string, result: string, comment: string}>, spf: string, dmarc: string, dmarcPolicy: string}
	 */
	private function mailauth( string $file ): array {
		$command = sprintf( 'node %s %s %s %s %d 2>&1', escapeshellarg( __DIR__ . '/support/mailauth-verify.js' ), escapeshellarg( $file ), self::RELAY_IP, escapeshellarg( 'wordpress@signed.test' ), Test_Name_Server::port() );
		exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec
		$this->assertSame( 0, $status, implode( "\n", $output ) );
		$verdict = json_decode( implode( "\n", $output ), true );
		$this->assertIsArray( $verdict, implode( "\n", $output ) );
		return $verdict;
	}

	/**
	 * The domain check's findings over REST for the relay: check => [status, result] of the first of each.
	 *
	 * @return array<string, array{0: string, 1: string, 2: array<string, string>|null}>
	 */
	private function check(): array {
		$request = new \WP_REST_Request( 'GET', '/smtp-port-helper/v1/domain-check' );
		$request->set_query_params( array( 'host' => 'relay.signed.test' ) );
		$response = rest_get_server()->dispatch( $request );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$first = array();
		foreach ( $response->get_data()['findings'] as $finding ) {
			$first[ $finding['check'] ] = $first[ $finding['check'] ] ?? array( $finding['status'], $finding['result'], $finding['record'] );
		}
		return $first;
	}

	public function test_rest_generates_shows_rotates_and_removes_the_key_and_never_sends_the_private_key(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'from_email' => 'wordpress@signed.test' ) );
		$empty = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertNull( $empty['key'] );
		$this->assertSame( 'signed.test', $empty['default_domain'] );

		$state = $this->generate( '' );
		$key   = $state['key'];
		$this->assertSame( 'signed.test', $key['domain'] );
		$this->assertMatchesRegularExpression( '/^sph\d{8}-[0-9a-f]{4}$/', $key['selector'] );
		$this->assertSame( 2048, $key['bits'] );
		$this->assertSame( 'TXT', $key['record']['type'] );
		$this->assertSame( $key['selector'] . '._domainkey.signed.test', $key['record']['name'] );
		$this->assertMatchesRegularExpression( '#^v=DKIM1; k=rsa; p=[A-Za-z0-9+/]{300,}=*$#', $key['record']['value'] );
		$this->assertTrue( $state['readable'] );

		$stored = (array) get_option( Dkim_Key_Store::OPTION );
		$this->assertStringStartsWith( 'v2:', $stored['private'], 'sealed like the password' );
		global $wpdb;
		$autoload = $wpdb->get_var( $wpdb->prepare( "SELECT autoload FROM {$wpdb->options} WHERE option_name = %s", Dkim_Key_Store::OPTION ) );
		$this->assertContains( $autoload, array( 'no', 'off' ), 'never autoloaded' );
		$private = Dkim_Key_Store::for_current_site()->private_key();
		$this->assertIsString( $private );
		$this->assertStringContainsString( 'PRIVATE KEY', $private );
		$body = substr( $private, 40, 60 );
		foreach ( array( 'GET', 'POST', 'DELETE' ) as $method ) {
			$answer = (string) wp_json_encode( $this->rest( $method, self::ROUTE, 'POST' === $method ? array( 'action' => 'rotate' ) : array() )->get_data() );
			$this->assertStringNotContainsString( 'PRIVATE', $answer, $method );
			$this->assertStringNotContainsString( $body, $answer, $method );
			$this->assertStringNotContainsString( 'v2:', $answer, $method );
		}
		$this->assertNull( get_option( Dkim_Key_Store::OPTION, null ), 'DELETE removed it' );
	}

	public function test_rotate_gives_a_new_selector_and_key(): void {
		$this->log_in_as( 'administrator' );
		$first  = $this->generate()['key'];
		$rotate = $this->rest( 'POST', self::ROUTE, array( 'action' => 'rotate' ) );
		$this->assertSame( 200, $rotate->get_status() );
		$second = $rotate->get_data()['key'];
		$this->assertSame( 'signed.test', $second['domain'], 'the key\'s domain is kept' );
		$this->assertNotSame( $first['selector'], $second['selector'] );
		$this->assertNotSame( $first['record']['value'], $second['record']['value'] );
	}

	public function test_bad_input_is_refused_naming_the_field_and_changes_nothing(): void {
		$this->log_in_as( 'administrator' );
		$rotate = $this->rest( 'POST', self::ROUTE, array( 'action' => 'rotate' ) );
		$this->assertSame( 400, $rotate->get_status() );
		$this->assertArrayHasKey( 'action', $rotate->get_data()['data']['params'] );
		foreach ( array( '127.0.0.1', 'localhost', 'not a domain' ) as $domain ) {
			$bad = $this->rest(
				'POST',
				self::ROUTE,
				array(
					'action' => 'generate',
					'domain' => $domain,
				)
			);
			$this->assertSame( 400, $bad->get_status(), $domain );
			$this->assertArrayHasKey( 'domain', $bad->get_data()['data']['params'], $domain );
		}
		$missing = $this->rest( 'POST', self::ROUTE, array() );
		$this->assertSame( 400, $missing->get_status(), 'action is required' );
		$this->assertNull( get_option( Dkim_Key_Store::OPTION, null ) );

		$this->generate();
		$before = $this->raw_option( Dkim_Key_Store::OPTION );
		$again  = $this->rest( 'POST', self::ROUTE, array( 'action' => 'generate' ) );
		$this->assertSame( 400, $again->get_status() );
		$this->assertArrayHasKey( 'action', $again->get_data()['data']['params'] );
		$this->assertStringContainsString( 'rotate', $again->get_data()['data']['params']['action'] );
		$this->assertSame( $before, $this->raw_option( Dkim_Key_Store::OPTION ) );
	}

	public function test_key_generation_spends_its_own_budget(): void {
		$this->log_in_as( 'administrator' );
		$this->generate();
		// The rest of this minute's budget, spent as the guard counts it (ten real RSA keys could straddle
		// a minute, and so can the one above on a busy machine: then this minute's budget is still whole).
		$user    = get_current_user_id();
		$limiter = new Rate_Limiter( 'dkim_key', Route_Guard::DKIM_KEYS_PER_MINUTE, MINUTE_IN_SECONDS );
		$spent   = 0;
		while ( null === $limiter->hit( $user ) ) {
			$this->assertLessThanOrEqual( Route_Guard::DKIM_KEYS_PER_MINUTE, ++$spent, 'the budget ends at its limit' );
		}
		$before  = $this->raw_option( Dkim_Key_Store::OPTION );
		$refused = $this->rest( 'POST', self::ROUTE, array( 'action' => 'rotate' ) );
		$this->assertSame( 429, $refused->get_status() );
		$this->assertSame( $before, $this->raw_option( Dkim_Key_Store::OPTION ) );
		$this->assertSame( 200, $this->rest( 'GET', self::ROUTE )->get_status(), 'looking costs nothing' );
	}

	public function test_others_are_refused_and_change_nothing(): void {
		foreach ( array( null, 'editor', 'subscriber' ) as $role ) {
			if ( null !== $role ) {
				$this->log_in_as( $role );
			}
			foreach ( array( 'GET', 'POST', 'DELETE' ) as $method ) {
				$response = $this->rest( $method, self::ROUTE, 'POST' === $method ? array( 'action' => 'generate' ) : array() );
				$this->assertSame( null === $role ? 401 : 403, $response->get_status(), $method . ' as ' . ( $role ?? 'visitor' ) );
			}
		}
		$this->assertNull( get_option( Dkim_Key_Store::OPTION, null ) );
	}

	public function test_signed_mail_passes_dkim_and_dmarc_at_mailauth_as_the_check_predicts(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'from_email' => 'wordpress@signed.test' ) );
		$record = $this->generate()['key']['record'];
		$this->serve_signed_zone( array( self::zone_line( $record ) ) );

		$message = $this->send( true );
		$this->assertMatchesRegularExpression( '/^DKIM-Signature: v=1; d=signed\.test; s=' . preg_quote( explode( '.', $record['name'] )[0], '/' ) . ';/mi', $message['raw'] );
		$check = $this->check();
		$this->assertSame( array( 'pass', 'pass' ), array_slice( $check['dkim'], 0, 2 ), 'the check: the published record holds the site\'s key' );
		$this->assertSame( array( 'pass', 'aligned' ), array_slice( $check['dmarc'], 0, 2 ), 'the check predicts DMARC pass' );

		$verdict = $this->mailauth( $message['file'] );
		$this->assertCount( 1, $verdict['dkim'], (string) wp_json_encode( $verdict ) );
		$this->assertSame( 'signed.test', $verdict['dkim'][0]['domain'] );
		$this->assertSame( 'pass', $verdict['dkim'][0]['result'], (string) wp_json_encode( $verdict ) );
		$this->assertSame( 'fail', $verdict['spf'], 'SPF does not name the relay: DMARC rests on DKIM alone' );
		$this->assertSame( 'pass', $verdict['dmarc'], (string) wp_json_encode( $verdict ) );
	}

	public function test_unsigned_mail_fails_dmarc_at_mailauth_as_the_check_predicts(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'from_email' => 'wordpress@signed.test' ) );
		$record = $this->generate()['key']['record'];
		$this->serve_signed_zone( array( self::zone_line( $record ) ) );

		// wp_mail() reuses one PHPMailer: a signed message first, so the next one must not keep its key.
		$this->assertStringContainsString( 'DKIM-Signature:', $this->send( true )['raw'] );
		$message = $this->send( false );
		$this->assertStringNotContainsStringIgnoringCase( 'DKIM-Signature:', $message['raw'] );
		$check = $this->check();
		$this->assertSame( array( 'warn', 'signing_off' ), array_slice( $check['dkim'], 0, 2 ) );
		$this->assertSame( 'fail', $check['dmarc'][0], 'the check predicts DMARC fail (p=reject)' );

		$verdict = $this->mailauth( $message['file'] );
		$this->assertSame( array(), array_filter( array_column( $verdict['dkim'], 'result' ), static fn( $r ) => 'pass' === $r ) );
		$this->assertSame( 'fail', $verdict['dmarc'], (string) wp_json_encode( $verdict ) );
		$this->assertSame( 'reject', $verdict['dmarcPolicy'] );
	}

	public function test_a_record_not_yet_published_or_holding_another_key_is_named_with_the_record(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'from_email' => 'wordpress@signed.test', 'dkim_signing' => true ) );
		$old = $this->generate()['key']['record'];
		$new = $this->rest( 'POST', self::ROUTE, array( 'action' => 'rotate' ) )->get_data()['key']['record'];
		// The zone still has only the old key's record: the new selector is missing.
		$this->serve_signed_zone( array( self::zone_line( $old ) ) );
		$check = $this->check();
		$this->assertSame( array( 'fail', 'missing', $new ), $check['dkim'] );
		$this->assertSame( 'fail', $check['dmarc'][0] );

		// The new selector publishes the old key.
		$this->serve_signed_zone( array( $new['name'] . '. ' . Test_Name_Server::txt( $old['value'] ) ) );
		$this->assertSame( array( 'fail', 'wrong_key', $new ), $this->check()['dkim'] );
	}

	public function test_cli_generates_and_shows_the_record_never_the_private_key(): void {
		global $wpdb;
		// The commands run in their own process: this test's transaction must not hold the tables (SQLite's write lock).
		$wpdb->query( 'COMMIT' );
		list( $status, $output ) = $this->wp( 'smtp-port-helper dkim generate --domain=cli.signed.test --format=json' );
		try {
			$this->assertSame( 0, $status, $output );
			$state = json_decode( $output, true );
			$this->assertIsArray( $state, $output );
			$this->assertSame( 'cli.signed.test', $state['key']['domain'] );
			$this->assertStringNotContainsString( 'PRIVATE', $output );
			list( $status, $table ) = $this->wp( 'smtp-port-helper dkim show' );
			$this->assertSame( 0, $status, $table );
			$this->assertStringContainsString( 'Publish: TXT record, name ' . $state['key']['record']['name'] . ', value ' . $state['key']['record']['value'], $table );
			$this->assertStringContainsString( 'Signing is off', $table );
			list( $status, $refused ) = $this->wp( 'smtp-port-helper dkim generate', null, true );
			$this->assertSame( 1, $status, $refused );
			$this->assertStringContainsString( 'rotate', $refused );
		} finally {
			list( $status, $removed ) = $this->wp( 'smtp-port-helper dkim remove' );
			$this->assertSame( 0, $status, $removed );
			$this->assertStringContainsString( 'removed', $removed );
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
