<?php
/**
 * Remembers for a while the SMTP ports that could not be connected to.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

defined( 'ABSPATH' ) || exit;

/**
 * One transient per failing host and port (`smtp_port_helper_down_<hash>`), so that the next
 * messages try the working fallback port first instead of waiting for the timeout again.
 */
final class Port_Memory {

	public const PREFIX = 'smtp_port_helper_down_';

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
}
