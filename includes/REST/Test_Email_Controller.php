<?php
/**
 * REST route that sends a real test message: POST /smtp-port-helper/v1/test-email.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Answers 200 `{sent, to, host, port, elapsed_ms}` when the SMTP server accepted the message, or a
 * 502 `smtp_port_helper_send_failed` whose data holds the verdict, a diagnosis and the redacted
 * SMTP conversation. Administrators only, rate-limited per user (429 with Retry-After).
 */
final class Test_Email_Controller {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Sends the message and captures the conversation.
	 *
	 * @var Test_Email
	 */
	private Test_Email $sender;

	/**
	 * Messages per user and minute.
	 *
	 * @var Rate_Limiter
	 */
	private Rate_Limiter $rate_limiter;

	/**
	 * Takes the settings model, the sender and the rate limit.
	 *
	 * @param Settings_Store $settings     The settings model.
	 * @param Test_Email     $sender       Sends the message and captures the conversation.
	 * @param Rate_Limiter   $rate_limiter Messages per user and minute.
	 */
	public function __construct( Settings_Store $settings, Test_Email $sender, Rate_Limiter $rate_limiter ) {
		$this->settings     = $settings;
		$this->sender       = $sender;
		$this->rate_limiter = $rate_limiter;
	}

	/**
	 * Adds the route when the REST API starts.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * Registers POST /test-email with its argument and response schemas.
	 */
	public function register_routes(): void {
		register_rest_route(
			Plugin::REST_NAMESPACE,
			'/test-email',
			array(
				array(
					'methods'             => WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'send' ),
					'permission_callback' => array( $this, 'check_permission' ),
					'args'                => Test_Email_Schema::args(),
				),
				'schema' => array( Test_Email_Schema::class, 'response' ),
			)
		);
	}

	/**
	 * Only administrators may send test messages.
	 *
	 * @return true|WP_Error
	 */
	public function check_permission() {
		if ( current_user_can( 'manage_options' ) ) {
			return true;
		}
		return new WP_Error(
			'rest_forbidden',
			__( 'Sorry, you are not allowed to send test messages.', 'smtp-port-helper' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * POST: sends the message.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function send( WP_REST_Request $request ) {
		try {
			$wait = $this->rate_limiter->hit( get_current_user_id() );
		} catch ( Limit_Unavailable_Exception $error ) {
			return Rate_Limiter::unavailable();
		}
		if ( null !== $wait ) {
			return Rate_Limiter::too_many_requests(
				sprintf(
					/* translators: %d: number of seconds */
					_n( 'Too many test messages. Try again in %d second.', 'Too many test messages. Try again in %d seconds.', $wait, 'smtp-port-helper' ),
					$wait
				),
				$wait
			);
		}
		if ( ! $this->settings->is_active() ) {
			return new WP_Error(
				'smtp_port_helper_not_configured',
				__( 'Save an SMTP server (and keep sending enabled) before sending a test message.', 'smtp-port-helper' ),
				array( 'status' => 409 )
			);
		}
		$to     = (string) $request->get_param( 'to' );
		$result = $this->sender->send( $to );
		if ( $result['sent'] ) {
			return new WP_REST_Response(
				array(
					'sent'       => true,
					'to'         => $result['to'],
					'host'       => $result['host'],
					'port'       => $result['port'],
					'elapsed_ms' => $result['elapsed_ms'],
				),
				200
			);
		}
		return new WP_Error(
			'smtp_port_helper_send_failed',
			$result['diagnosis'],
			array(
				'status'     => 502,
				'verdict'    => $result['verdict'],
				'diagnosis'  => $result['diagnosis'],
				'transcript' => $result['transcript'],
			)
		);
	}
}
