<?php
/**
 * Tests for Probe_Options.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Probe_Options;

/**
 * Option validation: nothing unsafe may reach a socket.
 */
class Probe_Options_Test extends TestCase {

	/**
	 * Defaults.
	 */
	public function test_defaults(): void {
		$o = Probe_Options::from_array( array( 'host' => 'smtp.example.com' ) );
		$this->assertSame( array( 587, 2525, 465, 25 ), $o->ports, 'the default test ports' );
		$this->assertSame( 10.0, $o->timeout );
		$this->assertNull( $o->username );
		$this->assertTrue( $o->expects_implicit_tls( 465 ) );
		$this->assertFalse( $o->expects_implicit_tls( 587 ) );
		$this->assertSame( array( 2525 ), $o->preferred_alternates );
	}

	/**
	 * Parsing of lists and timeout clamping.
	 */
	public function test_lists_and_timeout(): void {
		$o = Probe_Options::from_array(
			array(
				'host'                 => 'smtp.example.com',
				'ports'                => '587, 465,587',
				'timeout'              => '120',
				'preferred_alternates' => array( '2587', 2525 ),
				'ehlo_name'            => 'Web.Example.org',
			)
		);
		$this->assertSame( array( 587, 465 ), $o->ports );
		$this->assertSame( 60.0, $o->timeout );
		$this->assertSame( array( 2587, 2525 ), $o->preferred_alternates );
		$this->assertSame( 'web.example.org', $o->ehlo_name );
		$this->assertSame( 0.5, Probe_Options::from_array( array( 'host' => 'a.example', 'timeout' => 0.01 ) )->timeout );
	}

	/**
	 * Invalid options, and the option each error names.
	 *
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function invalid(): array {
		return array(
			'no host'           => array( array(), 'host' ),
			'bad host'          => array( array( 'host' => "a.example\r\n" ), 'host' ),
			'crlf user'         => array( array( 'host' => 'a.example', 'username' => "me\r\nQUIT", 'password' => 'x' ), 'username' ),
			'lf password'       => array( array( 'host' => 'a.example', 'username' => 'me', 'password' => "se\ncret" ), 'password' ),
			'nul user'          => array( array( 'host' => 'a.example', 'username' => "me\0", 'password' => 'x' ), 'username' ),
			'user only'         => array( array( 'host' => 'a.example', 'username' => 'me' ), 'password' ),
			'password only'     => array( array( 'host' => 'a.example', 'password' => 'x' ), 'username' ),
			'seven ports'       => array( array( 'host' => 'a.example', 'ports' => array( 1, 2, 3, 4, 5, 6, 7 ) ), 'ports' ),
			'port zero'         => array( array( 'host' => 'a.example', 'ports' => array( 0 ) ), 'ports' ),
			'port too big'      => array( array( 'host' => 'a.example', 'ports' => array( 65536 ) ), 'ports' ),
			'port text'         => array( array( 'host' => 'a.example', 'ports' => 'abc' ), 'ports' ),
			'no ports'          => array( array( 'host' => 'a.example', 'ports' => array() ), 'ports' ),
			'missing cafile'    => array( array( 'host' => 'a.example', 'cafile' => '/nonexistent/ca.pem' ), 'cafile' ),
			'bad ehlo'          => array( array( 'host' => 'a.example', 'ehlo_name' => "x\r\nRSET" ), 'ehlo_name' ),
			'timeout not a num' => array( array( 'host' => 'a.example', 'timeout' => 'soon' ), 'timeout' ),
			'bad alternate'     => array( array( 'host' => 'a.example', 'preferred_alternates' => array( 'x' ) ), 'preferred_alternates' ),
		);
	}

	/**
	 * Invalid options throw with a message that names the option.
	 *
	 * @dataProvider invalid
	 * @param array<string, mixed> $options Options.
	 * @param string               $field   The option the error names.
	 */
	public function test_invalid( array $options, string $field ): void {
		try {
			Probe_Options::from_array( $options );
		} catch ( Invalid_Input_Exception $error ) {
			$this->assertSame( $field, $error->field() );
			$this->assertNotSame( '', $error->getMessage() );
			return;
		}
		$this->fail( 'the options were accepted' );
	}

	/**
	 * An exception that names its field keeps it when it is passed on.
	 */
	public function test_a_named_field_is_kept(): void {
		$error = new Invalid_Input_Exception( 'No.', 'password' );
		$this->assertSame( 'password', $error->in_field( 'username' )->field() );
		$this->assertSame( 'host', ( new Invalid_Input_Exception( 'No.' ) )->in_field( 'host' )->field() );
		$this->assertSame( 'No.', ( new Invalid_Input_Exception( 'No.' ) )->in_field( 'host' )->getMessage() );
	}
}
