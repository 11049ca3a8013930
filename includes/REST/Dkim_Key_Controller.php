<?php
/**
 * /smtp-port-helper/v1/dkim-key: the site's own DKIM key — look, generate or rotate, remove.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Deliverability\Dkim_Key_Exception;
use SmtpPortHelper\Deliverability\Dkim_Key_Manager;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Administrators of the site only (manage_options there): on a network each site's administrator
 * manages that site's key and no other. Answers carry the public key and the record to publish;
 * the private key never leaves the server.
 */
final class Dkim_Key_Controller extends Admin_Controller {

	public const ROUTE = '/dkim-key';

	/**
	 * The key's engine.
	 *
	 * @var Dkim_Key_Manager
	 */
	private Dkim_Key_Manager $manager;

	/**
	 * Takes the engine.
	 *
	 * @param Dkim_Key_Manager $manager The engine.
	 */
	public function __construct( Dkim_Key_Manager $manager ) {
		$this->manager = $manager;
	}

	/**
	 * Registers GET, POST and DELETE /dkim-key.
	 */
	public function register_routes(): void {
		$this->register_endpoints(
			self::ROUTE,
			array(
				array( WP_REST_Server::READABLE, array( $this, 'show' ), array() ),
				array( WP_REST_Server::CREATABLE, array( $this, 'change' ), Dkim_Key_Schema::post_args() ),
				array( WP_REST_Server::DELETABLE, array( $this, 'remove' ), array() ),
			),
			array( Dkim_Key_Schema::class, 'response' )
		);
	}

	/**
	 * Administrators of this site only.
	 */
	protected function forbidden_message(): string {
		return __( 'Sorry, you are not allowed to manage the DKIM key of this site.', 'smtp-port-helper' );
	}

	/**
	 * The key's state.
	 */
	public function show(): WP_REST_Response {
		return new WP_REST_Response( $this->manager->state(), 200 );
	}

	/**
	 * Generates or rotates.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function change( WP_REST_Request $request ) {
		try {
			$state = $this->manager->change( (string) $request->get_param( 'action' ), (string) $request->get_param( 'domain' ) );
		} catch ( Invalid_Input_Exception $error ) {
			return self::invalid_param( $error->field(), $error->getMessage() );
		} catch ( Dkim_Key_Exception $error ) {
			return new WP_Error( 'smtp_port_helper_dkim_' . $error->reason, $error->getMessage(), array( 'status' => 'key_unsafe' === $error->reason ? 409 : 500 ) );
		}
		return new WP_REST_Response( $state, 'generate' === $request->get_param( 'action' ) ? 201 : 200 );
	}

	/**
	 * Removes the key.
	 */
	public function remove(): WP_REST_Response {
		$this->manager->remove();
		return new WP_REST_Response( $this->manager->state(), 200 );
	}
}
