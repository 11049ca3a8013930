<?php
/**
 * Tests for Certificate_Details.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Session\Certificate_Details;
use SmtpPortHelper\Net\Host_Name;

/**
 * Certificate name matching and description.
 */
class Certificate_Details_Test extends TestCase {

	/**
	 * SAN parsing.
	 */
	public function test_parse_sans(): void {
		$this->assertSame(
			array( 'smtp.example.com', '*.example.com', '127.0.0.1', '::1' ),
			Certificate_Details::parse_sans( 'DNS:smtp.example.com, DNS:*.Example.com, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1' )
		);
	}

	/**
	 * Host matching rules (RFC 6125).
	 */
	public function test_matches_host(): void {
		$host = Host_Name::parse( 'smtp.example.com' );
		$this->assertTrue( Certificate_Details::matches_host( $host, '', array( 'smtp.example.com' ) ) );
		$this->assertTrue( Certificate_Details::matches_host( $host, '', array( '*.example.com' ) ) );
		$this->assertFalse( Certificate_Details::matches_host( Host_Name::parse( 'a.smtp.example.com' ), '', array( '*.example.com' ) ) );
		$this->assertFalse( Certificate_Details::matches_host( Host_Name::parse( 'example.com' ), '', array( '*.example.com' ) ) );
		$this->assertFalse( Certificate_Details::matches_host( $host, '', array( '*.com' ) ) );
		$this->assertTrue( Certificate_Details::matches_host( $host, 'smtp.example.com', array() ) );
		$this->assertFalse( Certificate_Details::matches_host( $host, 'smtp.example.com', array( 'other.example.com' ) ) );
		$this->assertTrue( Certificate_Details::matches_host( Host_Name::parse( '127.0.0.1' ), '', array( 'localhost', '127.0.0.1' ) ) );
		$this->assertFalse( Certificate_Details::matches_host( Host_Name::parse( '127.0.0.1' ), '127.0.0.1', array() ) );
		$this->assertTrue( Certificate_Details::matches_host( Host_Name::parse( '[::1]' ), '', array( '::1' ) ) );
	}

	/**
	 * Describes a generated self-signed certificate that expired.
	 */
	public function test_describe_self_signed(): void {
		$key  = openssl_pkey_new( array( 'private_key_type' => OPENSSL_KEYTYPE_EC, 'curve_name' => 'prime256v1' ) );
		$csr  = openssl_csr_new( array( 'commonName' => 'mail.example.net' ), $key, array( 'digest_alg' => 'sha256' ) );
		$cert = openssl_csr_sign( $csr, null, $key, 10, array( 'digest_alg' => 'sha256' ) );
		$info = Certificate_Details::describe( $cert, Host_Name::parse( 'smtp.example.com' ), false, time() + 20 * 86400 );
		$this->assertSame( 'mail.example.net', $info['subject'] );
		$this->assertSame( 'mail.example.net', $info['issuer'] );
		$this->assertContains( 'expired', $info['problems'] );
		$this->assertContains( 'self_signed', $info['problems'] );
		$this->assertContains( 'wrong_host', $info['problems'] );
		$this->assertFalse( $info['host_matched'] );
		$this->assertLessThan( 0, $info['days_left'] );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/', $info['valid_to'] );
	}
}
