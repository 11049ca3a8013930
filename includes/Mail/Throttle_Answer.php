<?php
/**
 * Recognises a server's "too much, too fast" answer and the wait it asks for.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A throttling answer is not a failure of the message: it is moved by the server's hint and the
 * mailbox slows down (Send_Pacer). Recognised:
 * - `421` (the server closes the session: too many connections or messages),
 * - `451 4.7.x` (rate or policy deferral; a greylisting text is left to the normal retry),
 * - `452` (too many recipients now, or a per-period limit: Emailit's `452 4.4.5`),
 * - `454 Throttling failure` (Amazon SES: `Maximum sending rate exceeded`, `Daily message quota exceeded`),
 * - `554 5.2.0 …SubmissionQuotaExceeded` (Microsoft 365's daily recipient limit) and Gmail's
 *   `550 5.4.5 Daily user sending limit exceeded`,
 * - HTTP `429` of an HTTPS API (with `Retry-After`).
 * `rate` waits for the window, `quota` for an hour at a time (the daily limits free up slowly).
 */
final class Throttle_Answer {

	/** Too many in a short time: waits for the hint or the pacing window. */
	public const RATE = 'rate';

	/** A daily quota is used up: waits an hour at a time unless the server says how long. */
	public const QUOTA = 'quota';

	/** The wait after a used-up daily quota when the server names none. */
	public const QUOTA_WAIT = 3600;

	/** The longest wait a hint may ask for. */
	private const LONGEST_WAIT = 86400;

	/**
	 * What kind of throttling a failure is, and the seconds the server asked to wait (null: no hint).
	 *
	 * @param array{stage: string, code: int, error: string, retry_after?: int} $failure A send attempt's failure.
	 * @return array{kind: string, wait: int|null}|null Null when it is not a throttling answer.
	 */
	public static function of( array $failure ): ?array {
		$code = (int) $failure['code'];
		$text = (string) $failure['error'];
		$kind = self::kind( $code, $text );
		if ( null === $kind ) {
			return null;
		}
		$wait = isset( $failure['retry_after'] ) ? (int) $failure['retry_after'] : self::hint( $text );
		return array(
			'kind' => $kind,
			'wait' => null === $wait ? null : max( 1, min( self::LONGEST_WAIT, $wait ) ),
		);
	}

	/**
	 * Whether a failure is a throttling answer.
	 *
	 * @param array{stage: string, code: int, error: string} $failure A send attempt's failure.
	 */
	public static function is( array $failure ): bool {
		return null !== self::of( $failure );
	}

	/**
	 * The kind of a reply, or null.
	 *
	 * @param int    $code The reply code (SMTP, or HTTP 429).
	 * @param string $text The reply's text (with the enhanced status code).
	 */
	private static function kind( int $code, string $text ): ?string {
		if ( 1 === preg_match( '/gr[ae]ylist/i', $text ) ) {
			return null; // A greylisting deferral passes by itself; it says nothing of the sender's rate.
		}
		if ( 429 === $code || 421 === $code || 452 === $code ) {
			return self::mentions_daily_quota( $text ) ? self::QUOTA : self::RATE;
		}
		if ( 451 === $code && 1 === preg_match( '/\b4\.7\.\d{1,3}\b/', $text ) ) {
			return self::RATE;
		}
		if ( 454 === $code && 1 === preg_match( '/throttl|rate|quota/i', $text ) ) {
			return self::mentions_daily_quota( $text ) ? self::QUOTA : self::RATE;
		}
		if ( $code >= 500 && $code < 600 && 1 === preg_match( '/SubmissionQuotaExceeded|\b5\.4\.5\b.*sending (limit|quota)|daily user sending (limit|quota)/i', $text ) ) {
			return self::QUOTA;
		}
		return null;
	}

	/**
	 * Whether a text speaks of a daily quota.
	 *
	 * @param string $text Reply text.
	 */
	private static function mentions_daily_quota( string $text ): bool {
		return 1 === preg_match( '/\b(daily|24[- ]hour|per day)\b/i', $text );
	}

	/**
	 * The wait a reply's text asks for, in seconds: `Retry-After: 120`, "try again in 30 seconds",
	 * "retry after 5 minutes"; null when it names none.
	 *
	 * @param string $text Reply text.
	 */
	private static function hint( string $text ): ?int {
		if ( 1 === preg_match( '/retry-after:?\s*(\d+)/i', $text, $match ) ) {
			return (int) $match[1];
		}
		if ( 1 === preg_match( '/(?:try|retry)(?: again)? (?:in|after) (\d+)\s*(seconds?|secs?|s|minutes?|mins?|m|hours?|h)\b/i', $text, $match ) ) {
			$unit = strtolower( $match[2][0] );
			return (int) $match[1] * ( 'h' === $unit ? 3600 : ( 'm' === $unit ? 60 : 1 ) );
		}
		return null;
	}
}
