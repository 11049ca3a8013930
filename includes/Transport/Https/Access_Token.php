<?php
/**
 * An access token for an HTTPS API, or why the sign-in gave none.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What an Access_Token_Source gives OAuth_Api_Transport: the token and the signed-in mailbox, or
 * the port test's verdict code (oauth_not_connected, oauth_refresh_failed), plain words, and
 * whether the failure may pass by itself (the token endpoint did not answer) or needs the admin.
 */
final class Access_Token {

	/**
	 * The bearer token; '' when there is none.
	 *
	 * @var string
	 */
	public string $token;

	/**
	 * The signed-in mailbox.
	 *
	 * @var string
	 */
	public string $mailbox;

	/**
	 * Verdict code when there is no token, else ''.
	 *
	 * @var string
	 */
	public string $code;

	/**
	 * Plain words when there is no token, else ''.
	 *
	 * @var string
	 */
	public string $message;

	/**
	 * Whether the failure may pass by itself (mail waits) rather than need "Connect" again (mail is held).
	 *
	 * @var bool
	 */
	public bool $retry;

	/**
	 * Sets every part.
	 *
	 * @param string $token   Token or ''.
	 * @param string $mailbox Signed-in mailbox.
	 * @param string $code    Verdict code or ''.
	 * @param string $message Plain words or ''.
	 * @param bool   $retry   Whether the failure may pass by itself.
	 */
	public function __construct( string $token, string $mailbox, string $code = '', string $message = '', bool $retry = false ) {
		$this->token   = $token;
		$this->mailbox = $mailbox;
		$this->code    = $code;
		$this->message = $message;
		$this->retry   = $retry;
	}

	/**
	 * Whether there is a token.
	 */
	public function ok(): bool {
		return '' !== $this->token;
	}
}
