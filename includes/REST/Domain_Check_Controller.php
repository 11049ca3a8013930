<?php
/**
 * GET /smtp-port-helper/v1/domain-check: will mail from this site be received?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Deliverability\Domain_Check_Runner;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The REST front door of the domain check. Administrators only; it asks DNS, so it spends the
 * port tests' budget (Route_Guard::ROUTES).
 */
final class Domain_Check_Controller extends Admin_Controller {

	public const ROUTE = '/domain-check';

	/**
	 * The check.
	 *
	 * @var Domain_Check_Runner
	 */
	private Domain_Check_Runner $runner;

	/**
	 * Takes the check.
	 *
	 * @param Domain_Check_Runner $runner The check.
	 */
	public function __construct( Domain_Check_Runner $runner ) {
		$this->runner = $runner;
	}

	/**
	 * Registers GET /domain-check.
	 */
	public function register_routes(): void {
		$this->register_route( self::ROUTE, WP_REST_Server::READABLE, array( $this, 'run' ), Domain_Check_Schema::args(), array( Domain_Check_Schema::class, 'response' ) );
	}

	/**
	 * Administrators only.
	 */
	protected function forbidden_message(): string {
		return __( 'Sorry, you are not allowed to check the mail domain.', 'smtp-port-helper' );
	}

	/**
	 * Runs the check.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function run( WP_REST_Request $request ) {
		try {
			$report = $this->runner->run( (string) $request->get_param( 'domain' ), (string) $request->get_param( 'host' ), (float) $request->get_param( 'timeout' ) );
		} catch ( Invalid_Input_Exception $error ) {
			return self::invalid_param( $error->field(), $error->getMessage() );
		}
		return new WP_REST_Response( $report, 200 );
	}
}
