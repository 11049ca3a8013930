<?php
/**
 * Site Health: the direct and async tests and the debug information section.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Port_Check;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

final class Site_Health_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/site-health/port-check';

	protected function setUp(): void {
		parent::setUp();
		// The plugin hooks Site Health on rest_api_init too (the async test's route): start the
		// REST server so that each test sees the hooks, whatever ran before it.
		rest_get_server();
	}

	/**
	 * @return array<string, mixed>
	 */
	private function tests(): array {
		return apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
	}

	public function test_both_tests_are_registered(): void {
		$tests = $this->tests();
		$this->assertArrayHasKey( 'smtp_port_helper_configured', $tests['direct'] );
		$async = $tests['async']['smtp_port_helper_port_check'];
		$this->assertTrue( $async['has_rest'] );
		$this->assertStringContainsString( 'smtp-port-helper/v1/site-health/port-check', $async['test'] );
		$this->assertIsCallable( $async['async_direct_test'] );
	}

	public function test_direct_test_follows_the_settings(): void {
		delete_option( Settings_Store::OPTION );
		$test = $this->tests()['direct']['smtp_port_helper_configured']['test'];
		$this->assertSame( 'recommended', call_user_func( $test )['status'] );

		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		$result = call_user_func( $test );
		$this->assertSame( 'good', $result['status'] );
		$this->assertSame( 'smtp_port_helper_configured', $result['test'] );

		( new Settings_Store( null, new Secret_Box( 'other keys' ) ) )->update( array( 'password' => 'secret' ) );
		$this->assertSame( 'critical', call_user_func( $test )['status'] );
	}

	public function test_async_route_checks_the_configured_port(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		$response = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'good', $data['status'], (string) wp_json_encode( $data ) );
		$this->assertSame( 'smtp_port_helper_port_check', $data['test'] );
		$this->assertStringContainsString( (string) Smtp_Mailbox::port( 2 ), $data['label'] );
		$this->assertTrue( rest_validate_value_from_schema( $data, Port_Check::port_check_schema(), 'result' ), 'the answer has the declared shape' );

		$this->save_smtp( '127.0.0.1', 1 );
		$started = microtime( true );
		$data    = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertSame( 'critical', $data['status'] );
		$this->assertStringContainsString( 'closed', $data['description'] );
		$this->assertLessThan( 6.0, microtime( true ) - $started );
	}

	public function test_a_blocked_saved_port_fails_the_sending_check_and_names_the_port_that_works(): void {
		$this->log_in_as( 'administrator' );
		$working = Smtp_Mailbox::port( 2 );
		$this->save_smtp( '127.0.0.1', 1, array( 'fallback_ports' => array( $working ) ) );

		$started = microtime( true );
		$data    = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertLessThan( 11.0, microtime( true ) - $started, 'the saved port, then the others, each run bounded' );
		$this->assertSame( 'critical', $data['status'], (string) wp_json_encode( $data ) );
		$this->assertSame( 'WordPress cannot send: port 1 does not work', $data['label'] );
		$this->assertStringContainsString( 'closed', $data['description'], 'why the saved port fails' );
		$this->assertMatchesRegularExpression( '/Port \d+ works from this web server and accepts the saved user name and password\./', $data['description'] );
		$this->assertMatchesRegularExpression( '/set the port to \d+ and the encryption to (STARTTLS|SSL\/TLS)\./', $data['description'], 'what to change' );
		$this->assertStringNotContainsString( 'set the port to 1 ', $data['description'] );
		// The page's advice for the cause, from the same PHP (Cause_Advice).
		// As a normal user the stack's servers are on high ports, so 587 and 465 are closed too: one item names them all.
		$this->assertMatchesRegularExpression( '~<li>Ports? (\d+, )*1(, \d+)* could not be reached from this web server\. Web hosts often block outgoing mail ports: ask your web host to open (it|one), or use a port that works\.</li>~', $data['description'] );
	}

	public function test_a_login_refused_on_every_port_fails_and_says_the_login_itself_is_refused(): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'password' => 'Wr0ng-Pa55word' ) );
		$result = call_user_func( $this->tests()['async']['smtp_port_helper_port_check']['async_direct_test'] );
		$this->assertSame( 'critical', $result['status'], (string) wp_json_encode( $result ) );
		$this->assertSame( 'WordPress cannot send: the server refused the login', $result['label'] );
		$this->assertStringContainsString( 'No other port of 127.0.0.1 accepted the saved user name and password either', $result['description'] );
		$this->assertStringNotContainsString( 'Wr0ng-Pa55word', (string) wp_json_encode( $result ) );
	}

	public function test_a_passing_sending_check_does_not_advise_what_is_already_set(): void {
		$port = Smtp_Mailbox::port( 2 );
		$this->save_smtp( '127.0.0.1', $port, array( 'encryption' => 'starttls' ) );
		$result = call_user_func( $this->tests()['async']['smtp_port_helper_port_check']['async_direct_test'] );
		$this->assertSame( 'good', $result['status'], (string) wp_json_encode( $result ) );
		$this->assertSame( sprintf( 'WordPress sends email through 127.0.0.1 on port %d', $port ), $result['label'] );
		$this->assertStringContainsString( 'accepts the saved user name and password', $result['description'], 'the saved login was tried' );
		$this->assertStringNotContainsString( 'Set the', $result['description'] );
		$this->assertStringNotContainsString( 'Use port', $result['description'] );

		$direct = call_user_func( $this->tests()['direct']['smtp_port_helper_configured']['test'] );
		$this->assertSame( 'good', $direct['status'] );
		$this->assertStringNotContainsString( 'Set the', $direct['description'] );
	}

	public function test_a_saved_encryption_that_does_not_fit_the_port_fails_and_says_what_to_change(): void {
		$port = Smtp_Mailbox::port( 1 );
		$this->save_smtp( 'localhost', $port, array( 'encryption' => 'starttls' ) );
		$result = call_user_func( $this->tests()['async']['smtp_port_helper_port_check']['async_direct_test'] );
		$this->assertSame( 'critical', $result['status'], (string) wp_json_encode( $result ) );
		$this->assertStringContainsString( sprintf( 'Port %d works with SSL/TLS encryption, but the encryption is set to STARTTLS.', $port ), $result['description'] );
	}

	public function test_the_sending_check_never_passes_without_the_login_wordpress_needs(): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		( new Settings_Store( null, new Secret_Box( 'other keys' ) ) )->update( array( 'password' => 'secret' ) );
		$result = call_user_func( $this->tests()['async']['smtp_port_helper_port_check']['async_direct_test'] );
		$this->assertSame( 'critical', $result['status'], 'the password cannot be read with this site\'s keys' );
		$this->assertSame( 'WordPress cannot send: the SMTP login is incomplete', $result['label'] );
	}

	public function test_debug_information_shows_translated_labels_and_raw_values_for_support(): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ), array( 'encryption' => 'starttls' ) );
		$fields = apply_filters( 'debug_information', array() )['smtp-port-helper']['fields'];
		$this->assertSame( 'STARTTLS', $fields['encryption']['value'] );
		$this->assertSame( 'starttls', $fields['encryption']['debug'] );
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 1 ), array( 'encryption' => 'implicit_tls' ) );
		$fields = apply_filters( 'debug_information', array() )['smtp-port-helper']['fields'];
		$this->assertSame( 'SSL/TLS', $fields['encryption']['value'] );
		$this->assertSame( 'implicit_tls', $fields['encryption']['debug'] );
	}

	public function test_debug_information_shows_settings_without_secrets(): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		$info   = apply_filters( 'debug_information', array() );
		$fields = $info['smtp-port-helper']['fields'];
		$this->assertSame( '127.0.0.1', $fields['host']['value'] );
		$this->assertSame( 'Set', $fields['password']['value'] );
		$this->assertStringContainsString( 'SMTP_PORT_HELPER_CA_FILE', $fields['ca_file']['value'] );
		$this->assertStringNotContainsString( 'secret', (string) wp_json_encode( $info['smtp-port-helper'] ) );

		( new Settings_Store() )->update( array( 'clear_password' => true ) );
		$info = apply_filters( 'debug_information', array() );
		$this->assertSame( 'Not set', $info['smtp-port-helper']['fields']['password']['value'] );
	}
}
