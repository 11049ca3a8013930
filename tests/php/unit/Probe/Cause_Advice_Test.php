<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Cause_Advice;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Report;
use SmtpPortHelper\Probe\Verdict;

final class Cause_Advice_Test extends TestCase {

	/**
	 * A port's result with a verdict (and a passed or refused login).
	 *
	 * @param int       $port    Port.
	 * @param string    $verdict Verdict.
	 * @param bool|null $login   Whether the AUTH stage passed; null when there was none.
	 */
	private static function result( int $port, string $verdict, ?bool $login = null ): Port_Result {
		$result          = new Port_Result( $port );
		$result->verdict = $verdict;
		$result->mode    = Port_Result::MODE_STARTTLS;
		$result->add_stage( 'connect', Verdict::TIMEOUT !== $verdict && Verdict::REFUSED !== $verdict, 1.0 );
		if ( null !== $login ) {
			$result->add_stage( 'auth', $login, 1.0 );
			$result->auth_ok = $login;
		}
		return $result;
	}

	/**
	 * @param Port_Result[] $results Results.
	 */
	private static function report( array $results, string $host = 'smtp.example.com' ): Probe_Report {
		return new Probe_Report( $host, 10.0, $results, null );
	}

	public function test_one_piece_of_advice_per_cause_in_the_order_to_fix_them(): void {
		$advice = Cause_Advice::for_report(
			self::report(
				array(
					self::result( 587, Verdict::TIMEOUT ),
					self::result( 2525, Verdict::CERT_INVALID ),
					self::result( 465, Verdict::AUTH_FAILED, false ),
					self::result( 2587, Verdict::TIMEOUT ),
				)
			)
		);
		$this->assertSame( array( Verdict::CAUSE_LOGIN, Verdict::CAUSE_CERTIFICATE, Verdict::CAUSE_NETWORK ), array_column( $advice, 'cause' ) );
		$this->assertSame( 'Port 465 refused the login: check the user name and password in step 2.', $advice[0]['text'] );
		$this->assertStringStartsWith( 'The certificate on port 2525 cannot be trusted.', $advice[1]['text'] );
		$this->assertSame( array( 587, 2587 ), $advice[2]['ports'] );
		$this->assertStringStartsWith( 'Ports 587, 2587 could not be reached from this web server.', $advice[2]['text'] );
	}

	public function test_a_login_refused_on_one_port_but_taken_on_another_is_right(): void {
		$advice = Cause_Advice::for_report(
			self::report(
				array(
					self::result( 587, Verdict::OK, true ),
					self::result( 465, Verdict::AUTH_FAILED, false ),
				)
			)
		);
		$this->assertSame( 'The same user name and password were refused on port 465 but accepted on port 587: the login is right, use a port that accepted it.', $advice[0]['text'] );
	}

	public function test_a_failed_relay_port_is_left_out_when_another_port_works(): void {
		$works   = self::result( 587, Verdict::OK );
		$blocked = self::result( 25, Verdict::TIMEOUT );
		$this->assertSame( array(), Cause_Advice::for_report( self::report( array( $works, $blocked ) ) ) );
		$this->assertSame( array( 25 ), Cause_Advice::for_report( self::report( array( $blocked ) ) )[0]['ports'] );
	}

	public function test_when_no_port_could_be_reached_the_web_host_is_asked(): void {
		$results = array( self::result( 587, Verdict::TIMEOUT ), self::result( 465, Verdict::REFUSED ), self::result( 25, Verdict::TIMEOUT ) );
		$advice  = (string) Cause_Advice::all_blocked( 'smtp.example.com', $results );
		$this->assertStringContainsString( 'Ask your web host: "Please allow outgoing TCP connections from this server to smtp.example.com on ports 587, 465 (mail submission)."', $advice );
		$causes = Cause_Advice::for_report( self::report( $results ) );
		$this->assertSame( array( Verdict::CAUSE_NETWORK ), array_column( $causes, 'cause' ) );
		$this->assertSame( $advice, $causes[0]['text'], 'the network advice names who blocks the ports' );

		$answered = self::result( 2525, Verdict::AUTH_FAILED, false );
		$this->assertNull( Cause_Advice::all_blocked( 'smtp.example.com', array_merge( $results, array( $answered ) ) ), 'a port answered: the network is not the problem' );
		$this->assertNull( Cause_Advice::all_blocked( 'smtp.example.com', array() ) );
	}

	public function test_the_address_policys_refusal_is_not_called_a_missing_name(): void {
		$refused                 = self::result( 587, Verdict::ADDRESS_REFUSED );
		$refused->verdict_detail = '10.0.0.5';
		$advice                  = Cause_Advice::for_report( self::report( array( $refused ), 'smtp.internal.test' ) );
		$this->assertSame( Verdict::CAUSE_HOST_NAME, $advice[0]['cause'] );
		$this->assertSame( Verdict::message( $refused ), $advice[0]['text'] );
		$this->assertStringNotContainsString( 'was not found', $advice[0]['text'] );

		$missing = Cause_Advice::for_report( self::report( array( self::result( 587, Verdict::DNS_FAILED ) ), 'smtp.gmial.com' ) );
		$this->assertSame( 'The host name smtp.gmial.com was not found. Check its spelling in step 1; the port test cannot reach a server it cannot find.', $missing[0]['text'] );
	}

	public function test_site_health_names_the_port_to_switch_to(): void {
		$report                 = self::report( array( self::result( 465, Verdict::TIMEOUT ), self::result( 587, Verdict::OK, true ) ) );
		$report->recommendation = array(
			'port'       => 587,
			'encryption' => 'starttls',
			'reason'     => '',
			'family'     => 'any',
		);
		$this->assertSame( 'Port 587 works from this web server and accepts the saved user name and password. In the SMTP settings, set the port to 587 and the encryption to STARTTLS.', Cause_Advice::alternatives( $report, 'smtp.example.com', 465, Verdict::TIMEOUT ) );
		$report->recommendation = null;
		$this->assertStringStartsWith( 'No other port of smtp.example.com accepted the saved user name and password either (tested: 465, 587)', Cause_Advice::alternatives( $report, 'smtp.example.com', 465, Verdict::AUTH_FAILED ) );
	}
}
