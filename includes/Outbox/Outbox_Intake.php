<?php
/**
 * Keeps a message that could not be handed over, within the outbox's budget.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- the plugin's own table; rows change on every send, nothing to cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$table} is the plugin's table name (WordPress 6.6's %i is unknown to WPCS 2.3).

/**
 * One add at a time per site (a lease in the options table, Atomic_Option): the budget's counts
 * and the insert must not interleave with another request's add.
 */
final class Outbox_Intake {

	/** Seconds add() waits for another request's add() on this site before it refuses. */
	private const ADD_LOCK_WAIT = 5;

	/** Seconds an add lock lasts when it is never given back (an add takes milliseconds). */
	private const ADD_LOCK_LEASE = 30;

	/**
	 * The outbox's sealing.
	 *
	 * @var Outbox_Seal
	 */
	private Outbox_Seal $seal;

	/**
	 * The recipients' index.
	 *
	 * @var Outbox_Recipients
	 */
	private Outbox_Recipients $recipients;

	/**
	 * Takes the sealing and the recipients' index.
	 *
	 * @param Outbox_Seal       $seal       The outbox's sealing.
	 * @param Outbox_Recipients $recipients The recipients' index.
	 */
	public function __construct( Outbox_Seal $seal, Outbox_Recipients $recipients ) {
		$this->seal       = $seal;
		$this->recipients = $recipients;
	}

	/**
	 * Keeps a message that could not be handed over.
	 *
	 * @param string                                         $from       Envelope sender.
	 * @param string[]                                       $recipients Envelope recipients still waiting.
	 * @param string                                         $data       The complete message as sent to DATA.
	 * @param array{stage: string, code: int, error: string} $failure    Why it could not be handed over.
	 * @param string                                         $route      The server it may go through (Mail\Send_Route: `network`, `site:…`, '' on a single site).
	 * @param Outbox_Budget|null                             $budget     The limits (default: Outbox_Budget::current()).
	 * @param string                                         $idempotency_key The key its first attempt carried ('' none).
	 * @return int|null The message id, or null when it could not be stored.
	 * @throws Outbox_Full_Exception When the message is over the outbox's budget, or the budget cannot be counted.
	 */
	public function add( string $from, array $recipients, string $data, array $failure, string $route = '', ?Outbox_Budget $budget = null, string $idempotency_key = '' ): ?int {
		global $wpdb;
		if ( ! $this->seal->can_seal() ) {
			return null;
		}
		$budget = $budget ?? Outbox_Budget::current();
		// One add at a time per site: the counts and the insert must not interleave with another's.
		$lease = $this->take_add_lock();
		if ( null === $lease ) {
			throw new Outbox_Full_Exception( Outbox_Full_Exception::UNCOUNTED, __( 'The outbox could not count its messages in time (the database is busy or did not answer), so this message was not kept for a later attempt.', 'smtp-port-helper' ) );
		}
		try {
			$status = self::status_after( $failure );
			$usage  = $this->usage( $recipients, Outbox::FAILED === $status );
			if ( null === $usage ) {
				return null;
			}
			$budget->check( $usage, strlen( $data ) );
			return $this->insert( $from, $recipients, $data, $failure, $route, $idempotency_key );
		} finally {
			Atomic_Option::release( $wpdb->options, Outbox::ADD_LOCK_OPTION, $lease );
		}
	}

	/**
	 * Takes the site's add lock, waiting up to ADD_LOCK_WAIT seconds for another add to finish.
	 * A lease in the options table (Atomic_Option) rather than MySQL's GET_LOCK, which SQLite has
	 * not; a holder that died loses it after ADD_LOCK_LEASE seconds.
	 *
	 * @return string|null The lease, or null when it could not be taken in time.
	 */
	private function take_add_lock(): ?string {
		global $wpdb;
		$until = microtime( true ) + self::ADD_LOCK_WAIT;
		do {
			$now = time();
			try {
				$lease = Atomic_Option::take( $wpdb->options, Outbox::ADD_LOCK_OPTION, $now + self::ADD_LOCK_LEASE, $now - 1 );
			} catch ( Database_Error $error ) {
				return null;
			}
			if ( null !== $lease ) {
				return $lease;
			}
			usleep( 50000 );
		} while ( microtime( true ) < $until );
		return null;
	}

	/**
	 * What the outbox holds now, for the budget: messages and bytes of the site, and the messages
	 * queued in the last hour for the most-mailed of these recipients.
	 *
	 * Mail that waits and mail refused for good are counted apart, each against the whole budget:
	 * a failed message stays until someone deletes it, and a few large ones (a 35 MB message a
	 * provider refused) must never leave a visitor's password reset no room to wait in an outage.
	 * A failed message is kept only to be read or retried by hand, so no per-recipient limit.
	 *
	 * @param string[] $recipients The new message's recipients.
	 * @param bool     $failed     Whether the new message is kept as failed.
	 * @return array{rows: int, bytes: int, recipient_hour: int}|null Null when the table cannot be read.
	 */
	private function usage( array $recipients, bool $failed ): ?array {
		global $wpdb;
		$table   = Outbox_Table::name();
		$compare = $failed ? '=' : '<>';
		$row     = $wpdb->get_row( $wpdb->prepare( "SELECT COUNT(*) AS n, COALESCE( SUM( size ), 0 ) AS bytes FROM {$table} WHERE status {$compare} %s", Outbox::FAILED ), 'ARRAY_A' ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the table name and a fixed operator.
		if ( ! is_array( $row ) ) {
			return null; // No table (yet) or no answer: the message cannot be stored.
		}
		return array(
			'rows'           => (int) $row['n'],
			'bytes'          => (int) $row['bytes'],
			'recipient_hour' => $failed ? 0 : $this->recipients->busiest_last_hour( $recipients ),
		);
	}

	/**
	 * Stores a message that is within the budget, with its recipients' index.
	 *
	 * @param string                                         $from       Envelope sender.
	 * @param string[]                                       $recipients Envelope recipients still waiting.
	 * @param string                                         $data       The complete message as sent to DATA.
	 * @param array{stage: string, code: int, error: string} $failure    Why it could not be handed over.
	 * @param string                                         $route      The server it may go through.
	 * @param string                                         $idempotency_key The key its first attempt carried ('' none).
	 * @return int|null The message id, or null when it could not be stored.
	 */
	private function insert( string $from, array $recipients, string $data, array $failure, string $route, string $idempotency_key ): ?int {
		global $wpdb;
		$now     = time();
		$status  = self::status_after( $failure );
		$summary = array(
			'to'      => array_values( $recipients ),
			'subject' => Outbox_Entry::subject_of( $data ),
		);
		$payload = array(
			'from'       => $from,
			'recipients' => array_values( $recipients ),
			'data'       => $data,
		);
		if ( '' !== $idempotency_key ) {
			$payload['idempotency_key'] = $idempotency_key; // Sealed with the message: a retry after a lost answer carries the first attempt's key.
		}
		$sealed_summary = $this->seal->seal( 'summary', (string) wp_json_encode( $summary ) );
		$sealed_payload = $this->seal->seal( 'payload', (string) wp_json_encode( $payload ) );
		if ( null === $sealed_summary || null === $sealed_payload ) {
			return null;
		}
		$stored = $wpdb->insert(
			Outbox_Table::name(),
			array(
				'status'          => $status,
				'created_at'      => $now,
				'next_attempt_at' => $now + Outbox::FIRST_BACKOFF,
				'expires_at'      => $now + Outbox::lifetime(),
				'attempts'        => 1,
				'stage'           => $failure['stage'],
				'last_code'       => $failure['code'],
				'last_error'      => Outbox_Entry::clip( $failure['error'] ),
				'size'            => strlen( $data ),
				'summary'         => $sealed_summary,
				'payload'         => $sealed_payload,
				'route'           => $route,
			),
			array( '%s', '%d', '%d', '%d', '%d', '%s', '%d', '%s', '%d', '%s', '%s', '%s' )
		);
		if ( false === $stored ) {
			return null;
		}
		$id = (int) $wpdb->insert_id;
		$this->recipients->index( $id, $recipients, $now );
		return $id;
	}

	/**
	 * The status a message gets when it is kept after this failure: failed for a final refusal of
	 * the message (an SMTP `5xx` to MAIL, RCPT or DATA; an API's "too large" or refused content
	 * or recipient) — kept to read, retry or delete, never sent by itself — held for a refused
	 * login, queued otherwise.
	 *
	 * @param array{stage: string, code: int, error: string} $failure The failure.
	 */
	private static function status_after( array $failure ): string {
		$why = Send_Failure::from_array( $failure );
		if ( $why->fails_message() ) {
			return Outbox::FAILED;
		}
		return $why->holds_queue() ? Outbox::HELD : Outbox::QUEUED;
	}
}
