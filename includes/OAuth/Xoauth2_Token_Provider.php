<?php
/**
 * The token PHPMailer sends in AUTH XOAUTH2.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use PHPMailer\PHPMailer\OAuthTokenProvider;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

if ( ! interface_exists( OAuthTokenProvider::class ) ) {
	require_once __DIR__ . '/phpmailer-oauth-token-provider.php';
}

/**
 * Holds one access token, already refreshed by OAuth_Connection when the message was set up,
 * and gives PHPMailer the XOAUTH2 initial response. No token library is brought in: all
 * PHPMailer needs is this one method, and the plugin ships no vendor/ (see README).
 */
final class Xoauth2_Token_Provider implements OAuthTokenProvider {

	/**
	 * The mailbox.
	 *
	 * @var string
	 */
	private string $user;

	/**
	 * The access token.
	 *
	 * @var string
	 */
	private string $token;

	/**
	 * Takes the mailbox and the access token.
	 *
	 * @param string $user  Mailbox (e-mail address).
	 * @param string $token Access token.
	 */
	public function __construct( string $user, string $token ) {
		$this->user  = $user;
		$this->token = $token;
	}

	/**
	 * The XOAUTH2 initial response (PHPMailer's interface).
	 *
	 * @return string
	 */
	public function getOauth64() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- PHPMailer's interface.
		return Xoauth2::initial_response( $this->user, $this->token );
	}
}
