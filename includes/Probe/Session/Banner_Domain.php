<?php
/**
 * Whether the name a server announces belongs to the domain asked for.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Host_Name;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Compares the greeting's name with the host asked for, the sign of a host that redirects
 * outgoing mail to its own server (Verdict::HOST_MISMATCH).
 */
final class Banner_Domain {

	/**
	 * Whether a name announced by the server belongs to another domain than the host asked for.
	 * Only fully qualified names are compared, on their last two labels (three for names like
	 * example.co.uk); IP hosts are never compared.
	 *
	 * @param Host_Name $host   Host asked for.
	 * @param string    $server Name given by the server.
	 * @return bool
	 */
	public static function names_other_domain( Host_Name $host, string $server ): bool {
		$server = rtrim( strtolower( $server ), '.' );
		if ( $host->is_ip() || false === strpos( $server, '.' ) || ! Host_Name::is_ldh_name( $server ) ) {
			return false;
		}
		return self::base_domain( $host->get_ascii() ) !== self::base_domain( $server );
	}

	/**
	 * Rough registrable domain: last two labels, or three for names such as example.co.uk.
	 *
	 * @param string $name Host name.
	 * @return string
	 */
	public static function base_domain( string $name ): string {
		$labels = explode( '.', $name );
		$count  = count( $labels );
		if ( $count <= 2 ) {
			return $name;
		}
		$take = 2;
		if ( 2 === strlen( $labels[ $count - 1 ] ) && strlen( $labels[ $count - 2 ] ) <= 3 ) {
			$take = 3;
		}
		return implode( '.', array_slice( $labels, -$take ) );
	}
}
