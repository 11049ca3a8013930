<?php
/**
 * The SMTP login of a message: the saved password, or an XOAUTH2 token of the connected mailbox.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Result;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\OAuth\Xoauth2_Token_Provider;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * A password that cannot be decrypted is never sent, and a refused OAuth refresh holds the mail:
 * apply() then names why (the connection is blocked and the message waits or is held).
 */
final class Smtp_Login {

	/**
	 * The site's settings (the OAuth connection is built from them).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The OAuth 2.0 connection; built on first use.
	 *
	 * @var OAuth_Connection|null
	 */
	private ?OAuth_Connection $oauth;

	/**
	 * The OAuth token of the last message set up.
	 *
	 * @var Token_Result|null
	 */
	private ?Token_Result $last_token = null;

	/**
	 * Takes the settings and the OAuth connection.
	 *
	 * @param Settings_Store        $settings The site's settings.
	 * @param OAuth_Connection|null $oauth    The OAuth 2.0 connection (default: of the settings).
	 */
	public function __construct( Settings_Store $settings, ?OAuth_Connection $oauth = null ) {
		$this->settings = $settings;
		$this->oauth    = $oauth;
	}

	/**
	 * The OAuth token (or why there is none) of the last message set up; null when it used no OAuth.
	 */
	public function last_token(): ?Token_Result {
		return $this->last_token;
	}

	/**
	 * The mailbox the OAuth 2.0 sign-in sends as: the saved user name, else the connected account
	 * ('' when not connected). An HTTPS API that signs in (Graph, Gmail) sends as it, as SMTP does.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public function signed_in_mailbox( Settings $settings ): string {
		return Token_Store::mailbox( $settings, $this->oauth()->tokens()->connection( $settings )['account'] );
	}

	/**
	 * The OAuth 2.0 connection (built on first use).
	 */
	private function oauth(): OAuth_Connection {
		$this->oauth = $this->oauth ?? new OAuth_Connection( $this->settings );
		return $this->oauth;
	}

	/**
	 * Sets PHPMailer's login for the settings.
	 *
	 * @param PHPMailer      $phpmailer The mailer.
	 * @param Settings_Store $store     The settings' model (the site's or the network's).
	 * @param Settings       $settings  Its effective settings.
	 * @return string|null Why the login cannot be used (the connection is then blocked), or null.
	 */
	public function apply( PHPMailer $phpmailer, Settings_Store $store, Settings $settings ): ?string {
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$blocked          = null;
		$this->last_token = null;
		if ( $settings->uses_oauth() ) {
			// XOAUTH2 with the token of the saved server and mailbox; a refused refresh holds the mail.
			$policy              = ( new Address_Policy_Source() )->for_token_endpoint( $store );
			$this->last_token    = $this->oauth()->access_token( $policy );
			$phpmailer->SMTPAuth = true;
			$phpmailer->AuthType = 'XOAUTH2';
			$phpmailer->Username = $this->last_token->user;
			$phpmailer->Password = '';
			if ( $this->last_token->ok() ) {
				// A token refused before its expiry is refreshed once and the login tried again at once.
				$renewer = function ( string $refused ) use ( $policy ): Token_Result {
					$this->last_token = $this->oauth()->access_token( $policy, $refused );
					return $this->last_token;
				};
				$phpmailer->setOAuth( new Xoauth2_Token_Provider( $this->last_token->user, $this->last_token->token, $renewer ) );
			} else {
				$blocked = 'SMTP Port Helper: ' . $this->last_token->message;
			}
		} elseif ( $settings->auth ) {
			$phpmailer->AuthType = '';
			$password            = $store->password();
			if ( null === $password && $store->network_password_without_tls() ) {
				$blocked  = __( 'SMTP Port Helper: this site logs in with the network\'s SMTP user name and password, which are only sent over an encrypted connection, and its encryption is "none". Choose STARTTLS or implicit TLS in Settings → SMTP Port Helper.', 'smtp-port-helper' );
				$password = '';
			} elseif ( null === $password ) {
				$blocked  = $store->password_unreadable()
					? __( 'SMTP Port Helper: the saved SMTP password cannot be decrypted (the security keys of this site changed). Re-enter the password in Settings → SMTP Port Helper.', 'smtp-port-helper' )
					: __( 'SMTP Port Helper: authentication is on but no SMTP password is saved. Enter the password in Settings → SMTP Port Helper.', 'smtp-port-helper' );
				$password = '';
			}
			$phpmailer->SMTPAuth = true;
			$phpmailer->Username = $settings->username;
			$phpmailer->Password = $password;
		} else {
			$phpmailer->AuthType = '';
			$phpmailer->SMTPAuth = false;
			$phpmailer->Username = '';
			$phpmailer->Password = '';
		}
		// phpcs:enable
		return $blocked;
	}
}
