<?php
/**
 * Who a waiting message is for, kept as keyed hashes beside it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- the plugin's own table; rows change on every send, nothing to cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$table} is the plugin's table name (WordPress 6.6's %i is unknown to WPCS 2.3).

/**
 * The table Outbox_Table::recipients_name() pairs each message with the keyed hash of each of
 * its recipients (Outbox_Seal::fingerprint()), so the privacy tools and the per-recipient budget
 * find messages by an address without opening any, and a copy of the database does not say who
 * was mailed.
 */
final class Outbox_Recipients {

	/**
	 * The outbox's sealing.
	 *
	 * @var Outbox_Seal
	 */
	private Outbox_Seal $seal;

	/**
	 * Takes the sealing.
	 *
	 * @param Outbox_Seal $seal The outbox's sealing.
	 */
	public function __construct( Outbox_Seal $seal ) {
		$this->seal = $seal;
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
	public function fingerprints( array $recipients ): array {
		$hashes = array();
		if ( ! $this->seal->can_seal() ) {
			return $hashes;
		}
		foreach ( $recipients as $recipient ) {
			$address = self::normalized_address( (string) $recipient );
			if ( '' !== $address ) {
				$hashes[ (string) $this->seal->fingerprint( $address ) ] = true;
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
	public function index( int $id, array $recipients, int $created_at ): void {
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
	public function unindex( int $id ): void {
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
		if ( ! $this->seal->can_seal() ) {
			return $indexed;
		}
		$last = 0;
		do {
			$rows  = (array) $wpdb->get_results( $wpdb->prepare( "SELECT o.id, o.created_at, o.payload FROM {$table} o LEFT JOIN {$recipients} r ON r.message_id = o.id WHERE r.message_id IS NULL AND o.id > %d ORDER BY o.id LIMIT 100", $last ), 'ARRAY_A' );
			$count = count( $rows );
			foreach ( $rows as $row ) {
				$last  = (int) $row['id'];
				$plain = $this->seal->open( 'payload', $row['payload'] );
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
		$held  = $only_deletable ? $wpdb->prepare( ' AND ( o.status <> %s OR o.claimed_until < %d )', Outbox::SENDING, time() ) : '';
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
	 * The messages queued in the last hour for the most-mailed of these recipients (a message
	 * deleted without its index rows, after a crash between the two, no longer counts). Mail that
	 * waits only for the mailbox's sending pace or a server's "slow down" does not count: the
	 * budget bounds what piles up while the way is down, not a burst the pace spreads out.
	 *
	 * @param string[] $recipients Email addresses.
	 */
	public function busiest_last_hour( array $recipients ): int {
		global $wpdb;
		$hashes = $this->fingerprints( $recipients );
		if ( array() === $hashes ) {
			return 0;
		}
		$table = Outbox_Table::name();
		$index = Outbox_Table::recipients_name();
		return (int) $wpdb->get_var(
			$wpdb->prepare(
				"SELECT COALESCE( MAX( n ), 0 ) FROM ( SELECT COUNT(*) AS n FROM {$index} r JOIN {$table} o ON o.id = r.message_id WHERE r.created_at > %d AND o.stage NOT IN ( %s, %s ) AND r.recipient IN (" . implode( ', ', array_fill( 0, count( $hashes ), '%s' ) ) . ') GROUP BY r.recipient ) AS per_recipient', // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- one placeholder per hash.
				array_merge( array( time() - HOUR_IN_SECONDS, Outbox_Pacing::PACED, Outbox_Pacing::THROTTLED ), $hashes )
			)
		);
	}
}
