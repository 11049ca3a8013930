<?php
/**
 * Tests for Certificate_Inspection.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Session\Certificate_Inspection;
use SmtpPortHelper\Probe\Session\Result_Recorder;
use SmtpPortHelper\Probe\Verdict;

/**
 * What the certificate-reading connection reports.
 */
class Certificate_Inspection_Test extends TestCase {

	/**
	 * A self-signed certificate for another name, valid for ten days.
	 *
	 * @param string $name Common name.
	 * @return mixed
	 */
	private static function certificate( string $name ) {
		$key = openssl_pkey_new(
			array(
				'private_key_type' => OPENSSL_KEYTYPE_EC,
				'curve_name'       => 'prime256v1',
			)
		);
		$csr = openssl_csr_new( array( 'commonName' => $name ), $key, array( 'digest_alg' => 'sha256' ) );
		return openssl_csr_sign( $csr, null, $key, 10, array( 'digest_alg' => 'sha256' ) );
	}

	/**
	 * An inspection of smtp.example.com after a verified handshake failed with $error.
	 *
	 * @param string      $error  OpenSSL error text.
	 * @param Port_Result $result Result to fill.
	 * @return Certificate_Inspection
	 */
	private static function inspection( string $error, Port_Result $result ): Certificate_Inspection {
		return new Certificate_Inspection( $error, Host_Name::parse( 'smtp.example.com' ), $result, new Result_Recorder( $result ) );
	}

	/**
	 * A certificate read: its problems, a 'certificate' stage and CERT_INVALID.
	 */
	public function test_certificate_read(): void {
		$result = new Port_Result( 465 );
		self::inspection( 'certificate verify failed', $result )->certificate_read(
			array(
				'version'     => 'TLSv1.3',
				'cipher'      => 'TLS_AES_256_GCM_SHA384',
				'certificate' => self::certificate( 'mail.example.net' ),
			),
			1.0
		);
		$this->assertSame( array( 'self_signed', 'wrong_host' ), $result->cert_problems );
		$this->assertSame( Verdict::CERT_INVALID, $result->verdict );
		$this->assertSame( 'certificate', $result->stages[0]['name'] );
		$this->assertIsArray( $result->tls );
		$this->assertSame( 'mail.example.net', $result->tls['subject'] );
		$this->assertFalse( $result->tls['chain_verified'] );
		$this->assertFalse( $result->tls['host_matched'] );
	}

	/**
	 * Only a wrong name, and the greeting names another domain: HOST_MISMATCH.
	 */
	public function test_host_mismatch(): void {
		$result                  = new Port_Result( 465 );
		$result->banner_mismatch = true;
		self::inspection( "Peer certificate CN=`mail.example.net' did not match expected CN=`smtp.example.com'", $result )->certificate_read(
			array(
				'version'     => 'TLSv1.3',
				'cipher'      => '',
				'certificate' => null,
			),
			1.0
		);
		$this->assertSame( array( 'wrong_host' ), $result->cert_problems );
		$this->assertSame( Verdict::HOST_MISMATCH, $result->verdict );
	}

	/**
	 * Unreadable: the verified handshake's error decides the problem.
	 */
	public function test_certificate_unreadable(): void {
		$result = new Port_Result( 587 );
		self::inspection( 'certificate verify failed', $result )->certificate_unreadable( 'connection closed', 1.0 );
		$this->assertSame( array( 'untrusted' ), $result->cert_problems );
		$this->assertSame( Verdict::CERT_INVALID, $result->verdict );
		$this->assertSame( 'could not read the certificate: connection closed', $result->stages[0]['detail'] );

		$named = new Port_Result( 587 );
		self::inspection( 'did not match expected CN', $named )->certificate_unreadable( 'time limit reached', 1.0 );
		$this->assertSame( array( 'wrong_host' ), $named->cert_problems );
	}
}
