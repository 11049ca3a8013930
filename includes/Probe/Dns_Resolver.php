<?php
/**
 * DNS resolution for the probe.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Resolves A and AAAA records of a host, once per probe. PHP's DNS functions are blocking.
 *
 * IP literals are not resolved; `localhost` and names under `.localhost` resolve to the
 * loopback addresses and names under `.invalid` never resolve (RFC 6761), without asking DNS.
 */
class Dns_Resolver {

	/**
	 * Resolves a host.
	 *
	 * @param Host_Name $host Validated host.
	 * @return array{a: string[], aaaa: string[], error: string} Addresses; error is '' on success.
	 */
	public function resolve( Host_Name $host ): array {
		$result = array(
			'a'     => array(),
			'aaaa'  => array(),
			'error' => '',
		);
		$name   = $host->get_ascii();
		if ( 4 === $host->get_ip_version() ) {
			$result['a'][] = $name;
			return $result;
		}
		if ( 6 === $host->get_ip_version() ) {
			$result['aaaa'][] = $name;
			return $result;
		}
		if ( 'localhost' === $name || '.localhost' === substr( $name, -10 ) ) {
			$result['a']    = array( '127.0.0.1' );
			$result['aaaa'] = array( '::1' );
			return $result;
		}
		if ( 'invalid' === $name || '.invalid' === substr( $name, -8 ) ) {
			$result['error'] = 'NXDOMAIN (.invalid never resolves)';
			return $result;
		}

		$lookup = $name . '.';
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- failures are reported below.
		$records = @dns_get_record( $lookup, DNS_A );
		foreach ( is_array( $records ) ? $records : array() as $record ) {
			if ( isset( $record['ip'] ) && false !== filter_var( $record['ip'], FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
				$result['a'][] = $record['ip'];
			}
		}
		// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		$records = @dns_get_record( $lookup, DNS_AAAA );
		foreach ( is_array( $records ) ? $records : array() as $record ) {
			if ( isset( $record['ipv6'] ) && false !== filter_var( $record['ipv6'], FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
				$result['aaaa'][] = $record['ipv6'];
			}
		}
		if ( array() === $result['a'] && array() === $result['aaaa'] ) {
			// The system resolver also reads /etc/hosts.
			$list = gethostbynamel( $name );
			if ( is_array( $list ) ) {
				$result['a'] = $list;
			}
		}
		$result['a']    = array_values( array_unique( $result['a'] ) );
		$result['aaaa'] = array_values( array_unique( $result['aaaa'] ) );
		if ( array() === $result['a'] && array() === $result['aaaa'] ) {
			$result['error'] = 'no A or AAAA record';
		}
		return $result;
	}
}
