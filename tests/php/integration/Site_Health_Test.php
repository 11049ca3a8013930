<?php
/**
 * Site Health: the direct and async tests and the debug information section.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Site_Health;
use SmtpPortHelper\Settings\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

final class Site_Health_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/site-health/port-check';

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
		$this->assertTrue( rest_validate_value_from_schema( $data, Site_Health::port_check_schema(), 'result' ), 'the answer has the declared shape' );

		$this->save_smtp( '127.0.0.1', 1 );
		$started = microtime( true );
		$data    = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertSame( 'critical', $data['status'] );
		$this->assertStringContainsString( 'closed', $data['description'] );
		$this->assertLessThan( 6.0, microtime( true ) - $started );
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
