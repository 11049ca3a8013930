<?php
/**
 * The one failure shape of a send attempt: its kind, whether it holds the queue or fails the
 * message, for SMTP answers and HTTP answers alike.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Transport\Send_Failure;

final class Send_Failure_Test extends TestCase {

	/**
	 * SMTP answers, as Spooling_Smtp_Connection records them.
	 *
	 * @return array<string, array{0: string, 1: int, 2: string, 3: string, 4: bool, 5: bool}>
	 */
	public function smtp_answers(): array {
		return array(
			'refused password'               => array( 'auth', 535, 'SMTP Error: Could not authenticate. 535 5.7.8 Authentication credentials invalid', Send_Failure::LOGIN_REFUSED, true, false ),
			'Microsoft 365 SMTP AUTH off'    => array( 'auth', 535, '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', Send_Failure::LOGIN_REFUSED, true, false ),
			'no password saved'              => array( 'auth', 0, 'SMTP Port Helper: authentication is on but no SMTP password is saved.', Send_Failure::LOGIN_REFUSED, true, false ),
			'busy server at login'           => array( 'auth', 454, '454 4.7.0 Temporary authentication failure', Send_Failure::SERVER_ERROR, false, false ),
			'OAuth sign-in refused'          => array( 'oauth', 0, 'SMTP Port Helper: the sign-in was revoked', Send_Failure::LOGIN_REFUSED, true, false ),
			'address policy'                 => array( 'policy', 0, 'The address policy does not allow 10.0.0.1', Send_Failure::BLOCKED, true, false ),
			'connection refused'             => array( 'connect', 0, 'Failed to connect to server (errno 111)', Send_Failure::NETWORK, false, false ),
			'time limit'                     => array( 'deadline', 0, 'The time limit for sending this message is over.', Send_Failure::NETWORK, false, false ),
			'token endpoint silent'          => array( 'token', 0, 'SMTP Port Helper: the token endpoint did not answer', Send_Failure::NETWORK, false, false ),
			'greylisted recipient'           => array( 'rcpt', 451, 'RCPT TO command failed: 451 4.7.1 Greylisted, try again later', Send_Failure::SERVER_ERROR, false, false ),
			'sending limit'                  => array( 'mail', 421, 'MAIL FROM command failed: 421 4.7.0 Too many messages, slow down', Send_Failure::THROTTLED, false, false ),
			'rate limit in a 450'            => array( 'rcpt', 450, 'RCPT TO command failed: 450 4.2.1 Rate limit exceeded for this sender', Send_Failure::THROTTLED, false, false ),
			'message too large'              => array( 'data', 552, 'DATA END command failed: 552 5.3.4 Message size exceeds fixed limit', Send_Failure::TOO_LARGE, false, true ),
			'unknown recipient'              => array( 'rcpt', 550, 'RCPT TO command failed: 550 5.1.1 No such user', Send_Failure::REJECTED, false, true ),
			'Send As denied'                 => array( 'data', 554, 'DATA END command failed: 554 5.7.1 SendAsDenied; not allowed to send as this address', Send_Failure::PERMISSION, false, true ),
			'no answer to DATA'              => array( 'data', 0, 'No answer from the server.', Send_Failure::NETWORK, false, false ),
			'a stored message cannot open'   => array( 'decrypt', 0, 'The stored message cannot be decrypted', Send_Failure::BLOCKED, false, false ),
		);
	}

	/**
	 * @dataProvider smtp_answers
	 */
	public function test_an_smtp_answer_has_its_kind_and_consequence( string $stage, int $code, string $error, string $kind, bool $holds, bool $fails ): void {
		$failure = new Send_Failure( $stage, $code, $error );
		$this->assertSame( $kind, $failure->kind() );
		$this->assertSame( $holds, $failure->holds_queue(), 'holds the queue' );
		$this->assertSame( $fails, $failure->fails_message(), 'fails the message' );
	}

	/**
	 * HTTP answers of a provider's API.
	 *
	 * @return array<string, array{0: int, 1: string, 2: bool, 3: bool}>
	 */
	public function http_answers(): array {
		return array(
			'bad key'             => array( 401, Send_Failure::LOGIN_REFUSED, true, false ),
			'key without scope'   => array( 403, Send_Failure::PERMISSION, true, false ),
			'too large'           => array( 413, Send_Failure::TOO_LARGE, false, true ),
			'throttled'           => array( 429, Send_Failure::THROTTLED, false, false ),
			'bad request'         => array( 400, Send_Failure::REJECTED, false, true ),
			'unprocessable'       => array( 422, Send_Failure::REJECTED, false, true ),
			'request timeout'     => array( 408, Send_Failure::SERVER_ERROR, false, false ),
			'server error'        => array( 500, Send_Failure::SERVER_ERROR, false, false ),
			'service unavailable' => array( 503, Send_Failure::SERVER_ERROR, false, false ),
		);
	}

	/**
	 * @dataProvider http_answers
	 */
	public function test_an_http_answer_has_its_kind_and_consequence( int $status, string $kind, bool $holds, bool $fails ): void {
		$failure = new Send_Failure( Send_Failure::STAGE_API, $status, 'HTTP ' . $status );
		$this->assertSame( $kind, $failure->kind() );
		$this->assertSame( $holds, $failure->holds_queue(), 'holds the queue' );
		$this->assertSame( $fails, $failure->fails_message(), 'fails the message' );
	}

	public function test_a_request_that_may_have_arrived_waits_as_a_network_failure(): void {
		$failure = new Send_Failure( 'unanswered', 0, 'cURL error 28: Operation timed out' );
		$this->assertSame( Send_Failure::NETWORK, $failure->kind() );
		$this->assertFalse( $failure->holds_queue() );
		$this->assertFalse( $failure->fails_message() );
	}

	public function test_the_kind_survives_the_outbox_which_stores_stage_code_and_error_only(): void {
		$throttled = new Send_Failure( Send_Failure::STAGE_API, 429, 'HTTP 429: slow down', 120 );
		$stored    = $throttled->to_array();
		$this->assertSame(
			array(
				'stage' => 'api',
				'code'  => 429,
				'error' => 'HTTP 429: slow down',
			),
			$stored
		);
		$this->assertSame( Send_Failure::THROTTLED, Send_Failure::from_array( $stored )->kind() );
	}

	public function test_retry_after_is_read_as_seconds_or_as_an_http_date(): void {
		$this->assertSame( 120, Send_Failure::retry_after_seconds( '120' ) );
		$this->assertSame( 90, Send_Failure::retry_after_seconds( 'Sun, 06 Dec 2026 09:01:30 GMT', (int) gmmktime( 9, 0, 0, 12, 6, 2026 ) ) );
		$this->assertSame( 0, Send_Failure::retry_after_seconds( 'Sun, 06 Dec 2026 08:00:00 GMT', (int) gmmktime( 9, 0, 0, 12, 6, 2026 ) ), 'a date in the past: at once' );
		$this->assertNull( Send_Failure::retry_after_seconds( 'soon' ) );
		$this->assertNull( Send_Failure::retry_after_seconds( '' ) );
		$this->assertSame( 0, ( new Send_Failure( 'api', 429, '', -5 ) )->retry_after, 'never negative' );
	}

	public function test_with_error_keeps_stage_code_and_wait(): void {
		$failure = ( new Send_Failure( 'rcpt', 550, 'one', 7 ) )->with_error( 'a: one; b: two' );
		$this->assertSame( array( 'rcpt', 550, 'a: one; b: two', 7 ), array( $failure->stage, $failure->code, $failure->error, $failure->retry_after ) );
	}
}
