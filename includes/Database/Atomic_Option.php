<?php
/**
 * Atomic writes to an options table that the options API cannot make (it reads, then writes).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Database;

defined( 'ABSPATH' ) || exit;

/**
 * Leases (a concurrency slot, the OAuth refresh lock, the outbox's re-test turn) and counters (the
 * rate limits) that exactly one caller wins, whichever process it runs in. Every statement here
 * runs with the same meaning on MySQL/MariaDB and on the SQLite integration WordPress Playground
 * runs: `INSERT IGNORE` creates a row (1 row affected: this caller created it), then an `UPDATE`
 * whose WHERE holds the condition changes it (1 row: this caller changed it). Each statement
 * decides alone, so no read-then-write gap opens between callers.
 *
 * `INSERT … ON DUPLICATE KEY UPDATE` is not used: MySQL reports 0, 1 or 2 affected rows for it,
 * SQLite's upsert 1 either way, and its usual companions (`IF`, `SUBSTRING_INDEX`,
 * `LAST_INSERT_ID(expr)`) are MySQL's alone.
 *
 * A lease's value is its time as ten digits (Unix seconds, zero-padded) and an owner token, so
 * `SUBSTR( option_value, 1, 10 )` compares as a number in any collation of either engine, and only
 * the owner's DELETE gives it back.
 */
final class Atomic_Option {

	/** From count_up_to(): this call created the counter (the first count). */
	public const CREATED = 1;

	/** From count_up_to(): this call counted one more. */
	public const COUNTED = 2;

	/** From count_up_to(): the counter holds its limit; nothing was counted. */
	public const FULL = 0;

	/** Digits of a lease's time: Unix seconds fit until the year 2286. */
	private const TIME_DIGITS = 10;

	/**
	 * Takes a lease: writes it when the row does not exist or the time it holds is at or before
	 * $free_at (an expired lease, a turn that is an interval old).
	 *
	 * @param string $table   Options table ($wpdb->options or another site's).
	 * @param string $name    Option name.
	 * @param int    $time    The time the lease holds (its expiry, or when the turn was taken).
	 * @param int    $free_at A row holding this time or an earlier one may be taken.
	 * @return string|null The lease (give it to release()), or null when another caller holds it.
	 * @throws Database_Error When the database does not answer.
	 */
	public static function take( string $table, string $name, int $time, int $free_at ): ?string {
		global $wpdb;
		$lease = self::time_digits( $time ) . '|' . bin2hex( random_bytes( 8 ) );
		if ( self::insert_new( $table, $name, $lease ) ) {
			return $lease;
		}
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- an atomic lease cannot go through the options API.
		$written = $wpdb->query(
			$wpdb->prepare(
				// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- an options table name from $wpdb.
				"UPDATE {$table} SET option_value = %s WHERE option_name = %s AND SUBSTR( option_value, 1, %d ) <= %s",
				$lease,
				$name,
				self::TIME_DIGITS,
				self::time_digits( $free_at )
			)
		);
		if ( false === $written ) {
			throw new Database_Error( 'The lease could not be taken.' );
		}
		return 1 === (int) $wpdb->rows_affected ? $lease : null;
	}

	/**
	 * Gives a lease back; does nothing when it expired and another caller took the row since.
	 *
	 * @param string $table Options table.
	 * @param string $name  Option name.
	 * @param string $lease What take() returned.
	 */
	public static function release( string $table, string $name, string $lease ): void {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->query(
			$wpdb->prepare(
				// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- an options table name from $wpdb.
				"DELETE FROM {$table} WHERE option_name = %s AND option_value = %s",
				$name,
				$lease
			)
		);
	}

	/**
	 * Counts $amount more in a counter row unless the counter would then hold more than $limit.
	 *
	 * @param string $table  Options table.
	 * @param string $name   Option name.
	 * @param int    $limit  The most the counter may hold (1 or more).
	 * @param int    $amount How many to count at once (1 or more; the recipients of a message).
	 * @return int CREATED, COUNTED or FULL.
	 * @throws Database_Error When the database does not answer.
	 */
	public static function count_up_to( string $table, string $name, int $limit, int $amount = 1 ): int {
		global $wpdb;
		$amount = max( 1, $amount );
		if ( $amount > $limit ) {
			return self::FULL;
		}
		if ( self::insert_new( $table, $name, (string) $amount ) ) {
			return self::CREATED;
		}
		// `option_value + 0` is a number on both engines (a bare column would compare as text on SQLite).
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- an atomic counter cannot go through the options API.
		$written = $wpdb->query(
			$wpdb->prepare(
				// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- an options table name from $wpdb.
				"UPDATE {$table} SET option_value = option_value + %d WHERE option_name = %s AND option_value + 0 <= %d",
				$amount,
				$name,
				$limit - $amount
			)
		);
		if ( false === $written ) {
			throw new Database_Error( 'The counter could not be counted.' );
		}
		return 1 === (int) $wpdb->rows_affected ? self::COUNTED : self::FULL;
	}

	/**
	 * The time a lease holds (0 for none).
	 *
	 * @param mixed $lease A lease as stored (get_option()), or false.
	 */
	public static function time_of( $lease ): int {
		return is_string( $lease ) ? (int) substr( $lease, 0, self::TIME_DIGITS ) : 0;
	}

	/**
	 * Creates the row unless it exists: true when this call created it.
	 *
	 * @param string $table Options table.
	 * @param string $name  Option name.
	 * @param string $value Value.
	 * @throws Database_Error When the database does not answer.
	 */
	private static function insert_new( string $table, string $name, string $value ): bool {
		global $wpdb;
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$written = $wpdb->query(
			$wpdb->prepare(
				// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- an options table name from $wpdb.
				"INSERT IGNORE INTO {$table} (option_name, option_value, autoload) VALUES (%s, %s, 'off')",
				$name,
				$value
			)
		);
		if ( false === $written ) {
			throw new Database_Error( 'The row could not be written.' );
		}
		return 1 === (int) $wpdb->rows_affected;
	}

	/**
	 * A time as the fixed-width digits a lease starts with.
	 *
	 * @param int $time Unix seconds.
	 */
	private static function time_digits( int $time ): string {
		return sprintf( '%0' . self::TIME_DIGITS . 'd', max( 0, $time ) );
	}
}
