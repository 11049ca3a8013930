<?php
/**
 * Tests for Verdict messages.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

/**
 * Verdict mapping to messages.
 */
class Verdict_Test extends TestCase {

	/**
	 * Every code has a message naming the port (or the host for DNS).
	 */
	public function test_every_code_has_a_message(): void {
		foreach ( Verdict::all() as $code ) {
			$r          = new Port_Result( 2587 );
			$r->host    = 'smtp.example.com';
			$r->verdict = $code;
			$message    = Verdict::message( $r );
			$this->assertNotSame( '', $message, $code );
			if ( Verdict::DNS_FAILED === $code ) {
				$this->assertStringContainsString( 'smtp.example.com', $message );
			} else {
				$this->assertStringContainsString( '2587', $message, $code );
			}
			$this->assertSame( $code, $r->to_array()['verdict'] );
			$this->assertSame( Verdict::OK === $code, $r->to_array()['ok'] );
		}
	}

	/**
	 * Timeout on 25 explains cloud blocking; ok on 25 explains relay vs submission.
	 */
	public function test_port_25_wording(): void {
		$r          = new Port_Result( 25 );
		$r->verdict = Verdict::TIMEOUT;
		$this->assertStringContainsString( 'firewall', Verdict::message( $r ) );
		$this->assertStringContainsString( 'cloud', Verdict::message( $r ) );
		$r->verdict = Verdict::OK;
		$r->mode    = Port_Result::MODE_STARTTLS;
		$this->assertStringContainsString( 'relay', Verdict::message( $r ) );
		$this->assertStringContainsString( 'submission', Verdict::message( $r ) );
	}

	/**
	 * Mode notes when a port is used the unusual way.
	 */
	public function test_mode_notes(): void {
		$r                    = new Port_Result( 465 );
		$r->verdict           = Verdict::OK;
		$r->mode              = Port_Result::MODE_STARTTLS;
		$r->implicit_expected = true;
		$this->assertStringContainsString( 'choose STARTTLS', Verdict::message( $r ) );
		$r                    = new Port_Result( 587 );
		$r->verdict           = Verdict::OK;
		$r->mode              = Port_Result::MODE_IMPLICIT_TLS;
		$this->assertStringContainsString( 'choose SSL/TLS', Verdict::message( $r ) );
	}

	/**
	 * Certificate problems are named.
	 */
	public function test_cert_problems_text(): void {
		$r                = new Port_Result( 587 );
		$r->host          = 'smtp.example.com';
		$r->verdict       = Verdict::CERT_INVALID;
		$r->cert_problems = array( 'expired', 'wrong_host' );
		$r->tls           = array(
			'valid_to' => '2020-01-02T00:00:00Z',
			'sans'     => array( 'other.example' ),
			'subject'  => 'other.example',
		);
		$message          = Verdict::message( $r );
		$this->assertStringContainsString( 'expired on 2020-01-02', $message );
		$this->assertStringContainsString( 'other.example, not to smtp.example.com', $message );
		$r->cert_problems = array( 'self_signed' );
		$this->assertStringContainsString( 'self-signed', Verdict::message( $r ) );
		$r->cert_problems = array( 'untrusted' );
		$this->assertStringContainsString( 'does not trust', Verdict::message( $r ) );
	}

	/**
	 * Each failure is attributed to the party that can fix it, so advice goes to the right desk.
	 */
	public function test_cause_names_the_side_of_the_failure(): void {
		$this->assertSame( Verdict::CAUSE_HOST_NAME, Verdict::cause( Verdict::DNS_FAILED ) );
		$this->assertSame( Verdict::CAUSE_NETWORK, Verdict::cause( Verdict::TIMEOUT ) );
		$this->assertSame( Verdict::CAUSE_NETWORK, Verdict::cause( Verdict::REFUSED ) );
		$this->assertSame( Verdict::CAUSE_CERTIFICATE, Verdict::cause( Verdict::CERT_INVALID ) );
		$this->assertSame( Verdict::CAUSE_CERTIFICATE, Verdict::cause( Verdict::HOST_MISMATCH ) );
		$this->assertSame( Verdict::CAUSE_LOGIN, Verdict::cause( Verdict::AUTH_FAILED ) );
		$this->assertSame( Verdict::CAUSE_MAIL_SERVER, Verdict::cause( Verdict::STARTTLS_MISSING ) );
		$this->assertSame( Verdict::CAUSE_NONE, Verdict::cause( Verdict::OK ) );
		foreach ( Verdict::all() as $code ) {
			$this->assertContains( Verdict::cause( $code ), Verdict::causes(), $code );
		}
	}

	/**
	 * A port that refused a login another port of the same test accepted says so, instead of
	 * sending the user to check a password that works.
	 */
	public function test_login_refused_here_but_accepted_on_another_port(): void {
		$r          = new Port_Result( 587 );
		$r->verdict = Verdict::AUTH_FAILED;
		$this->assertStringContainsString( 'Check them', Verdict::message( $r ), 'without another port, the login itself is in doubt' );

		$r->login_accepted_on = 2525;
		$message              = Verdict::message( $r );
		$this->assertStringContainsString( 'accepted on port 2525', $message );
		$this->assertStringContainsString( 'use port 2525', $message );
		$this->assertStringNotContainsString( 'Check them', $message );
		$this->assertStringNotContainsString( 'password was refused', $message );
	}

	/**
	 * Advice goes to whoever can fix the failure: the host name for a name not found, the web host
	 * or a firewall for a connection that fails, the mail provider or the CA file option for a
	 * certificate.
	 */
	public function test_advice_names_the_right_party(): void {
		$r          = new Port_Result( 587 );
		$r->host    = 'smtp.gmial.com';
		$r->verdict = Verdict::DNS_FAILED;
		$message    = Verdict::message( $r );
		$this->assertStringContainsString( 'smtp.gmial.com', $message );
		$this->assertStringContainsString( 'spelling', $message );
		$this->assertStringNotContainsString( 'firewall', $message );
		$this->assertStringNotContainsString( 'web host', $message );

		foreach ( array( Verdict::TIMEOUT, Verdict::REFUSED, Verdict::UNREACHABLE ) as $network ) {
			$r->verdict = $network;
			$this->assertStringContainsString( 'web host', Verdict::message( $r ), $network );
		}

		$r->verdict = Verdict::CERT_INVALID;
		foreach ( array( 'self_signed', 'untrusted' ) as $problem ) {
			$r->cert_problems = array( $problem );
			$message          = Verdict::message( $r );
			$this->assertStringContainsString( 'Advanced settings', $message, $problem );
			$this->assertStringContainsString( '"CA certificate file"', $message, $problem );
			$this->assertStringContainsString( 'mail provider', $message, $problem );
			$this->assertStringNotContainsString( 'web host', $message, $problem );
		}
		$r->cert_problems = array( 'expired' );
		$message          = Verdict::message( $r );
		$this->assertStringContainsString( 'mail provider has to renew', $message );
		$this->assertStringNotContainsString( 'CA certificate file', $message );
		$r->cert_problems = array( 'wrong_host' );
		$this->assertStringContainsString( 'Check the host name', Verdict::message( $r ) );
	}
}
