<?php
/**
 * Where an HTTPS API transport that signs in with OAuth 2.0 gets its access token.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The transport asks for a token before its requests and, when the API refuses that token before
 * the expiry the plugin computed, once more with the refused token: the source then refreshes
 * (one refresh across every process) unless another request already did, and gives the new
 * token. It lives here, below OAuth, so that the Transport layer never reads the settings;
 * OAuth\Connection_Token_Source implements it with the site's OAuth connection.
 */
interface Access_Token_Source {

	/**
	 * A usable access token (refreshed when it expires soon), or why there is none.
	 *
	 * @param string $refused The access token the API just refused, or ''.
	 */
	public function access_token( string $refused = '' ): Access_Token;
}
