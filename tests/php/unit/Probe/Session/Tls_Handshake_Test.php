<?php
/**
 * Tests for Tls_Handshake.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Session\Tls_Handshake;

/**
 * TLS record detection and context options (the handshake itself runs in the probe suite).
 */
class Tls_Handshake_Test extends TestCase {

	/**
	 * TLS record detection.
	 */
	public function test_looks_like_tls(): void {
		$this->assertTrue( Tls_Handshake::looks_like_tls( "\x16\x03\x01\x00" ) );
		$this->assertTrue( Tls_Handshake::looks_like_tls( "\x15\x03\x03" ) );
		$this->assertTrue( Tls_Handshake::looks_like_tls( "\x16" ) );
		$this->assertFalse( Tls_Handshake::looks_like_tls( '220 ' ) );
		$this->assertFalse( Tls_Handshake::looks_like_tls( "\x16\x41" ) );
		$this->assertFalse( Tls_Handshake::looks_like_tls( '' ) );
	}

	/**
	 * Verification on or off; SNI only for names.
	 */
	public function test_ssl_options(): void {
		$verified = Tls_Handshake::ssl_options( Probe_Options::from_array( array( 'host' => 'smtp.example.com' ) ), true );
		$this->assertTrue( $verified['verify_peer'] );
		$this->assertTrue( $verified['verify_peer_name'] );
		$this->assertFalse( $verified['allow_self_signed'] );
		$this->assertTrue( $verified['SNI_enabled'] );
		$this->assertSame( 'smtp.example.com', $verified['peer_name'] );
		$this->assertArrayNotHasKey( 'cafile', $verified );

		$reading = Tls_Handshake::ssl_options( Probe_Options::from_array( array( 'host' => '192.0.2.7' ) ), false );
		$this->assertFalse( $reading['verify_peer'] );
		$this->assertTrue( $reading['allow_self_signed'] );
		$this->assertFalse( $reading['SNI_enabled'] );
	}
}
