<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings_Validator;

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
}
