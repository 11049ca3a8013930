<?php
/**
 * REST routes of the outbox: GET /outbox, POST /outbox/<id>/retry, DELETE /outbox/<id>.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Outbox\Outbox_Manager;
use SmtpPortHelper\Plugin;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * The mail waiting in this site's outbox (administrators of the site: `manage_options`). Lists
 * recipients, subject, state and the last error — never a body; "retry now" delivers at once when
 * the server takes it; "delete" removes a message. An unknown id answers 404.
 */
final class Outbox_Controller {

	/**
	 * The outbox engine.
	 *
	 * @var Outbox_Manager
	 */
	private Outbox_Manager $manager;

	/**
	 * Takes the outbox engine.
	 *
	 * @param Outbox_Manager $manager The outbox engine.
	 */
	public function __construct( Outbox_Manager $manager ) {
		$this->manager = $manager;
	}

	/**
	 * Adds the routes when the REST API starts.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers the routes with their argument and response schemas.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/outbox',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'list_messages' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => Outbox_Schema::list_args(),
				),
				'schema' => array( Outbox_Schema::class, 'response' ),
			)
		);
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/outbox/(?P<id>\d+)/retry',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'retry' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => Outbox_Schema::id_args(),
				),
				'schema' => array( Outbox_Schema::class, 'retry_response' ),
			)
		);
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/outbox/(?P<id>\d+)',
			array(
				array(
					'methods'             => WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => Outbox_Schema::id_args(),
				),
				'schema' => array( Outbox_Schema::class, 'delete_response' ),
			)
		);
	}

	/**
	 * Only administrators of the site see and handle its outbox.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to see the outbox.', 'smtp-port-helper' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * GET: the messages and the counts per status.
	 *
	 * @param WP_REST_Request $request The request.
	 */
	public function list_messages( WP_REST_Request $request ): WP_REST_Response {
		return new WP_REST_Response(
			array(
				'messages' => $this->manager->entries( (int) $request->get_param( 'per_page' ) ),
				'counts'   => $this->manager->counts(),
			),
			200
		);
	}

	/**
	 * POST retry: makes the message due and runs the outbox now.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function retry( WP_REST_Request $request ) {
		$result = $this->manager->retry( (int) $request->get_param( 'id' ) );
		if ( ! $result['found'] && ! $result['delivered'] ) {
			return self::not_found();
		}
		if ( null !== $result['entry'] && 'sending' === $result['entry']['status'] && ! $result['delivered'] ) {
			return self::busy();
		}
		return new WP_REST_Response(
			array(
				'delivered' => $result['delivered'],
				'message'   => $result['entry'],
			),
			200
		);
	}

	/**
	 * DELETE: removes the message.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function delete( WP_REST_Request $request ) {
		$id      = (int) $request->get_param( 'id' );
		$deleted = $this->manager->delete( $id );
		if ( null === $deleted ) {
			return self::not_found();
		}
		if ( ! $deleted ) {
			return self::busy();
		}
		return new WP_REST_Response(
			array(
				'deleted' => true,
				'id'      => $id,
			),
			200
		);
	}

	/**
	 * The answer for an id that is not in the outbox.
	 */
	private static function not_found(): WP_Error {
		return new WP_Error( 'smtp_port_helper_outbox_not_found', __( 'There is no such message in the outbox.', 'smtp-port-helper' ), array( 'status' => 404 ) );
	}

	/**
	 * The answer while the message is being sent.
	 */
	private static function busy(): WP_Error {
		return new WP_Error( 'smtp_port_helper_outbox_busy', __( 'The message is being sent right now. Try again in a moment.', 'smtp-port-helper' ), array( 'status' => 409 ) );
	}
}
