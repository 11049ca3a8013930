<?php
/**
 * Tests for Result_Recorder.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Session\Result_Recorder;
use SmtpPortHelper\Probe\Verdict;

/**
 * Timed stages, the first verdict, quiet mode, and the closing rules.
 */
class Result_Recorder_Test extends TestCase {

	/**
	 * Stages are timed from the last mark; the first verdict wins.
	 */
	public function test_stages_and_verdict(): void {
		$result   = new Port_Result( 587 );
		$recorder = new Result_Recorder( $result );
		$recorder->start( 10.0 );
		$recorder->mark( 10.0 );
		$recorder->stage( 'connect', true, 10.25, 'connected' );
		$recorder->stage( 'banner', false, 10.5, 'silent' );
		$recorder->decide( Verdict::NO_BANNER, "no\ngreeting" );
		$recorder->decide( Verdict::OK, '' );
		$recorder->finish( 11.0 );

		$this->assertSame( array( 'connect', 'banner' ), array_column( $result->stages, 'name' ) );
		$this->assertEqualsWithDelta( 250.0, $result->stages[0]['ms'], 0.001 );
		$this->assertEqualsWithDelta( 250.0, $result->stages[1]['ms'], 0.001 );
		$this->assertSame( Verdict::NO_BANNER, $result->verdict );
		$this->assertStringNotContainsString( "\n", $result->verdict_detail );
		$this->assertEqualsWithDelta( 1000.0, $result->elapsed_ms, 0.001 );
	}

	/**
	 * While quiet only the mark moves; stage_always still records.
	 */
	public function test_quiet(): void {
		$result   = new Port_Result( 465 );
		$recorder = new Result_Recorder( $result );
		$recorder->mark( 1.0 );
		$recorder->go_quiet();
		$recorder->stage( 'connect', true, 1.5, 'connected' );
		$recorder->stage_always( 'certificate', false, 1.75, 'untrusted' );
		$this->assertSame( array( 'certificate' ), array_column( $result->stages, 'name' ) );
		$this->assertEqualsWithDelta( 250.0, $result->stages[0]['ms'], 0.001 );
	}

	/**
	 * Finishing without a verdict means not SMTP; verdicts that show no mode clear a guessed one.
	 */
	public function test_finish_rules(): void {
		$result   = new Port_Result( 25 );
		$recorder = new Result_Recorder( $result );
		$this->assertFalse( $recorder->has_verdict() );
		$result->mode = Port_Result::MODE_PLAIN;
		$recorder->finish( 0.0 );
		$this->assertSame( Verdict::NOT_SMTP, $result->verdict );
		$this->assertSame( Port_Result::MODE_UNKNOWN, $result->mode );

		$tls          = new Port_Result( 465 );
		$tls->mode    = Port_Result::MODE_IMPLICIT_TLS;
		$tls_recorder = new Result_Recorder( $tls );
		$tls_recorder->decide( Verdict::NO_BANNER, 'silent after TLS' );
		$tls_recorder->finish( 0.0 );
		$this->assertSame( Port_Result::MODE_IMPLICIT_TLS, $tls->mode );

		$plain          = new Port_Result( 25 );
		$plain->mode    = Port_Result::MODE_PLAIN;
		$plain_recorder = new Result_Recorder( $plain );
		$plain_recorder->decide( Verdict::STARTTLS_MISSING, 'STARTTLS not offered' );
		$plain_recorder->finish( 0.0 );
		$this->assertSame( Port_Result::MODE_PLAIN, $plain->mode );
	}
}
