<?php
/**
 * The outbox's side of the sending pace: what waits for a mailbox's limit waits in order.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Pacer;
use SmtpPortHelper\Mail\Throttle_Answer;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- the plugin's own table; rows change on every send, nothing to cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$table} is the plugin's table name.

/**
 * A message that waits for the pace (the window is full) or was throttled by the server is put
 * back as it was — not an attempt, not a failure, its lifetime unchanged — with its next attempt at
 * the time the mailbox may send again, and the whole queue moves with it, so the messages leave in
 * the order they were written (the runner takes the due ones by time, then id). Outbox_Runner asks
 * admit() before each message and throttled() after a failed one; wp_mail()'s own held and
 * throttled messages are moved when they are queued (`smtp_port_helper_mail_queued`).
 */
final class Outbox_Pacing {

	/** The stage of a message waiting for the mailbox's sending limit. */
	public const PACED = 'paced';

	/** The stage of a message a server throttled (421, 451 4.7.x, 452, 454, 554 5.2.0, 429). */
	public const THROTTLED = 'throttled';

	/**
	 * Counts and paces each mailbox.
	 *
	 * @var Send_Pacer
	 */
	private Send_Pacer $pacer;

	/**
	 * Which settings a stored message is sent with.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Takes the mailer (its pacer and the way of a stored message).
	 *
	 * @param Mailer_Hook $mailer The mailer.
	 */
	public function __construct( Mailer_Hook $mailer ) {
		$this->mailer = $mailer;
		$this->pacer  = $mailer->pacer();
	}

	/**
	 * Whether a claimed message may leave now; when not, it is put back until it may, with the
	 * queue behind it.
	 *
	 * @param Settings_Store $store      The settings of its route.
	 * @param int            $id         Message id.
	 * @param string         $token      Claim token.
	 * @param int            $recipients Its recipients.
	 */
	public function admit( Settings_Store $store, int $id, string $token, int $recipients ): bool {
		$until = $this->pacer->admit( $store->get(), $recipients, true );
		if ( 0 === $until ) {
			return true;
		}
		$this->put_back( $id, $token, Send_Pacer::held( $until ), $until );
		return false;
	}

	/**
	 * Whether a failure is a throttling answer; when it is, the message is put back until the
	 * mailbox may send again (the server's hint), the queue behind it, and the mailbox slows down.
	 *
	 * @param Settings_Store                                 $store   The settings of its route.
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function throttled( Settings_Store $store, int $id, string $token, array $failure ): bool {
		$until = $this->pacer->throttled( $store->get(), $failure );
		if ( 0 === $until ) {
			return false;
		}
		$failure['stage'] = self::THROTTLED;
		$this->put_back( $id, $token, $failure, $until );
		return true;
	}

	/**
	 * `smtp_port_helper_mail_queued`: a message wp_mail() kept because of the pace, or because the
	 * server throttled it, waits until the mailbox may send again (not the usual first backoff),
	 * uncounted as an attempt, and the queue is scheduled for then.
	 *
	 * @param mixed $id         Outbox id.
	 * @param mixed $recipients Its recipients.
	 * @param mixed $failure    stage, code and error.
	 */
	public function mail_queued( $id, $recipients, $failure ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundInExtendedClassBeforeLastUsed
		if ( ! is_array( $failure ) || ! isset( $failure['stage'], $failure['code'], $failure['error'] ) || ! self::concerns( $failure ) ) {
			return;
		}
		global $wpdb;
		$table = Outbox_Table::name();
		$route = (string) $wpdb->get_var( $wpdb->prepare( "SELECT route FROM {$table} WHERE id = %d", (int) $id ) );
		$store = $this->mailer->stored_route( $route )['store'];
		if ( null === $store ) {
			return;
		}
		$throttled = self::PACED !== $failure['stage'];
		$until     = $throttled ? $this->pacer->throttled( $store->get(), $failure ) : 0;
		$until     = max( $until, $this->pacer->next_time( $store->get() ) );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = %d, attempts = 0, stage = %s WHERE id = %d", $until, $throttled ? self::THROTTLED : self::PACED, (int) $id ) );
		$this->move_queue( $until );
		( new Mail_Queue( new Outbox() ) )->schedule();
	}

	/**
	 * After a run: when no message waits for the pace any more, new mail goes at once again.
	 *
	 * @param Settings_Store $store The settings the run sent with.
	 */
	public function run_ended( Settings_Store $store ): void {
		global $wpdb;
		$table   = Outbox_Table::name();
		$waiting = (int) $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$table} WHERE status IN ( %s, %s ) AND stage IN ( %s, %s )", Outbox::QUEUED, Outbox::SENDING, self::PACED, self::THROTTLED ) );
		if ( 0 === $waiting ) {
			$this->pacer->backlog_drained( $store->get() );
		}
	}

	/**
	 * Whether a failure is the pace's or a throttling answer.
	 *
	 * @param array{stage: string, code: int, error: string} $failure A failure.
	 */
	public static function concerns( array $failure ): bool {
		return self::PACED === $failure['stage'] || self::THROTTLED === $failure['stage'] || Throttle_Answer::is( $failure );
	}

	/**
	 * Puts a claimed message back in the queue as it was (the attempt not counted), until a time,
	 * and moves every queued message due before then to that time.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $why     Why it waits.
	 * @param int                                            $until   When it may leave.
	 */
	private function put_back( int $id, string $token, array $why, int $until ): void {
		global $wpdb;
		$table = Outbox_Table::name();
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, stage = %s, last_code = %d, last_error = %s, next_attempt_at = %d, claim_token = %s, claimed_until = 0 WHERE id = %d AND claim_token = %s",
				Outbox::QUEUED,
				$why['stage'],
				$why['code'],
				mb_substr( $why['error'], 0, 1000 ),
				$until,
				'',
				$id,
				$token
			)
		);
		$this->move_queue( $until );
	}

	/**
	 * Every queued message due before a time is due at that time: the order by (time, id) holds.
	 *
	 * @param int $until The time.
	 */
	private function move_queue( int $until ): void {
		global $wpdb;
		$table = Outbox_Table::name();
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = %d WHERE status = %s AND next_attempt_at < %d", $until, Outbox::QUEUED, $until ) );
	}
}
