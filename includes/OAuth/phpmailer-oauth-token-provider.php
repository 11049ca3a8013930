<?php
/**
 * PHPMailer's OAuthTokenProvider interface, which WordPress does not ship.
 *
 * WordPress bundles PHPMailer (wp-includes/PHPMailer) without its OAuth files, yet
 * PHPMailer::setOAuth() takes this interface. Its signature is PHPMailer's own (6.6+,
 * src/OAuthTokenProvider.php); it is declared only when no other code (a newer WordPress, a
 * plugin's Composer copy of PHPMailer) has declared it already.
 *
 * @package SmtpPortHelper
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals.NonPrefixedNamespaceFound, WordPress.NamingConventions.ValidFunctionName.MethodNameInvalid -- PHPMailer's own name and method.
namespace PHPMailer\PHPMailer;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

if ( ! interface_exists( OAuthTokenProvider::class ) ) {
	/**
	 * OAuthTokenProvider - OAuth2 token provider interface (PHPMailer's).
	 */
	interface OAuthTokenProvider {

		/**
		 * Generate a base64-encoded OAuth token ensuring that the access token has not expired.
		 *
		 * @return string
		 */
		public function getOauth64();
	}
}
