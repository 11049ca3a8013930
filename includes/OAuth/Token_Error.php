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

	/**
	 * What happened and what to do, in plain words, with the provider's own words at the end.
	 */
	public function plain(): string {
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
