<?php
/**
 * An access token for XOAUTH2, or why there is none.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What OAuth_Connection::access_token() gives the sending, the probe and Site Health: the token
 * and the XOAUTH2 user, or a verdict code (oauth_not_connected, oauth_refresh_failed) with plain
 * words.
 */
final class Token_Result {

	/**
	 * The access token; '' when there is none.
	 *
	 * @var string
	 */
	public string $token;

	/**
	 * The XOAUTH2 `user=`.
	 *
	 * @var string
	 */
	public string $user;

	/**
	 * Verdict code when there is no token; ''.
	 *
	 * @var string
	 */
	public string $code;

	/**
	 * Plain words when there is no token; ''.
	 *
	 * @var string
	 */
	public string $message;

	/**
	 * Whether the failure may pass by itself (the token endpoint did not answer usefully), so
	 * waiting mail is retried; false for a token or a refusal that needs the admin.
	 *
	 * @var bool
	 */
	public bool $retry;

	/**
	 * Sets every part.
	 *
	 * @param string $token   Access token or ''.
	 * @param string $user    XOAUTH2 user.
	 * @param string $code    Verdict code or ''.
	 * @param string $message Plain words or ''.
	 * @param bool   $retry   Whether the failure may pass by itself.
	 */
	private function __construct( string $token, string $user, string $code, string $message, bool $retry = false ) {
		$this->token   = $token;
		$this->user    = $user;
		$this->code    = $code;
		$this->message = $message;
		$this->retry   = $retry;
	}

	/**
	 * A usable token.
	 *
	 * @param string $token Access token.
	 * @param string $user  XOAUTH2 user.
	 */
	public static function token( string $token, string $user ): self {
		return new self( $token, $user, '', '' );
	}

	/**
	 * No token, and why.
	 *
	 * @param string $user    XOAUTH2 user.
	 * @param string $code    Verdict code.
	 * @param string $message Plain words.
	 * @param bool   $retry   Whether it may pass by itself (the token endpoint was unreachable).
	 */
	public static function failure( string $user, string $code, string $message, bool $retry = false ): self {
		return new self( '', $user, $code, $message, $retry );
	}

	/**
	 * Whether there is a token.
	 */
	public function ok(): bool {
		return '' !== $this->token;
	}
}
