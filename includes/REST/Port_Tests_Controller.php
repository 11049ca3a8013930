<?php
/**
 * POST /smtp-port-helper/v1/port-tests: tests several SMTP ports of one host from this server.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Host_Name;
use SmtpPortHelper\Probe\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Settings\Settings_Store;
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

	public const DEFAULT_PORTS   = array( 587, 2525, 465, 25 );
	public const MAX_PORTS       = 6;
	public const DEFAULT_TIMEOUT = 5;
	public const MAX_TIMEOUT     = 30;

	/**
	 * The port test engine.
	 *
	 * @var Port_Prober
	 */
	private Port_Prober $prober;

	/**
	 * Saved settings (credentials, CA file).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Per-user budget of port tests.
	 *
	 * @var Rate_Limiter
	 */
	private Rate_Limiter $rate_limiter;

	/**
	 * Takes the engine, the saved settings and the rate limit.
	 *
	 * @param Port_Prober    $prober       The engine.
	 * @param Settings_Store $settings     Saved settings (credentials, CA file).
	 * @param Rate_Limiter   $rate_limiter Per-user budget of port tests.
	 */
	public function __construct( Port_Prober $prober, Settings_Store $settings, Rate_Limiter $rate_limiter ) {
		$this->prober       = $prober;
		$this->settings     = $settings;
		$this->rate_limiter = $rate_limiter;
	}

	/**
	 * Adds the route when the REST API starts.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers POST /port-tests with its argument schema.
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
					'args'                => self::args(),
				),
			)
		);
	}

	/**
	 * The request schema.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function args(): array {
		$port = array(
			'type'    => 'integer',
			'minimum' => 1,
			'maximum' => 65535,
		);
		return array(
			'host'       => array(
				'description' => __( 'SMTP server host name, IPv4 or IPv6 address.', 'smtp-port-helper' ),
				'type'        => 'string',
				'required'    => true,
				'minLength'   => 1,
				'maxLength'   => 255,
			),
			'ports'      => array(
				'description' => __( 'Ports to test, in order.', 'smtp-port-helper' ),
				'type'        => 'array',
				'items'       => $port,
				'minItems'    => 1,
				'maxItems'    => self::MAX_PORTS,
				'uniqueItems' => true,
				'default'     => self::DEFAULT_PORTS,
			),
			'timeout'    => array(
				'description' => __( 'Seconds for the whole test.', 'smtp-port-helper' ),
				'type'        => 'number',
				'minimum'     => 1,
				'maximum'     => self::MAX_TIMEOUT,
				'default'     => self::DEFAULT_TIMEOUT,
			),
			'auth'       => array(
				'description'          => __( 'Credentials for a real AUTH (no mail is sent). Without a password the saved one is used.', 'smtp-port-helper' ),
				'type'                 => 'object',
				'properties'           => array(
					'username' => array(
						'type'      => 'string',
						'minLength' => 1,
						'maxLength' => 255,
					),
					'password' => array(
						'type'      => 'string',
						'maxLength' => 1024,
					),
				),
				'required'             => array( 'username' ),
				'additionalProperties' => false,
			),
			'alternates' => array(
				'description' => __( 'The provider\'s alternate submission ports, preferred after 587 (e.g. 2587 for Amazon SES).', 'smtp-port-helper' ),
				'type'        => 'array',
				'items'       => $port,
				'maxItems'    => 4,
				'uniqueItems' => true,
			),
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
		$wait = $this->rate_limiter->hit( get_current_user_id() );
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
			$host = Host_Name::parse( (string) $request['host'] )->get_ascii();
		} catch ( Invalid_Input_Exception $error ) {
			return self::invalid_param( 'host', $error->getMessage() );
		}

		$options = array(
			'host'    => $host,
			'ports'   => array_map( 'intval', (array) $request['ports'] ),
			'timeout' => (float) $request['timeout'],
		);
		if ( null !== $request['alternates'] ) {
			$options['preferred_alternates'] = array_map( 'intval', (array) $request['alternates'] );
		}
		$ca_file = $this->ca_file();
		if ( '' !== $ca_file ) {
			$options['cafile'] = $ca_file;
		}
		if ( is_array( $request['auth'] ) ) {
			$credentials = $this->credentials( $request['auth'] );
			if ( is_wp_error( $credentials ) ) {
				return $credentials;
			}
			$options += $credentials;
		}

		try {
			$report = $this->prober->probe( $options );
		} catch ( Invalid_Input_Exception $error ) {
			return new WP_Error( 'rest_invalid_param', $error->getMessage(), array( 'status' => 400 ) );
		}
		return new WP_REST_Response( $report->to_array() );
	}

	/**
	 * The username given, with the given password or else the saved one.
	 *
	 * @param array<string, mixed> $auth The request's `auth` object.
	 * @return array{username: string, password: string}|WP_Error
	 */
	private function credentials( array $auth ) {
		if ( Host_Name::has_control_chars( (string) $auth['username'] ) ) {
			return self::invalid_param( 'auth', __( 'The user name contains line breaks or control characters, which cannot be sent to a mail server.', 'smtp-port-helper' ) );
		}
		$password = isset( $auth['password'] ) && '' !== $auth['password'] ? (string) $auth['password'] : $this->settings->password();
		if ( null === $password ) {
			return self::invalid_param( 'auth', __( 'Enter the password, or save one first: no password is saved.', 'smtp-port-helper' ) );
		}
		return array(
			'username' => (string) $auth['username'],
			'password' => $password,
		);
	}

	/**
	 * The CA bundle to trust for the server's certificate: the saved one, or none (system store).
	 */
	private function ca_file(): string {
		return $this->settings->get()->ca_file;
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
