<?php
/**
 * Where a mailbox's sending pace is kept: its state and counters in an options table.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Stored_Names;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

// phpcs:disable WordPress.DB.DirectDatabaseQuery -- counters and state that every process must see at once; no cache.
// phpcs:disable WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- {$this->table} is an options table name from $wpdb.

/**
 * The rows of one mailbox (Send_Pacer): the state under `smtp_port_helper_pace_<key>`, the window
 * counters `…_w<window>` and the hourly counters `…_m<hour>` / `…_r<hour>`, all read at once; the
 * key is a hash of host and login, so the names say nothing of the address.
 */
final class Pace_Rows {

	/**
	 * The options table the rows live in.
	 *
	 * @var string
	 */
	private string $table;

	/**
	 * Takes the options table.
	 *
	 * @param string $table Options table.
	 */
	public function __construct( string $table ) {
		$this->table = $table;
	}

	/**
	 * The options table.
	 */
	public function table(): string {
		return $this->table;
	}

	/**
	 * Deletes the mailbox's window counters but the previous, the current and the next one (a new window
	 * began; the next may hold messages sent at the end of this one).
	 *
	 * @param string $key   Mailbox key.
	 * @param int    $index The current window.
	 */
	public function forget_windows( string $key, int $index ): void {
		global $wpdb;
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$this->table} WHERE option_name LIKE %s AND option_name NOT IN ( %s, %s, %s )", $wpdb->esc_like( self::name( $key ) . '_w' ) . '%', self::window_name( $key, $index - 1 ), self::window_name( $key, $index ), self::window_name( $key, $index + 1 ) ) );
	}

	/**
	 * Deletes the mailbox's hourly counters that left the sliding day (a new hour began).
	 *
	 * @param string                $key  Mailbox key.
	 * @param array<string, string> $rows The mailbox's rows.
	 * @param int                   $hour The current hour.
	 */
	public function forget_hours( string $key, array $rows, int $hour ): void {
		global $wpdb;
		$old = array();
		foreach ( array_keys( $rows ) as $name ) {
			if ( 1 === preg_match( '/_[mr](\d+)$/', $name, $match ) && (int) $match[1] <= $hour - Send_Pacer::HOURS ) {
				$old[] = $name;
			}
		}
		if ( array() !== $old ) {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$this->table} WHERE option_name IN (" . implode( ', ', array_fill( 0, count( $old ), '%s' ) ) . ')', $old ) ); // phpcs:ignore WordPress.DB.PreparedSQLPlaceholders.UnfinishedPrepare -- one placeholder per name.
		}
	}

	/**
	 * Every row of a mailbox (state and counters), by name: one query.
	 *
	 * @param string $key Mailbox key.
	 * @return array<string, string>
	 */
	public function rows( string $key ): array {
		global $wpdb;
		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value FROM {$this->table} WHERE option_name LIKE %s", $wpdb->esc_like( self::name( $key ) ) . '%' ), 'ARRAY_A' );
		return array_column( (array) $rows, 'option_value', 'option_name' );
	}

	/**
	 * The state of a mailbox from its rows.
	 *
	 * @param array<string, string> $rows The mailbox's rows.
	 * @param string                $key  Mailbox key.
	 * @return array{paused_until: int, backlog_until: int, learned: int, learned_until: int, window: int, strikes: int, throttle: array{time: int, kind: string, code: int, error: string}|null}
	 */
	public static function state_of( array $rows, string $key ): array {
		$stored   = json_decode( (string) ( $rows[ self::name( $key ) ] ?? '' ), true );
		$stored   = is_array( $stored ) ? $stored : array();
		$throttle = isset( $stored['throttle'] ) && is_array( $stored['throttle'] ) ? $stored['throttle'] : null;
		return array(
			'paused_until'  => (int) ( $stored['paused_until'] ?? 0 ),
			'backlog_until' => (int) ( $stored['backlog_until'] ?? 0 ),
			'learned'       => (int) ( $stored['learned'] ?? 0 ),
			'learned_until' => (int) ( $stored['learned_until'] ?? 0 ),
			'window'        => (int) ( $stored['window'] ?? 0 ),
			'strikes'       => (int) ( $stored['strikes'] ?? 0 ),
			'throttle'      => null === $throttle ? null : array(
				'time'  => (int) ( $throttle['time'] ?? 0 ),
				'kind'  => (string) ( $throttle['kind'] ?? '' ),
				'code'  => (int) ( $throttle['code'] ?? 0 ),
				'error' => (string) ( $throttle['error'] ?? '' ),
			),
		);
	}

	/**
	 * Writes the state of a mailbox (rare: a throttling answer, the backlog's start and end).
	 *
	 * @param string               $key  Mailbox key.
	 * @param array<string, mixed> $mark The state.
	 */
	public function write_state( string $key, array $mark ): void {
		global $wpdb;
		$value = (string) wp_json_encode( $mark );
		$wpdb->query( $wpdb->prepare( "UPDATE {$this->table} SET option_value = %s WHERE option_name = %s", $value, self::name( $key ) ) );
		if ( 0 === (int) $wpdb->rows_affected ) {
			// A missing row (or one that holds this value already: then the insert changes nothing).
			$wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$this->table} (option_name, option_value, autoload) VALUES (%s, %s, 'off')", self::name( $key ), $value ) );
		}
	}

	/**
	 * The key of a mailbox: its server and login, hashed (the names say nothing of the address).
	 *
	 * @param Settings $settings The settings.
	 */
	public static function key( Settings $settings ): string {
		list( $host, $login ) = self::mailbox( $settings );
		return substr( md5( strtolower( trim( $host ) ) . '|' . strtolower( trim( $login ) ) ), 0, 12 );
	}

	/**
	 * What names the mailbox being paced: the SMTP host and login, or for an HTTPS API the
	 * provider's SMTP host (its preset's limits, Sending_Limits) and `api:` provider and account.
	 *
	 * @param Settings $settings The settings mail is sent with.
	 * @return array{0: string, 1: string} Host and login.
	 */
	public static function mailbox( Settings $settings ): array {
		if ( ! $settings->uses_api() ) {
			return array( $settings->host, $settings->username );
		}
		$provider = Transport_Registry::provider( $settings->transport );
		return array( null === $provider ? '' : (string) ( $provider->smtp_hosts[0] ?? '' ), 'api:' . $settings->transport . ':' . $settings->api_account );
	}

	/**
	 * The state's option name of a mailbox (its counters' names start with it).
	 *
	 * @param string $key Mailbox key.
	 */
	public static function name( string $key ): string {
		return Stored_Names::PACE_PREFIX . $key;
	}

	/**
	 * The option name of a window counter.
	 *
	 * @param string $key   Mailbox key.
	 * @param int    $index Window number.
	 */
	public static function window_name( string $key, int $index ): string {
		return Stored_Names::PACE_PREFIX . $key . '_w' . $index;
	}

	/**
	 * The option name of an hourly counter.
	 *
	 * @param string $key  Mailbox key.
	 * @param string $kind m or r.
	 * @param int    $hour Hour number (Unix time / 3600).
	 */
	public static function hour_name( string $key, string $kind, int $hour ): string {
		return Stored_Names::PACE_PREFIX . $key . '_' . $kind . $hour;
	}
}
