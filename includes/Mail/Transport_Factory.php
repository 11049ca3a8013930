<?php
/**
 * The transport the settings choose: SMTP, or a provider's HTTPS API.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Transport;

defined( 'ABSPATH' ) || exit;

/**
 * The one place that turns settings into a Transport, for the outbox, the test message, Site
 * Health and WP-CLI alike.
 */
final class Transport_Factory {

	/**
	 * Configures PHPMailer for SMTP.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Takes the mailer configuration.
	 *
	 * @param Mailer_Hook $mailer Configures PHPMailer.
	 */
	public function __construct( Mailer_Hook $mailer ) {
		$this->mailer = $mailer;
	}

	/**
	 * The transport of a settings model (the site's or the network's).
	 *
	 * @param Settings_Store $store The settings.
	 */
	public function for_store( Settings_Store $store ): Transport {
		return new Smtp_Transport( $this->mailer, $store );
	}
}
