<?php
/**
 * The rule for an OAuth endpoint address.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Net\Host_Name;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * An endpoint receives the client secret, the code and the refresh token: it must be https.
 * Plain http is accepted only for this machine (127.0.0.1, ::1, localhost), where a local
 * authorization server for tests or development runs and nothing crosses a network.
 */
final class Endpoint_Url {

	private const LOOPBACK = array( '127.0.0.1', '::1', '[::1]', 'localhost' );

	/**
	 * Why a URL cannot be an OAuth endpoint; null when it can.
	 *
	 * @param string $url Absolute URL.
	 */
	public static function error( string $url ): ?string {
		$parts = parse_url( $url ); // phpcs:ignore WordPress.WP.AlternativeFunctions.parse_url_parse_url -- pure, unit-tested without WordPress; PHP 7.4+ parses URLs like wp_parse_url().
		if ( ! is_array( $parts ) || ! isset( $parts['scheme'], $parts['host'] ) || Host_Name::has_control_chars( $url ) || false !== strpos( $url, ' ' ) || isset( $parts['user'] ) || isset( $parts['fragment'] ) ) {
			return __( 'Enter the endpoint\'s full address, for example https://login.example.com/oauth2/token.', 'smtp-port-helper' );
		}
		$scheme = strtolower( $parts['scheme'] );
		if ( 'https' === $scheme ) {
			return null;
		}
		if ( 'http' === $scheme && self::is_loopback( $parts['host'] ) ) {
			return null;
		}
		return __( 'The endpoint must use https:// (plain http:// is only accepted for a server on this machine).', 'smtp-port-helper' );
	}

	/**
	 * Whether a URL's host is this machine.
	 *
	 * @param string $host Host part of a URL.
	 */
	public static function is_loopback( string $host ): bool {
		return in_array( strtolower( $host ), self::LOOPBACK, true );
	}
}
