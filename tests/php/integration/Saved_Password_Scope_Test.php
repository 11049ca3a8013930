<?php
/**
 * The saved password goes only to the host and user name it was saved with: an attacker's SMTP
 * server (real smtp-server, trusted certificate, AUTH after STARTTLS) records every login it gets.
 * The saved host is `localhost`; the attacker is reached as `127.0.0.1` (the same loopback).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Settings\Settings_Store;

require_once __DIR__ . '/Credential_Recorder.php';

final class Saved_Password_Scope_Test extends Integration_Test_Case {

	private const PORT_TESTS = '/smtp-port-helper/v1/port-tests';

	private Credential_Recorder $attacker;

	protected function setUp(): void {
		parent::setUp();
		$this->attacker = new Credential_Recorder();
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'localhost', $this->attacker->port(), array( 'password' => 'saved-secret' ) );
	}

	protected function tearDown(): void {
		$this->attacker->stop();
		parent::tearDown();
	}

	/**
	 * @return array<string, array{string, string}>
	 */
	public function other_logins(): array {
		return array(
			'another host name' => array( '127.0.0.1', 'test' ),
			'another user name' => array( 'localhost', 'attacker' ),
		);
	}

	/**
	 * @dataProvider other_logins
	 */
	public function test_a_port_test_elsewhere_without_a_password_is_refused_and_sends_nothing( string $host, string $username ): void {
		$response = $this->port_test( $host, array( 'username' => $username ) );

		$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertSame( 'rest_invalid_param', $data['code'] );
		$this->assertArrayHasKey( 'auth.password', $data['data']['params'] );
		$this->assertSame( 'Enter the password for this server: the saved password is only sent to localhost as test.', $data['data']['params']['auth.password'] );
		$this->assertSame( array(), $this->attacker->logins(), 'the server received no login' );
	}

	public function test_a_port_test_elsewhere_with_its_own_password_is_allowed(): void {
		$response = $this->port_test(
			'127.0.0.1',
			array(
				'username' => 'test',
				'password' => 'typed-for-this-test',
			)
		);

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'ok', $response->get_data()['results'][0]['verdict'] );
		$this->assertSame(
			array(
				array(
					'user'     => 'test',
					'password' => 'typed-for-this-test',
				),
			),
			$this->attacker->logins()
		);
	}

	public function test_the_saved_host_in_another_spelling_gets_the_saved_password(): void {
		$response = $this->port_test( ' LocalHost. ', array( 'username' => 'test' ) );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'ok', $response->get_data()['results'][0]['verdict'] );
		$this->assertSame( 'saved-secret', $this->attacker->logins()[0]['password'] ?? null );
	}

	public function test_saving_another_host_without_a_password_forgets_it_and_the_test_email_sends_none(): void {
		$saved = $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'host' => '127.0.0.1' ) );

		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertTrue( $saved->get_data()['password_forgotten'] );
		$this->assertFalse( $saved->get_data()['password_set'] );
		$this->assertStringNotContainsString( 'password', (string) $this->raw_option( Settings_Store::OPTION ) );
		$this->assertNull( ( new Settings_Store() )->password() );

		$sent = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@example.com' ) );
		$this->assertNotSame( 200, $sent->get_status(), (string) wp_json_encode( $sent->get_data() ) );
		$this->assertStringNotContainsString( 'saved-secret', (string) wp_json_encode( $this->attacker->logins() ) );
	}

	public function test_a_save_that_keeps_host_and_user_keeps_the_password(): void {
		$saved = $this->rest(
			'POST',
			'/smtp-port-helper/v1/settings',
			array(
				'host'      => 'LOCALHOST',
				'username'  => 'test',
				'from_name' => 'Kept',
			)
		);

		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertArrayNotHasKey( 'password_forgotten', $saved->get_data() );
		$this->assertSame( 'saved-secret', ( new Settings_Store() )->password() );
	}

	public function test_a_new_user_name_with_a_new_password_keeps_the_new_one(): void {
		$saved = $this->rest(
			'POST',
			'/smtp-port-helper/v1/settings',
			array(
				'username' => 'other',
				'password' => 'other-secret',
			)
		);

		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertArrayNotHasKey( 'password_forgotten', $saved->get_data() );
		$this->assertSame( 'other-secret', ( new Settings_Store() )->password() );
	}

	/**
	 * @param array<string, string> $auth
	 */
	private function port_test( string $host, array $auth ): \WP_REST_Response {
		return $this->rest(
			'POST',
			self::PORT_TESTS,
			array(
				'host'    => $host,
				'ports'   => array( $this->attacker->port() ),
				'timeout' => 10,
				'auth'    => $auth,
			)
		);
	}
}
