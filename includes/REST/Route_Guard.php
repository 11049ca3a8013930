<?php
/**
 * Limits every route that makes the server open connections, in one place and after the
 * permission check: how many run at once per site, and a network budget for sub-site admins.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Health\Site_Health;
use SmtpPortHelper\Plugin;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * The port test, the test email and the Site Health port check all connect to an SMTP server.
 * Each controller keeps its per-user rate limit; this guard adds what a per-user count cannot:
 *
 * - at most SLOTS of them run at the same time on a site (Concurrency_Limit), so slow servers
 *   cannot hold every PHP worker;
 * - the Site Health port check counts against the user's port test budget (it runs the same
 *   probe, so it must not be a way around that limit);
 * - on a network, the requests of administrators who are not super admins count against one
 *   budget for the whole network: a per-user count lives in each site's tables, so someone who
 *   administers many sites would otherwise get that budget once per site.
 *
 * Every count fails closed: a database error answers 503 and runs nothing. It hooks
 * `rest_dispatch_request`, which WordPress applies after the route's permission_callback, so a
 * refused caller (logged out, no capability) never spends anyone's budget.
 */
final class Route_Guard {

	/** Requests of these routes that may run at once on one site. */
	public const SLOTS = 3;

	/** Seconds a slot is held when it is never given back (longer than any request may run). */
	public const LEASE = 120;

	/** Port tests and Site Health port checks per minute, for all sub-site administrators of a network together. */
	public const NETWORK_PROBES_PER_MINUTE = 30;

	/** Test emails per minute, for all sub-site administrators of a network together. */
	public const NETWORK_EMAILS_PER_MINUTE = 10;

	/** Per-user port tests a minute (the same budget as Port_Tests_Controller's). */
	public const PROBES_PER_MINUTE = 10;

	/**
	 * The guarded routes: "METHOD route" => which budget they spend.
	 */
	private const ROUTES = array(
		'POST /port-tests'          => 'port_tests',
		'POST /test-email'          => 'test_email',
		'GET ' . Site_Health::ROUTE => 'port_tests',
	);

	/**
	 * How many requests run at once.
	 *
	 * @var Concurrency_Limit
	 */
	private Concurrency_Limit $slots;

	/**
	 * Slots held by the requests of this PHP process: request id => lease.
	 *
	 * @var array<int, string>
	 */
	private array $held = array();

	/**
	 * Whether the shutdown release is registered.
	 *
	 * @var bool
	 */
	private bool $releases_on_shutdown = false;

	/**
	 * Takes the concurrency limit (default: SLOTS per site).
	 *
	 * @param Concurrency_Limit|null $slots How many requests run at once.
	 */
	public function __construct( ?Concurrency_Limit $slots = null ) {
		$this->slots = $slots ?? new Concurrency_Limit( 'connections', self::SLOTS, self::LEASE );
	}

	/**
	 * Hooks the REST dispatch.
	 */
	public function register(): void {
		add_filter( 'rest_dispatch_request', array( $this, 'before_callback' ), 10, 2 );
		add_filter( 'rest_request_after_callbacks', array( $this, 'after_callback' ), 10, 3 );
	}

	/**
	 * Before a guarded route runs (its permission already checked): takes a slot, counts the
	 * budgets; a refusal answers instead of the route.
	 *
	 * @param mixed $result  Null, or the answer another filter already gave.
	 * @param mixed $request The request (a WP_REST_Request, unless another filter changed it).
	 * @return mixed Null to run the route, or the refusal.
	 */
	public function before_callback( $result, $request ) {
		$budget = $request instanceof WP_REST_Request ? self::budget_of( $request ) : null;
		if ( null !== $result || null === $budget ) {
			return $result;
		}
		$held = null;
		try {
			$held = $this->slots->acquire();
			if ( null === $held ) {
				return self::busy();
			}
			$refusal = $this->count( $budget, $request );
			if ( null !== $refusal ) {
				$this->slots->release( $held );
				return $refusal;
			}
		} catch ( Limit_Unavailable_Exception $error ) {
			if ( null !== $held ) {
				$this->slots->release( $held );
			}
			return Rate_Limiter::unavailable();
		}
		$this->held[ spl_object_id( $request ) ] = $held;
		if ( ! $this->releases_on_shutdown ) {
			$this->releases_on_shutdown = true;
			register_shutdown_function( array( $this, 'release_all' ) );
		}
		return null;
	}

	/**
	 * After the route ran (or was refused): gives its slot back.
	 *
	 * @param mixed $response The answer.
	 * @param mixed $handler  The route's handler.
	 * @param mixed $request  The request.
	 * @return mixed The answer, unchanged.
	 */
	public function after_callback( $response, $handler, $request ) {
		$id = is_object( $request ) ? spl_object_id( $request ) : 0;
		if ( isset( $this->held[ $id ] ) ) {
			$this->slots->release( $this->held[ $id ] );
			unset( $this->held[ $id ] );
		}
		return $response;
	}

	/**
	 * Gives back every slot still held: a fatal error or a timeout ended the request.
	 */
	public function release_all(): void {
		foreach ( $this->held as $held ) {
			$this->slots->release( $held );
		}
		$this->held = array();
	}

	/**
	 * Which budget a request spends, or null when the route is not guarded.
	 *
	 * @param WP_REST_Request $request The request.
	 */
	private static function budget_of( WP_REST_Request $request ): ?string {
		$prefix = '/' . Plugin::REST_NAMESPACE;
		$route  = $request->get_route();
		if ( 0 !== strpos( $route, $prefix . '/' ) ) {
			return null;
		}
		$key = $request->get_method() . ' ' . substr( $route, strlen( $prefix ) );
		return self::ROUTES[ $key ] ?? null;
	}

	/**
	 * Counts the budgets a request spends besides its controller's own.
	 *
	 * @param string          $budget  Which budget.
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|null The refusal, or null when every budget allows it.
	 * @throws Limit_Unavailable_Exception When a budget cannot be counted.
	 */
	private function count( string $budget, WP_REST_Request $request ): ?WP_REST_Response {
		if ( 'GET' === $request->get_method() ) {
			// The Site Health port check spends the user's port test budget.
			$wait = ( new Rate_Limiter( 'port_tests', self::PROBES_PER_MINUTE, MINUTE_IN_SECONDS ) )->hit( get_current_user_id() );
			if ( null !== $wait ) {
				return self::too_many( $wait );
			}
		}
		if ( ! is_multisite() || is_super_admin() ) {
			return null;
		}
		$limit = 'port_tests' === $budget ? self::NETWORK_PROBES_PER_MINUTE : self::NETWORK_EMAILS_PER_MINUTE;
		$wait  = Rate_Limiter::on_main_site( $budget, $limit, MINUTE_IN_SECONDS )->hit( 0 );
		if ( null === $wait ) {
			return null;
		}
		return Rate_Limiter::too_many_requests(
			sprintf(
				/* translators: %d: number of seconds. */
				_n( 'The administrators of this network\'s sites have used up this minute\'s budget of SMTP tests. Please wait %d second and try again.', 'The administrators of this network\'s sites have used up this minute\'s budget of SMTP tests. Please wait %d seconds and try again.', $wait, 'smtp-port-helper' ),
				$wait
			),
			$wait
		);
	}

	/**
	 * The answer to a user over their port test budget.
	 *
	 * @param int $wait Seconds until the next window.
	 */
	private static function too_many( int $wait ): WP_REST_Response {
		return Rate_Limiter::too_many_requests(
			sprintf(
				/* translators: %d: number of seconds. */
				_n( 'Too many port tests. Please wait %d second and try again.', 'Too many port tests. Please wait %d seconds and try again.', $wait, 'smtp-port-helper' ),
				$wait
			),
			$wait
		);
	}

	/**
	 * The answer when every slot is taken: 429 with a short Retry-After.
	 */
	private static function busy(): WP_REST_Response {
		$response = rest_convert_error_to_response(
			new WP_Error(
				'smtp_port_helper_busy',
				sprintf(
					/* translators: %d: number of SMTP tests that may run at the same time. */
					__( 'Other SMTP tests are running on this site (at most %d at once). Please try again in a few seconds.', 'smtp-port-helper' ),
					self::SLOTS
				),
				array(
					'status'      => 429,
					'retry_after' => 5,
				)
			)
		);
		$response->header( 'Retry-After', '5' );
		return $response;
	}
}
