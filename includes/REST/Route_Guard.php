<?php
/**
 * Limits every route that makes the server open connections, in one place and after the
 * permission check: how many run at once per site, and a network budget for sub-site admins.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Health\Port_Check;
use SmtpPortHelper\Plugin;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;

defined( 'ABSPATH' ) || exit;

/**
 * The port test, the test email, the Site Health port check, the OAuth routes (the revocation
 * and token endpoints) and an outbox retry (a delivery run) all make the server connect out.
 * This guard holds every limit they have, so no controller counts one of its own:
 *
 * - at most SLOTS of them run at the same time on a site (Concurrency_Limit), so slow servers
 *   cannot hold every PHP worker;
 * - each user has a budget a minute per kind of route; the Site Health port check and the
 *   domain check count against the user's port test budget (they run the same look-ups and
 *   probes, so they must not be a way around that limit);
 * - on a network, the requests of administrators who are not super admins count against one
 *   budget for the whole network: a per-user count lives in each site's tables, so someone who
 *   administers many sites would otherwise get that budget once per site.
 *
 * A route is recognised by what WordPress matched, never by how the request spelled it:
 * WordPress matches routes case-insensitively (`/Site-Health/Port-Check` runs the same
 * handler) and answers HEAD with the GET handler, so the key is the registered route pattern,
 * case-folded, and HEAD counts as GET.
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

	/** OAuth sign-ins and disconnects per minute, for all sub-site administrators of a network together. */
	public const NETWORK_OAUTH_PER_MINUTE = 30;

	/** Outbox retries per minute, for all sub-site administrators of a network together. */
	public const NETWORK_RETRIES_PER_MINUTE = 30;

	/** Per-user port tests a minute (POST /port-tests, the Site Health port check, the domain check). */
	public const PROBES_PER_MINUTE = 10;

	/** Per-user test emails a minute. */
	public const EMAILS_PER_MINUTE = 5;

	/** Per-user OAuth sign-ins and disconnects a minute (each may call the provider's endpoints). */
	public const OAUTH_PER_MINUTE = 10;

	/** Per-user outbox retries a minute (each runs a delivery of the outbox). */
	public const RETRIES_PER_MINUTE = 10;

	/** Per-user DKIM key generations a minute (each makes an RSA 2048 key pair: CPU time). */
	public const DKIM_KEYS_PER_MINUTE = 10;

	/** DKIM key generations per minute, for all sub-site administrators of a network together. */
	public const NETWORK_DKIM_KEYS_PER_MINUTE = 30;

	/**
	 * The guarded routes: "METHOD pattern" (the pattern as registered, namespace included,
	 * lower case) => the budget they spend and its per-user limit a minute.
	 */
	private const ROUTES = array(
		'POST /' . Plugin::REST_NAMESPACE . '/port-tests' => array( 'port_tests', self::PROBES_PER_MINUTE ),
		'POST /' . Plugin::REST_NAMESPACE . '/test-email' => array( 'test_email', self::EMAILS_PER_MINUTE ),
		'GET /' . Plugin::REST_NAMESPACE . Port_Check::ROUTE => array( 'port_tests', self::PROBES_PER_MINUTE ),
		'GET /' . Plugin::REST_NAMESPACE . Domain_Check_Controller::ROUTE => array( 'port_tests', self::PROBES_PER_MINUTE ),
		'POST /' . Plugin::REST_NAMESPACE . '/oauth/authorize' => array( 'oauth', self::OAUTH_PER_MINUTE ),
		'POST /' . Plugin::REST_NAMESPACE . '/oauth/disconnect' => array( 'oauth', self::OAUTH_PER_MINUTE ),
		'POST /' . Plugin::REST_NAMESPACE . '/outbox/(?p<id>\\d+)/retry' => array( 'outbox_retry', self::RETRIES_PER_MINUTE ),
		'POST /' . Plugin::REST_NAMESPACE . Dkim_Key_Controller::ROUTE => array( 'dkim_key', self::DKIM_KEYS_PER_MINUTE ),
	);

	/** Network budgets per minute, by budget. */
	private const NETWORK_LIMITS = array(
		'port_tests'   => self::NETWORK_PROBES_PER_MINUTE,
		'test_email'   => self::NETWORK_EMAILS_PER_MINUTE,
		'oauth'        => self::NETWORK_OAUTH_PER_MINUTE,
		'outbox_retry' => self::NETWORK_RETRIES_PER_MINUTE,
		'dkim_key'     => self::NETWORK_DKIM_KEYS_PER_MINUTE,
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
		add_filter( 'rest_dispatch_request', array( $this, 'before_callback' ), 10, 3 );
		add_filter( 'rest_request_after_callbacks', array( $this, 'after_callback' ), 10, 3 );
	}

	/**
	 * Before a guarded route runs (its permission already checked): takes a slot, counts the
	 * budgets; a refusal answers instead of the route.
	 *
	 * @param mixed $result  Null, or the answer another filter already gave.
	 * @param mixed $request The request (a WP_REST_Request, unless another filter changed it).
	 * @param mixed $route   The route pattern WordPress matched, as registered.
	 * @return mixed Null to run the route, or the refusal.
	 */
	public function before_callback( $result, $request, $route = '' ) {
		$budget = $request instanceof WP_REST_Request && is_string( $route ) ? self::budget_of( $request->get_method(), $route ) : null;
		if ( null !== $result || null === $budget ) {
			return $result;
		}
		$held = null;
		try {
			$held = $this->slots->acquire();
			if ( null === $held ) {
				return self::busy();
			}
			$refusal = $this->count( $budget );
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
	 * Counts one run of the port test engine outside a request (the daily self-check) against the
	 * port-test budget: the site's and, on a network, the network's. Null when allowed, else the
	 * seconds to wait (a minute when the database cannot count).
	 */
	public static function spend_probe_budget(): ?int {
		try {
			$wait = ( new Rate_Limiter( 'port_tests', self::PROBES_PER_MINUTE, MINUTE_IN_SECONDS ) )->hit( 0 );
			if ( null === $wait && is_multisite() ) {
				$wait = Rate_Limiter::on_main_site( 'port_tests', self::NETWORK_PROBES_PER_MINUTE, MINUTE_IN_SECONDS )->hit( 0 );
			}
		} catch ( Limit_Unavailable_Exception $error ) {
			$wait = MINUTE_IN_SECONDS;
		}
		return $wait;
	}

	/**
	 * Which budget a request spends, and its per-user limit counted here (0: none), or null when
	 * the route is not guarded.
	 *
	 * @param string $method The request's method.
	 * @param string $route  The route pattern WordPress matched (not the path as requested).
	 * @return array{0: string, 1: int}|null
	 */
	public static function budget_of( string $method, string $route ): ?array {
		$method = strtoupper( $method );
		// WordPress runs the GET handler for HEAD when the route registers no HEAD of its own.
		$method = 'HEAD' === $method ? 'GET' : $method;
		return self::ROUTES[ $method . ' ' . strtolower( $route ) ] ?? null;
	}

	/**
	 * Counts the budgets a request spends besides its controller's own.
	 *
	 * @param array{0: string, 1: int} $budget Which budget, and the per-user limit counted here.
	 * @return WP_REST_Response|null The refusal, or null when every budget allows it.
	 * @throws Limit_Unavailable_Exception When a budget cannot be counted.
	 */
	private function count( array $budget ): ?WP_REST_Response {
		list( $name, $per_user ) = $budget;
		if ( $per_user > 0 ) {
			$wait = ( new Rate_Limiter( $name, $per_user, MINUTE_IN_SECONDS ) )->hit( get_current_user_id() );
			if ( null !== $wait ) {
				return self::too_many( $name, $wait );
			}
		}
		if ( ! is_multisite() || is_super_admin() ) {
			return null;
		}
		$wait = Rate_Limiter::on_main_site( $name, self::NETWORK_LIMITS[ $name ], MINUTE_IN_SECONDS )->hit( 0 );
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
	 * The answer to a user over their budget.
	 *
	 * @param string $budget Which budget.
	 * @param int    $wait   Seconds until the next window.
	 */
	private static function too_many( string $budget, int $wait ): WP_REST_Response {
		switch ( $budget ) {
			case 'oauth':
				/* translators: %d: number of seconds. */
				$message = _n( 'Too many OAuth 2.0 sign-ins and disconnects. Please wait %d second and try again.', 'Too many OAuth 2.0 sign-ins and disconnects. Please wait %d seconds and try again.', $wait, 'smtp-port-helper' );
				break;
			case 'test_email':
				/* translators: %d: number of seconds */
				$message = _n( 'Too many test messages. Try again in %d second.', 'Too many test messages. Try again in %d seconds.', $wait, 'smtp-port-helper' );
				break;
			case 'outbox_retry':
				/* translators: %d: number of seconds. */
				$message = _n( 'Too many retries of waiting mail. Please wait %d second and try again.', 'Too many retries of waiting mail. Please wait %d seconds and try again.', $wait, 'smtp-port-helper' );
				break;
			default:
				/* translators: %d: number of seconds. */
				$message = _n( 'Too many port tests. Please wait %d second and try again.', 'Too many port tests. Please wait %d seconds and try again.', $wait, 'smtp-port-helper' );
		}
		return Rate_Limiter::too_many_requests( sprintf( $message, $wait ), $wait );
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
