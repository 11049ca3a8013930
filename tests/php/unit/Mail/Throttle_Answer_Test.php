<?php
/**
 * Throttling answers: which replies slow the queue instead of failing a message, and the wait each asks for.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Mail;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Mail\Throttle_Answer;

final class Throttle_Answer_Test extends TestCase {

	/**
	 * @return array<string, array{0: int, 1: string, 2: string, 3: int|null}>
	 */
	public function throttling_answers(): array {
		return array(
			'Microsoft 365 per-minute rate' => array( 451, 'SMTP Error: MAIL FROM command failed: 451 4.7.0 Message submission rate limit exceeded, try again later', Throttle_Answer::RATE, null ),
			'Microsoft 365 daily recipients' => array( 554, 'SMTP Error: data not accepted.: 554 5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception', Throttle_Answer::QUOTA, null ),
			'Microsoft 365 connections'     => array( 421, '421 4.3.2 concurrent connection limit exceeded', Throttle_Answer::RATE, null ),
			'Amazon SES rate'               => array( 454, '454 Throttling failure: Maximum sending rate exceeded.', Throttle_Answer::RATE, null ),
			'Amazon SES daily quota'        => array( 454, '454 Throttling failure: Daily message quota exceeded.', Throttle_Answer::QUOTA, null ),
			'Gmail daily limit'             => array( 550, '550 5.4.5 Daily user sending limit exceeded. For more information on Gmail sending limits go to https://support.google.com/a/answer/166852', Throttle_Answer::QUOTA, null ),
			'too many recipients now'       => array( 452, '452 4.5.3 Too many recipients', Throttle_Answer::RATE, null ),
			'a hint in seconds'             => array( 451, '451 4.7.1 Rate limited, try again in 30 seconds', Throttle_Answer::RATE, 30 ),
			'a hint in minutes'             => array( 421, '421 4.7.0 Too many messages, retry after 5 minutes', Throttle_Answer::RATE, 300 ),
			'HTTP 429 with Retry-After'     => array( 429, 'Too Many Requests; Retry-After: 120', Throttle_Answer::RATE, 120 ),
		);
	}

	/**
	 * @dataProvider throttling_answers
	 */
	public function test_a_throttling_answer_is_recognised_with_its_hint( int $code, string $error, string $kind, ?int $wait ): void {
		$answer = Throttle_Answer::of(
			array(
				'stage' => 'mail',
				'code'  => $code,
				'error' => $error,
			)
		);

		$this->assertSame(
			array(
				'kind' => $kind,
				'wait' => $wait,
			),
			$answer
		);
	}

	/**
	 * @return array<string, array{0: int, 1: string}>
	 */
	public function other_answers(): array {
		return array(
			'greylisting'           => array( 451, '451 4.7.1 Greylisted, try again later' ),
			'a busy server'         => array( 451, '451 4.3.0 Try again later' ),
			'an unknown mailbox'    => array( 550, '550 5.1.1 <nobody@example.com>: mailbox unavailable' ),
			'a refused login'       => array( 535, '535 5.7.139 Authentication unsuccessful' ),
			'basic auth off'        => array( 550, '550 5.7.30 Basic authentication is not supported for Client Submission' ),
			'a 554 that is no quota' => array( 554, '554 5.7.1 Message rejected as spam' ),
			'no answer'             => array( 0, 'Connection refused' ),
		);
	}

	/**
	 * @dataProvider other_answers
	 */
	public function test_other_answers_are_no_throttling( int $code, string $error ): void {
		$this->assertNull(
			Throttle_Answer::of(
				array(
					'stage' => 'rcpt',
					'code'  => $code,
					'error' => $error,
				)
			)
		);
	}

	public function test_an_http_transports_retry_after_is_used_and_a_hint_is_capped_at_a_day(): void {
		$this->assertSame(
			array(
				'kind' => Throttle_Answer::RATE,
				'wait' => 7,
			),
			Throttle_Answer::of(
				array(
					'stage'       => 'http',
					'code'        => 429,
					'error'       => 'rate_limit_exceeded',
					'retry_after' => 7,
				)
			)
		);
		$this->assertSame( 86400, Throttle_Answer::of( array( 'stage' => 'mail', 'code' => 421, 'error' => '421 try again in 99 hours' ) )['wait'] ?? null );
	}
}
