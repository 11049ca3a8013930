<?php
/**
 * WordPress's bundled PHPMailer classes, loaded where wp_mail() has not loaded them yet.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Loads each class on its own: a process may hold PHPMailer without SMTP (another plugin, or
 * WordPress code that required PHPMailer.php alone), and testing only for PHPMailer then left
 * SMTP missing ("Class SMTP not found" in an outbox runner).
 */
final class Phpmailer_Classes {

	/** Class name => its file in wp-includes/PHPMailer/. */
	private const FILES = array(
		'PHPMailer' => 'PHPMailer.php',
		'SMTP'      => 'SMTP.php',
		'Exception' => 'Exception.php',
	);

	/**
	 * Requires each of PHPMailer, SMTP and Exception that is not loaded yet.
	 */
	public static function load(): void {
		foreach ( self::FILES as $class => $file ) {
			if ( ! class_exists( 'PHPMailer\\PHPMailer\\' . $class, false ) ) {
				require_once ABSPATH . 'wp-includes/PHPMailer/' . $file;
			}
		}
	}
}
