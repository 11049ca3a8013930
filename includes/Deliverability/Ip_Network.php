<?php
/**
 * Whether an address lies in a network (SPF's ip4, ip6, a and mx with a prefix length).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * IPv4 and IPv6 compared byte by byte up to the prefix length; addresses of different families never match.
 */
final class Ip_Network {

	/**
	 * Whether an address lies in a network.
	 *
	 * @param string $ip      Address.
	 * @param string $network Network address.
	 * @param int    $bits    Prefix length.
	 */
	public static function contains( string $ip, string $network, int $bits ): bool {
		$address = inet_pton( $ip );
		$base    = inet_pton( $network );
		if ( false === $address || false === $base || strlen( $address ) !== strlen( $base ) ) {
			return false;
		}
		$bytes = intdiv( $bits, 8 );
		if ( substr( $address, 0, $bytes ) !== substr( $base, 0, $bytes ) ) {
			return false;
		}
		$rest = $bits % 8;
		if ( 0 === $rest ) {
			return true;
		}
		$mask = ( 0xff << ( 8 - $rest ) ) & 0xff;
		return ( ord( $address[ $bytes ] ) & $mask ) === ( ord( $base[ $bytes ] ) & $mask );
	}
}
