<?php
/**
 * The token PHPMailer sends in AUTH XOAUTH2.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use PHPMailer\PHPMailer\OAuthTokenProvider;
use SmtpPortHelper\Probe\Xoauth2;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

if ( ! interface_exists( OAuthTokenProvider::class ) ) {
	require_once __DIR__ . '/phpmailer-oauth-token-provider.php';
}

/**
 * Holds one access token, already refreshed by OAuth_Connection when the message was set up,
 * and gives PHPMailer the XOAUTH2 initial response. No token library is brought in: all
 * PHPMailer needs is this one method, and the plugin ships no vendor/ (see README).
 *
 * When the server refuses the token before its computed expiry, renew() asks once for another
 * (OAuth_Connection refreshes, ignoring the cached token) so the login can be tried again at once.
 */
final class Xoauth2_Token_Provider implements OAuthTokenProvider {

	/**
	 * Gets a new token for a refused one: fn( string $refused ): Token_Result; null: cannot renew.
	 *
	 * @var callable|null
	 */
	private $renewer;

	/**
	 * Whether renew() was used (once per provider).
	 *
	 * @var bool
	 */
	private bool $renewed = false;

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
	 * @param string        $user    Mailbox (e-mail address).
	 * @param string        $token   Access token.
	 * @param callable|null $renewer fn( string $refused ): Token_Result, forcing one refresh.
	 */
	public function __construct( string $user, string $token, ?callable $renewer = null ) {
		$this->user    = $user;
		$this->token   = $token;
		$this->renewer = $renewer;
	}

	/**
	 * Whether the server refused the XOAUTH2 token itself: a `334` carrying the error JSON
	 * (RFC 7628 §3.2.2), `535`, or a `5.7.x` answer — not a busy server's `4xx`.
	 *
	 * @param array<string, string> $error PHPMailer's last error.
	 */
	public static function refused_by( array $error ): bool {
		$code = (int) $error['smtp_code'];
		return 334 === $code || 535 === $code || ( $code >= 500 && 0 === strpos( (string) $error['smtp_code_ex'], '5.7.' ) );
	}

	/**
	 * Whether a refused token may still be renewed (once).
	 */
	public function can_renew(): bool {
		return null !== $this->renewer && ! $this->renewed;
	}

	/**
	 * Replaces the refused token with a refreshed one; the failure when the refresh did not give one.
	 */
	public function renew(): Token_Result {
		$renewer = $this->renewer;
		if ( null === $renewer || $this->renewed ) {
			return Token_Result::failure( $this->user, '', '' );
		}
		$this->renewed = true;
		$result        = $renewer( $this->token );
		if ( $result instanceof Token_Result && $result->ok() ) {
			$this->user  = $result->user;
			$this->token = $result->token;
		}
		return $result instanceof Token_Result ? $result : Token_Result::failure( $this->user, '', '' );
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
