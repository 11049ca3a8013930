<?php
/**
 * The addresses a probe session tries, in order.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The host's DNS answer (IPv4 first, then IPv6) and which address is in use. A session moves
 * to the next address only when one refuses or is unreachable, never after a timeout.
 */
final class Address_List {

	/**
	 * DNS answer with the time it took.
	 *
	 * @var array{a: string[], aaaa: string[], error: string, ms: float}
	 */
	private array $dns;

	/**
	 * Addresses, IPv4 first.
	 *
	 * @var string[]
	 */
	private array $addresses;

	/**
	 * Index of the address in use.
	 *
	 * @var int
	 */
	private int $index = 0;

	/**
	 * Constructor.
	 *
	 * @param array{a: string[], aaaa: string[], error: string, ms: float} $dns DNS answer with its time.
	 */
	public function __construct( array $dns ) {
		$this->dns       = $dns;
		$this->addresses = array_merge( $dns['a'], $dns['aaaa'] );
	}

	/**
	 * Whether there is nothing to connect to.
	 *
	 * @return bool
	 */
	public function is_empty(): bool {
		return '' !== $this->dns['error'] || array() === $this->addresses;
	}

	/**
	 * The lookup error ('' when none).
	 *
	 * @return string
	 */
	public function error(): string {
		return $this->dns['error'];
	}

	/**
	 * Milliseconds the lookup took.
	 *
	 * @return float
	 */
	public function lookup_ms(): float {
		return $this->dns['ms'];
	}

	/**
	 * Detail for the report's DNS stage.
	 *
	 * @param bool $ip_literal Whether the host was an IP address (no lookup).
	 * @return string
	 */
	public function stage_detail( bool $ip_literal ): string {
		if ( $ip_literal ) {
			return 'IP literal, no lookup';
		}
		return 'A: ' . self::first_four( $this->dns['a'] ) . '; AAAA: ' . self::first_four( $this->dns['aaaa'] ) . '; using ' . $this->addresses[0];
	}

	/**
	 * The address in use.
	 *
	 * @return string
	 */
	public function current(): string {
		return $this->addresses[ $this->index ];
	}

	/**
	 * Whether another address is left.
	 *
	 * @return bool
	 */
	public function has_next(): bool {
		return $this->index + 1 < count( $this->addresses );
	}

	/**
	 * Moves to the next address.
	 *
	 * @return void
	 */
	public function advance(): void {
		++$this->index;
	}

	/**
	 * Up to four addresses, or '-'.
	 *
	 * @param string[] $addresses Addresses.
	 * @return string
	 */
	private static function first_four( array $addresses ): string {
		return array() === $addresses ? '-' : implode( ', ', array_slice( $addresses, 0, 4 ) );
	}
}
