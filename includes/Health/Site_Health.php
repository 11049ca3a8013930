<?php
/**
 * Site Health: is sending configured, does the configured port still answer, and a debug section.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Adds to Tools → Site Health:
 * - a direct test "SMTP sending is configured";
 * - an async test, run by the Site Health screen through GET /smtp-port-helper/v1/site-health/port-check,
 *   that probes only the configured port with a short timeout;
 * - a section of the Info tab with the settings (never the password: only whether it is set).
 */
final class Site_Health {

	public const ROUTE = '/site-health/port-check';

	/** Seconds the async port check may take. */
	public const PROBE_TIMEOUT = 5;

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The port test engine.
	 *
	 * @var Port_Prober
	 */
	private Port_Prober $prober;

	/**
	 * Builds the probe options of the configured port.
	 *
	 * @var Probe_Options_Factory
	 */
	private Probe_Options_Factory $options;

	/**
	 * Takes the settings model, the port test engine and the way into it.
	 *
	 * @param Settings_Store        $settings The settings model.
	 * @param Port_Prober           $prober   The port test engine.
	 * @param Probe_Options_Factory $options  Builds the probe options of the configured port.
	 */
	public function __construct( Settings_Store $settings, Port_Prober $prober, Probe_Options_Factory $options ) {
		$this->settings = $settings;
		$this->prober   = $prober;
		$this->options  = $options;
	}

	/**
	 * Hooks Site Health and the REST route of the async test.
	 */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_tests' ) );
		add_filter( 'debug_information', array( $this, 'debug_information' ) );
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Adds the configuration test and the async port check to Site Health → Status.
	 *
	 * @param mixed $tests Site Health tests: an array, unless another plugin's filter broke it.
	 * @return array<mixed>
	 */
	public function add_tests( $tests ): array {
		$tests = is_array( $tests ) ? $tests : array();

		$tests['direct']['smtp_port_helper_configured'] = array(
			'label' => __( 'SMTP sending is configured', 'smtp-port-helper' ),
			'test'  => array( $this, 'configured_test' ),
		);
		$tests['async']['smtp_port_helper_port_check']  = array(
			'label'             => __( 'The SMTP port answers', 'smtp-port-helper' ),
			'test'              => rest_url( Plugin::REST_NAMESPACE . self::ROUTE ),
			'has_rest'          => true,
			'async_direct_test' => array( $this, 'port_check_test' ),
		);
		return $tests;
	}

	/**
	 * Registers GET /site-health/port-check.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			self::ROUTE,
			array(
				array(
					'methods'             => WP_REST_Server::READABLE,
					'callback'            => array( $this, 'port_check_response' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => array(),
				),
				'schema' => array( self::class, 'port_check_schema' ),
			)
		);
	}

	/**
	 * The response schema of GET /site-health/port-check: a Site Health test result.
	 *
	 * @return array<string, mixed>
	 */
	public static function port_check_schema(): array {
		$text = array( 'type' => 'string' );
		$html = array(
			'description' => 'HTML',
			'type'        => 'string',
		);
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'smtp-port-helper-site-health-port-check',
			'type'       => 'object',
			'properties' => array(
				'label'       => $text,
				'status'      => array(
					'type' => 'string',
					'enum' => array( 'good', 'recommended', 'critical' ),
				),
				'badge'       => array(
					'type'       => 'object',
					'properties' => array(
						'label' => $text,
						'color' => $text,
					),
				),
				'description' => $html,
				'actions'     => $html,
				'test'        => $text,
			),
			'required'   => array( 'label', 'status', 'badge', 'description', 'actions', 'test' ),
		);
	}

	/**
	 * Those who may see Site Health may run its tests.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( 'view_site_health_checks' ) && current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to run Site Health checks.', 'smtp-port-helper' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * REST callback of the async test.
	 */
	public function port_check_response(): WP_REST_Response {
		return new WP_REST_Response( $this->port_check_test() );
	}

	/**
	 * Direct test: is the SMTP server set, enabled, and is its password readable?
	 *
	 * @return array<string, mixed>
	 */
	public function configured_test(): array {
		$settings = $this->settings->get();
		$result   = $this->result( 'smtp_port_helper_configured', 'good', __( 'WordPress sends email through your SMTP server', 'smtp-port-helper' ), '' );
		if ( '' === $settings->host || ! $settings->enabled ) {
			$result['status']      = 'recommended';
			$result['label']       = __( 'WordPress does not send email through an SMTP server', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'Without an SMTP server, WordPress hands email to the web server\'s mail program, and many messages (password resets, orders, forms) end up in spam or are lost. Set up your email provider\'s SMTP server.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = $this->settings_link();
			return $result;
		}
		if ( $settings->auth && $this->settings->password_unreadable() ) {
			$result['status']      = 'critical';
			$result['label']       = __( 'The saved SMTP password cannot be decrypted', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'The security keys of this site changed, so the saved SMTP password cannot be read any more and email is not sent. Enter the password again.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = $this->settings_link();
			return $result;
		}
		if ( $settings->auth && ! $this->settings->password_set() ) {
			$result['status']      = 'critical';
			$result['label']       = __( 'The SMTP password is missing', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'Authentication is on, but no SMTP password is saved, so email is not sent. Enter the password.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = $this->settings_link();
			return $result;
		}
		$result['description'] = '<p>' . esc_html(
			sprintf(
				/* translators: 1: host name, 2: port number */
				__( 'Email is sent through %1$s on port %2$d.', 'smtp-port-helper' ),
				$settings->host,
				$settings->port
			)
		) . '</p>';
		return $result;
	}

	/**
	 * Async test: does the configured port still answer? Probes only that port, briefly.
	 *
	 * @return array<string, mixed>
	 */
	public function port_check_test(): array {
		$settings = $this->settings->get();
		$result   = $this->result( 'smtp_port_helper_port_check', 'good', '', '' );
		if ( '' === $settings->host || ! $settings->enabled ) {
			$result['label']       = __( 'No SMTP port to check', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'No SMTP server is configured.', 'smtp-port-helper' ) . '</p>';
			return $result;
		}
		$port = $settings->port;
		try {
			$port_result = $this->prober->run( $this->options->from_settings( self::PROBE_TIMEOUT ) )->get_result( $port );
		} catch ( Invalid_Input_Exception $error ) {
			$port_result = null;
		}
		if ( null !== $port_result && $port_result->is_ok() ) {
			$result['label'] = sprintf(
				/* translators: %d: port number */
				__( 'The SMTP port %d answers', 'smtp-port-helper' ),
				$port
			);
			$result['description'] = '<p>' . esc_html( (string) $port_result->to_array()['message'] ) . '</p>';
			return $result;
		}
		$result['status'] = 'critical';
		$result['label']  = sprintf(
			/* translators: %d: port number */
			__( 'The SMTP port %d does not answer as it should', 'smtp-port-helper' ),
			$port
		);
		$result['description'] = '<p>' . esc_html( null !== $port_result ? (string) $port_result->to_array()['message'] : __( 'The SMTP settings could not be checked.', 'smtp-port-helper' ) ) . '</p>';
		$result['actions']     = $this->settings_link();
		return $result;
	}

	/**
	 * The plugin's section of Site Health → Info. Secrets are never shown.
	 *
	 * @param mixed $info Sections: an array, unless another plugin's filter broke it.
	 * @return array<mixed>
	 */
	public function debug_information( $info ): array {
		$info     = is_array( $info ) ? $info : array();
		$settings = $this->settings->get();
		$locked   = $this->settings->locked();
		$yes      = __( 'Yes', 'smtp-port-helper' );
		$no       = __( 'No', 'smtp-port-helper' );
		$fields   = array(
			'enabled'          => array( __( 'Enabled', 'smtp-port-helper' ), $settings->enabled ? $yes : $no ),
			'host'             => array( __( 'Host', 'smtp-port-helper' ), '' !== $settings->host ? $settings->host : __( 'Not set', 'smtp-port-helper' ) ),
			'port'             => array( __( 'Port', 'smtp-port-helper' ), (string) $settings->port ),
			'encryption'       => array( __( 'Encryption', 'smtp-port-helper' ), $settings->encryption ),
			'auth'             => array( __( 'Authentication', 'smtp-port-helper' ), $settings->auth ? $yes : $no ),
			'username'         => array( __( 'User name', 'smtp-port-helper' ), '' !== $settings->username ? __( 'Set', 'smtp-port-helper' ) : __( 'Not set', 'smtp-port-helper' ) ),
			'password'         => array( __( 'Password', 'smtp-port-helper' ), $this->password_state() ),
			'from_email'       => array( __( 'From address', 'smtp-port-helper' ), $settings->from_email ),
			'from_name'        => array( __( 'From name', 'smtp-port-helper' ), $settings->from_name ),
			'force_from_email' => array( __( 'Force the From address', 'smtp-port-helper' ), $settings->force_from_email ? $yes : $no ),
			'force_from_name'  => array( __( 'Force the From name', 'smtp-port-helper' ), $settings->force_from_name ? $yes : $no ),
			'return_path'      => array( __( 'Return-Path = From', 'smtp-port-helper' ), $settings->return_path ? $yes : $no ),
			'ca_file'          => array( __( 'CA file', 'smtp-port-helper' ), '' !== $settings->ca_file ? $settings->ca_file : __( 'System certificates', 'smtp-port-helper' ) ),
			'verify_tls'       => array( __( 'Certificate verification', 'smtp-port-helper' ), $this->settings->verify_tls() ? $yes : $no ),
			'timeout'          => array( __( 'Timeout (seconds)', 'smtp-port-helper' ), (string) $settings->timeout ),
			'send_time_limit'  => array( __( 'Time limit per message (seconds)', 'smtp-port-helper' ), (string) $settings->send_time_limit ),
			'fallback'         => array( __( 'Fallback ports', 'smtp-port-helper' ), $settings->fallback ? implode( ', ', $settings->fallback_ports ) : $no ),
		);
		$out      = array();
		foreach ( $fields as $key => $field ) {
			$value = $field[1];
			if ( isset( $locked[ $key ] ) ) {
				/* translators: 1: value, 2: name of a PHP constant */
				$value = sprintf( __( '%1$s (from %2$s)', 'smtp-port-helper' ), $value, $locked[ $key ] );
			}
			$out[ $key ] = array(
				'label' => $field[0],
				'value' => $value,
				'debug' => $field[1],
			);
		}
		$out['from_email']['private'] = true;
		$info['smtp-port-helper']     = array(
			'label'  => __( 'SMTP Port Helper', 'smtp-port-helper' ),
			'fields' => $out,
		);
		return $info;
	}

	/**
	 * "Set", "Not set" or "Set, but cannot be decrypted".
	 */
	private function password_state(): string {
		if ( $this->settings->password_unreadable() ) {
			return __( 'Set, but cannot be decrypted', 'smtp-port-helper' );
		}
		return $this->settings->password_set() ? __( 'Set', 'smtp-port-helper' ) : __( 'Not set', 'smtp-port-helper' );
	}

	/**
	 * A paragraph with a link to the settings page, for the tests' actions.
	 *
	 * @return string Link to the settings page.
	 */
	private function settings_link(): string {
		return sprintf(
			'<p><a href="%s">%s</a></p>',
			esc_url( admin_url( 'options-general.php?page=smtp-port-helper' ) ),
			esc_html__( 'Open the SMTP settings', 'smtp-port-helper' )
		);
	}

	/**
	 * A Site Health result.
	 *
	 * @param string $test        Test name.
	 * @param string $status      good, recommended or critical.
	 * @param string $label       Label.
	 * @param string $description HTML.
	 * @return array<string, mixed>
	 */
	private function result( string $test, string $status, string $label, string $description ): array {
		return array(
			'label'       => $label,
			'status'      => $status,
			'badge'       => array(
				'label' => __( 'Email', 'smtp-port-helper' ),
				'color' => 'blue',
			),
			'description' => $description,
			'actions'     => '',
			'test'        => $test,
		);
	}
}
