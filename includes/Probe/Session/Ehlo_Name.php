<?php
/**
 * The name a probe session sends with EHLO.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Host_Name;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The configured name; else this server's name if it is a fully qualified host name; else the
 * local address of the connection as an address literal (RFC 5321, 4.1.3).
 */
final class Ehlo_Name {

	/**
	 * Chooses the EHLO name.
	 *
	 * @param string|null $configured    Configured name or null.
	 * @param string      $hostname      This server's host name.
	 * @param string      $local_address Local address of the connection ("ip:port", "[ip6]:port").
	 * @return string
	 */
	public static function choose( ?string $configured, string $hostname, string $local_address ): string {
		if ( null !== $configured ) {
			return $configured;
		}
		$hostname = strtolower( $hostname );
		if ( false !== strpos( $hostname, '.' ) && Host_Name::is_ldh_name( $hostname ) ) {
			return $hostname;
		}
		if ( preg_match( '/^\[?([0-9a-f:.]+?)\]?:[0-9]+$/i', $local_address, $m ) ) {
			if ( false !== filter_var( $m[1], FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
				return '[' . $m[1] . ']';
			}
			if ( false !== filter_var( $m[1], FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
				return '[IPv6:' . $m[1] . ']';
			}
		}
		return 'localhost.localdomain';
	}
}
