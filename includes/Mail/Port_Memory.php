<?php
/**
 * Remembers for a while the SMTP ports that could not be connected to.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Probe_Report;

defined( 'ABSPATH' ) || exit;

/**
 * One transient per failing host and port (`smtp_port_helper_down_<hash>`), so that the next
 * messages try the working fallback port first instead of waiting for the timeout again; one
 * per host for the port a re-test found working (`smtp_port_helper_works_<hash>`), tried first
 * while it is remembered; and, the same way, the only address family that reaches a host and port
 * (`smtp_port_helper_family_<hash>`: 'ipv4' or 'ipv6'), learnt by a port test or a message, so
 * that the next messages connect over it alone.
 */
final class Port_Memory {

	public const PREFIX = \SmtpPortHelper\Stored_Names::PORT_DOWN_PREFIX;

	/** Transient prefix of the port found working for a host. */
	public const WORKING_PREFIX = \SmtpPortHelper\Stored_Names::PORT_WORKS_PREFIX;

	/** Seconds a port found working is remembered (the re-test renews it while mail waits). */
	public const WORKING_TTL = 86400;

	public const FAMILY_PREFIX = \SmtpPortHelper\Stored_Names::FAMILY_PREFIX;

	/**
	 * Seconds a failing port is remembered.
	 *
	 * @var int
	 */
	private int $ttl;

	/**
	 * Sets how long a failing port is remembered.
	 *
	 * @param int $ttl Seconds a failing port is remembered.
	 */
	public function __construct( int $ttl = 600 ) {
		$this->ttl = $ttl;
	}

	/**
	 * Transient name for a host and port.
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public static function key( string $host, int $port ): string {
		return self::PREFIX . md5( strtolower( $host ) . ':' . $port );
	}

	/**
	 * Whether connecting to this host and port failed recently.
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public function is_down( string $host, int $port ): bool {
		return false !== get_transient( self::key( $host, $port ) );
	}

	/**
	 * Remembers that this host and port could not be connected to.
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public function remember_down( string $host, int $port ): void {
		set_transient( self::key( $host, $port ), time(), $this->ttl );
	}

	/**
	 * Forgets a failing host and port (it answered again).
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public function forget( string $host, int $port ): void {
		if ( $this->is_down( $host, $port ) ) {
			delete_transient( self::key( $host, $port ) );
		}
	}

	/**
	 * Remembers the port a re-test found working for a host (tried first by the next messages).
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public function remember_working( string $host, int $port ): void {
		set_transient( self::WORKING_PREFIX . md5( strtolower( $host ) ), $port, self::WORKING_TTL );
	}

	/**
	 * The port last found working for a host, or null.
	 *
	 * @param string $host Host.
	 */
	public function working( string $host ): ?int {
		$port = get_transient( self::WORKING_PREFIX . md5( strtolower( $host ) ) );
		return is_numeric( $port ) && (int) $port > 0 ? (int) $port : null;
	}

	/**
	 * The only address family known to reach this host and port ('' when none is known).
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public function family( string $host, int $port ): string {
		$family = get_transient( self::FAMILY_PREFIX . substr( self::key( $host, $port ), strlen( self::PREFIX ) ) );
		return in_array( $family, array( Address_Family::IPV4, Address_Family::IPV6 ), true ) ? $family : '';
	}

	/**
	 * Remembers that only this address family reaches this host and port.
	 *
	 * @param string $host   Host.
	 * @param int    $port   Port.
	 * @param string $family Address_Family::IPV4 or ::IPV6.
	 */
	public function remember_family( string $host, int $port, string $family ): void {
		set_transient( self::FAMILY_PREFIX . substr( self::key( $host, $port ), strlen( self::PREFIX ) ), $family, $this->ttl );
	}

	/**
	 * Forgets the family of a host and port (both work again).
	 *
	 * @param string $host Host.
	 * @param int    $port Port.
	 */
	public function forget_family( string $host, int $port ): void {
		if ( '' !== $this->family( $host, $port ) ) {
			delete_transient( self::FAMILY_PREFIX . substr( self::key( $host, $port ), strlen( self::PREFIX ) ) );
		}
	}

	/**
	 * What a port test found out about the families of each port: one that works alone is
	 * remembered, one that works on both forgets it (Port_Prober calls this for every front door).
	 *
	 * @param Probe_Report $report The port test.
	 */
	public function learn( Probe_Report $report ): void {
		foreach ( $report->results as $result ) {
			if ( 2 !== count( $result->families ) ) {
				continue;
			}
			$only = Address_Family::only_working( $result );
			if ( '' !== $only ) {
				$this->remember_family( $report->host, $result->port, $only );
			} elseif ( $result->families[ Address_Family::IPV4 ]->is_ok() && $result->families[ Address_Family::IPV6 ]->is_ok() ) {
				$this->forget_family( $report->host, $result->port );
			}
		}
	}
}
