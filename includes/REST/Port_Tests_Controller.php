<?php
/**
 * POST /smtp-port-helper/v1/port-tests: tests several SMTP ports of one host from this server.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Report_Markdown;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The REST front door of the port test engine. Administrators only, at most six ports per request,
 * a bounded deadline and a per-user rate limit, so the route cannot serve as a port scanner.
 */
final class Port_Tests_Controller {

	/**
	 * The request parameter that carries each probe option, to name it in a 400.
	 */
	private const PARAM_OF_OPTION = array(
		'host'                 => 'host',
		'ports'                => 'ports',
		'timeout'              => 'timeout',
		'username'             => 'auth',
		'password'             => 'auth',
		'auth.password'        => 'auth.password',
		'preferred_alternates' => 'alternates',
	);

	/**
	 * The port test engine.
	 *
	 * @var Port_Prober
	 */
	private Port_Prober $prober;

	/**
	 * Builds the probe options from the request, with the saved password and CA file.
	 *
	 * @var Probe_Options_Factory
	 */
	private Probe_Options_Factory $options;

	/**
	 * Per-user budget of port tests.
	 *
	 * @var Rate_Limiter
	 */
	private Rate_Limiter $rate_limiter;

	/**
	 * How the site really sends, for the Markdown report.
	 *
	 * @var Send_Path_Report
	 */
	private Send_Path_Report $send_path;

	/**
	 * Takes the engine, the way into it, the rate limit and the report of the real send path.
	 *
	 * @param Port_Prober           $prober       The engine.
	 * @param Probe_Options_Factory $options      Builds the probe options from the request.
	 * @param Rate_Limiter          $rate_limiter Per-user budget of port tests.
	 * @param Send_Path_Report      $send_path    How the site really sends.
	 */
	public function __construct( Port_Prober $prober, Probe_Options_Factory $options, Rate_Limiter $rate_limiter, Send_Path_Report $send_path ) {
		$this->prober       = $prober;
		$this->options      = $options;
		$this->rate_limiter = $rate_limiter;
		$this->send_path    = $send_path;
	}

	/**
	 * Adds the route when the REST API starts.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers POST /port-tests with its argument and response schemas.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/port-tests',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'run' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => Port_Tests_Schema::args(),
				),
				'schema' => array( Port_Tests_Schema::class, 'response' ),
			)
		);
	}

	/**
	 * Only administrators may make the server open connections.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to test SMTP ports.', 'smtp-port-helper' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * Runs the test.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function run( WP_REST_Request $request ) {
		try {
			$wait = $this->rate_limiter->hit( get_current_user_id() );
		} catch ( Limit_Unavailable_Exception $error ) {
			return Rate_Limiter::unavailable();
		}
		if ( null !== $wait ) {
			return Rate_Limiter::too_many_requests(
				sprintf(
					/* translators: %d: number of seconds. */
					_n( 'Too many port tests. Please wait %d second and try again.', 'Too many port tests. Please wait %d seconds and try again.', $wait, 'smtp-port-helper' ),
					$wait
				),
				$wait
			);
		}

		try {
			$options = $this->options->from_request(
				array(
					'host'       => $request['host'],
					'ports'      => $request['ports'],
					'timeout'    => $request['timeout'],
					'alternates' => $request['alternates'],
					'auth'       => $request['auth'],
				)
			);
		} catch ( Invalid_Input_Exception $error ) {
			$param = self::PARAM_OF_OPTION[ $error->field() ] ?? null;
			return null === $param
				? new WP_Error( 'rest_invalid_param', $error->getMessage(), array( 'status' => 400 ) )
				: self::invalid_param( $param, $error->getMessage() );
		}
		$report             = $this->prober->run( $options )->to_array();
		$report['markdown'] = Report_Markdown::render( $report, $options->username, $this->send_path->check()['messages'], (string) wp_parse_url( home_url(), PHP_URL_HOST ) );
		return new WP_REST_Response( $report );
	}

	/**
	 * A 400 in the shape WordPress uses for argument errors, so the page shows it next to the field.
	 *
	 * @param string $field   Name of the bad parameter.
	 * @param string $message What is wrong with it.
	 */
	private static function invalid_param( string $field, string $message ): WP_Error {
		return new WP_Error(
			'rest_invalid_param',
			/* translators: %s: parameter name. */
			sprintf( __( 'Invalid parameter(s): %s', 'smtp-port-helper' ), $field ),
			array(
				'status' => 400,
				'params' => array( $field => $message ),
			)
		);
	}
}
