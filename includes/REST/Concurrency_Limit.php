<?php
/**
 * At most a few expensive requests at once per site: slots held as leases with an expiry.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;

defined( 'ABSPATH' ) || exit;

/**
 * A rate limit bounds how many port tests start per minute, not how many run at the same time:
 * a burst of slow tests (a host that never answers) could still hold many PHP workers. Each
 * running request holds one of a few slots, an option row `smtp_port_helper_slot_<name>_<n>`
 * leased through Atomic_Option (its expiry and an owner token). A slot is taken atomically when it
 * is free or its lease expired, given back when the request finishes (and on shutdown, so a fatal error does
 * not keep it), and a worker killed outright loses it at the expiry.
 */
final class Concurrency_Limit {

	private const PREFIX = 'smtp_port_helper_slot_';

	/**
	 * Which slots (e.g. "probes"); part of the option names.
	 *
	 * @var string
	 */
	private string $name;

	/**
	 * How many requests may run at once.
	 *
	 * @var int
	 */
	private int $slots;

	/**
	 * Seconds a lease lasts when it is not given back: longer than any request may run.
	 *
	 * @var int
	 */
	private int $lease;

	/**
	 * Returns the current Unix time.
	 *
	 * @var callable(): int
	 */
	private $clock;

	/**
	 * Sets the number of slots and the lease.
	 *
	 * @param string        $name          Which slots.
	 * @param int           $slots         Requests at once.
	 * @param int           $lease_seconds Lease of a slot that is never given back.
	 * @param callable|null $clock         Returns the current Unix time (for tests).
	 */
	public function __construct( string $name, int $slots, int $lease_seconds, ?callable $clock = null ) {
		$this->name  = $name;
		$this->slots = max( 1, $slots );
		$this->lease = max( 1, $lease_seconds );
		$this->clock = $clock ?? 'time';
	}

	/**
	 * Takes a free slot.
	 *
	 * @return string|null The lease to give back to release(), or null when every slot is taken.
	 * @throws Limit_Unavailable_Exception When the database cannot take a slot.
	 */
	public function acquire(): ?string {
		global $wpdb;
		$now = (int) call_user_func( $this->clock );
		for ( $slot = 1; $slot <= $this->slots; $slot++ ) {
			try {
				$lease = Atomic_Option::take( $wpdb->options, $this->option( $slot ), $now + $this->lease, $now );
			} catch ( Database_Error $error ) {
				throw new Limit_Unavailable_Exception( 'No slot could be taken.', 0, $error );
			}
			if ( null !== $lease ) {
				return $slot . '#' . $lease;
			}
		}
		return null;
	}

	/**
	 * Gives a slot back; does nothing when its lease expired and another request took it.
	 *
	 * @param string $held What acquire() returned.
	 */
	public function release( string $held ): void {
		global $wpdb;
		list( $slot, $lease ) = array_pad( explode( '#', $held, 2 ), 2, '' );
		Atomic_Option::release( $wpdb->options, $this->option( (int) $slot ), $lease );
	}

	/**
	 * The option that holds a slot.
	 *
	 * @param int $slot Slot number.
	 */
	private function option( int $slot ): string {
		return self::PREFIX . $this->name . '_' . $slot;
	}
}
