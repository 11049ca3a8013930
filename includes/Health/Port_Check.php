<?php
/**
 * Site Health: does the configured port still answer with the saved login?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Plugin;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Cause_Advice;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Probe_Report;
use SmtpPortHelper\Probe\Recommender;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * An async test, run by the Site Health screen through GET /smtp-port-helper/v1/site-health/port-check:
 * whether WordPress can send — the configured port with the saved login, and only when that fails
 * the default ports with the same login (each run bounded), so that a failure names the port
 * that works.
 */
final class Port_Check {

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
	 * The check of an HTTPS API transport.
	 *
	 * @var Api_Transport_Check
	 */
	private Api_Transport_Check $api;

	/**
	 * Takes the settings model, the port test engine and the way into it.
	 *
	 * @param Settings_Store           $settings The settings model.
	 * @param Port_Prober              $prober   The port test engine.
	 * @param Probe_Options_Factory    $options  Builds the probe options of the configured port.
	 * @param Api_Transport_Check|null $api      Checks an HTTPS API transport instead of a port (default: of these settings).
	 */
	public function __construct( Settings_Store $settings, Port_Prober $prober, Probe_Options_Factory $options, ?Api_Transport_Check $api = null ) {
		$this->settings = $settings;
		$this->prober   = $prober;
		$this->options  = $options;
		$this->api      = $api ?? new Api_Transport_Check( $settings, new Transport_Factory( new Mailer_Hook( $settings ) ) );
	}

	/**
	 * Hooks Site Health and the REST route of the async test.
	 */
	public function register(): void {
		add_filter( 'site_status_tests', array( $this, 'add_test' ) );
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Adds the async port check to Site Health → Status.
	 *
	 * @param mixed $tests Site Health tests: an array, unless another plugin's filter broke it.
	 * @return array<mixed>
	 */
	public function add_test( $tests ): array {
		$tests = is_array( $tests ) ? $tests : array();

		$tests['async']['smtp_port_helper_port_check'] = array(
			'label'             => __( 'WordPress can send email through the SMTP server', 'smtp-port-helper' ),
			'test'              => rest_url( Plugin::REST_NAMESPACE . self::ROUTE ),
			'has_rest'          => true,
			'async_direct_test' => array( $this, 'test' ),
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
		return new WP_REST_Response( $this->test() );
	}

	/**
	 * Async test: can WordPress send? Probes the configured port with the saved login and, only
	 * when that fails, the default ports with the same login, so that a failure says what to change.
	 *
	 * @return array<string, mixed>
	 */
	public function test(): array {
		$settings = $this->settings->get();
		if ( $settings->enabled && $settings->uses_api() ) {
			return $this->api->result( self::PROBE_TIMEOUT );
		}
		$result = Check_Result::of( 'smtp_port_helper_port_check', 'good', '', '' );
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
				$result['actions']     = Check_Result::settings_link();
				return $result;
			}
		} elseif ( $settings->auth && ( '' === $settings->username || null === $this->settings->password() ) ) {
			// Without the login WordPress sends with, a port that answers proves nothing.
			$result['status']      = 'critical';
			$result['label']       = __( 'WordPress cannot send: the SMTP login is incomplete', 'smtp-port-helper' );
			$result['description'] = '<p>' . esc_html__( 'Login is on, but no user name or no readable password is saved, so WordPress cannot log in to send. Enter them in the SMTP settings.', 'smtp-port-helper' ) . '</p>';
			$result['actions']     = Check_Result::settings_link();
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
		$result['actions'] = Check_Result::settings_link();
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
}
