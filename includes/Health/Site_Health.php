<?php
/**
 * Site Health: is sending configured, does the configured port still answer, and a debug section.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Cause_Advice;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Probe_Report;
use SmtpPortHelper\Probe\Recommender;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Key_Material;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Adds to Tools → Site Health:
 * - a direct test "SMTP sending is configured";
 * - an async test, run by the Site Health screen through GET /smtp-port-helper/v1/site-health/port-check,
 *   whether WordPress can send: the configured port with the saved login, and only when that fails
 *   the default ports with the same login (each run bounded), so that a failure names the port
 *   that works;
 * - a section of the Info tab with the settings (never the password: only whether it is set).
 */
final class Site_Health {

	public const ROUTE = '/site-health/port-check';

	/** Seconds the configured port's check may take; as long again for the other ports when it fails. */
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
		$tests['direct']['smtp_port_helper_key']        = array(
			'label' => __( 'The SMTP password is sealed with a secret key', 'smtp-port-helper' ),
			'test'  => array( $this, 'key_material_test' ),
		);
		$tests['async']['smtp_port_helper_port_check']  = array(
			'label'             => __( 'WordPress can send email through the SMTP server', 'smtp-port-helper' ),
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
		$result   = $this->result( 'smtp_port_helper_configured', 'good', __( 'SMTP sending is configured', 'smtp-port-helper' ), '' );
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
				__( 'WordPress is set to send email through %1$s on port %2$d. Whether the server accepts it there is checked separately.', 'smtp-port-helper' ),
				$settings->host,
				$settings->port
			)
		) . '</p>';
		return $result;
	}

	/**
	 * Direct test: is there key material fit to seal the password? Placeholder, duplicated or
	 * missing salts are public or guessable, so the plugin refuses them and asks for
	 * SMTP_PORT_HELPER_KEY.
	 *
	 * @param Key_Material|null $key The key material (default: wp-config.php's).
	 * @return array<string, mixed>
	 */
	public function key_material_test( ?Key_Material $key = null ): array {
		$problem = ( $key ?? Key_Material::from_wp_config() )->problem();
		if ( null === $problem ) {
			return $this->result(
				'smtp_port_helper_key',
				'good',
				__( 'The SMTP password is sealed with a secret key', 'smtp-port-helper' ),
				'<p>' . esc_html__( 'The key comes from SMTP_PORT_HELPER_KEY or from unique salts in wp-config.php, never from the database.', 'smtp-port-helper' ) . '</p>'
			);
		}
		$reasons           = array(
			Key_Material::PROBLEM_MISSING     => __( 'The salts AUTH_KEY and SECURE_AUTH_KEY are missing from wp-config.php.', 'smtp-port-helper' ),
			Key_Material::PROBLEM_PLACEHOLDER => __( 'The salts in wp-config.php are still the placeholder "put your unique phrase here", which everyone knows.', 'smtp-port-helper' ),
			Key_Material::PROBLEM_DUPLICATED  => __( 'AUTH_KEY or SECURE_AUTH_KEY in wp-config.php has the same value as another salt.', 'smtp-port-helper' ),
		);
		$result            = $this->result(
			'smtp_port_helper_key',
			'critical',
			__( 'No secret key to seal the SMTP password', 'smtp-port-helper' ),
			'<p>' . esc_html( $reasons[ $problem ] ?? '' ) . ' ' . esc_html__( 'The SMTP password cannot be stored safely, so it is not stored or used. Add define( \'SMTP_PORT_HELPER_KEY\', \'…\' ) with a long random phrase to wp-config.php (or new salts from https://api.wordpress.org/secret-key/1.1/salt/), then enter the password again.', 'smtp-port-helper' ) . '</p>'
		);
		$result['actions'] = $this->settings_link();
		return $result;
	}

	/**
	 * Async test: can WordPress send? Probes the configured port with the saved login and, only
	 * when that fails, the default ports with the same login, so that a failure says what to change.
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
		if ( $settings->uses_oauth() ) {
			$connection = ( new OAuth_Connection( $this->settings ) )->tokens()->connection( $settings );
			if ( Token_Store::STATE_CONNECTED !== $connection['state'] ) {
				$result['status']      = 'critical';
				$result['label']       = Token_Store::STATE_FAILED === $connection['state']
					? __( 'WordPress cannot send: the OAuth 2.0 sign-in of the mailbox failed', 'smtp-port-helper' )
					: __( 'WordPress cannot send: no mailbox is connected with OAuth 2.0', 'smtp-port-helper' );
				$result['description'] = '<p>' . esc_html( '' !== $connection['message'] ? $connection['message'] : OAuth_Connection::not_connected_message() ) . '</p>';
				$result['actions']     = $this->settings_link();
				return $result;
			}
		} elseif ( $settings->auth && ( '' === $settings->username || null === $this->settings->password() ) ) {
			// Without the login WordPress sends with, a port that answers proves nothing.
			$result['status']      = 'critical';
			$result['label']       = __( 'WordPress cannot send: the SMTP login is incomplete', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'Login is on, but no user name or no readable password is saved, so WordPress cannot log in to send. Enter them in the SMTP settings.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = $this->settings_link();
			return $result;
		}
		$refusal = __( 'The SMTP settings could not be checked.', 'smtp-port-helper' );
		try {
			$report = $this->prober->run( $this->options->from_settings( self::PROBE_TIMEOUT ) );
		} catch ( Invalid_Input_Exception $error ) {
			$report  = null;
			$refusal = $error->getMessage(); // E.g. an address the address policy refuses.
		}
		$saved = null !== $report ? $report->get_result( $settings->port ) : null;
		if ( null !== $saved && $saved->is_ok() && self::encryption_fits( $settings->encryption, $saved->mode ) ) {
			$result['label'] = sprintf(
				/* translators: 1: host name, 2: port number */
				__( 'WordPress sends email through %1$s on port %2$d', 'smtp-port-helper' ),
				$settings->host,
				$settings->port
			);
			$result['description'] = '<p>' . esc_html( self::working_text( $saved ) ) . '</p>' . self::address_family_paragraph( $saved );
			return $result;
		}
		$result['status']  = 'critical';
		$result['actions'] = $this->settings_link();
		if ( null === $report || null === $saved ) {
			$result['label']       = __( 'WordPress cannot send: the SMTP settings could not be checked', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html( $refusal ) . '</p>';
			return $result;
		}
		$result['label'] = self::failure_label( $saved );
		if ( Verdict::CAUSE_HOST_NAME === Verdict::cause( $saved->verdict ) ) {
			// The name does not resolve, or to no allowed address: no other port can do better.
			$result['description'] = '<p>' . esc_html( self::failure_text( $saved, $settings ) ) . '</p>';
			return $result;
		}
		// Only now the other ports (a working setup logs in once per check): the report of both
		// runs together, so the configured port's message can name the port that took the login.
		$report                = $this->with_alternatives( $report );
		$result['description'] = '<p>' . esc_html( self::failure_text( $saved, $settings ) ) . '</p>' . self::address_family_paragraph( $saved )
			. '<p>' . esc_html( Cause_Advice::alternatives( $report, $settings->host, $settings->port, $saved->verdict ) ) . '</p>'
			. self::cause_list( $report );
		return $result;
	}

	/**
	 * The configured port's report joined with a run over the other ports, recommended anew.
	 *
	 * @param Probe_Report $saved_report The configured port's run.
	 */
	private function with_alternatives( Probe_Report $saved_report ): Probe_Report {
		try {
			$options = $this->options->alternatives_to_settings( self::PROBE_TIMEOUT );
		} catch ( Invalid_Input_Exception $error ) {
			return $saved_report;
		}
		$others         = $this->prober->run( $options );
		$results        = array_merge( $saved_report->results, $others->results );
		$recommendation = Recommender::recommend( $results, $options->preferred_alternates );
		Recommender::note_login_accepted_elsewhere( $results, $recommendation );
		return new Probe_Report( $saved_report->host, $saved_report->elapsed_ms + $others->elapsed_ms, $results, $recommendation );
	}

	/**
	 * Whether the mode the port works in is the encryption WordPress uses on it (no encryption
	 * is the owner's choice, not checked here).
	 *
	 * @param string $encryption Saved encryption.
	 * @param string $mode       Mode the port works in (Port_Result::MODE_*).
	 */
	private static function encryption_fits( string $encryption, string $mode ): bool {
		return Encryption::NONE === $encryption || $encryption === $mode;
	}

	/**
	 * IPv4 and IPv6 apart, when they differ on the configured port (and why mail goes over one).
	 *
	 * @param Port_Result $saved The configured port's result.
	 */
	private static function address_family_paragraph( Port_Result $saved ): string {
		$note = Address_Family::note( $saved );
		return '' !== $note ? '<p>' . esc_html( $note ) . '</p>' : '';
	}

	/**
	 * What a passing check found, without advice: everything is already set.
	 *
	 * @param Port_Result $saved The configured port's result.
	 */
	private static function working_text( Port_Result $saved ): string {
		if ( true === $saved->auth_ok ) {
			return sprintf(
				/* translators: 1: port number, 2: encryption name (STARTTLS or SSL/TLS) */
				__( 'The mail server answers on port %1$d with %2$s encryption and accepts the saved user name and password.', 'smtp-port-helper' ),
				$saved->port,
				Encryption::label( $saved->mode )
			);
		}
		return sprintf(
			/* translators: 1: port number, 2: encryption name (STARTTLS or SSL/TLS) */
			__( 'The mail server answers on port %1$d with %2$s encryption.', 'smtp-port-helper' ),
			$saved->port,
			Encryption::label( $saved->mode )
		);
	}

	/**
	 * The failing check's title: what stops sending.
	 *
	 * @param Port_Result $saved The configured port's result.
	 */
	private static function failure_label( Port_Result $saved ): string {
		if ( Verdict::AUTH_FAILED === $saved->verdict ) {
			return __( 'WordPress cannot send: the server refused the login', 'smtp-port-helper' );
		}
		if ( $saved->is_ok() ) {
			return sprintf(
				/* translators: %d: port number */
				__( 'WordPress cannot send: port %d needs another encryption setting', 'smtp-port-helper' ),
				$saved->port
			);
		}
		return sprintf(
			/* translators: %d: port number */
			__( 'WordPress cannot send: port %d does not work', 'smtp-port-helper' ),
			$saved->port
		);
	}

	/**
	 * Why the configured port fails, in the port test's words (or the encryption to change).
	 *
	 * @param Port_Result $saved    The configured port's result.
	 * @param Settings    $settings Saved settings.
	 */
	private static function failure_text( Port_Result $saved, Settings $settings ): string {
		if ( $saved->is_ok() ) {
			return sprintf(
				/* translators: 1: port number, 2: encryption that works (STARTTLS or SSL/TLS), 3: encryption that is set */
				__( 'Port %1$d works with %2$s encryption, but the encryption is set to %3$s.', 'smtp-port-helper' ),
				$saved->port,
				Encryption::label( $saved->mode ),
				Encryption::label( $settings->encryption )
			);
		}
		return (string) $saved->to_array()['message'];
	}

	/**
	 * What to do about each cause of failure among all ports tried (Cause_Advice, as on the page
	 * and in WP-CLI); '' when none.
	 *
	 * @param Probe_Report $report The saved port's run joined with the other ports'.
	 */
	private static function cause_list( Probe_Report $report ): string {
		$items = array_map( static fn( array $advice ): string => '<li>' . esc_html( $advice['text'] ) . '</li>', Cause_Advice::for_report( $report ) );
		return array() !== $items ? '<ul>' . implode( '', $items ) . '</ul>' : '';
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
			'encryption'       => array( __( 'Encryption', 'smtp-port-helper' ), Encryption::label( $settings->encryption ), $settings->encryption ),
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
				'debug' => $field[2] ?? $field[1],
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
