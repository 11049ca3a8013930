<?php
/**
 * The one way into the probe, with the saved settings of the real WordPress.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Settings\Settings_Store;

final class Probe_Options_Factory_Test extends Integration_Test_Case {

	private function factory(): Probe_Options_Factory {
		return new Probe_Options_Factory( new Settings_Store() );
	}

	public function test_every_door_trusts_the_saved_ca_file(): void {
		$this->save_smtp( 'smtp.example.com', 465, array( 'encryption' => 'implicit_tls' ) );
		$ca_file = ( new Settings_Store() )->get()->ca_file;
		$this->assertNotSame( '', $ca_file, 'the test stack fixes a CA file by constant' );

		$this->assertSame( $ca_file, $this->factory()->from_request( array( 'host' => 'smtp.example.com' ) )->cafile );
		$this->assertSame( $ca_file, $this->factory()->from_cli( 'smtp.example.com', array() )->cafile );
		$this->assertSame( $ca_file, $this->factory()->from_settings( 5.0 )->cafile );
	}

	public function test_the_cli_tests_the_default_ports_unless_told(): void {
		$this->assertSame( Submission_Ports::DEFAULT_TEST_PORTS, $this->factory()->from_cli( 'smtp.example.com', array() )->ports );
		$options = $this->factory()->from_cli(
			'smtp.example.com',
			array(
				'ports'   => '2525, 587',
				'timeout' => '3',
			)
		);
		$this->assertSame( array( 2525, 587 ), $options->ports );
		$this->assertSame( 3.0, $options->timeout );
	}

	public function test_the_configured_port_is_checked_in_its_encryption_with_the_saved_login(): void {
		$this->save_smtp( 'smtp.example.com', 2525, array( 'encryption' => 'implicit_tls' ) );
		$options = $this->factory()->from_settings( 5.0 );
		$this->assertSame( 'smtp.example.com', $options->host->get_ascii() );
		$this->assertSame( array( 2525 ), $options->ports, 'a working setup logs in once per check' );
		$this->assertTrue( $options->expects_implicit_tls( 2525 ) );
		$this->assertSame( 'test', $options->username, 'the Site Health check logs in as WordPress does' );
		$this->assertSame( 'secret', $options->password );

		$this->save_smtp( 'smtp.example.com', 465, array( 'encryption' => 'starttls' ) );
		$this->assertTrue( $this->factory()->from_settings( 5.0 )->expects_implicit_tls( 465 ), 'port 465 is tried with implicit TLS first, as before' );

		$this->save_smtp( 'smtp.example.com', 587, array( 'auth' => false ) );
		$this->assertNull( $this->factory()->from_settings( 5.0 )->username, 'no login when login is off' );
	}

	public function test_the_alternatives_are_the_default_and_fallback_ports_with_the_saved_login(): void {
		$this->save_smtp( 'smtp.example.com', 2525, array( 'encryption' => 'implicit_tls' ) );
		$options = $this->factory()->alternatives_to_settings( 5.0 );
		$this->assertSame( array( 587, 465 ), $options->ports, 'the default ones without the configured port, never 25' );
		$this->assertSame( 'test', $options->username );
		$this->assertSame( 'secret', $options->password );

		$this->save_smtp( 'smtp.example.com', 8030, array( 'auth' => false, 'fallback_ports' => array( 2587, 8025, 8026 ) ) );
		$options = $this->factory()->alternatives_to_settings( 5.0 );
		$this->assertSame( array( 587, 2525, 465, 2587, 8025, 8026 ), $options->ports, 'the saved fallback ports too' );
		$this->assertNull( $options->username, 'no login when login is off' );
	}

	public function test_a_request_without_password_uses_the_saved_one(): void {
		$this->save_smtp(
			'smtp.example.com',
			587,
			array(
				'username' => 'me',
				'password' => 'saved-secret',
			)
		);
		$options = $this->factory()->from_request(
			array(
				'host'       => 'smtp.example.com',
				'ports'      => array( 587 ),
				'alternates' => array( 2587 ),
				'auth'       => array( 'username' => 'me' ),
			)
		);
		$this->assertSame( 'me', $options->username );
		$this->assertSame( 'saved-secret', $options->password );
		$this->assertSame( array( 2587 ), $options->preferred_alternates );

		$given = $this->factory()->from_request(
			array(
				'host' => 'smtp.example.com',
				'auth' => array(
					'username' => 'me',
					'password' => 'typed',
				),
			)
		);
		$this->assertSame( 'typed', $given->password );
	}

	public function test_a_request_for_another_login_without_password_is_refused(): void {
		$this->save_smtp( 'smtp.example.com', 587, array( 'password' => 'saved-secret' ) );
		foreach ( array( array( 'evil.example', 'test' ), array( 'smtp.example.com', 'me' ) ) as list( $host, $username ) ) {
			try {
				$this->factory()->from_request(
					array(
						'host' => $host,
						'auth' => array( 'username' => $username ),
					)
				);
				$this->fail( 'the saved password was given for ' . $host . ' as ' . $username );
			} catch ( Invalid_Input_Exception $error ) {
				$this->assertSame( 'auth.password', $error->field() );
				$this->assertStringContainsString( 'smtp.example.com as test', $error->getMessage() );
			}
		}
	}

	/**
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function refused_requests(): array {
		return array(
			'no password saved'  => array( array( 'auth' => array( 'username' => 'me' ) ), 'password' ),
			'CRLF in user name'  => array(
				array(
					'auth' => array(
						'username' => "me\r\nRSET",
						'password' => 'x',
					),
				),
				'username',
			),
			'CRLF in host'       => array( array( 'host' => "smtp.example.com\r\nRSET" ), 'host' ),
			'bad alternate port' => array( array( 'alternates' => array( 'x' ) ), 'preferred_alternates' ),
		);
	}

	/**
	 * @dataProvider refused_requests
	 * @param array<string, mixed> $params Request parameters on top of a valid host.
	 */
	public function test_a_refused_request_names_the_option( array $params, string $field ): void {
		try {
			$this->factory()->from_request( $params + array( 'host' => 'smtp.example.com' ) );
		} catch ( Invalid_Input_Exception $error ) {
			$this->assertSame( $field, $error->field() );
			return;
		}
		$this->fail( 'the request was accepted' );
	}
}
