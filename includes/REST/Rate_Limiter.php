<?php
/**
 * A per-user request budget over a fixed time window, counted atomically in the database.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;
use WP_Error;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * Limits how often one user may call an expensive route (a port test opens several network
 * connections from the server). Counting is atomic (Atomic_Option::count_up_to: the counter stops
 * at the limit), so concurrent requests cannot slip past the limit the way a read-then-write
 * transient would let them.
 *
 * It fails closed: when the database cannot count (an error, a lock wait timeout), hit() throws
 * Limit_Unavailable_Exception and the route answers 503 (unavailable()) without running.
 *
 * A network budget (on_main_site()) counts in the main site's options table, so every site of a
 * network shares it.
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
	 * The options table that holds the counters; null: the current site's.
	 *
	 * @var string|null
	 */
	private ?string $table;

	/**
	 * Sets the budget: how many requests per window, under which name.
	 *
	 * @param string        $name           Which budget (e.g. "port_tests").
	 * @param int           $limit          Requests allowed per window.
	 * @param int           $window_seconds Length of the window.
	 * @param callable|null $clock          Returns the current Unix time (for tests).
	 * @param string|null   $table          Options table of the counters (default: the current site's).
	 */
	public function __construct( string $name, int $limit, int $window_seconds, ?callable $clock = null, ?string $table = null ) {
		$this->name   = $name;
		$this->limit  = max( 1, $limit );
		$this->window = max( 1, $window_seconds );
		$this->clock  = $clock ?? 'time';
		$this->table  = $table;
	}

	/**
	 * A budget shared by every site of the network: counted in the main site's options table.
	 *
	 * @param string $name           Which budget.
	 * @param int    $limit          Requests allowed per window, for the whole network.
	 * @param int    $window_seconds Length of the window.
	 */
	public static function on_main_site( string $name, int $limit, int $window_seconds ): self {
		global $wpdb;
		return new self( $name . '_network' . get_current_network_id(), $limit, $window_seconds, null, $wpdb->get_blog_prefix( get_main_site_id() ) . 'options' );
	}

	/**
	 * Counts one request for the user.
	 *
	 * @param int $user_id The current user (0 for a budget shared by everyone).
	 * @return int|null Null when the request is allowed, else the seconds until the next window.
	 * @throws Limit_Unavailable_Exception When the database cannot count the request.
	 */
	public function hit( int $user_id ): ?int {
		global $wpdb;
		$now    = (int) call_user_func( $this->clock );
		$window = intdiv( $now, $this->window );
		$key    = self::PREFIX . $this->name . '_' . $user_id . '_';
		$table  = $this->table ?? $wpdb->options;

		try {
			$counted = Atomic_Option::count_up_to( $table, $key . $window, $this->limit );
		} catch ( Database_Error $error ) {
			// Not counted: refusing is safe, letting it through as "the first request" is not.
			throw new Limit_Unavailable_Exception( 'The request could not be counted.', 0, $error );
		}

		if ( Atomic_Option::CREATED === $counted ) {
			// First request of a new window: forget the user's older windows.
			// phpcs:ignore WordPress.DB.DirectDatabaseQuery
			$wpdb->query(
				$wpdb->prepare(
					// phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- an options table name from $wpdb.
					"DELETE FROM {$table} WHERE option_name LIKE %s AND option_name <> %s",
					$wpdb->esc_like( $key ) . '%',
					$key . $window
				)
			);
		}

		if ( Atomic_Option::FULL !== $counted ) {
			return null;
		}
		return max( 1, ( $window + 1 ) * $this->window - $now );
	}

	/**
	 * The answer to a request whose limit could not be counted: 503 with a Retry-After header.
	 */
	public static function unavailable(): WP_REST_Response {
		$wait     = 30;
		$response = rest_convert_error_to_response(
			new WP_Error(
				'smtp_port_helper_limit_unavailable',
				__( 'This request could not be counted against its limit because the database did not answer, so nothing was run. Please try again in a minute.', 'smtp-port-helper' ),
				array(
					'status'      => 503,
					'retry_after' => $wait,
				)
			)
		);
		$response->header( 'Retry-After', (string) $wait );
		return $response;
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
