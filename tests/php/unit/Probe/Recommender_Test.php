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
}
