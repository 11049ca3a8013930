<?php
/**
 * The system's resolver configuration: /etc/hosts and /etc/resolv.conf.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads what the C library's resolver reads, so that names resolve here as they do for the rest
 * of the server: the hosts file first, then the name servers (at most three, 127.0.0.1 when none
 * is listed) with the search domains for names with fewer dots than `ndots`.
 */
final class Resolver_Config {

	/**
	 * Path of the hosts file.
	 *
	 * @var string
	 */
	private string $hosts_file;

	/**
	 * Path of resolv.conf.
	 *
	 * @var string
	 */
	private string $resolv_conf;

	/**
	 * Takes the files to read.
	 *
	 * @param string $hosts_file  Hosts file.
	 * @param string $resolv_conf resolv.conf.
	 */
	public function __construct( string $hosts_file = '/etc/hosts', string $resolv_conf = '/etc/resolv.conf' ) {
		$this->hosts_file  = $hosts_file;
		$this->resolv_conf = $resolv_conf;
	}

	/**
	 * The addresses the hosts file gives a name.
	 *
	 * @param string $name Host name, ASCII.
	 * @return array{a: string[], aaaa: string[]}
	 */
	public function from_hosts( string $name ): array {
		$found = array(
			'a'    => array(),
			'aaaa' => array(),
		);
		$name  = strtolower( rtrim( $name, '.' ) );
		foreach ( self::lines( $this->hosts_file ) as $fields ) {
			$address = array_shift( $fields );
			if ( ! in_array( $name, array_map( 'strtolower', $fields ), true ) ) {
				continue;
			}
			if ( false !== filter_var( $address, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
				$found['a'][] = $address;
			} elseif ( false !== filter_var( $address, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
				$found['aaaa'][] = $address;
			}
		}
		$found['a']    = array_values( array_unique( $found['a'] ) );
		$found['aaaa'] = array_values( array_unique( $found['aaaa'] ) );
		return $found;
	}

	/**
	 * The name servers, in order (at most three, as the C library uses).
	 *
	 * @return string[] IP addresses.
	 */
	public function name_servers(): array {
		$servers = array();
		foreach ( self::lines( $this->resolv_conf ) as $fields ) {
			if ( 'nameserver' === $fields[0] && isset( $fields[1] ) ) {
				$address = preg_replace( '/%.*$/', '', $fields[1] ); // A scope id (fe80::1%eth0) is not kept.
				if ( false !== filter_var( $address, FILTER_VALIDATE_IP ) ) {
					$servers[] = (string) $address;
				}
			}
		}
		return array() === $servers ? array( '127.0.0.1' ) : array_slice( $servers, 0, 3 );
	}

	/**
	 * The names to ask for, in order: with the search domains first when the name has fewer
	 * dots than `ndots` (1 by default), then the name itself.
	 *
	 * @param string $name Host name, ASCII.
	 * @return string[]
	 */
	public function candidates( string $name ): array {
		$name   = rtrim( $name, '.' );
		$search = array();
		$ndots  = 1;
		foreach ( self::lines( $this->resolv_conf ) as $fields ) {
			if ( 'search' === $fields[0] || 'domain' === $fields[0] ) {
				$search = array_slice( $fields, 1, 6 ); // The last search or domain line wins.
			} elseif ( 'options' === $fields[0] ) {
				foreach ( $fields as $option ) {
					if ( preg_match( '/^ndots:(\d+)$/', $option, $match ) ) {
						$ndots = min( 15, (int) $match[1] );
					}
				}
			}
		}
		if ( substr_count( $name, '.' ) >= $ndots ) {
			return array( $name );
		}
		$names = array();
		foreach ( $search as $domain ) {
			$domain = strtolower( trim( $domain, '.' ) );
			if ( '' !== $domain && Host_Name::is_ldh_name( $name . '.' . $domain ) ) {
				$names[] = $name . '.' . $domain;
			}
		}
		$names[] = $name;
		return $names;
	}

	/**
	 * The lines of a configuration file as whitespace-separated fields, comments left out.
	 *
	 * @param string $file File.
	 * @return list<non-empty-list<string>>
	 */
	private static function lines( string $file ): array {
		$text = is_readable( $file ) ? file_get_contents( $file, false, null, 0, 1048576 ) : false; // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local system file.
		if ( false === $text ) {
			return array();
		}
		$lines = array();
		$all   = preg_split( '/\R/', $text );
		foreach ( false !== $all ? $all : array() as $line ) {
			$line   = preg_replace( '/[#;].*$/', '', $line );
			$fields = preg_split( '/\s+/', trim( (string) $line ), -1, PREG_SPLIT_NO_EMPTY );
			if ( is_array( $fields ) && array() !== $fields ) {
				$lines[] = $fields;
			}
		}
		return $lines;
	}
}
