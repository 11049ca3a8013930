<?php
/**
 * The moment by which one message must be handed over or given up on.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A point in time (monotonic clock), passed down to every step that may wait: the DNS lookup,
 * each connect, the TLS handshake and every reply. Each step waits at most what is left, so a
 * message never holds a request longer than the send time limit, however many ports it tries.
 */
final class Deadline {

	/**
	 * Monotonic time in seconds at which the time is up.
	 *
	 * @var float
	 */
	private float $ends_at;

	/**
	 * Takes the moment the time is up.
	 *
	 * @param float $ends_at Monotonic time in seconds (see now()).
	 */
	public function __construct( float $ends_at ) {
		$this->ends_at = $ends_at;
	}

	/**
	 * A deadline this many seconds from now.
	 *
	 * @param float $seconds Seconds from now.
	 */
	public static function in( float $seconds ): self {
		return new self( self::now() + $seconds );
	}

	/**
	 * The monotonic clock the deadline is measured on, in seconds.
	 */
	public static function now(): float {
		return function_exists( 'hrtime' ) ? hrtime( true ) / 1e9 : microtime( true );
	}

	/**
	 * Seconds left (0 when the time is up).
	 *
	 * @phpstan-impure
	 */
	public function remaining(): float {
		return max( 0.0, $this->ends_at - self::now() );
	}

	/**
	 * Whether the time is up.
	 *
	 * @phpstan-impure
	 */
	public function expired(): bool {
		return $this->remaining() <= 0.0;
	}

	/**
	 * A wait in whole seconds for one step: the step's own limit or the whole seconds left,
	 * whichever is shorter, and at least one second (PHPMailer's socket timeouts count whole
	 * seconds). Rounding down keeps the waits inside the limit; rounding up would let three
	 * ports of a 15 s limit wait 5 s each after the look-up already took its part.
	 *
	 * @param int $limit The step's own limit in seconds.
	 */
	public function cap( int $limit ): int {
		return $this->share( $limit, 1 );
	}

	/**
	 * A wait for one of several steps that share what is left (the ports still to try), so that
	 * each of them gets its turn within the limit: at most the step's own limit, at least a second.
	 *
	 * @param int $limit The step's own limit in seconds.
	 * @param int $steps Steps still to come, this one included.
	 */
	public function share( int $limit, int $steps ): int {
		return max( 1, min( $limit, (int) floor( $this->remaining() / max( 1, $steps ) ) ) );
	}
}
