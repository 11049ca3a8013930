<?php
/**
 * Site Health's "can WordPress send?" when the settings send over a provider's HTTPS API.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Refusal;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || exit;

/**
 * Tests the transport the settings chose (Transport::test(): look-up, connect, verified TLS, the
 * authenticated call that sends nothing) instead of the SMTP port, and says why mail takes this
 * way: port 443 after 587, 2525 and 465, the one port web hosts do not block.
 */
final class Api_Transport_Check {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Builds the transport of the settings.
	 *
	 * @var Transport_Factory
	 */
	private Transport_Factory $transports;

	/**
	 * Takes the settings and the transport factory.
	 *
	 * @param Settings_Store    $settings   The settings model.
	 * @param Transport_Factory $transports Builds the transport the settings chose.
	 */
	public function __construct( Settings_Store $settings, Transport_Factory $transports ) {
		$this->settings   = $settings;
		$this->transports = $transports;
	}

	/**
	 * The Site Health result of the API transport.
	 *
	 * @param float $timeout Seconds for the test call.
	 * @return array<string, mixed>
	 */
	public function result( float $timeout ): array {
		$settings = $this->settings->get();
		$provider = Transport_Registry::provider( $settings->transport );
		$name     = null !== $provider ? $provider->label : $settings->transport;
		$row      = $this->transports->for_store( $this->settings )->test( Deadline::in( $timeout ) );
		$why      = __( 'The HTTPS API is the way after SMTP ports 587, 2525 and 465: it is used when none of them works from this server or the provider refuses SMTP logins, and it goes over port 443, the port of every secure web request, which web hosts do not block.', 'smtp-port-helper' );
		$result   = Check_Result::of( 'smtp_port_helper_port_check', 'good', '', '' );
		if ( $row->is_ok() ) {
			$result['label'] = sprintf(
				/* translators: %s: provider name, e.g. SendGrid */
				__( 'WordPress sends email through the HTTPS API of %s (port 443)', 'smtp-port-helper' ),
				$name
			);
			$result['description'] = '<p>' . esc_html(
				sprintf(
					/* translators: %s: provider name, e.g. SendGrid */
					__( 'The API of %s answers from this server with verified encryption and accepts the saved API key. No message was sent for this check.', 'smtp-port-helper' ),
					$name
				)
			) . '</p><p>' . esc_html( $why ) . '</p>';
			return $result;
		}
		$result['status'] = 'critical';
		$result['label']  = sprintf(
			/* translators: %s: provider name, e.g. SendGrid */
			__( 'WordPress cannot send: the HTTPS API of %s does not work', 'smtp-port-helper' ),
			$name
		);
		$detail                = Api_Refusal::why_row_fails( $row, $settings->transport );
		$result['description'] = '<p>' . esc_html( $detail ) . '</p><p>' . esc_html( $why ) . '</p>';
		$result['actions']     = Check_Result::settings_link();
		return $result;
	}
}
