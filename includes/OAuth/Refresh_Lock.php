<?php
/**
 * One OAuth token refresh at a time across every process of the site.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Database\Atomic_Option;
use SmtpPortHelper\Database\Database_Error;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A lease in the options table (Atomic_Option, which SQLite can run too): a provider that rotates
 * refresh tokens must never see two refreshes with the same token. A refresh holding the lease
 * longer than SECONDS is taken to have died. A request that finds the lease taken waits for the
 * token the other one gets.
 */
final class Refresh_Lock {

	/** A refresh holding the lock longer than this is taken to have died. */
	private const SECONDS = 30;

	private const OPTION = 'smtp_port_helper_oauth_refresh_lock';

	/**
	 * The lease this object holds (Atomic_Option::take()), or null.
	 *
	 * @var string|null
	 */
	private ?string $lease = null;

	/**
	 * Takes the lock; false when a live refresh holds it (or the database cannot tell, which
	 * waits for the other refresh rather than risk two refreshes at once).
	 */
	public function take(): bool {
		global $wpdb;
		$now = time();
		try {
			$this->lease = Atomic_Option::take( $wpdb->options, self::OPTION, $now + self::SECONDS, $now - 1 );
		} catch ( Database_Error $error ) {
			$this->lease = null;
		}
		wp_cache_delete( self::OPTION, 'options' );
		return null !== $this->lease;
	}

	/**
	 * Gives the lock back, unless it expired and another refresh holds it now.
	 */
	public function release(): void {
		global $wpdb;
		if ( null !== $this->lease ) {
			Atomic_Option::release( $wpdb->options, self::OPTION, $this->lease );
			$this->lease = null;
			wp_cache_delete( self::OPTION, 'options' );
		}
	}

	/**
	 * Waits (up to 10 s) for the token another request is refreshing: until `$token` gives one
	 * or the other request gave the lock back.
	 *
	 * @param callable(): ?string $token Reads the stored token afresh; null while there is none.
	 */
	public function wait( callable $token ): ?string {
		for ( $i = 0; $i < 40; $i++ ) {
			usleep( 250000 );
			wp_cache_delete( Token_Store::ACCESS_OPTION, 'options' );
			wp_cache_delete( self::OPTION, 'options' );
			wp_cache_delete( 'notoptions', 'options' );
			$found = $token();
			if ( null !== $found || false === get_option( self::OPTION, false ) ) {
				return $found;
			}
		}
		return null;
	}
}
