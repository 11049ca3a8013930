<?php
/**
 * The self-check's one mail to the administrator when the saved path fails.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Mail\Phpmailer_Classes;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Smtp_Endpoint;
use SmtpPortHelper\Settings\From_Address;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Sent once per outage by Self_Check, over the port that still works (the saved server, TLS and
 * login otherwise), so the administrator hears of it although the saved port fails.
 */
final class Outage_Mail {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The server, TLS and login mail uses.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Takes the settings and the mailer.
	 *
	 * @param Settings_Store $settings The settings model.
	 * @param Mailer_Hook    $mailer   The server, TLS and login mail uses.
	 */
	public function __construct( Settings_Store $settings, Mailer_Hook $mailer ) {
		$this->settings = $settings;
		$this->mailer   = $mailer;
	}
	/**
	 * Tells the administrator that the saved path fails, by mail over the port that still works.
	 *
	 * @param string                               $why         Why the saved path failed.
	 * @param array{port: int, encryption: string} $alternative The port that works.
	 */
	public function send( string $why, array $alternative ): void {
		$to = (string) get_option( 'admin_email' );
		if ( ! is_email( $to ) ) {
			return;
		}
		$settings = $this->settings->get();
		$site     = wp_specialchars_decode( (string) get_option( 'blogname' ), ENT_QUOTES );
		Phpmailer_Classes::load();
		$mail = new PHPMailer( true );
		if ( null === $this->mailer->configure_delivery( $mail ) ) {
			return;
		}
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$mail->Host           = Smtp_Endpoint::host_entry( $settings->host, $alternative );
		$mail->Port           = $alternative['port'];
		$mail->SMTPSecure     = Smtp_Endpoint::secure_value( $alternative['encryption'] );
		PHPMailer::$validator = static fn( $email ): bool => (bool) is_email( $email );
		try {
			$mail->CharSet = PHPMailer::CHARSET_UTF8;
			$mail->setFrom( From_Address::for_settings( $settings, $mail->SMTPAuth ? $mail->Username : '' )['email'], '' !== $settings->from_name ? $settings->from_name : 'WordPress', false );
			$mail->addAddress( $to );
			$mail->Subject = sprintf( /* translators: %s: site name */ __( '[%s] Email will fail: the SMTP port stopped working', 'smtp-port-helper' ), $site );
			$mail->Body    = Outage_Text::for_smtp( $settings->host, $settings->port, $why )
				. "\n\n" . sprintf(
					/* translators: %d: port number */
					__( 'This notice was sent over port %d, which still works. Switch to it in the settings, or turn on "Switch to a working port" so the self-check does it.', 'smtp-port-helper' ),
					$alternative['port']
				)
				. "\n\n" . admin_url( 'options-general.php?page=smtp-port-helper' )
				. "\n\n" . __( 'SMTP Port Helper sends this notice once per outage.', 'smtp-port-helper' ) . "\n";
			$mail->send();
		} catch ( PHPMailer_Exception $error ) {
			return; // The notice and Site Health still say it.
		}
		// phpcs:enable
	}
}
