<?php
/**
 * Tests for Probe_Options.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Probe_Options;

/**
 * Option validation: nothing unsafe may reach a socket.
 */
class Probe_OptionsTest extends TestCase {

	/**
	 * Defaults.
	 */
	public function test_defaults(): void {
		$o = Probe_Options::from_array( array( 'host' => 'smtp.example.com' ) );
		$this->assertSame( array( 587, 465, 2525 ), $o->ports );
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
	 * Invalid options.
	 *
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function invalid(): array {
		return array(
			'no host'           => array( array() ),
			'crlf user'         => array( array( 'host' => 'a.example', 'username' => "me\r\nQUIT", 'password' => 'x' ) ),
			'lf password'       => array( array( 'host' => 'a.example', 'username' => 'me', 'password' => "se\ncret" ) ),
			'nul user'          => array( array( 'host' => 'a.example', 'username' => "me\0", 'password' => 'x' ) ),
			'user only'         => array( array( 'host' => 'a.example', 'username' => 'me' ) ),
			'seven ports'       => array( array( 'host' => 'a.example', 'ports' => array( 1, 2, 3, 4, 5, 6, 7 ) ) ),
			'port zero'         => array( array( 'host' => 'a.example', 'ports' => array( 0 ) ) ),
			'port too big'      => array( array( 'host' => 'a.example', 'ports' => array( 65536 ) ) ),
			'port text'         => array( array( 'host' => 'a.example', 'ports' => 'abc' ) ),
			'no ports'          => array( array( 'host' => 'a.example', 'ports' => array() ) ),
			'missing cafile'    => array( array( 'host' => 'a.example', 'cafile' => '/nonexistent/ca.pem' ) ),
			'bad ehlo'          => array( array( 'host' => 'a.example', 'ehlo_name' => "x\r\nRSET" ) ),
			'timeout not a num' => array( array( 'host' => 'a.example', 'timeout' => 'soon' ) ),
		);
	}

	/**
	 * Invalid options throw with a message.
	 *
	 * @dataProvider invalid
	 * @param array<string, mixed> $options Options.
	 */
	public function test_invalid( array $options ): void {
		$this->expectException( Invalid_Input_Exception::class );
		Probe_Options::from_array( $options );
	}
}
