<?php
/**
 * Network tests of the port prober against real and hostile servers on loopback.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';

/**
 * Every verdict code, mode detection, TLS details, recommendation and report shape.
 *
 * @group network
 */
class Port_Prober_Test extends Probe_Test_Case {

	/**
	 * STARTTLS with a trusted certificate and a real AUTH.
	 */
	public function test_ok_starttls_with_auth(): void {
		$report = $this->probe( array( 'good_starttls' ), array( 'username' => 'test', 'password' => 'secret' ) );
		$r      = $this->result( $report, 'good_starttls' );
		$this->assertVerdict( Verdict::OK, $r );
		$this->assertSame( Port_Result::MODE_STARTTLS, $r->mode );
		$this->assertTrue( $r->auth_ok );
		$this->assertSame( array( 'dns', 'connect', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo_tls', 'auth', 'quit' ), $this->stage_names( $r ) );
		foreach ( $r->stages as $stage ) {
			$this->assertTrue( $stage['ok'], $stage['name'] );
		}
		$this->assertSame( '127.0.0.1', $r->address );
		$this->assertContains( 'PLAIN', $r->auth_mechanisms );
		$this->assertContains( 'LOGIN', $r->auth_mechanisms );
		$this->assertMatchesRegularExpression( '/^TLSv1\.[23]$/', $r->tls['version'] );
		$this->assertNotSame( '', $r->tls['cipher'] );
		$this->assertSame( 'localhost', $r->tls['subject'] );
		$this->assertContains( 'localhost', $r->tls['sans'] );
		$this->assertContains( '127.0.0.1', $r->tls['sans'] );
		$this->assertSame( 'SMTP Port Helper Test CA', $r->tls['issuer'] );
		$this->assertTrue( $r->tls['chain_verified'] );
		$this->assertTrue( $r->tls['host_matched'] );
		$this->assertGreaterThanOrEqual( 28, $r->tls['days_left'] );
		$this->assertStringContainsString( 'STARTTLS', $r->to_array()['message'] );
		$this->assertStringContainsString( 'accepted', $r->to_array()['message'] );
	}

	/**
	 * Implicit TLS on a port where it is expected.
	 */
	public function test_ok_implicit_tls(): void {
		$report = $this->probe( array( 'good_implicit' ), array( 'username' => 'test', 'password' => 'secret' ) );
		$r      = $this->result( $report, 'good_implicit' );
		$this->assertVerdict( Verdict::OK, $r );
		$this->assertSame( Port_Result::MODE_IMPLICIT_TLS, $r->mode );
		$this->assertSame( array( 'dns', 'connect', 'tls', 'banner', 'ehlo', 'auth', 'quit' ), $this->stage_names( $r ) );
		$this->assertStringContainsString( 'SSL/TLS', $r->to_array()['message'] );
	}

	/**
	 * Implicit TLS answering on a port probed as a STARTTLS port is detected as such.
	 */
	public function test_implicit_tls_detected_on_starttls_style_port(): void {
		$report = $this->probe( array( 'good_implicit2' ), array( 'timeout' => 4 ) );
		$r      = $this->result( $report, 'good_implicit2' );
		$this->assertVerdict( Verdict::OK, $r );
		$this->assertSame( Port_Result::MODE_IMPLICIT_TLS, $r->mode );
		$this->assertStringContainsString( 'choose SSL/TLS', $r->to_array()['message'] );
		$this->assertSame( 'implicit_tls', $report->recommendation['encryption'] );
	}

	/**
	 * Plain SMTP (with STARTTLS) on a port probed as implicit TLS (465-style) is detected.
	 */
	public function test_plain_smtp_detected_on_implicit_style_port(): void {
		$report = $this->probe( array( 'good_starttls2' ), array( 'implicit_ports' => array( self::port( 'good_starttls2' ) ) ) );
		$r      = $this->result( $report, 'good_starttls2' );
		$this->assertVerdict( Verdict::OK, $r );
		$this->assertSame( Port_Result::MODE_STARTTLS, $r->mode );
		$this->assertFalse( $r->stages[2]['ok'] );
		$this->assertSame( 'tls', $r->stages[2]['name'] );
		$this->assertStringContainsString( 'choose STARTTLS', $r->to_array()['message'] );
	}

	/**
	 * An IPv4 literal host skips DNS and matches the certificate's IP SAN.
	 */
	public function test_ip_literal_host(): void {
		$report = $this->probe( array( 'good_starttls' ), array( 'host' => '127.0.0.1' ) );
		$r      = $this->result( $report, 'good_starttls' );
		$this->assertVerdict( Verdict::OK, $r );
		$this->assertStringContainsString( 'no lookup', $r->stages[0]['detail'] );
	}

	/**
	 * Without the test CA the certificate is untrusted: cert_invalid, details still reported.
	 */
	public function test_cert_invalid_untrusted_issuer(): void {
		$report = $this->probe( array( 'good_starttls' ), array( 'cafile' => null, 'username' => 'test', 'password' => 'secret' ) );
		$r      = $this->result( $report, 'good_starttls' );
		$this->assertVerdict( Verdict::CERT_INVALID, $r );
		$this->assertSame( array( 'untrusted' ), $r->cert_problems );
		$this->assertFalse( $r->tls['chain_verified'] );
		$this->assertTrue( $r->tls['host_matched'] );
		$this->assertSame( 'SMTP Port Helper Test CA', $r->tls['issuer'] );
		$this->assertNotContains( 'auth', $this->stage_names( $r ), 'credentials must never be sent after a failed verification' );
		$this->assertNull( $report->recommendation );
	}

	/**
	 * Expired certificate, on STARTTLS and implicit ports; credentials are never sent.
	 */
	public function test_cert_invalid_expired(): void {
		$report = $this->probe(
			array( 'expired_starttls', 'expired_implicit' ),
			array(
				'username'       => 'test',
				'password'       => 'secret',
				'implicit_ports' => array( self::port( 'expired_implicit' ) ),
			)
		);
		foreach ( array( 'expired_starttls', 'expired_implicit' ) as $role ) {
			$r = $this->result( $report, $role );
			$this->assertVerdict( Verdict::CERT_INVALID, $r );
			$this->assertContains( 'expired', $r->cert_problems );
			$this->assertLessThan( 0, $r->tls['days_left'] );
			$this->assertFalse( $r->tls['chain_verified'] );
			$this->assertNotContains( 'auth', $this->stage_names( $r ) );
			$this->assertStringContainsString( 'expired on', $r->to_array()['message'] );
		}
		$this->assertSame( Port_Result::MODE_STARTTLS, $this->result( $report, 'expired_starttls' )->mode );
		$this->assertSame( Port_Result::MODE_IMPLICIT_TLS, $this->result( $report, 'expired_implicit' )->mode );
	}

	/**
	 * Self-signed certificate.
	 */
	public function test_cert_invalid_self_signed(): void {
		$report = $this->probe( array( 'selfsigned_starttls' ) );
		$r      = $this->result( $report, 'selfsigned_starttls' );
		$this->assertVerdict( Verdict::CERT_INVALID, $r );
		$this->assertSame( array( 'self_signed' ), $r->cert_problems );
		$this->assertSame( 'localhost', $r->tls['issuer'] );
		$this->assertStringContainsString( 'self-signed', $r->to_array()['message'] );
	}

	/**
	 * Certificate for another host name (trusted issuer).
	 */
	public function test_cert_invalid_wrong_host(): void {
		$report = $this->probe( array( 'wronghost_starttls' ) );
		$r      = $this->result( $report, 'wronghost_starttls' );
		$this->assertVerdict( Verdict::CERT_INVALID, $r );
		$this->assertSame( array( 'wrong_host' ), $r->cert_problems );
		$this->assertTrue( $r->tls['chain_verified'] );
		$this->assertFalse( $r->tls['host_matched'] );
		$this->assertContains( 'wrong.example', $r->tls['sans'] );
		$this->assertStringContainsString( 'wrong.example', $r->to_array()['message'] );
		$this->assertStringContainsString( 'not to localhost', $r->to_array()['message'] );
	}

	/**
	 * Greeting and certificate both name another domain: interception.
	 */
	public function test_host_mismatch_interception(): void {
		$report = $this->probe( array( 'intercept' ), array( 'username' => 'test', 'password' => 'secret' ) );
		$r      = $this->result( $report, 'intercept' );
		$this->assertVerdict( Verdict::HOST_MISMATCH, $r );
		$this->assertSame( 'smtp.interceptor.example', $r->banner_host );
		$this->assertNotContains( 'auth', $this->stage_names( $r ) );
		$this->assertStringContainsString( 'smtp.interceptor.example', $r->to_array()['message'] );
		$this->assertStringContainsString( 'redirects', $r->to_array()['message'] );
	}

	/**
	 * DNS failure applies to every port; no network traffic.
	 */
	public function test_dns_failed(): void {
		$report = ( new Port_Prober() )->probe(
			array(
				'host'  => 'no-such-host.invalid',
				'ports' => array( 2587, 2465 ),
			)
		);
		foreach ( $report->results as $r ) {
			$this->assertVerdict( Verdict::DNS_FAILED, $r );
			$this->assertSame( Port_Result::MODE_UNKNOWN, $r->mode );
			$this->assertSame( array( 'dns' ), $this->stage_names( $r ) );
			$this->assertStringContainsString( 'no-such-host.invalid', $r->to_array()['message'] );
		}
		$this->assertNull( $report->recommendation );
	}

	/**
	 * Closed port.
	 */
	public function test_refused(): void {
		$report = $this->probe( array( 'closed' ) );
		$r      = $this->result( $report, 'closed' );
		$this->assertVerdict( Verdict::REFUSED, $r );
		$this->assertFalse( $r->stages[1]['ok'] );
		$this->assertStringContainsString( 'closed', $r->to_array()['message'] );
	}

	/**
	 * HTTP server behind the port.
	 */
	public function test_not_smtp_http(): void {
		$report = $this->probe( array( 'http' ), array( 'timeout' => 3 ) );
		$r      = $this->result( $report, 'http' );
		$this->assertVerdict( Verdict::NOT_SMTP, $r );
		// Either we saw the bytes (peek) or OpenSSL consumed them within one handshake call.
		$this->assertMatchesRegularExpression( '#HTTP/1\.1 400|plain text#', $r->verdict_detail );
	}

	/**
	 * Oversized greetings are cut at the line / reply limits.
	 */
	public function test_not_smtp_oversized(): void {
		$report = $this->probe( array( 'huge_line', 'huge_reply' ) );
		$this->assertVerdict( Verdict::NOT_SMTP, $this->result( $report, 'huge_line' ) );
		$this->assertStringContainsString( 'longer than 2048', $this->result( $report, 'huge_line' )->verdict_detail );
		$this->assertVerdict( Verdict::NOT_SMTP, $this->result( $report, 'huge_reply' ) );
		$this->assertStringContainsString( 'longer than 65536', $this->result( $report, 'huge_reply' )->verdict_detail );
	}

	/**
	 * 554 greeting.
	 */
	public function test_rejected(): void {
		$r = $this->result( $this->probe( array( 'reject' ) ), 'reject' );
		$this->assertVerdict( Verdict::REJECTED, $r );
		$this->assertStringContainsString( '554', $r->to_array()['message'] );
	}

	/**
	 * No STARTTLS: plain only, credentials never sent, never recommended.
	 */
	public function test_starttls_missing(): void {
		$report = $this->probe( array( 'no_starttls' ), array( 'username' => 'test', 'password' => 'secret' ) );
		$r      = $this->result( $report, 'no_starttls' );
		$this->assertVerdict( Verdict::STARTTLS_MISSING, $r );
		$this->assertSame( Port_Result::MODE_PLAIN, $r->mode );
		$this->assertNotContains( 'auth', $this->stage_names( $r ) );
		$this->assertStringContainsString( 'clear text', $r->to_array()['message'] );
		$this->assertNull( $report->recommendation );
	}

	/**
	 * TLS failures: STARTTLS refused, closed mid-handshake (both modes), TLS garbage.
	 */
	public function test_tls_failed(): void {
		$report = $this->probe(
			array( 'starttls_refuse', 'close_tls', 'close_implicit', 'tls_garbage' ),
			array( 'implicit_ports' => array( self::port( 'close_implicit' ), self::port( 'tls_garbage' ) ) )
		);
		foreach ( array( 'starttls_refuse', 'close_tls', 'close_implicit', 'tls_garbage' ) as $role ) {
			$this->assertVerdict( Verdict::TLS_FAILED, $this->result( $report, $role ) );
		}
		$this->assertStringContainsString( '454', $this->result( $report, 'starttls_refuse' )->verdict_detail );
		$this->assertSame( Port_Result::MODE_STARTTLS, $this->result( $report, 'close_tls' )->mode );
		$this->assertLessThan( 4000, $report->elapsed_ms );
	}

	/**
	 * Wrong password (real server) and a server refusing every login.
	 */
	public function test_auth_failed(): void {
		$report = $this->probe( array( 'good_starttls', 'auth_reject' ), array( 'username' => 'test', 'password' => 'wrong' ) );
		foreach ( array( 'good_starttls', 'auth_reject' ) as $role ) {
			$r = $this->result( $report, $role );
			$this->assertVerdict( Verdict::AUTH_FAILED, $r );
			$this->assertFalse( $r->auth_ok );
			$this->assertStringContainsString( '535', $r->verdict_detail );
			$this->assertStringNotContainsString( 'wrong', json_encode( $r->to_array() ), 'the password must not appear in the report' );
		}
		$this->assertNull( $report->recommendation );
	}

	/**
	 * No port reachable (one refused, one black-holed): the report says who blocks and what to ask.
	 */
	public function test_no_reachable_port_gives_advice_for_the_web_host(): void {
		$report = $this->probe( array( 'closed', 'blackhole' ), array( 'timeout' => 1.0 ) )->to_array();
		$this->assertNull( $report['recommendation'] );
		$this->assertStringContainsString( 'Ask your web host: "Please allow outgoing TCP connections from this server to localhost on ports', (string) $report['advice'] );
		$this->assertSame( array( 'network' ), array_column( $report['causes'], 'cause' ), 'one piece of advice for the one cause' );
		$this->assertSame( $report['advice'], $report['causes'][0]['text'] );

		$answered = $this->probe( array( 'closed', 'good_starttls' ) )->to_array();
		$this->assertNull( $answered['advice'], 'a port answered' );
	}

	/**
	 * Microsoft 365's and Gmail's login refusals, in their own words, are explained with the way out.
	 */
	public function test_provider_login_refusals_are_explained(): void {
		$expected = array(
			'm365_auth_off' => 'Microsoft 365 has SMTP login switched off for this organisation or mailbox (5.7.139)',
			'm365_basic'    => 'basic authentication is not supported for client submission',
			'gmail_app'     => 'Google requires an app password for this account (5.7.9)',
		);
		$report   = $this->probe( array_keys( $expected ), array( 'username' => 'someone@example.com', 'password' => 'secret' ) );
		foreach ( $expected as $role => $text ) {
			$r = $this->result( $report, $role );
			$this->assertVerdict( Verdict::AUTH_FAILED, $r );
			$this->assertStringContainsString( $text, Verdict::message( $r ), $role );
			$this->assertStringNotContainsString( 'check your user name', Verdict::message( $r ), $role );
		}
	}

	/**
	 * AUTH LOGIN is used when PLAIN is not offered; a PLAIN-only requirement is not assumed.
	 */
	public function test_auth_login(): void {
		$ok = $this->result( $this->probe( array( 'login_only' ), array( 'username' => 'test', 'password' => 'secret' ) ), 'login_only' );
		$this->assertVerdict( Verdict::OK, $ok );
		$this->assertSame( array( 'LOGIN' ), $ok->auth_mechanisms );
		$this->assertStringStartsWith( 'LOGIN: 235', $ok->get_stage( 'auth' )['detail'] );
		$bad = $this->result( $this->probe( array( 'login_only' ), array( 'username' => 'test', 'password' => 'bad' ) ), 'login_only' );
		$this->assertVerdict( Verdict::AUTH_FAILED, $bad );
	}

	/**
	 * An IPv6 literal is connected to as such (nothing listens on ::1 here).
	 */
	public function test_ipv6_literal_host(): void {
		$r = $this->result( $this->probe( array( 'closed' ), array( 'host' => '[::1]' ) ), 'closed' );
		$this->assertContains( $r->verdict, array( Verdict::REFUSED, Verdict::UNREACHABLE ) );
		$this->assertSame( '::1', $r->address );
		$this->assertSame( '::1', $this->probe( array( 'closed' ), array( 'host' => '::1' ) )->host );
	}

	/**
	 * No AUTH after TLS, with and without credentials.
	 */
	public function test_auth_unavailable(): void {
		foreach ( array( array(), array( 'username' => 'test', 'password' => 'secret' ) ) as $options ) {
			$r = $this->result( $this->probe( array( 'no_auth' ), $options ), 'no_auth' );
			$this->assertVerdict( Verdict::AUTH_UNAVAILABLE, $r );
			$this->assertSame( array(), $r->auth_mechanisms );
			$this->assertSame( Port_Result::MODE_STARTTLS, $r->mode );
		}
	}

	/**
	 * Slow and silent servers, all at once under one 2 s deadline: no_banner (silent, drip),
	 * timeout (full backlog: SYN never answered), stalled (greets, then mute).
	 */
	public function test_slow_servers_under_one_deadline(): void {
		$start   = microtime( true );
		$report  = $this->probe( array( 'silent', 'drip', 'blackhole', 'stall', 'good_starttls' ), array( 'timeout' => 2 ) );
		$elapsed = microtime( true ) - $start;
		$this->assertLessThan( 2.5, $elapsed );
		$this->assertGreaterThanOrEqual( 1.9, $elapsed );
		$this->assertVerdict( Verdict::NO_BANNER, $this->result( $report, 'silent' ) );
		$this->assertVerdict( Verdict::NO_BANNER, $this->result( $report, 'drip' ) );
		$this->assertVerdict( Verdict::TIMEOUT, $this->result( $report, 'blackhole' ) );
		$this->assertVerdict( Verdict::STALLED, $this->result( $report, 'stall' ) );
		$this->assertVerdict( Verdict::OK, $this->result( $report, 'good_starttls' ) );
		$this->assertLessThan( 1500, $this->result( $report, 'good_starttls' )->elapsed_ms, 'the good port must not wait for the slow ones' );
		$this->assertStringContainsString( 'firewall', $this->result( $report, 'blackhole' )->to_array()['message'] );
		$this->assertSame( self::port( 'good_starttls' ), $report->recommendation['port'] );
	}

	/**
	 * The preferred alternate wins over an implicit TLS port; the report has the documented shape.
	 */
	public function test_recommendation_and_report_shape(): void {
		$report = $this->probe(
			array( 'good_implicit', 'good_starttls', 'closed' ),
			array( 'preferred_alternates' => array( self::port( 'good_starttls' ) ) )
		);
		$this->assertSame( self::port( 'good_starttls' ), $report->recommendation['port'] );
		$this->assertSame( 'starttls', $report->recommendation['encryption'] );

		$data = $report->to_array();
		$this->assertSame( array( 'host', 'elapsed_ms', 'results', 'recommendation', 'advice', 'causes' ), array_keys( $data ) );
		$this->assertSame( 'localhost', $data['host'] );
		$this->assertIsInt( $data['elapsed_ms'] );
		$this->assertSame( array( 'port', 'encryption', 'reason', 'family' ), array_keys( $data['recommendation'] ) );
		$this->assertCount( 3, $data['results'] );
		foreach ( $data['results'] as $result ) {
			foreach ( array( 'port', 'mode', 'verdict', 'ok', 'elapsed_ms', 'stages', 'message' ) as $key ) {
				$this->assertArrayHasKey( $key, $result );
			}
			$this->assertIsInt( $result['elapsed_ms'] );
			$this->assertContains( $result['mode'], array( 'starttls', 'implicit_tls', 'plain', 'unknown' ) );
			foreach ( $result['stages'] as $stage ) {
				$this->assertSame( array( 'name', 'ok', 'ms', 'detail' ), array_keys( $stage ) );
				$this->assertIsInt( $stage['ms'] );
				$this->assertIsBool( $stage['ok'] );
			}
		}
		$tls = $data['results'][0]['tls'];
		$this->assertSame( array( 'version', 'cipher', 'subject', 'sans', 'issuer', 'valid_from', 'valid_to', 'days_left', 'chain_verified', 'host_matched' ), array_keys( $tls ) );
		$this->assertNotFalse( json_encode( $data ) );
	}

	/**
	 * Hostile input never reaches a socket.
	 */
	public function test_input_with_line_breaks_is_refused(): void {
		$prober = new Port_Prober();
		foreach (
			array(
				array( 'host' => "localhost\r\nQUIT" ),
				array( 'host' => 'localhost', 'username' => "test\r\nMAIL FROM:<x@y>", 'password' => 'secret' ),
				array( 'host' => 'localhost', 'ehlo_name' => "a.example\nRSET" ),
			) as $options
		) {
			try {
				$prober->probe( $options + array( 'ports' => array( self::port( 'good_starttls' ) ) ) );
				$this->fail( 'accepted ' . json_encode( $options ) );
			} catch ( Invalid_Input_Exception $e ) {
				$this->assertNotSame( '', $e->getMessage() );
			}
		}
	}
}
