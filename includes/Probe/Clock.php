<?php
/**
 * Monotonic clock.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Returns the current time in seconds (float). Injected so that tests can control time.
 */
class Clock {

	/**
	 * Current monotonic time in seconds.
	 *
	 * @return float
	 */
	public function now(): float {
		if ( function_exists( 'hrtime' ) ) {
			return hrtime( true ) / 1e9;
		}
		return microtime( true );
	}
}
