<?php
/**
 * Tests for Recommender.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Recommender;
use SmtpPortHelper\Probe\Verdict;

/**
 * Recommendation ranking.
 */
class Recommender_Test extends TestCase {

	/**
	 * Builds a result.
	 *
	 * @param int    $port    Port.
	 * @param string $verdict Verdict.
	 * @param string $mode    Mode.
	 * @return Port_Result
	 */
	private function result( int $port, string $verdict, string $mode = Port_Result::MODE_STARTTLS ): Port_Result {
		$r          = new Port_Result( $port );
		$r->verdict = $verdict;
		$r->mode    = $mode;
		$r->host    = 'smtp.example.com';
		return $r;
	}

	/**
	 * 587 wins over everything.
	 */
	public function test_587_first(): void {
		$rec = Recommender::recommend(
			array(
				$this->result( 465, Verdict::OK, Port_Result::MODE_IMPLICIT_TLS ),
				$this->result( 2525, Verdict::OK ),
				$this->result( 587, Verdict::OK ),
				$this->result( 25, Verdict::OK ),
			)
		);
		$this->assertSame( 587, $rec['port'] );
		$this->assertSame( 'starttls', $rec['encryption'] );
		$this->assertStringContainsString( 'STARTTLS', $rec['reason'] );
	}

	/**
	 * Then the alternates, in the given order, then 465.
	 */
	public function test_alternates_then_465(): void {
		$results = array(
			$this->result( 587, Verdict::TIMEOUT, Port_Result::MODE_UNKNOWN ),
			$this->result( 465, Verdict::OK, Port_Result::MODE_IMPLICIT_TLS ),
			$this->result( 2525, Verdict::OK ),
			$this->result( 2587, Verdict::OK ),
		);
		$this->assertSame( 2525, Recommender::recommend( $results )['port'] );
		$rec = Recommender::recommend( $results, array( 2587, 2525 ) );
		$this->assertSame( 2587, $rec['port'] );
		$this->assertStringContainsString( '587 did not work', $rec['reason'] );

		$rec = Recommender::recommend( array( $results[0], $results[1] ) );
		$this->assertSame( 465, $rec['port'] );
		$this->assertSame( 'implicit_tls', $rec['encryption'] );
		$this->assertStringContainsString( 'RFC 8314', $rec['reason'] );
		$this->assertStringContainsString( 'SSL/TLS', $rec['reason'] );
		$this->assertStringNotContainsString( 'deprecated', $rec['reason'] );
	}

	/**
	 * 465 wins over unknown ports; 2525 is called unofficial.
	 */
	public function test_other_ports_last_and_2525_wording(): void {
		$rec = Recommender::recommend( array( $this->result( 8025, Verdict::OK ), $this->result( 465, Verdict::OK, Port_Result::MODE_IMPLICIT_TLS ) ) );
		$this->assertSame( 465, $rec['port'] );
		$rec = Recommender::recommend( array( $this->result( 2525, Verdict::OK ) ) );
		$this->assertStringContainsString( 'not an official standard', $rec['reason'] );
		$rec = Recommender::recommend( array( $this->result( 8025, Verdict::OK ), $this->result( 8026, Verdict::OK, Port_Result::MODE_IMPLICIT_TLS ) ) );
		$this->assertSame( 8025, $rec['port'] );
	}

	/**
	 * Never 25, never a failing or plain-only port.
	 */
	public function test_never_25_or_plain(): void {
		$this->assertNull( Recommender::recommend( array( $this->result( 25, Verdict::OK ) ) ) );
		$this->assertNull( Recommender::recommend( array( $this->result( 587, Verdict::STARTTLS_MISSING, Port_Result::MODE_PLAIN ) ) ) );
		$this->assertNull( Recommender::recommend( array( $this->result( 587, Verdict::OK, Port_Result::MODE_PLAIN ) ) ) );
		$this->assertNull( Recommender::recommend( array( $this->result( 587, Verdict::CERT_INVALID ), $this->result( 465, Verdict::AUTH_FAILED ) ) ) );
		$this->assertNull( Recommender::recommend( array() ) );
	}

	/**
	 * Detected mode is what gets recommended (587 answering implicit TLS).
	 */
	public function test_detected_mode_is_used(): void {
		$rec = Recommender::recommend( array( $this->result( 587, Verdict::OK, Port_Result::MODE_IMPLICIT_TLS ) ) );
		$this->assertSame( 'implicit_tls', $rec['encryption'] );
		$this->assertStringContainsString( 'SSL/TLS', $rec['reason'] );
	}

	/**
	 * Ranks.
	 */
	public function test_rank(): void {
		$this->assertLessThan( Recommender::rank( 2525, array( 2525 ) ), Recommender::rank( 587, array( 2525 ) ) );
		$this->assertLessThan( Recommender::rank( 465, array( 2525 ) ), Recommender::rank( 2525, array( 2525 ) ) );
		$this->assertLessThan( Recommender::rank( 2525, array() ), Recommender::rank( 465, array() ) );
	}

	/**
	 * With a login, the reason says per port what happened to it: a port that refused the login
	 * another accepted is not "did not work from this web server" (which reads as a firewall).
	 */
	public function test_reason_tells_per_port_what_happened_with_the_login(): void {
		$refused           = $this->result( 587, Verdict::AUTH_FAILED );
		$refused->auth_ok  = false;
		$accepted          = $this->result( 2525, Verdict::OK );
		$accepted->auth_ok = true;
		$results           = array( $refused, $accepted, $this->result( 465, Verdict::AUTH_FAILED, Port_Result::MODE_IMPLICIT_TLS ) );

		$rec = Recommender::recommend( $results );
		$this->assertSame( 2525, $rec['port'] );
		$this->assertStringContainsString( 'Port 587 refused the login that port 2525 accepted', $rec['reason'] );
		$this->assertStringNotContainsString( 'did not work from this web server', $rec['reason'] );
		$this->assertStringNotContainsString( '465', $rec['reason'], 'only ports preferred to the chosen one are explained' );

		Recommender::note_login_accepted_elsewhere( $results, $rec );
		$this->assertSame( 2525, $refused->login_accepted_on );
		$this->assertSame( 2525, $results[2]->login_accepted_on );
		$this->assertNull( $accepted->login_accepted_on );
		$this->assertStringContainsString( 'accepted on port 2525', $refused->to_array()['message'] );
	}

	/**
	 * Each preferred port that failed is explained by its own cause; only a network failure
	 * "did not work from this web server".
	 */
	public function test_reason_names_each_preferred_port_by_cause(): void {
		$rec = Recommender::recommend(
			array(
				$this->result( 587, Verdict::CERT_INVALID ),
				$this->result( 2525, Verdict::TIMEOUT, Port_Result::MODE_UNKNOWN ),
				$this->result( 465, Verdict::OK, Port_Result::MODE_IMPLICIT_TLS ),
				$this->result( 25, Verdict::TIMEOUT, Port_Result::MODE_UNKNOWN ),
			)
		);
		$this->assertSame( 465, $rec['port'] );
		$this->assertStringContainsString( 'On port 587, the mail server\'s certificate cannot be trusted.', $rec['reason'] );
		$this->assertStringNotContainsString( 'Port 587 did not work', $rec['reason'] );
		$this->assertStringContainsString( 'Port 2525 did not work from this web server.', $rec['reason'] );
		$this->assertStringNotContainsString( 'Port 25 ', $rec['reason'], 'port 25 is never a candidate, so never explained' );
		$this->assertLessThan( strpos( $rec['reason'], '2525 did not' ), strpos( $rec['reason'], 'port 587' ), 'best-ranked first' );

		Recommender::note_login_accepted_elsewhere( array( $this->result( 587, Verdict::AUTH_FAILED ) ), null );
		$without_login       = $this->result( 587, Verdict::AUTH_FAILED );
		$works_without_login = $this->result( 2525, Verdict::OK );
		$rec                 = Recommender::recommend( array( $without_login, $works_without_login ) );
		Recommender::note_login_accepted_elsewhere( array( $without_login, $works_without_login ), $rec );
		$this->assertNull( $without_login->login_accepted_on, 'a port that did not log in proves nothing about the login' );
		$this->assertStringContainsString( 'Port 587 refused the login.', $rec['reason'] );
	}
}
