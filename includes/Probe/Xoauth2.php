<?php
/**
 * The SASL XOAUTH2 initial response.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * `base64( "user=" user "\x01auth=Bearer " token "\x01\x01" )`, as Microsoft and Google document
 * XOAUTH2; the same string PHPMailer sends after `AUTH XOAUTH2 `.
 */
final class Xoauth2 {

	/**
	 * The initial response.
	 *
	 * @param string $user  Mailbox (e-mail address).
	 * @param string $token Access token.
	 */
	public static function initial_response( string $user, string $token ): string {
		return base64_encode( 'user=' . $user . "\x01auth=Bearer " . $token . "\x01\x01" ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- SASL XOAUTH2 is base64.
	}
}
