<?php
/**
 * Tests for Host_Name.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Net;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;

/**
 * Host validation.
 */
class Host_Name_Test extends TestCase {

	/**
	 * Valid hosts and their normal form.
	 *
	 * @return array<string, array{0: string, 1: string, 2: int}>
	 */
	public function valid_hosts(): array {
		return array(
			'name'             => array( 'smtp.example.com', 'smtp.example.com', 0 ),
			'upper case'       => array( 'SMTP.Example.COM', 'smtp.example.com', 0 ),
			'trailing dot'     => array( 'smtp.example.com.', 'smtp.example.com', 0 ),
			'spaces trimmed'   => array( '  smtp.example.com ', 'smtp.example.com', 0 ),
			'localhost'        => array( 'localhost', 'localhost', 0 ),
			'hyphen'           => array( 'email-smtp.eu-west-1.amazonaws.com', 'email-smtp.eu-west-1.amazonaws.com', 0 ),
			'ipv4'             => array( '127.0.0.1', '127.0.0.1', 4 ),
			'ipv6'             => array( '::1', '::1', 6 ),
			'ipv6 brackets'    => array( '[::1]', '::1', 6 ),
			'ipv6 normalised'  => array( '[2001:DB8:0:0::1]', '2001:db8::1', 6 ),
			'xn label'         => array( 'xn--bcher-kva.example', 'xn--bcher-kva.example', 0 ),
		);
	}

	/**
	 * Valid hosts are accepted and normalised.
	 *
	 * @dataProvider valid_hosts
	 * @param string $input    Input.
	 * @param string $expected Normal form.
	 * @param int    $version  IP version.
	 */
	public function test_valid_hosts( string $input, string $expected, int $version ): void {
		$host = Host_Name::parse( $input );
		$this->assertSame( $expected, $host->get_ascii() );
		$this->assertSame( $version, $host->get_ip_version() );
		$this->assertSame( 0 !== $version, $host->is_ip() );
	}

	/**
	 * IDN conversion with intl.
	 */
	public function test_idn_is_converted(): void {
		if ( ! function_exists( 'idn_to_ascii' ) ) {
			$this->expectException( Invalid_Input_Exception::class );
		}
		$this->assertSame( 'smtp.xn--bcher-kva.example', Host_Name::parse( 'smtp.bücher.example' )->get_ascii() );
	}

	/**
	 * Invalid hosts.
	 *
	 * @return array<string, array{0: string}>
	 */
	public function invalid_hosts(): array {
		return array(
			'empty'           => array( '' ),
			'crlf injection'  => array( "smtp.example.com\r\nMAIL FROM:<a@b>" ),
			'lf'              => array( "smtp.example.com\n" ),
			'nul'             => array( "smtp.example.com\0" ),
			'tab inside'      => array( "smtp.\texample.com" ),
			'scheme'          => array( 'smtp://smtp.example.com' ),
			'port'            => array( 'smtp.example.com:587' ),
			'space'           => array( 'smtp example.com' ),
			'underscore only' => array( '-bad.example.com' ),
			'label too long'  => array( str_repeat( 'a', 64 ) . '.example.com' ),
			'name too long'   => array( str_repeat( 'abcdefghi.', 26 ) . 'com' ),
			'bad ipv4'        => array( '256.1.1.1' ),
			'numeric tld'     => array( 'example.123' ),
			'bad ipv6'        => array( '[::g]' ),
			'brackets ipv4'   => array( '[127.0.0.1]' ),
			'empty label'     => array( 'smtp..example.com' ),
		);
	}

	/**
	 * Invalid hosts are refused.
	 *
	 * @dataProvider invalid_hosts
	 * @param string $input Input.
	 */
	public function test_invalid_hosts( string $input ): void {
		$this->expectException( Invalid_Input_Exception::class );
		Host_Name::parse( $input );
	}

	/**
	 * EHLO names.
	 */
	public function test_ehlo_names(): void {
		$this->assertSame( 'web1.example.com', Host_Name::parse_ehlo_name( 'Web1.Example.com' ) );
		$this->assertSame( '[192.0.2.1]', Host_Name::parse_ehlo_name( '[192.0.2.1]' ) );
		$this->assertSame( '[IPv6:2001:db8::1]', Host_Name::parse_ehlo_name( '[IPv6:2001:db8::1]' ) );
		foreach ( array( "a.example\r\nQUIT", '[999.1.1.1]', 'bad name', '' ) as $bad ) {
			try {
				Host_Name::parse_ehlo_name( $bad );
				$this->fail( 'accepted ' . $bad );
			} catch ( Invalid_Input_Exception $e ) {
				$this->assertNotSame( '', $e->getMessage() );
			}
		}
	}

	/**
	 * Control character detection.
	 */
	public function test_control_chars(): void {
		$this->assertTrue( Host_Name::has_control_chars( "a\rb" ) );
		$this->assertTrue( Host_Name::has_control_chars( "a\x7f" ) );
		$this->assertFalse( Host_Name::has_control_chars( 'pässwörd with spaces!' ) );
	}
}
