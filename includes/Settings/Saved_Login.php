<?php
/**
 * Where the saved SMTP password may go: only to the host and user name it was saved with.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The trust boundary of the saved password. A port test or a save that names another server or
 * another user name must bring its own password: otherwise an administrator (on a network, a
 * sub-site's) could send the saved password to a server of their choice.
 *
 * Host names are compared as the SMTP client sees them: trimmed, case-insensitive, without a
 * trailing dot, international names as punycode; user names exactly (trimmed, as saved).
 */
final class Saved_Login {

	/**
	 * The effective host the password was saved for.
	 *
	 * @var string
	 */
	private string $host;

	/**
	 * The effective user name the password was saved for.
	 *
	 * @var string
	 */
	private string $username;

	/**
	 * Takes the effective host and user name (wp-config constants included).
	 *
	 * @param string $host     Saved host.
	 * @param string $username Saved user name.
	 */
	public function __construct( string $host, string $username ) {
		$this->host     = $host;
		$this->username = $username;
	}

	/**
	 * The login of the effective settings.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public static function of( Settings $settings ): self {
		return new self( $settings->host, $settings->username );
	}

	/**
	 * Whether the saved password may be sent to this host as this user.
	 *
	 * @param mixed $host     Host asked for (unchecked input).
	 * @param mixed $username User name asked for (unchecked input).
	 */
	public function allows( $host, $username ): bool {
		if ( ! is_string( $host ) || ! is_string( $username ) || '' === $this->host ) {
			return false;
		}
		return self::same_host( $this->host, $host ) && trim( $username ) === trim( $this->username );
	}

	/**
	 * Whether two host names name the same server for the SMTP client.
	 *
	 * @param string $one   A host name or address.
	 * @param string $other Another one.
	 */
	public static function same_host( string $one, string $other ): bool {
		return '' !== self::host_key( $one ) && self::host_key( $one ) === self::host_key( $other );
	}

	/**
	 * Why the saved password is not sent, for a 400 naming `auth.password`.
	 */
	public function refusal(): string {
		return sprintf(
			/* translators: 1: saved SMTP host, 2: saved SMTP user name. */
			__( 'Enter the password for this server: the saved password is only sent to %1$s as %2$s.', 'smtp-port-helper' ),
			$this->host,
			$this->username
		);
	}

	/**
	 * A host name as the client connects to it (the form the sealed password is bound to); ''
	 * when it is not a valid host.
	 *
	 * @param string $host Host name or address.
	 */
	public static function host_key( string $host ): string {
		try {
			return Host_Name::parse( $host )->get_ascii();
		} catch ( Invalid_Input_Exception $error ) {
			return '';
		}
	}
}
