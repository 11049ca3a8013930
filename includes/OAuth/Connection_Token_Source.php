<?php
/**
 * The site's OAuth 2.0 connection as the token source of an HTTPS API transport.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Transport\Https\Access_Token;
use SmtpPortHelper\Transport\Https\Access_Token_Source;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Tokens come from OAuth_Connection::access_token() under the address policy of the settings'
 * owner, the same engine (refresh margin, Refresh_Lock, refused-token refresh) SMTP's XOAUTH2 uses.
 */
final class Connection_Token_Source implements Access_Token_Source {

	/**
	 * The site's connection.
	 *
	 * @var OAuth_Connection
	 */
	private OAuth_Connection $connection;

	/**
	 * Address policy for the token endpoint.
	 *
	 * @var Address_Policy
	 */
	private Address_Policy $policy;

	/**
	 * Takes the connection and the address policy its token requests go under.
	 *
	 * @param OAuth_Connection $connection The site's connection.
	 * @param Address_Policy   $policy     Address policy for the token endpoint.
	 */
	public function __construct( OAuth_Connection $connection, Address_Policy $policy ) {
		$this->connection = $connection;
		$this->policy     = $policy;
	}

	/**
	 * A usable access token, refreshed once when `$refused` is the cached one.
	 *
	 * @param string $refused The access token the API just refused, or ''.
	 */
	public function access_token( string $refused = '' ): Access_Token {
		$result = $this->connection->access_token( $this->policy, $refused );
		return new Access_Token( $result->token, $result->user, $result->code, $result->message, $result->retry );
	}
}
