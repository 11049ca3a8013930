<?php
/**
 * REST routes that start and end the OAuth 2.0 connection.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `POST oauth/authorize` answers the provider's sign-in address for the saved settings (the
 * page then goes there); the provider returns to the settings page, whose load hook finishes
 * the flow (OAuth_Callback). `POST oauth/disconnect` revokes what it can, forgets the tokens and
 * answers the settings. Neither route ever answers a token or the client secret.
 */
final class OAuth_Controller {

	/**
	 * The OAuth engine.
	 *
	 * @var OAuth_Connection
	 */
	private OAuth_Connection $oauth;

	/**
	 * The site's settings (for the disconnect answer).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the engine and the settings.
	 *
	 * @param OAuth_Connection $oauth    OAuth engine.
	 * @param Settings_Store   $settings Site settings.
	 */
	public function __construct( OAuth_Connection $oauth, Settings_Store $settings ) {
		$this->oauth    = $oauth;
		$this->settings = $settings;
	}

	/**
	 * Hooks the routes.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/oauth/authorize',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'authorize' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => array(),
				),
				'schema' => array( self::class, 'authorize_schema' ),
			)
		);
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/oauth/disconnect',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'disconnect' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => array(),
				),
				'schema' => array( self::class, 'disconnect_schema' ),
			)
		);
	}

	/**
	 * Only an administrator of the site may connect or disconnect its mailbox.
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
	 * `POST oauth/authorize`: the sign-in address, or a 400 naming the missing setting.
	 *
	 * @return WP_REST_Response|WP_Error
	 */
	public function authorize() {
		$url = $this->oauth->authorize_url( get_current_user_id() );
		if ( is_wp_error( $url ) ) {
			return $url;
		}
		return new WP_REST_Response( array( 'authorize_url' => $url ) );
	}

	/**
	 * `POST oauth/disconnect`: revokes where possible, forgets, answers the settings.
	 */
	public function disconnect(): WP_REST_Response {
		$this->oauth->disconnect( ( new Address_Policy_Source() )->for_current_user() );
		// The same answer as GET settings, with what a site administrator may see of it.
		return ( new Settings_Controller( $this->settings ) )->get_settings();
	}

	/**
	 * Schema of the authorize answer.
	 *
	 * @return array<string, mixed>
	 */
	public static function authorize_schema(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'OAuthAuthorizeResponse',
			'type'                 => 'object',
			'properties'           => array(
				'authorize_url' => array(
					'type'        => 'string',
					'description' => __( 'The provider\'s sign-in address to open (with state and PKCE challenge).', 'smtp-port-helper' ),
					'readonly'    => true,
				),
			),
			'required'             => array( 'authorize_url' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * Schema of the disconnect answer: the settings answer.
	 *
	 * @return array<string, mixed>
	 */
	public static function disconnect_schema(): array {
		return Settings_Route_Schema::response_schema( is_multisite() );
	}
}
