<?php
/**
 * Where an HTTPS API transport that signs in with OAuth 2.0 gets its access token.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The transport asks for a token before each request and, when the API refuses that token before
 * the expiry the plugin computed, once more with the refused token: the source then refreshes
 * (one refresh across every process, Refresh_Lock) unless another request already did, and gives
 * the new token. Transport\Https\OAuth_Api_Transport depends on this interface only, so the
 * Transport layer never reads the settings.
 */
interface Access_Token_Source {

	/**
	 * A usable access token (refreshed when it expires soon), or why there is none.
	 *
	 * @param string $refused The access token the API just refused, or ''.
	 */
	public function access_token( string $refused = '' ): Token_Result;
}
