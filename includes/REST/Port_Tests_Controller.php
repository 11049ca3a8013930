<?php
/**
 * POST /smtp-port-helper/v1/port-tests: tests several SMTP ports of one host from this server.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Api_Port_Test;
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
final class Port_Tests_Controller extends Admin_Controller {

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
	 * How the site really sends, for the Markdown report.
	 *
	 * @var Send_Path_Report
	 */
	private Send_Path_Report $send_path;

	/**
	 * The row "HTTPS API (port 443)" of the host's provider.
	 *
	 * @var Api_Port_Test
	 */
	private Api_Port_Test $api;

	/**
	 * Takes the engine, the way into it, the report of the real send path and the API row's test.
	 *
	 * @param Port_Prober           $prober    The engine.
	 * @param Probe_Options_Factory $options   Builds the probe options from the request.
	 * @param Send_Path_Report      $send_path How the site really sends.
	 * @param Api_Port_Test         $api       Tests the provider's HTTPS API.
	 */
	public function __construct( Port_Prober $prober, Probe_Options_Factory $options, Send_Path_Report $send_path, Api_Port_Test $api ) {
		$this->prober    = $prober;
		$this->options   = $options;
		$this->send_path = $send_path;
		$this->api       = $api;
	}

	/**
	 * Registers POST /port-tests with its argument and response schemas.
	 */
	public function register_routes(): void {
		$this->register_route( '/port-tests', WP_REST_Server::CREATABLE, array( $this, 'run' ), Port_Tests_Schema::args(), array( Port_Tests_Schema::class, 'response' ) );
	}

	/**
	 * Only administrators may make the server open connections.
	 */
	protected function forbidden_message(): string {
		return __( 'Sorry, you are not allowed to test SMTP ports.', 'smtp-port-helper' );
	}

	/**
	 * Runs the test.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function run( WP_REST_Request $request ) {
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
		$report             = $this->api->report( $this->prober->run( $options ), $options );
		$report['markdown'] = Report_Markdown::render( $report, $options->username, $this->send_path->check()['messages'], (string) wp_parse_url( home_url(), PHP_URL_HOST ) );
		return new WP_REST_Response( $report );
	}
}
