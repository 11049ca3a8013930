<?php
/**
 * REST routes for the settings: GET and POST /smtp-port-helper/v1/settings, and on a multisite
 * network /smtp-port-helper/v1/network-settings for the network defaults.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\Settings\Settings_Layers;
use SmtpPortHelper\Settings\Settings_Schema;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Reads and saves the settings for the settings page. Administrators only.
 *
 * Built with a site store it serves /settings (`manage_options`); built with a network store
 * (Settings_Store::for_network()) it serves /network-settings (`manage_network_options`, super
 * admins) with the same arguments, rules and answer shape.
 *
 * Every field of the body is checked by its `validate_callback` (the settings model's rule and
 * lock), so WordPress answers one 400 `rest_invalid_param` naming each bad field; fields the
 * schema does not know and rules between fields are checked by the model in the same shape.
 */
final class Settings_Controller {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Takes the settings model.
	 *
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
	 * The route this controller serves: /settings, or /network-settings for the network defaults.
	 *
	 * @return non-falsy-string
	 */
	public function route(): string {
		return $this->settings->is_network() ? '/network-settings' : '/settings';
	}

	/**
	 * The capability the route needs: `manage_options`, or `manage_network_options` for the
	 * network defaults.
	 */
	public function capability(): string {
		return $this->settings->is_network() ? 'manage_network_options' : 'manage_options';
	}

	/**
	 * Registers GET and POST on the route with a full argument schema.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			$this->route(),
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
					'args'                => $this->update_args(),
				),
				'schema' => array( $this, 'get_schema' ),
			)
		);
	}

	/**
	 * The POST arguments: the model's input schema, each field checked by the model.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public function update_args(): array {
		$args = array();
		foreach ( Settings_Route_Schema::input_schema() as $field => $schema ) {
			unset( $schema['default'] );
			$schema['validate_callback'] = array( $this, 'validate_arg' );
			// The model normalises the values itself; WordPress's coercion would hide bad types.
			$schema['sanitize_callback'] = false;
			$args[ $field ]              = $schema;
		}
		if ( $this->settings->is_network() && is_multisite() ) {
			// Checked by WordPress against its schema (a boolean): it is no field of a site.
			$args += Settings_Route_Schema::network_only_schema();
		}
		return $args;
	}

	/**
	 * `validate_callback` of every field.
	 *
	 * @param mixed           $value   Submitted value.
	 * @param WP_REST_Request $request The request.
	 * @param string          $field   Field name.
	 * @return true|WP_Error
	 */
	public function validate_arg( $value, WP_REST_Request $request, string $field ) {
		if ( ! current_user_can( $this->capability() ) ) {
			// WordPress validates arguments before the permission check: a caller the route refuses
			// must not learn anything from the rules (e.g. whether a path is a readable file).
			return true;
		}
		if ( 'ca_file' === $field && ! self::may_set_ca_file() ) {
			return new WP_Error( 'rest_invalid_param', __( 'On a network, only a network administrator can set the CA certificate file.', 'smtp-port-helper' ), array( 'status' => 400 ) );
		}
		$error = $this->settings->field_error( $field, $value );
		if ( null === $error ) {
			return true;
		}
		return new WP_Error( 'rest_invalid_param', $error, array( 'status' => 400 ) );
	}

	/**
	 * Only administrators may read or change the SMTP settings; only super admins the network's.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( $this->capability() ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			$this->settings->is_network()
				? __( 'Sorry, you are not allowed to manage the network\'s SMTP settings.', 'smtp-port-helper' )
				: __( 'Sorry, you are not allowed to manage the SMTP settings.', 'smtp-port-helper' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * GET: the effective settings, the password state, which fields wp-config.php locks and, for
	 * a site of a network, which fields come from the network defaults.
	 */
	public function get_settings(): WP_REST_Response {
		return new WP_REST_Response( $this->visible( $this->settings->response() ) );
	}

	/**
	 * Who may set `ca_file`: the administrators who may reach internal addresses — a single
	 * site's, and a network's super admins. A path is read by the web server, and its rule
	 * would tell a sub-site administrator which files exist on it.
	 */
	public static function may_set_ca_file(): bool {
		return ! is_multisite() || is_super_admin();
	}

	/**
	 * What the current user may see of a site's answer: on a network, a sub-site administrator
	 * (not a super admin) sees that the user name and the CA file come from the network
	 * (`inherited`) or wp-config.php (`locked`), never their values.
	 *
	 * @param array<string, mixed> $data SettingsResponse.
	 * @return array<string, mixed>
	 */
	private function visible( array $data ): array {
		if ( ! isset( $data['inherited'] ) || ! is_array( $data['inherited'] ) || is_super_admin() ) {
			return $data;
		}
		$not_the_sites = array_merge( $data['inherited'], array_keys( (array) $data['locked'] ) );
		foreach ( array_intersect( array( 'username', 'ca_file' ), $not_the_sites ) as $field ) {
			$data[ $field ] = '';
		}
		return $data;
	}

	/**
	 * POST: saves the submitted fields, all or nothing. Fields outside the schema are errors.
	 * `password_forgotten: true` says the save dropped the password (a new host or user name
	 * without a new one).
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function update_settings( WP_REST_Request $request ) {
		$json    = $request->get_json_params();
		$body    = $request->get_body_params();
		$changes = array_merge( is_array( $body ) ? $body : array(), is_array( $json ) ? $json : array() ); // @phpstan-ignore function.alreadyNarrowedType (WordPress does not check what set_body_params() stores; the stubs say array)
		$lock    = null;
		if ( $this->settings->is_network() && is_multisite() && array_key_exists( Settings_Layers::LOCK_FIELD, $changes ) ) {
			$lock = true === $request->get_param( Settings_Layers::LOCK_FIELD ); // Validated and sanitized as a boolean by its schema.
			unset( $changes[ Settings_Layers::LOCK_FIELD ] );
		}
		$result = $this->settings->update( $changes );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		if ( null !== $lock ) {
			// After the fields saved: a refused save changes nothing, the lock included.
			update_site_option( Settings_Layers::LOCK_DESTINATION_OPTION, $lock );
		}
		$data = $this->visible( $this->settings->response() );
		if ( $this->settings->password_forgotten() ) {
			$data['password_forgotten'] = true;
		}
		return new WP_REST_Response( $data );
	}

	/**
	 * The resource's JSON schema, as `OPTIONS` requests describe it: the answer's schema
	 * (Settings_Route_Schema::response_schema()) plus the write-only fields a POST takes, which are
	 * never part of an answer (empty `context`).
	 *
	 * @return array<string, mixed>
	 */
	public function get_schema(): array {
		$schema = Settings_Route_Schema::response_schema( ! $this->settings->is_network() && is_multisite() );
		if ( $this->settings->is_network() ) {
			$schema['title'] = 'smtp-port-helper-network-settings';
		}
		$input = Settings_Route_Schema::input_schema();
		foreach ( array_keys( Settings_Schema::WRITE_ONLY ) as $write_only ) {
			$schema['properties'][ $write_only ] = array( 'context' => array() ) + $input[ $write_only ];
		}
		return $schema;
	}
}
