<?php
/**
 * REST route for the settings: GET and POST /smtp-port-helper/v1/settings.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and saves the settings for the settings page. Administrators only.
 */
final class Settings_Controller {

	private Settings_Store $settings;

	/**
	 * @param Settings_Store $settings The settings model.
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Adds the routes when the REST API starts.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers GET and POST on /settings with a full argument schema.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/settings',
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_settings' ),
					'permission_callback' => array( $this, 'check_permission' ),
				),
				array(
					'methods'             => WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_settings' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => Settings_Store::fields_schema(),
				),
				'schema' => array( $this, 'get_schema' ),
			)
		);
	}

	/**
	 * Only administrators may read or change the SMTP settings.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to manage the SMTP settings.', 'smtp-port-helper' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * GET: the effective settings and which of them wp-config.php locks.
	 */
	public function get_settings(): WP_REST_Response {
		return new WP_REST_Response( $this->response_data() );
	}

	/**
	 * POST: saves the submitted fields, all or nothing.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_settings( WP_REST_Request $request ) {
		$changes = array_intersect_key( $request->get_params(), Settings_Store::fields_schema() );
		$result  = $this->settings->update( $changes );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return new WP_REST_Response( $this->response_data() );
	}

	/**
	 * The resource's JSON schema, as `OPTIONS` requests describe it.
	 *
	 * @return array<string, mixed>
	 */
	public function get_schema(): array {
		$properties           = Settings_Store::fields_schema();
		$properties['locked'] = array(
			'type'                 => 'object',
			'description'          => __( 'Fields fixed by a wp-config.php constant, with the constant name.', 'smtp-port-helper' ),
			'additionalProperties' => array( 'type' => 'string' ),
			'readonly'             => true,
		);
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'smtp-port-helper-settings',
			'type'       => 'object',
			'properties' => $properties,
		);
	}

	/**
	 * @return array<string, mixed>
	 */
	private function response_data(): array {
		$data           = $this->settings->get();
		$data['locked'] = (object) $this->settings->locked();
		return $data;
	}
}
