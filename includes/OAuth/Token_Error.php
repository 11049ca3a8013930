<?php
/**
 * A refusal or failure of the token endpoint.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Probe\Text;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Carries the provider's OAuth error code (`invalid_grant`…, RFC 6749 §5.2) or `network` when no
 * answer came, and explains it in plain words with what to do. Never carries a token.
 */
final class Token_Error extends \RuntimeException {

	/** No usable answer: the endpoint could not be reached, or answered with something else. */
	public const NETWORK = 'network';

	/** The address policy refused the endpoint's address. */
	public const ADDRESS_REFUSED = 'address_refused';

	/** The endpoint's port is not https's, and the policy keeps the site to known ports. */
	public const PORT_REFUSED = 'port_refused';

	/**
	 * The provider's error code, NETWORK or ADDRESS_REFUSED.
	 *
	 * @var string
	 */
	private string $error;

	/**
	 * The provider's error_description (cleaned, shortened) or the transport's error.
	 *
	 * @var string
	 */
	private string $description;

	/**
	 * Takes the error code and description.
	 *
	 * @param string $error       Error code.
	 * @param string $description Description.
	 */
	public function __construct( string $error, string $description ) {
		$this->error       = Text::sanitize( '' !== $error ? $error : 'invalid_request', 64 );
		$this->description = Text::sanitize( $description, 300 );
		parent::__construct( $this->error . ( '' !== $this->description ? ': ' . $this->description : '' ) );
	}

	/**
	 * The error code.
	 */
	public function error(): string {
		return $this->error;
	}

	/**
	 * Whether the provider refused the grant or the client: connecting again (or a new client
	 * secret) is needed, retrying alone will not help.
	 */
	public function is_permanent(): bool {
		return ! in_array( $this->error, array( self::NETWORK, 'temporarily_unavailable', 'server_error' ), true );
	}

	/** A Google refresh token dead this soon after the sign-in is a "Testing" app's (7 days). */
	public const GOOGLE_TESTING_LIFETIME = 7 * 86400;

	/**
	 * The provider's finer cause: Microsoft's AADSTS number or Google's revoked/expired token,
	 * '' when the answer names none.
	 */
	public function cause(): string {
		if ( 1 === preg_match( '/\bAADSTS(\d+)\b/', $this->description, $match ) ) {
			return 'AADSTS' . $match[1];
		}
		if ( 'invalid_grant' === $this->error && false !== stripos( $this->description, 'Token has been expired or revoked' ) ) {
			return 'google_expired_or_revoked';
		}
		return '';
	}

	/**
	 * Whether the refused grant is a Google app in "Testing": the token answer carried
	 * refresh_token_expires_in, or the refresh token died about 7 days after the sign-in (an hour
	 * either way). One refused sooner was revoked: a Testing app's sign-in lasts the 7 days.
	 *
	 * @param array<string, string> $record The connection record (Token_Store::record()).
	 */
	public static function google_testing( array $record ): bool {
		if ( 'google' !== ( $record['provider'] ?? '' ) ) {
			return false;
		}
		if ( '' !== ( $record['refresh_expires_at'] ?? '' ) ) {
			return true;
		}
		$connected = strtotime( (string) ( $record['connected_at'] ?? '' ) );
		return false !== $connected && abs( time() - $connected - self::GOOGLE_TESTING_LIFETIME ) <= 3600;
	}

	/**
	 * The words that ask to publish a Google app left in "Testing".
	 */
	public static function publish_google_app(): string {
		return __( 'The Google app is still in "Testing": Google ends its sign-ins after 7 days. Publish the app in the Google Cloud console (APIs & Services → OAuth consent screen → Publish app) to get long-lived tokens, then click "Connect" again.', 'smtp-port-helper' );
	}

	/**
	 * What happened and what to do, in plain words, with the provider's own words at the end.
	 * The one place where each provider error gets its explanation and the one action that fixes it.
	 *
	 * @param array<string, string> $record The connection record, for what depends on it (a Google app in "Testing").
	 */
	public function plain( array $record = array() ): string {
		$cause = $this->cause();
		if ( 'invalid_grant' === $this->error && array() !== $record && self::google_testing( $record ) ) {
			$cause = 'google_testing';
		}
		switch ( $cause ) {
			case 'AADSTS70008':
			case 'AADSTS700082':
				$text = sprintf(
					/* translators: %s: the OAuth error and Microsoft's error number, e.g. "invalid_grant, AADSTS700082" */
					__( 'Microsoft ended the sign-in because it was not used for 90 days (%s). Click "Connect" in Settings → SMTP Port Helper and sign in with the mailbox again; the weekly keep-alive then keeps it from expiring.', 'smtp-port-helper' ),
					$this->error . ', ' . $cause
				);
				return $this->with_description( $text );
			case 'AADSTS7000222':
				$text = __( 'The client secret of the app registration has expired (AADSTS7000222). In Microsoft Entra ID → App registrations → the app → Certificates & secrets, create a new client secret, save it in Settings → SMTP Port Helper with its expiry date, then click "Connect" again.', 'smtp-port-helper' );
				return $this->with_description( $text );
			case 'google_testing':
				return $this->with_description( self::publish_google_app() );
			case 'google_expired_or_revoked':
				$text = __( 'Google no longer accepts the saved sign-in: it was revoked (access removed in the Google account, or the password changed) or it expired. Click "Connect" in Settings → SMTP Port Helper and sign in with the mailbox again.', 'smtp-port-helper' );
				return $this->with_description( $text );
		}
		switch ( $this->error ) {
			case 'invalid_grant':
				$text = __( 'The provider no longer accepts the saved sign-in (invalid_grant): consent was withdrawn, the account\'s password changed, or the sign-in expired or was revoked. Click "Connect" in Settings → SMTP Port Helper and sign in with the mailbox again.', 'smtp-port-helper' );
				break;
			case 'invalid_client':
			case 'unauthorized_client':
				$text = sprintf(
					/* translators: %s: the OAuth error code, e.g. invalid_client */
					__( 'The provider refused the app\'s client ID or client secret (%s); a client secret may have expired. Create a new client secret in the app registration, save it in Settings → SMTP Port Helper, then click "Connect" again.', 'smtp-port-helper' ),
					$this->error
				);
				break;
			case 'invalid_scope':
				$text = __( 'The provider refused the permission asked for (invalid_scope). Check that the app registration allows sending mail over SMTP, then click "Connect" again.', 'smtp-port-helper' );
				break;
			case self::NETWORK:
			case 'temporarily_unavailable':
			case 'server_error':
				$text = __( 'The provider\'s token endpoint did not answer usefully, so the sign-in could not be renewed. Mail waits in the outbox and is retried automatically; it is sent once the sign-in can be renewed.', 'smtp-port-helper' );
				break;
			case self::ADDRESS_REFUSED:
				$text = __( 'The token endpoint\'s address is not allowed for this site (an internal or reserved address). Ask the network administrator, or check the endpoint in the settings.', 'smtp-port-helper' );
				break;
			case self::PORT_REFUSED:
				$text = __( 'The token endpoint\'s port is not allowed for this site: on this network of sites, a site\'s own token endpoint must use the https port, 443. Ask the network administrator, or check the endpoint in the settings.', 'smtp-port-helper' );
				break;
			default:
				$text = sprintf(
					/* translators: %s: the OAuth error code */
					__( 'The provider refused to renew the sign-in (%s). Click "Connect" in Settings → SMTP Port Helper and sign in again; if that fails too, check the app registration.', 'smtp-port-helper' ),
					$this->error
				);
		}
		return $this->with_description( $text );
	}

	/**
	 * Plain words followed by the provider's own.
	 *
	 * @param string $text Plain words.
	 */
	private function with_description( string $text ): string {
		if ( '' !== $this->description ) {
			$text .= ' ' . sprintf(
				/* translators: %s: the provider's own error description */
				__( 'The provider said: "%s".', 'smtp-port-helper' ),
				$this->description
			);
		}
		return $text;
	}
}
