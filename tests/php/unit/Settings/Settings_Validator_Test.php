<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings_Validator;

require_once __DIR__ . '/wp-email-shim.php';

final class Settings_Validator_Test extends TestCase {

	/**
	 * @return array<string, array{0: mixed, 1: string}>
	 */
	public function good_hosts(): array {
		return array(
			'name'             => array( 'smtp.example.com', 'smtp.example.com' ),
			'upper case, dot'  => array( 'SMTP.Example.com.', 'smtp.example.com' ),
			'spaces trimmed'   => array( '  smtp.example.com ', 'smtp.example.com' ),
			'single label'     => array( 'localhost', 'localhost' ),
			'IPv4'             => array( '192.0.2.10', '192.0.2.10' ),
			'IPv6'             => array( '2001:DB8::25', '2001:db8::25' ),
			'IPv6 in brackets' => array( '[::1]', '::1' ),
			'IDN'              => array( 'smtp.bücher.de', 'smtp.xn--bcher-kva.de' ),
		);
	}

	/**
	 * @dataProvider good_hosts
	 * @param mixed $input
	 */
	public function test_good_hosts_are_normalised( $input, string $expected ): void {
		$result = ( new Settings_Validator() )->validate( array( 'host' => $input ) );
		$this->assertSame( array(), $result['errors'] );
		$this->assertSame( $expected, $result['values']['host'] );
	}

	/**
	 * @return array<string, array{0: mixed}>
	 */
	public function bad_hosts(): array {
		return array(
			'empty'         => array( '' ),
			'CRLF'          => array( "a.example\r\nQUIT" ),
			'NUL'           => array( "a.example\0" ),
			'space inside'  => array( 'smtp example.com' ),
			'scheme'        => array( 'smtps://smtp.example.com' ),
			'with port'     => array( 'smtp.example.com:587' ),
			'leading dash'  => array( '-smtp.example.com' ),
			'long label'    => array( str_repeat( 'a', 64 ) . '.com' ),
			'too long'      => array( str_repeat( 'abcdefghi.', 26 ) . 'com' ),
			'empty label'   => array( 'smtp..example.com' ),
			'not a string'  => array( array( 'smtp.example.com' ) ),
			'null'          => array( null ),
			'numeric label' => array( '1.2.3' ),
		);
	}

	/**
	 * @dataProvider bad_hosts
	 * @param mixed $input
	 */
	public function test_bad_hosts_are_named_in_the_errors( $input ): void {
		$result = ( new Settings_Validator() )->validate( array( 'host' => $input ) );
		$this->assertArrayHasKey( 'host', $result['errors'] );
		$this->assertArrayNotHasKey( 'host', $result['values'] );
	}

	public function test_ports(): void {
		$validator = new Settings_Validator();
		$this->assertSame( 587, $validator->validate( array( 'port' => 587 ) )['values']['port'] );
		$this->assertSame( 2525, $validator->validate( array( 'port' => '2525' ) )['values']['port'] );
		foreach ( array( 0, 65536, -1, '587a', '', 5.5, null, true, array() ) as $bad ) {
			$this->assertArrayHasKey( 'port', $validator->validate( array( 'port' => $bad ) )['errors'], var_export( $bad, true ) );
		}
	}

	public function test_unknown_fields_are_errors(): void {
		$result = ( new Settings_Validator() )->validate( array( 'hots' => 'x' ) );
		$this->assertArrayHasKey( 'hots', $result['errors'] );
	}

	public function test_every_bad_field_is_reported_at_once(): void {
		$result = ( new Settings_Validator() )->validate(
			array(
				'host' => '',
				'port' => 'x',
			)
		);
		$this->assertSame( array( 'host', 'port' ), array_keys( $result['errors'] ) );
	}

	/**
	 * @return array<string, array{0: string, 1: mixed, 2: mixed}>
	 */
	public function good_values(): array {
		return array(
			'enabled true'           => array( 'enabled', true, true ),
			'enabled "0"'            => array( 'enabled', '0', false ),
			'auth 1'                 => array( 'auth', 1, true ),
			'encryption none'        => array( 'encryption', 'none', 'none' ),
			'encryption implicit'    => array( 'encryption', 'implicit_tls', 'implicit_tls' ),
			'username email'         => array( 'username', ' user@example.com ', 'user@example.com' ),
			'username unicode'       => array( 'username', 'jürgen', 'jürgen' ),
			'password kept as typed' => array( 'password', ' p@ss wörd ', ' p@ss wörd ' ),
			'from email'             => array( 'from_email', 'Site@Example.com', 'Site@Example.com' ),
			'from email empty'       => array( 'from_email', '', '' ),
			'from name unicode'      => array( 'from_name', '  Café Zürich  ', 'Café Zürich' ),
			'ca file empty'          => array( 'ca_file', '', '' ),
			'ca file readable'       => array( 'ca_file', __FILE__, __FILE__ ),
			'timeout'                => array( 'timeout', 30, 30 ),
			'timeout string'         => array( 'timeout', '5', 5 ),
			'fallback ports'         => array( 'fallback_ports', array( 2525, '465' ), array( 2525, 465 ) ),
			'fallback ports empty'   => array( 'fallback_ports', array(), array() ),
			'fallback ports as list' => array( 'fallback_ports', '2525, 465', array( 2525, 465 ) ),
			'clear password'         => array( 'clear_password', true, true ),
		);
	}

	/**
	 * @dataProvider good_values
	 * @param mixed $input
	 * @param mixed $expected
	 */
	public function test_good_values_are_normalised( string $field, $input, $expected ): void {
		$result = ( new Settings_Validator() )->validate( array( $field => $input ) );
		$this->assertSame( array(), $result['errors'] );
		$this->assertSame( $expected, $result['values'][ $field ] );
	}

	/**
	 * @return array<string, array{0: string, 1: mixed}>
	 */
	public function bad_values(): array {
		return array(
			'enabled "yes"'            => array( 'enabled', 'yes' ),
			'enabled array'            => array( 'enabled', array( true ) ),
			'enabled 2'                => array( 'enabled', 2 ),
			'encryption ssl'           => array( 'encryption', 'ssl' ),
			'encryption upper'         => array( 'encryption', 'STARTTLS' ),
			'encryption bool'          => array( 'encryption', true ),
			'username CRLF'            => array( 'username', "user\r\nRCPT TO:<x@evil.test>" ),
			'username NUL'             => array( 'username', "user\0" ),
			'username tab'             => array( 'username', "us\ter" ),
			'username too long'        => array( 'username', str_repeat( 'u', 256 ) ),
			'username number'          => array( 'username', 42 ),
			'username bad UTF-8'       => array( 'username', "\xc3\x28" ),
			'password LF'              => array( 'password', "pass\nword" ),
			'password too long'        => array( 'password', str_repeat( 'p', 1025 ) ),
			'password array'           => array( 'password', array( 'x' ) ),
			'from email invalid'       => array( 'from_email', 'not an email' ),
			'from email header inject' => array( 'from_email', "a@example.com\r\nBcc: x@evil.test" ),
			'from email number'        => array( 'from_email', 5 ),
			'from name CRLF'           => array( 'from_name', "Site\r\nBcc: x@evil.test" ),
			'from name LF'             => array( 'from_name', "Site\nX" ),
			'from name too long'       => array( 'from_name', str_repeat( 'é', 101 ) ),
			'from name array'          => array( 'from_name', array() ),
			'ca file relative'         => array( 'ca_file', 'certs/ca.pem' ),
			'ca file missing'          => array( 'ca_file', '/nonexistent/ca.pem' ),
			'ca file CRLF'             => array( 'ca_file', "/etc/ssl\r\n" ),
			'timeout 0'                => array( 'timeout', 0 ),
			'timeout 61'               => array( 'timeout', 61 ),
			'timeout negative'         => array( 'timeout', -5 ),
			'timeout float'            => array( 'timeout', 2.5 ),
			'fallback ports 4'         => array( 'fallback_ports', array( 1, 2, 3, 4 ) ),
			'fallback ports duplicate' => array( 'fallback_ports', array( 2525, 2525 ) ),
			'fallback ports 0'         => array( 'fallback_ports', array( 0 ) ),
			'fallback ports too high'  => array( 'fallback_ports', array( 70000 ) ),
			'fallback ports object'    => array( 'fallback_ports', array( 'a' => 2525 ) ),
			'fallback ports int'       => array( 'fallback_ports', 2525 ),
			'verify_tls read-only'     => array( 'verify_tls', false ),
			'password_set read-only'   => array( 'password_set', true ),
		);
	}

	/**
	 * @dataProvider bad_values
	 * @param mixed $input
	 */
	public function test_bad_values_are_named( string $field, $input ): void {
		$result = ( new Settings_Validator() )->validate( array( $field => $input ) );
		$this->assertArrayHasKey( $field, $result['errors'] );
		$this->assertNotSame( '', $result['errors'][ $field ] );
		$this->assertArrayNotHasKey( $field, $result['values'] );
	}

	public function test_encryption_for_port(): void {
		$this->assertSame( 'implicit_tls', Settings_Validator::encryption_for_port( 465 ) );
		foreach ( array( 587, 2525, 25 ) as $port ) {
			$this->assertSame( 'starttls', Settings_Validator::encryption_for_port( $port ) );
		}
	}

	public function test_rules_between_fields(): void {
		$validator = new Settings_Validator();
		$base      = array(
			'port'           => 587,
			'fallback_ports' => array( 2525, 587 ),
			'auth'           => true,
			'username'       => '',
		);
		$this->assertSame( array( 'fallback_ports', 'username' ), array_keys( $validator->validate_combination( $base ) ) );
		$base['fallback_ports'] = array( 2525 );
		$base['username']       = 'u';
		$this->assertSame( array(), $validator->validate_combination( $base ) );
	}

	public function test_a_value_checked_again_gives_the_same_answer_and_a_new_value_is_checked(): void {
		$validator = new Settings_Validator();
		$this->assertSame( array( 2525, null ), $validator->field( 'port', '2525' ) );
		$this->assertSame( array( 2525, null ), $validator->field( 'port', '2525' ) );
		$this->assertNull( $validator->field( 'port', 'x' )[0] );
		$this->assertNotNull( $validator->field( 'port', 'x' )[1] );
		$this->assertSame( array( 25, null ), $validator->field( 'port', 25 ) );
		$this->assertSame( array( 'port' => 25 ), $validator->validate( array( 'port' => 25 ) )['values'] );
	}
}
