<?php
/**
 * Tests for Failure_Classifier.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Session\Failure;
use SmtpPortHelper\Probe\Session\Failure_Classifier;
use SmtpPortHelper\Probe\Session\Probe_Mode;
use SmtpPortHelper\Probe\Session\State;
use SmtpPortHelper\Probe\Verdict;

/**
 * What a failed connect, the deadline, a close, a failed handshake and bad replies mean.
 */
class Failure_Classifier_Test extends TestCase {

	/**
	 * Refused, timed out and other connect errors; the next address is tried unless timed out.
	 */
	public function test_connect_failed(): void {
		$refused = Failure_Classifier::connect_failed( 111, 'Connection refused', '192.0.2.1', false );
		$this->assertSame( Verdict::REFUSED, $refused->verdict() );
		$this->assertSame( 'connect', $refused->stage() );
		$this->assertSame( 'Connection refused (192.0.2.1)', $refused->detail() );
		$this->assertSame( Failure::STOP, $refused->next() );

		$this->assertSame( Verdict::REFUSED, Failure_Classifier::connect_failed( 0, 'connect() refused', '192.0.2.1', false )->verdict() );
		$this->assertSame( Verdict::TIMEOUT, Failure_Classifier::connect_failed( 0, 'Connection timed out', '192.0.2.1', false )->verdict() );
		$this->assertSame( Verdict::UNREACHABLE, Failure_Classifier::connect_failed( 0, 'Network is unreachable', '192.0.2.1', false )->verdict() );
		$this->assertSame( 'connection failed (192.0.2.1)', Failure_Classifier::connect_failed( 0, '', '192.0.2.1', false )->detail() );

		$retry = Failure_Classifier::connect_failed( 111, 'Connection refused', '192.0.2.1', true );
		$this->assertSame( Failure::NEXT_ADDRESS, $retry->next() );
		$this->assertSame( '', $retry->verdict() );
		$this->assertSame( Failure::STOP, Failure_Classifier::connect_failed( 0, 'Connection timed out', '192.0.2.1', true )->next() );
	}

	/**
	 * The deadline in each state.
	 */
	public function test_deadline(): void {
		$plain    = Probe_Mode::first_connection( false );
		$implicit = Probe_Mode::first_connection( true );

		$connecting = Failure_Classifier::deadline( State::CONNECTING, $plain, false, 0, 0, '192.0.2.1' );
		$this->assertSame( array( 'connect', Verdict::TIMEOUT ), array( $connecting->stage(), $connecting->verdict() ) );
		$this->assertSame( 'no answer to the connection attempt (192.0.2.1)', $connecting->detail() );

		$silent = Failure_Classifier::deadline( State::BANNER, $plain, false, 0, 0, '' );
		$this->assertSame( array( 'banner', Verdict::NO_BANNER ), array( $silent->stage(), $silent->verdict() ) );
		$this->assertSame( 'connected, but the server sent nothing', $silent->detail() );
		$this->assertSame( 'time limit reached', $silent->cause() );

		$partial = Failure_Classifier::deadline( State::BANNER, $plain, false, 30, 12, '' );
		$this->assertSame( 'incomplete greeting (12 bytes) before the time limit', $partial->detail() );

		$silent_tls = Failure_Classifier::deadline( State::TLS, $implicit, false, 0, 0, '' );
		$this->assertSame( array( 'tls', Verdict::NO_BANNER ), array( $silent_tls->stage(), $silent_tls->verdict() ) );

		$slow_tls = Failure_Classifier::deadline( State::TLS, $implicit, true, 0, 0, '' );
		$this->assertSame( Verdict::TLS_FAILED, $slow_tls->verdict() );
		$this->assertSame( Verdict::TLS_FAILED, Failure_Classifier::deadline( State::TLS, $plain, false, 40, 0, '' )->verdict() );

		$quit = Failure_Classifier::deadline( State::QUIT, $plain, false, 40, 0, '' );
		$this->assertSame( array( 'quit', '' ), array( $quit->stage(), $quit->verdict() ) );

		$ehlo = Failure_Classifier::deadline( State::EHLO_TLS, $plain, false, 40, 0, '' );
		$this->assertSame( array( 'ehlo_tls', Verdict::STALLED ), array( $ehlo->stage(), $ehlo->verdict() ) );
		$this->assertSame( 'no complete reply to EHLO before the time limit', $ehlo->detail() );
		$this->assertSame( 'no complete reply to AUTH before the time limit', Failure_Classifier::deadline( State::AUTH, $plain, false, 40, 0, '' )->detail() );
	}

	/**
	 * The server closes the connection.
	 */
	public function test_closed(): void {
		$this->assertSame( 'closed by the server without a greeting', Failure_Classifier::closed( State::BANNER, 0 )->detail() );
		$this->assertSame( Verdict::NO_BANNER, Failure_Classifier::closed( State::BANNER, 5 )->verdict() );
		$this->assertSame( 'closed by the server in the middle of the greeting', Failure_Classifier::closed( State::BANNER, 5 )->detail() );
		$ehlo = Failure_Classifier::closed( State::EHLO, 50 );
		$this->assertSame( array( 'ehlo', Verdict::REJECTED ), array( $ehlo->stage(), $ehlo->verdict() ) );
		$this->assertSame( 'connection closed by the server during EHLO', $ehlo->detail() );
		$this->assertSame( 'connection closed', $ehlo->cause() );
	}

	/**
	 * Handshake errors: plain answers, silence, certificates, the rest.
	 */
	public function test_handshake_failed(): void {
		$implicit = Probe_Mode::first_connection( true );
		$silence  = Probe_Mode::first_connection( false )->with_tls_on_silence();
		$starttls = Probe_Mode::first_connection( false );
		$wrong    = 'SSL routines::wrong version number';

		$plain = Failure_Classifier::handshake_failed( $wrong, $implicit, false );
		$this->assertSame( Failure::RECONNECT_PLAIN, $plain->next() );
		$this->assertSame( '', $plain->verdict() );
		$this->assertSame( 'server answered in plain text instead of TLS: ' . $wrong, $plain->detail() );

		$on_silence = Failure_Classifier::handshake_failed( $wrong, $silence, false );
		$this->assertSame( Verdict::NOT_SMTP, $on_silence->verdict() );
		$this->assertSame( Failure::STOP, $on_silence->next() );
		$this->assertSame( Verdict::NOT_SMTP, Failure_Classifier::handshake_failed( 'http request', $implicit, false )->verdict() );

		$this->assertSame( Verdict::TLS_FAILED, Failure_Classifier::handshake_failed( $wrong, $starttls, false )->verdict() );
		$this->assertSame( Verdict::TLS_FAILED, Failure_Classifier::handshake_failed( $wrong, $implicit, true )->verdict() );

		$no_answer = Failure_Classifier::handshake_failed( '', $silence, false );
		$this->assertSame( Verdict::NO_BANNER, $no_answer->verdict() );
		$this->assertSame( 'connection closed during the TLS handshake', $no_answer->detail() );
		$this->assertSame( 'no greeting, and no answer to TLS either', $no_answer->verdict_detail() );
		$this->assertSame( Verdict::TLS_FAILED, Failure_Classifier::handshake_failed( '', $implicit, false )->verdict() );

		$certificate = Failure_Classifier::handshake_failed( 'SSL operation failed: certificate verify failed', $implicit, true );
		$this->assertSame( Failure::READ_CERTIFICATE, $certificate->next() );
		$this->assertSame( '', $certificate->verdict() );
		$this->assertSame( Failure::READ_CERTIFICATE, Failure_Classifier::handshake_failed( "Peer certificate CN=`a' did not match expected CN=`b'", $starttls, true )->next() );
	}

	/**
	 * Plain text where TLS was expected: SMTP means reconnect, anything else is not SMTP.
	 */
	public function test_plain_text_in_handshake(): void {
		$smtp = Failure_Classifier::plain_text_in_handshake( "220 mx.example.com ESMTP\r\n" );
		$this->assertSame( Failure::RECONNECT_PLAIN, $smtp->next() );
		$this->assertSame( 'server sent plain SMTP instead of TLS: 220 mx.example.com ESMTP', $smtp->detail() );
		$this->assertSame( 'plain text during TLS: 220 mx.example.com ESMTP', $smtp->cause() );

		$http = Failure_Classifier::plain_text_in_handshake( "HTTP/1.1 400 Bad Request\r\n" );
		$this->assertSame( Verdict::NOT_SMTP, $http->verdict() );
		$this->assertSame( 'not TLS: HTTP/1.1 400 Bad Request', $http->detail() );
		$this->assertSame( 'HTTP/1.1 400 Bad Request', $http->verdict_detail() );
	}

	/**
	 * Malformed replies are not SMTP, in the stage of the state.
	 */
	public function test_protocol_error(): void {
		$failure = Failure_Classifier::protocol_error( State::EHLO, 'reply longer than 65536 bytes' );
		$this->assertSame( array( 'ehlo', Verdict::NOT_SMTP, Failure::STOP ), array( $failure->stage(), $failure->verdict(), $failure->next() ) );
	}
}
