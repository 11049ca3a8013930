<?php
/**
 * Mail waiting for delivery: kept encrypted in the plugin's table, claimed one at a time.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- the plugin's own table; rows change on every send, nothing to cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$table} is the plugin's table name (WordPress 6.6's %i is unknown to WPCS 2.3).

/**
 * States: `queued` (waits for its next attempt), `sending` (claimed by one runner until its lease
 * ends), `held` (a login was refused: waits until the settings change), `failed` (refused for good
 * or expired; kept until retried or deleted). A delivered message is deleted at once.
 *
 * A runner claims a message with one UPDATE that only succeeds while the row is still due (or its
 * lease has run out), so two runners — two cron processes, two web servers sharing the database —
 * never hold the same message.
 */
final class Outbox {

	public const QUEUED  = 'queued';
	public const SENDING = 'sending';
	public const HELD    = 'held';
	public const FAILED  = 'failed';

	/** The statuses, in the order a list shows them. */
	public const STATUSES = array( self::QUEUED, self::SENDING, self::HELD, self::FAILED );

	/** First wait before a retry; doubled for each attempt. */
	public const FIRST_BACKOFF = 60;

	/** Longest wait between two attempts. */
	public const MAX_BACKOFF = 3600;

	/** How long a message is tried before it fails as expired and the site is told. */
	public const LIFETIME = 259200; // 3 days.

	/** Seconds a claim holds a message; a runner that died leaves it due again after this. */
	public const LEASE = 300;

	/** Messages a page of the privacy tools handles. */
	public const PRIVACY_PAGE = 100;

	/** The option that holds the add lock of a site. */
	public const ADD_LOCK_OPTION = \SmtpPortHelper\Stored_Names::OUTBOX_ADD_LOCK;

	/**
	 * The sealed columns.
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
	 * Takes the box that seals the messages.
	 *
	 * @param Secret_Box|null $box Defaults to the site's key (none: nothing is stored).
	 */
	public function __construct( ?Secret_Box $box = null ) {
		$this->seal       = new Outbox_Seal( $box ?? Secret_Box::for_site() );
		$this->recipients = new Outbox_Recipients( $this->seal );
	}

	/**
	 * The context a field of a site's outbox is sealed for (Outbox_Seal::context()).
	 *
	 * @param string $field   summary or payload.
	 * @param int    $site_id The site.
	 */
	public static function context( string $field, int $site_id ): string {
		return Outbox_Seal::context( $field, $site_id );
	}

	/**
	 * An address as the privacy tools and the budget compare it: trimmed, lower case.
	 *
	 * @param string $address Email address.
	 */
	public static function normalized_address( string $address ): string {
		return Outbox_Recipients::normalized_address( $address );
	}

	/**
	 * Indexes the recipients of every message that has none recorded (Outbox_Recipients).
	 *
	 * @return int How many messages were indexed.
	 */
	public function index_recipients(): int {
		return $this->recipients->index_recipients();
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
	 * @param string                                         $idempotency_key The key its first attempt carried ('' none: the outbox derives one).
	 * @return int|null The message id, or null when it could not be stored.
	 * @throws Outbox_Full_Exception When the message is over the outbox's budget, or the budget cannot be counted.
	 */
	public function add( string $from, array $recipients, string $data, array $failure, string $route = '', ?Outbox_Budget $budget = null, string $idempotency_key = '' ): ?int {
		return ( new Outbox_Intake( $this->seal, $this->recipients ) )->add( $from, $recipients, $data, $failure, $route, $budget, $idempotency_key );
	}

	/**
	 * Ids of the messages due now (queued and due, or claimed by a runner whose lease ran out).
	 *
	 * @param int $limit At most this many.
	 * @return list<int>
	 */
	public function due_ids( int $limit ): array {
		global $wpdb;
		$table = Outbox_Table::name();
		$now   = time();
		$ids   = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT id FROM {$table} WHERE ( status = %s AND next_attempt_at <= %d ) OR ( status = %s AND claimed_until < %d ) ORDER BY next_attempt_at, id LIMIT %d",
				self::QUEUED,
				$now,
				self::SENDING,
				$now,
				$limit
			)
		);
		return array_values( array_map( 'intval', $ids ) );
	}

	/**
	 * Claims a due message for one runner: true only for the one runner whose UPDATE changed it.
	 *
	 * @param int    $id    Message id.
	 * @param string $token The runner's claim token.
	 */
	public function claim( int $id, string $token ): bool {
		global $wpdb;
		$table   = Outbox_Table::name();
		$now     = time();
		$changed = $wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, claim_token = %s, claimed_until = %d WHERE id = %d AND ( ( status = %s AND next_attempt_at <= %d ) OR ( status = %s AND claimed_until < %d ) )",
				self::SENDING,
				$token,
				$now + self::LEASE,
				$id,
				self::QUEUED,
				$now,
				self::SENDING,
				$now
			)
		);
		return 1 === $changed;
	}

	/**
	 * The envelope and message of a claimed message; null when it is not (any more) claimed with
	 * this token or cannot be decrypted.
	 *
	 * @param int    $id    Message id.
	 * @param string $token Claim token.
	 * @return array{from: string, recipients: list<string>, data: string, route: string, idempotency_key: string}|null The
	 *         message, with the route it was written for (Mail\Send_Route) and the idempotency key of its first attempt ('' none).
	 */
	public function open_claimed( int $id, string $token ): ?array {
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT payload, route FROM {$table} WHERE id = %d AND status = %s AND claim_token = %s", $id, self::SENDING, $token ), 'ARRAY_A' );
		$plain = is_array( $row ) ? $this->seal->open( 'payload', $row['payload'] ) : null;
		$data  = null === $plain ? null : json_decode( $plain, true );
		if ( ! is_array( $row ) || ! is_array( $data ) || ! isset( $data['from'], $data['recipients'], $data['data'] ) || ! is_array( $data['recipients'] ) ) {
			return null;
		}
		return array(
			'from'            => (string) $data['from'],
			'recipients'      => array_values( array_map( 'strval', $data['recipients'] ) ),
			'data'            => (string) $data['data'],
			'route'           => (string) $row['route'],
			'idempotency_key' => (string) ( $data['idempotency_key'] ?? '' ),
		);
	}

	/**
	 * Delivered: nothing of it is kept.
	 *
	 * @param int    $id    Message id.
	 * @param string $token Claim token.
	 */
	public function delivered( int $id, string $token ): void {
		( new Outbox_Outcomes( $this->seal, $this->recipients ) )->delivered( $id, $token );
	}

	/**
	 * Some recipients took it, others wait: keeps the message for those only, still claimed.
	 *
	 * @param int                                                                                                   $id        Message id.
	 * @param string                                                                                                $token     Claim token.
	 * @param array{from: string, recipients: list<string>, data: string, route?: string, idempotency_key?: string} $message The message.
	 * @param string[]                                                                                              $waiting   Recipients still waiting.
	 */
	public function narrow( int $id, string $token, array $message, array $waiting ): void {
		( new Outbox_Outcomes( $this->seal, $this->recipients ) )->narrow( $id, $token, $message, $waiting );
	}

	/**
	 * Not delivered this time: waits for the next attempt, with a longer wait each time, or
	 * fails once it has expired. Returns the new status.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 */
	public function defer( int $id, string $token, array $failure ): string {
		return ( new Outbox_Outcomes( $this->seal, $this->recipients ) )->defer( $id, $token, $failure );
	}

	/**
	 * Refused for good (a `5xx`, or unreadable): never retried by itself.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function fail( int $id, string $token, array $failure ): void {
		( new Outbox_Outcomes( $this->seal, $this->recipients ) )->fail( $id, $token, $failure );
	}

	/**
	 * A login was refused: this message and every queued one wait until the settings change.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function hold( int $id, string $token, array $failure ): void {
		( new Outbox_Outcomes( $this->seal, $this->recipients ) )->hold( $id, $token, $failure );
	}

	/**
	 * This message alone waits until the settings change (its route's server is gone): the other
	 * messages go on.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 */
	public function hold_message( int $id, string $token, array $failure ): void {
		( new Outbox_Outcomes( $this->seal, $this->recipients ) )->hold_message( $id, $token, $failure );
	}

	/**
	 * Makes every waiting message (queued or held) due now: the settings changed.
	 *
	 * @return int How many.
	 */
	public function release_all(): int {
		global $wpdb;
		$table = Outbox_Table::name();
		return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s, next_attempt_at = %d WHERE status IN ( %s, %s )", self::QUEUED, time(), self::QUEUED, self::HELD ) );
	}

	/**
	 * Makes every queued message due now (a re-test found a port that works); held ones stay held.
	 *
	 * @return int How many.
	 */
	public function make_queued_due(): int {
		global $wpdb;
		$table = Outbox_Table::name();
		$now   = time();
		return (int) $wpdb->query( $wpdb->prepare( "UPDATE {$table} SET next_attempt_at = %d WHERE status = %s AND next_attempt_at > %d", $now, self::QUEUED, $now ) );
	}

	/**
	 * Makes one message due now (also a failed or held one, with a new lifetime, or one whose
	 * runner died: its claim's lease ran out).
	 *
	 * @param int $id Message id.
	 * @return bool False when there is no such message or it is being sent right now.
	 */
	public function retry( int $id ): bool {
		global $wpdb;
		$table = Outbox_Table::name();
		$now   = time();
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s, next_attempt_at = %d, expires_at = GREATEST( expires_at, %d ) WHERE id = %d AND ( status <> %s OR claimed_until < %d )", self::QUEUED, $now, $now + self::lifetime(), $id, self::SENDING, $now ) );
		// MySQL counts changed rows only: a message that was already due now is ready, not "unchanged".
		return self::QUEUED === $wpdb->get_var( $wpdb->prepare( "SELECT status FROM {$table} WHERE id = %d AND next_attempt_at <= %d", $id, $now ) );
	}

	/**
	 * Deletes a message (unless it is being sent right now).
	 *
	 * @param int $id Message id.
	 */
	public function delete( int $id ): bool {
		global $wpdb;
		$table   = Outbox_Table::name();
		$deleted = 1 === $wpdb->query( $wpdb->prepare( "DELETE FROM {$table} WHERE id = %d AND ( status <> %s OR claimed_until < %d )", $id, self::SENDING, time() ) );
		if ( $deleted ) {
			$this->recipients->unindex( $id );
		}
		return $deleted;
	}

	/**
	 * One message as a list shows it (never the body), or null.
	 *
	 * @param int $id Message id.
	 * @return array{id: int, status: string, to: list<string>, subject: string, queued_at: int, next_attempt_at: int|null, attempts: int, stage: string, code: int, error: string, size: int}|null
	 */
	public function find( int $id ): ?array {
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT id, status, created_at, next_attempt_at, claimed_until, attempts, stage, last_code, last_error, size, summary FROM {$table} WHERE id = %d", $id ), 'ARRAY_A' );
		return is_array( $row ) ? Outbox_Entry::of_row( $row, $this->seal ) : null;
	}

	/**
	 * The messages as a list shows them (never the body), oldest first.
	 *
	 * @param int $limit At most this many.
	 * @return list<array{id: int, status: string, to: list<string>, subject: string, queued_at: int, next_attempt_at: int|null, attempts: int, stage: string, code: int, error: string, size: int}>
	 */
	public function entries( int $limit = 100 ): array {
		global $wpdb;
		$table = Outbox_Table::name();
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT id, status, created_at, next_attempt_at, claimed_until, attempts, stage, last_code, last_error, size, summary FROM {$table} ORDER BY id LIMIT %d", $limit ), 'ARRAY_A' );
		return array_values( array_map( fn( array $row ): array => Outbox_Entry::of_row( $row, $this->seal ), (array) $rows ) );
	}

	/**
	 * Ids of the messages one of whose recipients is this address (the whole address, any letter
	 * case), oldest first, one page of the privacy tools. Found by the recipients' keyed hashes:
	 * no message is opened.
	 *
	 * @param string $email  Email address.
	 * @param int    $limit  At most this many.
	 * @param int    $offset Skip this many.
	 * @param bool   $only_deletable Leave out messages a runner holds right now.
	 * @return list<int>
	 */
	public function ids_for_recipient( string $email, int $limit, int $offset = 0, bool $only_deletable = false ): array {
		return $this->recipients->ids_for_recipient( $email, $limit, $offset, $only_deletable );
	}

	/**
	 * Number of messages per status.
	 *
	 * @return array<string, int>
	 */
	public function counts(): array {
		global $wpdb;
		$counts = array_fill_keys( self::STATUSES, 0 );
		$table  = Outbox_Table::name();
		$rows   = $wpdb->get_results( "SELECT status, COUNT(*) AS n FROM {$table} GROUP BY status", 'ARRAY_A' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- no values.
		foreach ( (array) $rows as $row ) {
			$counts[ (string) $row['status'] ] = (int) $row['n'];
		}
		return $counts;
	}

	/**
	 * The routes (Mail\Send_Route) of queued mail that waits for a way out: mail that waits only
	 * for the mailbox's sending pace or a server's "slow down" (Outbox_Pacing) has a way that works.
	 *
	 * @return list<string>
	 */
	public function waiting_routes(): array {
		global $wpdb;
		$table  = Outbox_Table::name();
		$routes = $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT route FROM {$table} WHERE status = %s AND stage NOT IN ( %s, %s )", self::QUEUED, Outbox_Pacing::PACED, Outbox_Pacing::THROTTLED ) );
		return array_values( array_map( 'strval', (array) $routes ) );
	}

	/**
	 * When the next message is due (Unix time), or null when none waits: a queued one's next
	 * attempt, or the end of a claim's lease — a runner that died (a fatal error, a killed process)
	 * leaves its message claimed, and only the lease's end makes it due again.
	 */
	public function next_due(): ?int {
		global $wpdb;
		$table = Outbox_Table::name();
		$next  = $wpdb->get_var( $wpdb->prepare( "SELECT MIN( CASE WHEN status = %s THEN next_attempt_at ELSE claimed_until END ) FROM {$table} WHERE status IN ( %s, %s )", self::QUEUED, self::QUEUED, self::SENDING ) );
		return null === $next ? null : (int) $next;
	}

	/**
	 * Seals every waiting message of this site again under this outbox's key (`wp smtp-port-helper
	 * rekey`), opening it with the former key; 100 rows at a time.
	 *
	 * @param Secret_Box|null $old The former key's box, if any.
	 * @return array{resealed: int, unreadable: int}
	 */
	public function rekey( ?Secret_Box $old ): array {
		return $this->seal->rekey_rows( $old, $this->recipients );
	}

	/**
	 * Whether a failure holds the queue until the settings change: a refused login (a `5xx`, or the
	 * password cannot be used at all), or a host the address policy refuses. A temporary `4xx` of
	 * AUTH is retried like any other.
	 *
	 * @param array{stage: string, code: int, error: string} $failure The failure.
	 */
	public static function holds_queue( array $failure ): bool {
		return Send_Failure::from_array( $failure )->holds_queue();
	}

	/**
	 * Seconds to wait after the given number of attempts: 1 min, 2, 4 … at most an hour.
	 *
	 * @param int $attempts Attempts so far.
	 */
	public static function backoff( int $attempts ): int {
		return (int) min( self::MAX_BACKOFF, self::FIRST_BACKOFF * ( 2 ** max( 0, min( 16, $attempts - 1 ) ) ) );
	}

	/**
	 * How long a message is tried (filter `smtp_port_helper_outbox_lifetime`, seconds).
	 */
	public static function lifetime(): int {
		return max( MINUTE_IN_SECONDS, (int) apply_filters( 'smtp_port_helper_outbox_lifetime', self::LIFETIME ) );
	}

}
