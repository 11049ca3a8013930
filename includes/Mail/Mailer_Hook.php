<?php
/**
 * Sends wp_mail() through the configured SMTP server by configuring PHPMailer on `phpmailer_init`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Applies the settings through PHPMailer's own API. The pluggable `wp_mail()` is never replaced.
 */
final class Mailer_Hook {

	/** PHPMailer waits 300 s by default; a stuck port would freeze the request that sends mail. */
	public const TIMEOUT_SECONDS = 10;

	private Settings_Store $settings;

	/**
	 * @param Settings_Store $settings The settings model.
	 */
	public function __construct( Settings_Store $settings ) {
		$this->settings = $settings;
	}

	/**
	 * Hooks PHPMailer's initialisation.
	 */
	public function register(): void {
		add_action( 'phpmailer_init', array( $this, 'configure' ) );
	}

	/**
	 * Points PHPMailer at the configured server. Without a host, WordPress's own transport stays.
	 *
	 * @param PHPMailer $phpmailer The mailer wp_mail() is about to use.
	 */
	public function configure( PHPMailer $phpmailer ): void {
		$settings = $this->settings->get();
		if ( '' === $settings['host'] ) {
			return;
		}

		$phpmailer->isSMTP();
		$phpmailer->Host    = $settings['host']; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->Port    = $settings['port']; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$phpmailer->Timeout = self::TIMEOUT_SECONDS; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase

		// STARTTLS is required, never opportunistic: PHPMailer fails instead of sending in clear text.
		$phpmailer->SMTPSecure  = self::encryption_for_port( $settings['port'] ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		$phpmailer->SMTPAutoTLS = false; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase

		$ssl = array(
			'verify_peer'       => true,
			'verify_peer_name'  => true,
			'allow_self_signed' => false,
		);
		if ( defined( 'SMTP_PORT_HELPER_CA_FILE' ) && is_string( SMTP_PORT_HELPER_CA_FILE ) && is_readable( SMTP_PORT_HELPER_CA_FILE ) ) {
			$ssl['cafile'] = SMTP_PORT_HELPER_CA_FILE;
		}
		$phpmailer->SMTPOptions = array( 'ssl' => $ssl ); // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase

		if ( defined( 'SMTP_PORT_HELPER_USER' ) && defined( 'SMTP_PORT_HELPER_PASS' ) ) {
			$phpmailer->SMTPAuth = true; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
			$phpmailer->Username = (string) SMTP_PORT_HELPER_USER; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
			$phpmailer->Password = (string) SMTP_PORT_HELPER_PASS; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		}
	}

	/**
	 * Implicit TLS on 465 (RFC 8314), STARTTLS everywhere else.
	 *
	 * @param int $port SMTP port.
	 * @return string PHPMailer's `SMTPSecure` value.
	 */
	public static function encryption_for_port( int $port ): string {
		return 465 === $port ? PHPMailer::ENCRYPTION_SMTPS : PHPMailer::ENCRYPTION_STARTTLS;
	}
}
