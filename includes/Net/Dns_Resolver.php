<?php
/**
 * DNS resolution for the probe and for sending, within a time limit.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Resolves the A and AAAA records of a host within a time limit (the probe's deadline, a
 * message's time limit): the hosts file first, then the system's name servers through
 * Dns_Client, which never waits past the limit.
 *
 * IP literals are not resolved; `localhost` and names under `.localhost` resolve to the
 * loopback addresses and names under `.invalid` never resolve (RFC 6761), without asking DNS.
 */
class Dns_Resolver {

	/**
	 * The system's resolver configuration.
	 *
	 * @var Resolver_Config
	 */
	private Resolver_Config $config;

	/**
	 * Port of the name servers (53; another only in tests).
	 *
	 * @var int
	 */
	private int $port;

	/**
	 * Takes the resolver configuration.
	 *
	 * @param Resolver_Config|null $config Hosts file and resolv.conf (default: the system's).
	 * @param int                  $port   Port of the name servers.
	 */
	public function __construct( ?Resolver_Config $config = null, int $port = 53 ) {
		$this->config = $config ?? new Resolver_Config();
		$this->port   = $port;
	}

	/**
	 * Resolves a host.
	 *
	 * @param Host_Name $host    Validated host.
	 * @param float     $seconds Time limit of the look-up.
	 * @return array{a: string[], aaaa: string[], error: string, no_answer: bool} Addresses; error
	 *         is '' on success; no_answer: no name server answered within the time limit.
	 */
	public function resolve( Host_Name $host, float $seconds = 10.0 ): array {
		$result = array(
			'a'         => array(),
			'aaaa'      => array(),
			'error'     => '',
			'no_answer' => false,
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
		$hosts = $this->config->from_hosts( $name );
		if ( array() !== $hosts['a'] || array() !== $hosts['aaaa'] ) {
			return array_merge( $result, $hosts );
		}
		$found = ( new Dns_Client( $this->config->name_servers(), $this->port ) )->lookup( $this->config->candidates( $name ), $seconds );
		if ( Dns_Client::NO_SERVER === $found['error'] ) {
			// No UDP at all (PHP-wasm in Playground resolves through its own proxy): the C library's
			// look-up is the only one there is, and no name server can hold it.
			$list = gethostbynamel( $name );
			if ( is_array( $list ) && array() !== $list ) {
				$found['a']     = array_values( array_unique( $list ) );
				$found['error'] = '';
			}
		}
		return $found;
	}

	/**
	 * Asks DNS questions of any type the client reads, all at once, within a time limit (the
	 * domain check's records). The hosts file plays no part: it holds no TXT or MX records.
	 *
	 * @param list<array{0: string, 1: int}> $questions Name (ASCII) and Dns_Packet type.
	 * @param float                          $seconds   Time limit.
	 * @return list<array{rcode: int, records: list<array{name: string, type: int, ttl: int, data: string}>, error: string}>
	 */
	public function query( array $questions, float $seconds ): array {
		return ( new Dns_Client( $this->config->name_servers(), $this->port ) )->query( $questions, $seconds );
	}
}
