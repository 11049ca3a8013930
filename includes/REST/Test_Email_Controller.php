<?php
/**
 * REST route that sends a real test message: POST /smtp-port-helper/v1/test-email.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_REST_Server;

defined( 'ABSPATH' ) || exit;

/**
 * Answers 200 `{sent, to, host, port, elapsed_ms}` when the SMTP server accepted the message (over an
 * HTTPS API: host and port of the API's endpoint, plus `api`, the provider, and `endpoint`, its base URL), or a
 * 502 `smtp_port_helper_send_failed` whose data holds the verdict, a diagnosis and the redacted
 * SMTP conversation. Administrators only, rate-limited per user (429 with Retry-After).
 */
final class Test_Email_Controller extends Admin_Controller {

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
	 * Takes the settings model and the sender.
	 *
	 * @param Settings_Store $settings The settings model.
	 * @param Test_Email     $sender   Sends the message and captures the conversation.
	 */
	public function __construct( Settings_Store $settings, Test_Email $sender ) {
		$this->settings = $settings;
		$this->sender   = $sender;
	}

	/**
	 * Registers POST /test-email with its argument and response schemas.
	 */
	public function register_routes(): void {
		$this->register_route( '/test-email', WP_REST_Server::CREATABLE, array( $this, 'send' ), Test_Email_Schema::args(), array( Test_Email_Schema::class, 'response' ) );
	}

	/**
	 * Only administrators may send test messages.
	 */
	protected function forbidden_message(): string {
		return __( 'Sorry, you are not allowed to send test messages.', 'smtp-port-helper' );
	}

	/**
	 * POST: sends the message.
	 *
	 * @param WP_REST_Request $request The request.
	 * @return WP_REST_Response|WP_Error
	 */
	public function send( WP_REST_Request $request ) {
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
			$answer = array(
				'sent'       => true,
				'to'         => $result['to'],
				'host'       => $result['host'],
				'port'       => $result['port'],
				'elapsed_ms' => $result['elapsed_ms'],
			);
			if ( isset( $result['api'], $result['endpoint'] ) ) {
				$answer['api']      = $result['api'];
				$answer['endpoint'] = $result['endpoint'];
			}
			return new WP_REST_Response( $answer, 200 );
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
