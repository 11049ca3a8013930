<?php
/**
 * Keeps a mailbox under its provider's sending limits: counts what leaves, says when the next may.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Transport\Throttle_Answer;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One mailbox is one server and login (host and user name), shared by every site that sends with
 * it, so its counters live in the main site's options table:
 * - a window counter (`…_w<window>`: messages in the current window of Sending_Limits' `window`
 *   seconds, e.g. 30 a minute), counted with Atomic_Option::count_up_to(), so two processes never
 *   both take the last place;
 * - hourly counters of messages and recipients (`…_m<hour>`, `…_r<hour>`) that make the daily
 *   limits a sliding 24 hours, as Microsoft and Google count them: the current hour may take what
 *   the 23 closed hours left;
 * - the state (`…` alone): paused until (a throttling answer's hint), a limit learned from a
 *   throttling answer (an hour long; below the documented one), and a backlog mark (mail waits in
 *   the outbox, so new mail queues behind it and the order holds).
 * Every message is counted in its window, limit or not, so a throttling answer can tell how many
 * the server took. admit() answers 0 (send now) or the time the message may leave.
 */
final class Send_Pacer {

	/**
	 * The window of a mailbox whose provider names no rate: a second, so a throttling answer tells
	 * the rate the server took (Amazon SES counts per second).
	 */
	public const DEFAULT_WINDOW = 1;

	/** The longest wait after throttling answers in a row that named none. */
	private const LONGEST_BACKOFF = 300;

	/** Throttling answers further apart than this are not "in a row". */
	private const STRIKES_FORGOTTEN = 600;

	/** How long a limit learned from a throttling answer holds. */
	public const LEARNED_FOR = 3600;

	/** How long the backlog mark holds when no outbox run clears it. */
	private const BACKLOG_FOR = 3600;

	/**
	 * Seconds before a window ends in which a message counts in the next window too: the time
	 * from the decision to the server's MAIL (connect, TLS, login) on a busy host.
	 */
	private const WINDOW_EDGE = 2.0;

	/** The window counter's limit when the mailbox has none (it only counts). */
	private const UNCOUNTED = 1000000000;

	/** The hourly counters a sliding day is made of. */
	public const HOURS = 24;

	/**
	 * The mailboxes' rows (in the main site's options table).
	 *
	 * @var Pace_Rows
	 */
	private Pace_Rows $rows;

	/**
	 * Takes the options table (default: the main site's, so sites that share a mailbox share its count).
	 *
	 * @param string|null $table Options table.
	 */
	public function __construct( ?string $table = null ) {
		global $wpdb;
		$this->rows = new Pace_Rows( $table ?? ( is_multisite() ? $wpdb->get_blog_prefix( get_main_site_id() ) . 'options' : $wpdb->options ) );
	}

	/**
	 * Counts a message that may leave now, or says when it may.
	 *
	 * @param Settings $settings    The settings it is sent with (host and login name the mailbox).
	 * @param int      $recipients  Its envelope recipients.
	 * @param bool     $from_outbox It is the outbox's (in order); false for wp_mail(), which queues behind waiting mail.
	 * @return int 0: send now; else the Unix time it may leave.
	 */
	public function admit( Settings $settings, int $recipients, bool $from_outbox ): int {
		$now  = time();
		$key  = Pace_Rows::key( $settings );
		$rows = $this->rows->rows( $key );
		$mark = Pace_Rows::state_of( $rows, $key );
		if ( $mark['paused_until'] > $now ) {
			return $mark['paused_until'];
		}
		if ( ! $from_outbox && $mark['backlog_until'] > $now ) {
			return $now; // Mail waits already: this one goes behind it.
		}
		$pace = $this->limits( $settings, $mark, $now );
		try {
			$until = $this->count_window( $key, $pace, $now );
			if ( 0 === $until ) {
				$until = $this->count_day( $key, $rows, 'm', 1, $pace['messages_per_day'], $now );
			}
			if ( 0 === $until ) {
				$until = $this->count_day( $key, $rows, 'r', max( 1, $recipients ), $pace['recipients_per_day'], $now );
			}
		} catch ( Database_Error $error ) {
			return 0; // Counting failed: the message goes as it would without pacing.
		}
		if ( $until > 0 && ! $from_outbox ) {
			$this->mark_backlog( $key, $mark, $now );
		}
		return $until;
	}

	/**
	 * A throttling answer: the mailbox waits for the server's hint (or the end of the window and
	 * longer with each answer in a row: 1 s, 2 s, 4 s … 5 min; or an hour after a used-up daily
	 * quota), and after a rate answer sends at most one fewer a window than the server took in this
	 * window, for an hour.
	 *
	 * @param Settings                                       $settings The settings the message was sent with.
	 * @param array{stage: string, code: int, error: string} $failure  The server's answer.
	 * @return int The time the mailbox may send again; 0 when the answer is no throttling answer.
	 */
	public function throttled( Settings $settings, array $failure ): int {
		$answer = Throttle_Answer::of( $failure );
		if ( null === $answer ) {
			return 0;
		}
		$now             = time();
		$key             = Pace_Rows::key( $settings );
		$rows            = $this->rows->rows( $key );
		$mark            = Pace_Rows::state_of( $rows, $key );
		$pace            = $this->limits( $settings, $mark, $now );
		$index           = intdiv( $now, $pace['window'] );
		$last            = null === $mark['throttle'] ? 0 : $mark['throttle']['time'];
		$mark['strikes'] = $now - $last > self::STRIKES_FORGOTTEN ? 1 : $mark['strikes'] + 1;
		if ( Throttle_Answer::RATE === $answer['kind'] ) {
			// Without a hint: the end of the window, and longer each time the server says it again.
			$backoff = (int) min( self::LONGEST_BACKOFF, 2 ** min( 9, $mark['strikes'] - 1 ) );
			$wait    = $answer['wait'] ?? max( ( $index + 1 ) * $pace['window'] - $now, $backoff );
			// The answer may come just after a window turned: then the one before says what the server took.
			$taken = (int) ( $rows[ Pace_Rows::window_name( $key, $index ) ] ?? 0 );
			$taken = $taken > 0 ? $taken : (int) ( $rows[ Pace_Rows::window_name( $key, $index - 1 ) ] ?? 0 );
			if ( $taken > 0 ) {
				$learned               = max( 1, $taken - 1 );
				$mark['learned']       = $mark['learned_until'] > $now && $mark['learned'] > 0 ? min( $mark['learned'], $learned ) : $learned;
				$mark['learned_until'] = $now + self::LEARNED_FOR;
				$mark['window']        = $pace['window'];
			}
		} else {
			$wait = $answer['wait'] ?? Throttle_Answer::QUOTA_WAIT;
		}
		$mark['paused_until']  = max( $mark['paused_until'], $now + max( 1, $wait ) );
		$mark['backlog_until'] = $mark['paused_until'] + self::BACKLOG_FOR;
		$mark['throttle']      = array(
			'time'  => $now,
			'kind'  => $answer['kind'],
			'code'  => (int) $failure['code'],
			'error' => mb_substr( (string) $failure['error'], 0, 300 ),
		);
		$this->rows->write_state( $key, $mark );
		return $mark['paused_until'];
	}

	/**
	 * The earliest time the mailbox may send again (now, the end of a pause or of a full window).
	 *
	 * @param Settings $settings The settings.
	 */
	public function next_time( Settings $settings ): int {
		$now  = time();
		$key  = Pace_Rows::key( $settings );
		$rows = $this->rows->rows( $key );
		$mark = Pace_Rows::state_of( $rows, $key );
		$pace = $this->limits( $settings, $mark, $now );
		$next = max( $now, $mark['paused_until'] );
		if ( $pace['per_window'] > 0 ) {
			$index = intdiv( $now, $pace['window'] );
			if ( (int) ( $rows[ Pace_Rows::window_name( $key, $index ) ] ?? 0 ) >= $pace['per_window'] ) {
				$next = max( $next, ( $index + 1 ) * $pace['window'] );
			}
		}
		return $next;
	}

	/**
	 * The outbox holds no paced mail of this mailbox any more: new mail may go at once again.
	 *
	 * @param Settings $settings The settings.
	 */
	public function backlog_drained( Settings $settings ): void {
		$key  = Pace_Rows::key( $settings );
		$mark = Pace_Rows::state_of( $this->rows->rows( $key ), $key );
		if ( $mark['backlog_until'] > 0 ) {
			$mark['backlog_until'] = 0;
			$this->rows->write_state( $key, $mark );
		}
	}

	/**
	 * The pace of a mailbox as `wp smtp-port-helper status` and Site Health tell it.
	 *
	 * @param Settings $settings The settings.
	 * @return array{preset: string, limits: array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}, window: int, learned: int, learned_until: int, in_window: int, messages_today: int, recipients_today: int, paused_until: int, backlog: bool, throttle: array{time: int, kind: string, code: int, error: string}|null}
	 */
	public function status( Settings $settings ): array {
		$now    = time();
		$key    = Pace_Rows::key( $settings );
		$rows   = $this->rows->rows( $key );
		$mark   = Pace_Rows::state_of( $rows, $key );
		$pace   = Sending_Limits::pace_for( $settings->host, $settings->username );
		$window = $this->limits( $settings, $mark, $now )['window'];
		$index  = intdiv( $now, $window );
		return array(
			'preset'           => Sending_Limits::preset_of( $settings->host ),
			'limits'           => $pace,
			'window'           => $window,
			'learned'          => $mark['learned_until'] > $now ? $mark['learned'] : 0,
			'learned_until'    => $mark['learned_until'] > $now ? $mark['learned_until'] : 0,
			'in_window'        => (int) ( $rows[ Pace_Rows::window_name( $key, $index ) ] ?? 0 ),
			'messages_today'   => self::day_total( $rows, $key, 'm', $now ),
			'recipients_today' => self::day_total( $rows, $key, 'r', $now ),
			'paused_until'     => $mark['paused_until'] > $now ? $mark['paused_until'] : 0,
			'backlog'          => $mark['backlog_until'] > $now,
			'throttle'         => $mark['throttle'],
		);
	}

	/**
	 * The failure a message held for the pace is kept with in the outbox.
	 *
	 * @param int $until When it may leave.
	 * @return array{stage: string, code: int, error: string}
	 */
	public static function held( int $until ): array {
		return array(
			'stage' => 'paced',
			'code'  => 0,
			'error' => sprintf( 'Waits for the sending limit of the mailbox; it may leave at %s UTC.', gmdate( 'Y-m-d H:i:s', $until ) ),
		);
	}

	/**
	 * The limits in force: the documented ones, lowered by a learned one while it holds.
	 *
	 * @param Settings                                             $settings The settings.
	 * @param array{learned: int, learned_until: int, window: int} $mark     The state.
	 * @param int                                                  $now      Now.
	 * @return array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}
	 */
	private function limits( Settings $settings, array $mark, int $now ): array {
		$pace = Sending_Limits::pace_for( ...Pace_Rows::mailbox( $settings ) );
		if ( 0 === $pace['per_window'] ) {
			$pace['window'] = $mark['window'] > 0 ? $mark['window'] : self::DEFAULT_WINDOW;
		}
		if ( $mark['learned_until'] > $now && $mark['learned'] > 0 ) {
			$pace['per_window'] = 0 === $pace['per_window'] ? $mark['learned'] : min( $pace['per_window'], $mark['learned'] );
		}
		return $pace;
	}

	/**
	 * Counts the message in the current window.
	 *
	 * @param string                                                                              $key  Mailbox key.
	 * @param array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int} $pace Limits.
	 * @param int                                                                                 $now  Now.
	 * @return int 0 when counted, else the start of the next window.
	 * @throws Database_Error When the database does not answer.
	 */
	private function count_window( string $key, array $pace, int $now ): int {
		$index   = intdiv( $now, $pace['window'] );
		$limit   = $pace['per_window'] > 0 ? $pace['per_window'] : self::UNCOUNTED;
		$counted = Atomic_Option::count_up_to( $this->rows->table(), Pace_Rows::window_name( $key, $index ), $limit );
		if ( Atomic_Option::FULL === $counted ) {
			return ( $index + 1 ) * $pace['window'];
		}
		if ( Atomic_Option::CREATED === $counted ) {
			$this->rows->forget_windows( $key, $index );
		}
		// The server counts the message when its MAIL arrives, which may be in the next window: near
		// the end of this one it counts in both, so neither of the server's windows gets one too many.
		$left = ( $index + 1 ) * $pace['window'] - microtime( true );
		if ( $pace['per_window'] > 0 && $left < min( self::WINDOW_EDGE, $pace['window'] / 3 ) ) {
			$next = Atomic_Option::count_up_to( $this->rows->table(), Pace_Rows::window_name( $key, $index + 1 ), $limit );
			if ( Atomic_Option::FULL === $next ) {
				return ( $index + 1 ) * $pace['window'];
			}
		}
		return 0;
	}

	/**
	 * Counts the message (or its recipients) in the current hour of a sliding day.
	 *
	 * @param string                $key    Mailbox key.
	 * @param array<string, string> $rows  The mailbox's rows.
	 * @param string                $kind   m (messages) or r (recipients).
	 * @param int                   $amount How many to count.
	 * @param int                   $limit  The day's limit; 0: none.
	 * @param int                   $now    Now.
	 * @return int 0 when counted (or no limit), else when enough of the day has passed.
	 * @throws Database_Error When the database does not answer.
	 */
	private function count_day( string $key, array $rows, string $kind, int $amount, int $limit, int $now ): int {
		if ( 0 === $limit ) {
			return 0;
		}
		$hour   = intdiv( $now, HOUR_IN_SECONDS );
		$closed = self::day_total( $rows, $key, $kind, $now ) - (int) ( $rows[ Pace_Rows::hour_name( $key, $kind, $hour ) ] ?? 0 );
		$left   = $limit - $closed;
		// A message with more recipients than the whole day allows goes alone, when the day is empty.
		$amount  = min( $amount, $limit );
		$counted = $left >= $amount ? Atomic_Option::count_up_to( $this->rows->table(), Pace_Rows::hour_name( $key, $kind, $hour ), $left, $amount ) : Atomic_Option::FULL;
		if ( Atomic_Option::CREATED === $counted ) {
			$this->rows->forget_hours( $key, $rows, $hour );
		}
		if ( Atomic_Option::FULL !== $counted ) {
			return 0;
		}
		for ( $oldest = $hour - self::HOURS + 1; $oldest < $hour; $oldest++ ) {
			if ( (int) ( $rows[ Pace_Rows::hour_name( $key, $kind, $oldest ) ] ?? 0 ) > 0 ) {
				return ( $oldest + self::HOURS ) * HOUR_IN_SECONDS; // That hour leaves the day.
			}
		}
		return ( $hour + 1 ) * HOUR_IN_SECONDS;
	}

	/**
	 * Messages or recipients counted in the sliding day, the current hour included.
	 *
	 * @param array<string, string> $rows The mailbox's rows.
	 * @param string                $key  Mailbox key.
	 * @param string                $kind m or r.
	 * @param int                   $now  Now.
	 */
	private static function day_total( array $rows, string $key, string $kind, int $now ): int {
		$hour  = intdiv( $now, HOUR_IN_SECONDS );
		$total = 0;
		for ( $h = $hour - self::HOURS + 1; $h <= $hour; $h++ ) {
			$total += (int) ( $rows[ Pace_Rows::hour_name( $key, $kind, $h ) ] ?? 0 );
		}
		return $total;
	}

	/**
	 * Marks that mail of this mailbox waits in the outbox (new mail then queues behind it).
	 *
	 * @param string               $key  Mailbox key.
	 * @param array<string, mixed> $mark The state.
	 * @param int                  $now  Now.
	 */
	private function mark_backlog( string $key, array $mark, int $now ): void {
		if ( $mark['backlog_until'] > $now ) {
			return;
		}
		$mark['backlog_until'] = $now + self::BACKLOG_FOR;
		$this->rows->write_state( $key, $mark );
	}

}
