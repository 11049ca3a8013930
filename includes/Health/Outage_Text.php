<?php
/**
 * The words of an outage the daily self-check found.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Health;

use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What the notice, Site Health and the outage mail say when the way mail leaves stopped working:
 * the SMTP server and port, or the provider's HTTPS API when that is the transport.
 */
final class Outage_Text {

	/**
	 * The outage in words (the notice, Site Health), for the transport in use: the SMTP server
	 * and port, or the provider's HTTPS API.
	 *
	 * @param Settings $settings The settings.
	 * @param string   $why      Why it failed.
	 */
	public static function for_settings( Settings $settings, string $why ): string {
		$provider = Transport_Registry::provider( $settings->transport );
		if ( null === $provider ) {
			return self::for_smtp( $settings->host, $settings->port, $why );
		}
		return sprintf(
			/* translators: 1: provider, e.g. SendGrid, 2: why it failed */
			__( 'The daily self-check could not send through the HTTPS API of %1$s: %2$s Mail from this site will fail or wait in the outbox until this is fixed.', 'smtp-port-helper' ),
			$provider->label,
			self::sentence( $why )
		);
	}

	/**
	 * The outage in words, for an SMTP server.
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 * @param string $why  Why it failed.
	 */
	public static function for_smtp( string $host, int $port, string $why ): string {
		return sprintf(
			/* translators: 1: host name, 2: port number, 3: why it failed */
			__( 'The daily self-check could not send through %1$s on port %2$d: %3$s Mail from this site will fail or wait in the outbox until this is fixed.', 'smtp-port-helper' ),
			$host,
			$port,
			self::sentence( $why )
		);
	}

	/**
	 * The reason as a sentence that ends with a full stop.
	 *
	 * @param string $why Why it failed.
	 */
	private static function sentence( string $why ): string {
		return rtrim( $why ) . ( '' !== $why && '.' !== substr( rtrim( $why ), -1 ) ? '.' : '' );
	}
}
