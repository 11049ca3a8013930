<?php
/**
 * A per-user request budget over a fixed time window, counted atomically in the database.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use WP_Error;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * Limits how often one user may call an expensive route (a port test opens several network
 * connections from the server). Counting happens in one atomic SQL statement, so concurrent
 * requests cannot slip past the limit the way a read-then-write transient would let them.
 */
final class Rate_Limiter {

	private const PREFIX = 'smtp_port_helper_rl_';

	/**
	 * Which budget (e.g. "port_tests"); part of the option name.
	 *
	 * @var string
	 */
	private string $name;

	/**
	 * Requests allowed per window.
	 *
	 * @var int
	 */
	private int $limit;

	/**
	 * Length of the window, in seconds.
	 *
	 * @var int
	 */
	private int $window;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Sets the budget: how many requests per window, under which name.
	 *
	 * @param string        $name           Which budget (e.g. "port_tests").
	 * @param int           $limit          Requests allowed per window.
	 * @param int           $window_seconds Length of the window.
	 * @param callable|null $clock          Returns the current Unix time (for tests).
	 */
	public function __construct( string $name, int $limit, int $window_seconds, ?callable $clock = null ) {
		$this->name   = $name;
		$this->limit  = max( 1, $limit );
		$this->window = max( 1, $window_seconds );
		$this->clock  = $clock ?? 'time';
	}

	/**
	 * Counts one request for the user.
	 *
	 * @param int $user_id The current user.
	 * @return int|null Null when the request is allowed, else the seconds until the next window.
	 */
	public function hit( int $user_id ): ?int {
		global $wpdb;
		$now    = (int) call_user_func( $this->clock );
		$window = intdiv( $now, $this->window );
		$key    = self::PREFIX . $this->name . '_' . $user_id . '_';

		// LAST_INSERT_ID(expr) hands the incremented value back atomically with the update.
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery -- an atomic counter cannot go through the options API.
		$wpdb->query(
			$wpdb->prepare(
				"INSERT INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, '1', 'off')
				ON DUPLICATE KEY UPDATE option_value = LAST_INSERT_ID(option_value + 1)",
				$key . $window
			)
		);
		$count = 2 === (int) $wpdb->rows_affected ? (int) $wpdb->insert_id : 1;

		if ( 1 === $count ) {
			// First request of a new window: forget the user's older windows.
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->query(
				$wpdb->prepare(
					"DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND option_name <> %s",
					$wpdb->esc_like( $key ) . '%',
					$key . $window
				)
			);
		}

		if ( $count <= $this->limit ) {
			return null;
		}
		return max( 1, ( $window + 1 ) * $this->window - $now );
	}

	/**
	 * The answer to a request over budget: 429 with a Retry-After header, in WP_Error's shape.
	 *
	 * @param string $message Plain-language message saying what to wait for.
	 * @param int    $wait    Seconds until the next window (from `hit()`).
	 */
	public static function too_many_requests( string $message, int $wait ): WP_REST_Response {
		$response = rest_convert_error_to_response(
			new WP_Error(
				'smtp_port_helper_rate_limited',
				$message,
				array(
					'status'      => 429,
					'retry_after' => $wait,
				)
			)
		);
		$response->header( 'Retry-After', (string) $wait );
		return $response;
	}
}
