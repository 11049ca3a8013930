<?php
/**
 * Mail waiting for delivery: kept encrypted in the plugin's table, claimed one at a time.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;
use SmtpPortHelper\Settings\Secret_Box;

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

	/** Seconds add() waits for another request's add() on this site before it refuses. */
	private const ADD_LOCK_WAIT = 5;

	/** The option that holds the add lock of a site. */
	public const ADD_LOCK_OPTION = \SmtpPortHelper\Stored_Names::OUTBOX_ADD_LOCK;

	/** Seconds an add lock lasts when it is never given back (an add takes milliseconds). */
	private const ADD_LOCK_LEASE = 30;

	/**
	 * Seals the messages (the key of the password); null when the site has no key material fit
	 * for a key (then nothing is stored: a message would be readable by whoever has the database).
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * Takes the box that seals the messages.
	 *
	 * @param Secret_Box|null $box Defaults to the site's key.
	 */
	public function __construct( ?Secret_Box $box = null ) {
		$this->box = $box ?? Secret_Box::for_site();
	}

	/**
	 * Seals one field of a message for this site's outbox: the associated data names the site and
	 * the field, so a sealed value moved to another site, column or the password option opens nowhere.
	 *
	 * @param string $field summary or payload.
	 * @param string $plain JSON.
	 */
	private function seal( string $field, string $plain ): ?string {
		return null === $this->box ? null : $this->box->seal( $plain, self::binding( $field ) );
	}

	/**
	 * Opens one sealed field; null when it cannot be opened.
	 *
	 * @param string $field  summary or payload.
	 * @param mixed  $sealed Stored value.
	 */
	private function open( string $field, $sealed ): ?string {
		return null === $this->box ? null : $this->box->open( $sealed, self::binding( $field ) );
	}

	/**
	 * The associated data of a field of this site's outbox.
	 *
	 * @param string $field summary or payload.
	 */
	private static function binding( string $field ): string {
		return Secret_Box::binding( 'site:' . get_current_blog_id(), 'outbox', $field );
	}

	/**
	 * An address as the privacy tools and the budget compare it: trimmed, lower case.
	 *
	 * @param string $address Email address.
	 */
	public static function normalized_address( string $address ): string {
		return strtolower( trim( $address ) );
	}

	/**
	 * The keyed hashes of a message's recipients (one each, duplicates and empty ones dropped);
	 * empty without a key.
	 *
	 * @param string[] $recipients Email addresses.
	 * @return list<string>
	 */
	private function fingerprints( array $recipients ): array {
		if ( null === $this->box ) {
			return array();
		}
		$hashes = array();
		foreach ( $recipients as $recipient ) {
			$address = self::normalized_address( (string) $recipient );
			if ( '' !== $address ) {
				$hashes[ $this->box->fingerprint( 'outbox-recipient:site:' . get_current_blog_id(), $address ) ] = true;
			}
		}
		return array_keys( $hashes );
	}

	/**
	 * Records the recipients of a message (their keyed hashes) beside it; a pair already there
	 * is kept, so indexing a message twice changes nothing.
	 *
	 * @param int      $id         Message id.
	 * @param string[] $recipients Email addresses.
	 * @param int      $created_at When the message was queued.
	 */
	private function index( int $id, array $recipients, int $created_at ): void {
		global $wpdb;
		$table = Outbox_Table::recipients_name();
		foreach ( $this->fingerprints( $recipients ) as $hash ) {
			$wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$table} (message_id, recipient, created_at) VALUES (%d, %s, %d)", $id, $hash, $created_at ) );
		}
	}

	/**
	 * Forgets the recipients of a message that is gone.
	 *
	 * @param int $id Message id.
	 */
	private function unindex( int $id ): void {
		global $wpdb;
		$wpdb->delete( Outbox_Table::recipients_name(), array( 'message_id' => $id ), array( '%d' ) );
	}

	/**
	 * Indexes the recipients of every message that has none recorded (messages stored before the
	 * recipient table existed; Outbox_Table::install()), 100 at a time. A message this key cannot
	 * open stays unindexed: it cannot be delivered either, and a rekey indexes it.
	 *
	 * @return int How many messages were indexed.
	 */
	public function index_recipients(): int {
		global $wpdb;
		$table      = Outbox_Table::name();
		$recipients = Outbox_Table::recipients_name();
		$indexed    = 0;
		if ( null === $this->box ) {
			return $indexed;
		}
		$last = 0;
		do {
			$rows  = (array) $wpdb->get_results( $wpdb->prepare( "SELECT o.id, o.created_at, o.payload FROM {$table} o LEFT JOIN {$recipients} r ON r.message_id = o.id WHERE r.message_id IS NULL AND o.id > %d ORDER BY o.id LIMIT 100", $last ), 'ARRAY_A' );
			$count = count( $rows );
			foreach ( $rows as $row ) {
				$last  = (int) $row['id'];
				$plain = $this->open( 'payload', $row['payload'] );
				$data  = null === $plain ? null : json_decode( $plain, true );
				if ( is_array( $data ) && isset( $data['recipients'] ) && is_array( $data['recipients'] ) ) {
					$this->index( $last, array_map( 'strval', $data['recipients'] ), (int) $row['created_at'] );
					++$indexed;
				}
			}
		} while ( 100 === $count );
		return $indexed;
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
	 * @return int|null The message id, or null when it could not be stored.
	 * @throws Outbox_Full_Exception When the message is over the outbox's budget, or the budget cannot be counted.
	 */
	public function add( string $from, array $recipients, string $data, array $failure, string $route = '', ?Outbox_Budget $budget = null ): ?int {
		global $wpdb;
		if ( null === $this->box ) {
			return null;
		}
		$budget = $budget ?? Outbox_Budget::current();
		// One add at a time per site: the counts and the insert must not interleave with another's.
		$lease = $this->take_add_lock();
		if ( null === $lease ) {
			throw new Outbox_Full_Exception( Outbox_Full_Exception::UNCOUNTED, __( 'The outbox could not count its messages in time (the database is busy or did not answer), so this message was not kept for a later attempt.', 'smtp-port-helper' ) );
		}
		try {
			$usage = $this->usage( $recipients );
			if ( null === $usage ) {
				return null;
			}
			$budget->check( $usage, strlen( $data ) );
			return $this->insert( $from, $recipients, $data, $failure, $route );
		} finally {
			Atomic_Option::release( $wpdb->options, self::ADD_LOCK_OPTION, $lease );
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
				$lease = Atomic_Option::take( $wpdb->options, self::ADD_LOCK_OPTION, $now + self::ADD_LOCK_LEASE, $now - 1 );
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
	 * @param string[] $recipients The new message's recipients.
	 * @return array{rows: int, bytes: int, recipient_hour: int}|null Null when the table cannot be read.
	 */
	private function usage( array $recipients ): ?array {
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( "SELECT COUNT(*) AS n, COALESCE( SUM( size ), 0 ) AS bytes FROM {$table}", 'ARRAY_A' ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- no values.
		if ( ! is_array( $row ) ) {
			return null; // No table (yet) or no answer: the message cannot be stored.
		}
		$hashes = $this->fingerprints( $recipients );
		$most   = 0;
		if ( array() !== $hashes ) {
			$index = Outbox_Table::recipients_name();
			$most  = (int) $wpdb->get_var(
				$wpdb->prepare(
					// A message deleted without its index rows (a crash between the two) no longer counts.
					"SELECT COALESCE( MAX( n ), 0 ) FROM ( SELECT COUNT(*) AS n FROM {$index} r JOIN {$table} o ON o.id = r.message_id WHERE r.created_at > %d AND r.recipient IN (" . implode( ', ', array_fill( 0, count( $hashes ), '%s' ) ) . ') GROUP BY r.recipient ) AS per_recipient', // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- one placeholder per hash.
					array_merge( array( time() - HOUR_IN_SECONDS ), $hashes )
				)
			);
		}
		return array(
			'rows'           => (int) $row['n'],
			'bytes'          => (int) $row['bytes'],
			'recipient_hour' => $most,
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
	 * @return int|null The message id, or null when it could not be stored.
	 */
	private function insert( string $from, array $recipients, string $data, array $failure, string $route ): ?int {
		global $wpdb;
		$now            = time();
		$held           = self::holds_queue( $failure );
		$summary        = array(
			'to'      => array_values( $recipients ),
			'subject' => self::subject_of( $data ),
		);
		$payload        = array(
			'from'       => $from,
			'recipients' => array_values( $recipients ),
			'data'       => $data,
		);
		$sealed_summary = $this->seal( 'summary', (string) wp_json_encode( $summary ) );
		$sealed_payload = $this->seal( 'payload', (string) wp_json_encode( $payload ) );
		if ( null === $sealed_summary || null === $sealed_payload ) {
			return null;
		}
		$stored = $wpdb->insert(
			Outbox_Table::name(),
			array(
				'status'          => $held ? self::HELD : self::QUEUED,
				'created_at'      => $now,
				'next_attempt_at' => $now + self::FIRST_BACKOFF,
				'expires_at'      => $now + self::lifetime(),
				'attempts'        => 1,
				'stage'           => $failure['stage'],
				'last_code'       => $failure['code'],
				'last_error'      => self::clip( $failure['error'] ),
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
		$this->index( $id, $recipients, $now );
		return $id;
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
	 * @return array{from: string, recipients: list<string>, data: string, route: string}|null The
	 *         message, with the route it was written for (Mail\Send_Route).
	 */
	public function open_claimed( int $id, string $token ): ?array {
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT payload, route FROM {$table} WHERE id = %d AND status = %s AND claim_token = %s", $id, self::SENDING, $token ), 'ARRAY_A' );
		$plain = is_array( $row ) ? $this->open( 'payload', $row['payload'] ) : null;
		$data  = null === $plain ? null : json_decode( $plain, true );
		if ( ! is_array( $row ) || ! is_array( $data ) || ! isset( $data['from'], $data['recipients'], $data['data'] ) || ! is_array( $data['recipients'] ) ) {
			return null;
		}
		return array(
			'from'       => (string) $data['from'],
			'recipients' => array_values( array_map( 'strval', $data['recipients'] ) ),
			'data'       => (string) $data['data'],
			'route'      => (string) $row['route'],
		);
	}

	/**
	 * Delivered: nothing of it is kept.
	 *
	 * @param int    $id    Message id.
	 * @param string $token Claim token.
	 */
	public function delivered( int $id, string $token ): void {
		global $wpdb;
		$deleted = $wpdb->delete(
			Outbox_Table::name(),
			array(
				'id'          => $id,
				'claim_token' => $token,
			),
			array( '%d', '%s' )
		);
		if ( 1 === $deleted ) {
			$this->unindex( $id );
		}
	}

	/**
	 * Some recipients took it, others wait: keeps the message for those only, still claimed.
	 *
	 * @param int                                                                         $id        Message id.
	 * @param string                                                                      $token     Claim token.
	 * @param array{from: string, recipients: list<string>, data: string, route?: string} $message The message.
	 * @param string[]                                                                    $waiting   Recipients still waiting.
	 */
	public function narrow( int $id, string $token, array $message, array $waiting ): void {
		global $wpdb;
		$message['recipients'] = array_values( $waiting );
		unset( $message['route'] ); // A column of its own.
		$summary = array(
			'to'      => $message['recipients'],
			'subject' => self::subject_of( $message['data'] ),
		);
		$wpdb->update(
			Outbox_Table::name(),
			array(
				'summary' => (string) $this->seal( 'summary', (string) wp_json_encode( $summary ) ),
				'payload' => (string) $this->seal( 'payload', (string) wp_json_encode( $message ) ),
			),
			array(
				'id'          => $id,
				'claim_token' => $token,
			),
			array( '%s', '%s' ),
			array( '%d', '%s' )
		);
		$table      = Outbox_Table::name();
		$created_at = (int) $wpdb->get_var( $wpdb->prepare( "SELECT created_at FROM {$table} WHERE id = %d AND claim_token = %s", $id, $token ) );
		if ( $created_at > 0 ) {
			$this->unindex( $id );
			$this->index( $id, $message['recipients'], $created_at );
		}
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
		global $wpdb;
		$table = Outbox_Table::name();
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT attempts, expires_at FROM {$table} WHERE id = %d AND claim_token = %s", $id, $token ), 'ARRAY_A' );
		if ( ! is_array( $row ) ) {
			return '';
		}
		$now      = time();
		$attempts = (int) $row['attempts'] + 1;
		$next     = $now + self::backoff( $attempts );
		$status   = $now >= (int) $row['expires_at'] ? self::FAILED : self::QUEUED;
		if ( self::FAILED === $status ) {
			$failure['error'] = sprintf( 'Expired after %d attempts; last error: %s', $attempts, $failure['error'] );
		}
		$this->set( $id, $token, $status, $failure, $attempts, $next );
		return $status;
	}

	/**
	 * Refused for good (a `5xx`, or unreadable): never retried by itself.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function fail( int $id, string $token, array $failure ): void {
		$this->set( $id, $token, self::FAILED, $failure, null, 0 );
	}

	/**
	 * A login was refused: this message and every queued one wait until the settings change.
	 *
	 * @param int                                            $id      Message id.
	 * @param string                                         $token   Claim token.
	 * @param array{stage: string, code: int, error: string} $failure The server's answer.
	 */
	public function hold( int $id, string $token, array $failure ): void {
		global $wpdb;
		$table = Outbox_Table::name();
		$this->set( $id, $token, self::HELD, $failure, null, 0 );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s WHERE status = %s", self::HELD, self::QUEUED ) );
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
		$this->set( $id, $token, self::HELD, $failure, null, 0 );
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
	 * Makes one message due now (also a failed or held one, with a new lifetime).
	 *
	 * @param int $id Message id.
	 * @return bool False when there is no such message or it is being sent right now.
	 */
	public function retry( int $id ): bool {
		global $wpdb;
		$table = Outbox_Table::name();
		$now   = time();
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET status = %s, next_attempt_at = %d, expires_at = GREATEST( expires_at, %d ) WHERE id = %d AND status <> %s", self::QUEUED, $now, $now + self::lifetime(), $id, self::SENDING ) );
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
			$this->unindex( $id );
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
		$row   = $wpdb->get_row( $wpdb->prepare( "SELECT id, status, created_at, next_attempt_at, attempts, stage, last_code, last_error, size, summary FROM {$table} WHERE id = %d", $id ), 'ARRAY_A' );
		return is_array( $row ) ? $this->entry( $row ) : null;
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
		$rows  = $wpdb->get_results( $wpdb->prepare( "SELECT id, status, created_at, next_attempt_at, attempts, stage, last_code, last_error, size, summary FROM {$table} ORDER BY id LIMIT %d", $limit ), 'ARRAY_A' );
		return array_values( array_map( array( $this, 'entry' ), (array) $rows ) );
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
		global $wpdb;
		$hashes = $this->fingerprints( array( $email ) );
		if ( array() === $hashes ) {
			return array();
		}
		$table = Outbox_Table::name();
		$index = Outbox_Table::recipients_name();
		$held  = $only_deletable ? $wpdb->prepare( ' AND ( o.status <> %s OR o.claimed_until < %d )', self::SENDING, time() ) : '';
		$ids   = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT o.id FROM {$index} r JOIN {$table} o ON o.id = r.message_id WHERE r.recipient = %s{$held} ORDER BY o.id LIMIT %d OFFSET %d", // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- $held was prepared above.
				$hashes[0],
				$limit,
				$offset
			)
		);
		return array_values( array_map( 'intval', $ids ) );
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
	 * When the next queued message is due (Unix time), or null when none waits.
	 */
	public function next_due(): ?int {
		global $wpdb;
		$table = Outbox_Table::name();
		$next  = $wpdb->get_var( $wpdb->prepare( "SELECT MIN( next_attempt_at ) FROM {$table} WHERE status = %s", self::QUEUED ) );
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
		global $wpdb;
		$table  = Outbox_Table::name();
		$counts = array(
			'resealed'   => 0,
			'unreadable' => 0,
		);
		if ( null === $this->box || ! Outbox_Table::is_current() ) {
			return $counts;
		}
		$last = 0;
		do {
			$rows  = (array) $wpdb->get_results( $wpdb->prepare( "SELECT id, summary, payload FROM {$table} WHERE id > %d ORDER BY id LIMIT 100", $last ), 'ARRAY_A' ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- the plugin's table.
			$count = count( $rows );
			foreach ( $rows as $row ) {
				$last    = (int) $row['id'];
				$changes = array();
				foreach ( array( 'summary', 'payload' ) as $field ) {
					if ( null !== $this->open( $field, $row[ $field ] ) ) {
						continue; // Already under the current key.
					}
					$plain = null === $old ? null : $old->open( $row[ $field ], self::binding( $field ) );
					if ( null === $plain ) {
						++$counts['unreadable'];
						continue 2;
					}
					$changes[ $field ] = $this->seal( $field, $plain );
				}
				if ( array() !== $changes ) {
					$wpdb->update( $table, $changes, array( 'id' => $last ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
					++$counts['resealed'];
					// The recipients' hashes were keyed with the former key too.
					$this->unindex( $last );
				}
			}
		} while ( 100 === $count );
		$this->index_recipients();
		return $counts;
	}

	/**
	 * Whether a failure holds the queue until the settings change: a refused login (a `5xx`, or the
	 * password cannot be used at all), or a host the address policy refuses. A temporary `4xx` of
	 * AUTH is retried like any other.
	 *
	 * @param array{stage: string, code: int, error: string} $failure The failure.
	 */
	public static function holds_queue( array $failure ): bool {
		return 'policy' === $failure['stage'] || 'oauth' === $failure['stage'] || ( 'auth' === $failure['stage'] && ( $failure['code'] < 400 || $failure['code'] >= 500 ) );
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

	/**
	 * Updates a claimed message's state and last failure, releasing the claim.
	 *
	 * @param int                                            $id       Message id.
	 * @param string                                         $token    Claim token.
	 * @param string                                         $status   New status.
	 * @param array{stage: string, code: int, error: string} $failure  The failure.
	 * @param int|null                                       $attempts New attempt count, or null to add one.
	 * @param int                                            $next     Next attempt (Unix time; 0 for none).
	 */
	private function set( int $id, string $token, string $status, array $failure, ?int $attempts, int $next ): void {
		global $wpdb;
		$table = Outbox_Table::name();
		$wpdb->query(
			$wpdb->prepare(
				"UPDATE {$table} SET status = %s, stage = %s, last_code = %d, last_error = %s, attempts = " . ( null === $attempts ? 'attempts + 1' : (string) (int) $attempts ) . ', next_attempt_at = %d, claim_token = %s, claimed_until = 0 WHERE id = %d AND claim_token = %s', // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- an integer.
				$status,
				$failure['stage'],
				$failure['code'],
				self::clip( $failure['error'] ),
				$next,
				'',
				$id,
				$token
			)
		);
	}

	/**
	 * A row as a list entry.
	 *
	 * @param array<string, mixed> $row Row.
	 * @return array{id: int, status: string, to: list<string>, subject: string, queued_at: int, next_attempt_at: int|null, attempts: int, stage: string, code: int, error: string, size: int}
	 */
	private function entry( array $row ): array {
		$plain   = $this->open( 'summary', $row['summary'] );
		$summary = null === $plain ? null : json_decode( $plain, true );
		$to      = is_array( $summary ) && isset( $summary['to'] ) && is_array( $summary['to'] ) ? array_values( array_map( 'strval', $summary['to'] ) ) : array();
		$status  = (string) $row['status'];
		return array(
			'id'              => (int) $row['id'],
			'status'          => $status,
			'to'              => $to,
			'subject'         => is_array( $summary ) && isset( $summary['subject'] ) ? (string) $summary['subject'] : '',
			'queued_at'       => (int) $row['created_at'],
			'next_attempt_at' => self::QUEUED === $status ? (int) $row['next_attempt_at'] : null,
			'attempts'        => (int) $row['attempts'],
			'stage'           => (string) $row['stage'],
			'code'            => (int) $row['last_code'],
			'error'           => (string) $row['last_error'],
			'size'            => (int) $row['size'],
		);
	}

	/**
	 * The decoded Subject header of a message.
	 *
	 * @param string $data The message.
	 */
	private static function subject_of( string $data ): string {
		$head = (string) strstr( str_replace( "\r\n", "\n", $data ), "\n\n", true );
		if ( ! preg_match( '/^Subject:(.*(?:\n[ \t].*)*)/mi', $head, $match ) ) {
			return '';
		}
		$raw     = trim( (string) preg_replace( '/\n[ \t]+/', ' ', $match[1] ) );
		$decoded = function_exists( 'iconv_mime_decode' ) ? iconv_mime_decode( $raw, ICONV_MIME_DECODE_CONTINUE_ON_ERROR, 'UTF-8' ) : false;
		return mb_substr( false === $decoded ? $raw : $decoded, 0, 255 );
	}

	/**
	 * An error text of a reasonable length.
	 *
	 * @param string $error Error.
	 */
	private static function clip( string $error ): string {
		return mb_substr( $error, 0, 1000 );
	}
}
