<?php
/**
 * Tests for Submission_Ports and Encryption.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Submission_Ports;

/**
 * The port vocabulary every part reads.
 */
class Submission_Ports_Test extends TestCase {

	/**
	 * Implicit TLS on 465 and its alternates, STARTTLS elsewhere; never none.
	 */
	public function test_encryption_follows_the_port(): void {
		foreach ( array( 465, 2465, 4650 ) as $port ) {
			$this->assertSame( Encryption::IMPLICIT_TLS, Submission_Ports::encryption_for_port( $port ), (string) $port );
		}
		foreach ( array( 25, 587, 2525, 2587, 8465 ) as $port ) {
			$this->assertSame( Encryption::STARTTLS, Submission_Ports::encryption_for_port( $port ), (string) $port );
		}
	}

	/**
	 * The probe expects implicit TLS on the same ports as the settings.
	 */
	public function test_the_probe_reads_the_same_list(): void {
		$options = Probe_Options::from_array( array( 'host' => 'smtp.example.com' ) );
		foreach ( array( 25, 465, 587, 2465, 2525, 4650 ) as $port ) {
			$this->assertSame( Submission_Ports::expects_implicit_tls( $port ), $options->expects_implicit_tls( $port ), (string) $port );
		}
		$this->assertSame( Submission_Ports::DEFAULT_TEST_PORTS, $options->ports );
		$this->assertSame( array( Submission_Ports::DEFAULT_ALTERNATE ), $options->preferred_alternates );
	}

	/**
	 * A test tries submission, the usual alternate, implicit TLS and relay, in that order, within the limit.
	 */
	public function test_default_order_and_limit(): void {
		$this->assertSame( array( 587, 2525, 465, 25 ), Submission_Ports::DEFAULT_TEST_PORTS );
		$this->assertLessThanOrEqual( Submission_Ports::MAX_PER_TEST, count( Submission_Ports::DEFAULT_TEST_PORTS ) );
		$this->assertSame( 6, Submission_Ports::MAX_PER_TEST );
	}

	/**
	 * The page receives the parts it composes a test from.
	 */
	public function test_what_the_page_receives(): void {
		$this->assertSame(
			array(
				'submission'       => 587,
				'implicitTls'      => 465,
				'relay'            => 25,
				'defaultAlternate' => 2525,
				'maxPerTest'       => 6,
			),
			Submission_Ports::for_page()
		);
		$this->assertSame( array_keys( Submission_Ports::for_page() ), Submission_Ports::page_schema()['required'] );
	}

	/**
	 * One label per encryption, written on the PHP side only.
	 */
	public function test_encryption_labels(): void {
		$this->assertSame(
			array(
				'none'         => 'None',
				'starttls'     => 'STARTTLS',
				'implicit_tls' => 'SSL/TLS',
			),
			Encryption::labels()
		);
		$this->assertSame( 'other', Encryption::label( 'other' ) );
	}
}
