<?php
/**
 * POST /smtp-port-helper/v1/test-email: a real message, a diagnosis and a redacted transcript.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\REST\Test_Email_Schema;

final class Test_Email_Rest_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/test-email';

	private Smtp_Mailbox $mailbox;

	protected function setUp(): void {
		parent::setUp();
		$this->mailbox = new Smtp_Mailbox();
	}

	public function test_route_has_an_args_schema(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$args = $routes[ self::ROUTE ][0]['args'];
		$this->assertSame( 'email', $args['to']['format'] );
		$this->assertTrue( $args['to']['required'] );
	}

	public function test_a_test_message_is_delivered_and_described(): void {
		$this->log_in_as( 'administrator' );
		$port = Smtp_Mailbox::port( 2 );
		$this->save_smtp( '127.0.0.1', $port );
		$to = 'check-' . strtolower( wp_generate_password( 10, false ) ) . '@example.com';

		$response = $this->rest( 'POST', self::ROUTE, array( 'to' => $to ) );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertSame( array( 'sent', 'to', 'host', 'port', 'elapsed_ms' ), array_keys( $data ) );
		$this->assertTrue( $data['sent'] );
		$this->assertSame( $to, $data['to'] );
		$this->assertSame( '127.0.0.1', $data['host'] );
		$this->assertSame( $port, $data['port'] );
		$this->assertIsInt( $data['elapsed_ms'] );
		$this->assertTrue( rest_validate_value_from_schema( $data, Test_Email_Schema::response(), 'response' ), 'the answer has the shape the route declares' );
		$messages = $this->mailbox->find( $to );
		$this->assertCount( 1, $messages );
		$this->assertSame( 'test', $messages[0]['envelope']['user'] );
		$this->assertSame( 0, $GLOBALS['phpmailer']->SMTPDebug, 'the debug output is off again after the test message' ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
	}

	public function test_the_port_that_answered_is_reported_after_a_fallback(): void {
		$this->log_in_as( 'administrator' );
		$fallback = Smtp_Mailbox::port( 3 );
		$this->save_smtp(
			'127.0.0.1',
			1,
			array(
				'fallback'       => true,
				'fallback_ports' => array( $fallback ),
			)
		);
		$data = $this->rest( 'POST', self::ROUTE, array( 'to' => 'fallback@example.com' ) )->get_data();
		$this->assertTrue( $data['sent'] );
		$this->assertSame( $fallback, $data['port'] );
	}

	public function test_a_wrong_password_gives_502_with_a_redacted_transcript(): void {
		$this->log_in_as( 'administrator' );
		$password = 'Wr0ng-Pa55word';
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'password' => $password ) );

		$response = $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) );

		$this->assertSame( 502, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'smtp_port_helper_send_failed', $data['code'] );
		$this->assertSame( 502, $data['data']['status'] );
		$this->assertSame( 'auth_failed', $data['data']['verdict'] );
		$this->assertTrue( rest_validate_value_from_schema( $data['data'], Test_Email_Schema::failure_data(), 'data' ), 'the error data has the declared shape' );
		$this->assertStringContainsString( 'password', $data['data']['diagnosis'] );
		$transcript = $data['data']['transcript'];
		$this->assertIsArray( $transcript );
		$this->assertNotEmpty( $transcript );
		$text = implode( "\n", $transcript );
		$this->assertStringContainsString( 'AUTH PLAIN', $text );
		$this->assertStringContainsString( '535', $text );
		$this->assertStringContainsString( '[redacted]', $text );
		$json = (string) wp_json_encode( $data );
		foreach ( self::forms( 'test', $password ) as $form ) {
			$this->assertStringNotContainsString( $form, $text );
			$this->assertStringNotContainsString( $form, $json );
		}
	}

	public function test_the_transcript_keeps_a_short_user_name_where_it_is_not_a_credential(): void {
		$this->log_in_as( 'administrator' );
		$password = 'Wr0ng-Pa55word';
		$this->save_smtp(
			'localhost',
			Smtp_Mailbox::port( 2 ),
			array(
				'username' => 'local',
				'password' => $password,
			)
		);

		$data = $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) )->get_data();
		$this->assertSame( 'auth_failed', $data['data']['verdict'], (string) wp_json_encode( $data ) );
		$text = implode( "\n", $data['data']['transcript'] );
		// The connection goes to the vetted address; the host name stays for the certificate and in the greeting.
		$this->assertStringContainsString( "'peer_name' => 'localhost'", $text, 'the user name "local" inside the host name is not blanked' );
		$this->assertStringContainsString( '220 localhost ESMTP', $text );
		$this->assertStringNotContainsString( '[redacted]host', $text );
		$this->assertStringContainsString( 'CLIENT -> SERVER: [redacted]', $text, 'the credentials are still hidden' );
		foreach ( self::forms( 'local', $password ) as $form ) {
			$this->assertStringNotContainsString( $form, (string) wp_json_encode( $data ) );
		}
	}

	public function test_a_closed_port_is_diagnosed_as_refused(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', 1 );
		$data = $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) )->get_data();
		$this->assertSame( 'refused', $data['data']['verdict'], (string) wp_json_encode( $data ) );
		$this->assertStringContainsString( 'closed', $data['data']['diagnosis'] );
	}

	public function test_implicit_tls_against_a_starttls_port_is_a_tls_failure(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp(
			'127.0.0.1',
			Smtp_Mailbox::port( 2 ),
			array(
				'encryption' => 'implicit_tls',
				'timeout'    => 3,
			)
		);
		$data = $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) )->get_data();
		$this->assertContains( $data['data']['verdict'], array( 'tls_failed', 'timeout' ), (string) wp_json_encode( $data ) );
	}

	public function test_a_bad_recipient_is_a_400_naming_it(): void {
		$this->log_in_as( 'administrator' );
		foreach ( array( 'not-an-address', '', "a@example.com\r\nBcc: b@example.com" ) as $to ) {
			$response = $this->rest( 'POST', self::ROUTE, array( 'to' => $to ) );
			$this->assertSame( 400, $response->get_status() );
			$this->assertArrayHasKey( 'to', $response->get_data()['data']['params'] );
		}
		$this->assertSame( 400, $this->rest( 'POST', self::ROUTE, array( 'x' => 1 ) )->get_status(), 'to is required' );
	}

	public function test_without_settings_it_answers_409(): void {
		$this->log_in_as( 'administrator' );
		delete_option( 'smtp_port_helper_settings' );
		$response = $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) );
		$this->assertSame( 409, $response->get_status() );
		$this->assertSame( 'smtp_port_helper_not_configured', $response->get_data()['code'] );
	}

	public function test_it_is_rate_limited_per_user_with_retry_after(): void {
		$this->log_in_as( 'administrator' );
		delete_option( 'smtp_port_helper_settings' );
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertSame( 409, $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) )->get_status() );
		}
		$response = $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) );
		$this->assertSame( 429, $response->get_status() );
		$this->assertSame( 'smtp_port_helper_rate_limited', $response->get_data()['code'] );
		$retry = (int) $response->get_headers()['Retry-After'];
		$this->assertGreaterThanOrEqual( 1, $retry );
		$this->assertLessThanOrEqual( 60, $retry );

		$this->log_in_as( 'administrator' );
		$this->assertSame( 409, $this->rest( 'POST', self::ROUTE, array( 'to' => 'someone@example.com' ) )->get_status(), 'another user has their own limit' );
	}

	/**
	 * Every form a credential could take in a transcript.
	 *
	 * @return list<string>
	 */
	public static function forms( string $user, string $password ): array {
		return array(
			$password,
			base64_encode( $password ),
			rtrim( base64_encode( $password ), '=' ),
			rawurlencode( $password ),
			base64_encode( $user ),
			base64_encode( "\0" . $user . "\0" . $password ),
			base64_encode( $user . "\0" . $user . "\0" . $password ),
		);
	}
}
