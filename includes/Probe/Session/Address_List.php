<?php
/**
 * The addresses a probe session tries, in order.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Ip_Address;
use SmtpPortHelper\Probe\Address_Family;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The host's DNS answer (IPv4 first, then IPv6) as far as the address policy allows it, and which
 * address is in use. A session moves to the next address only when one refuses or is
 * unreachable, never after a timeout. Refused addresses are never connected to, nor shown.
 */
final class Address_List {

	/**
	 * DNS answer with the time it took.
	 *
	 * @var array{a: string[], aaaa: string[], error: string, no_answer: bool, ms: float}
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
	 * Why addresses were left out: Ip_Address::INTERNAL when any internal one was, else
	 * Ip_Address::NEVER when any was; '' when none.
	 *
	 * @var string
	 */
	private string $refusal = '';

	/**
	 * Constructor.
	 *
	 * @param array{a: string[], aaaa: string[], error: string, no_answer: bool, ms: float} $dns    DNS answer with its time.
	 * @param Address_Policy                                                                $policy Where connections may go.
	 * @param string                                                                        $family Only this family's addresses are connected to (Address_Family::IPV4, ::IPV6); '' for all.
	 */
	public function __construct( array $dns, Address_Policy $policy, string $family = '' ) {
		$this->dns       = $dns;
		$this->addresses = array();
		foreach ( Address_Family::filter( array_merge( $dns['a'], $dns['aaaa'] ), $family ) as $address ) {
			$refusal = $policy->refusal( $address );
			if ( null === $refusal ) {
				$this->addresses[] = $address;
			} elseif ( Ip_Address::INTERNAL !== $this->refusal ) {
				$this->refusal = $refusal;
			}
		}
		// The other family stays in the DNS stage's detail (as far as the policy allows it).
		$this->dns['a']    = '' === $family || Address_Family::IPV4 === $family ? array_values( array_intersect( $dns['a'], $this->addresses ) ) : $policy->allowed( $dns['a'] );
		$this->dns['aaaa'] = '' === $family || Address_Family::IPV6 === $family ? array_values( array_intersect( $dns['aaaa'], $this->addresses ) ) : $policy->allowed( $dns['aaaa'] );
	}

	/**
	 * Whether the name resolved, but only to addresses the policy refuses.
	 *
	 * @return bool
	 */
	public function all_refused(): bool {
		return '' === $this->dns['error'] && array() === $this->addresses && '' !== $this->refusal;
	}

	/**
	 * Why addresses were refused (Ip_Address::INTERNAL or ::NEVER), '' when none was.
	 *
	 * @return string
	 */
	public function refusal(): string {
		return $this->refusal;
	}

	/**
	 * Seconds the look-up waited for a name server that never answered, or null.
	 *
	 * @param float $limit The look-up's time limit.
	 * @return float|null
	 */
	public function silent_for( float $limit ): ?float {
		return $this->dns['no_answer'] ? $limit : null;
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
		$refused = '' !== $this->refusal ? '; other addresses refused by the address policy' : '';
		return 'A: ' . self::first_four( $this->dns['a'] ) . '; AAAA: ' . self::first_four( $this->dns['aaaa'] ) . '; using ' . $this->addresses[0] . $refused;
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
