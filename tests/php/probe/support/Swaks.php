<?php
/**
 * Runs Debian's swaks, the reference SMTP client the engine is compared with.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

/**
 * One swaks conversation, output discarded: only its exit code matters to the callers.
 */
class Swaks {

	/**
	 * Runs swaks with the given arguments.
	 *
	 * @param string[] $args Arguments after the program name.
	 * @return int Exit code (127 when swaks could not be started).
	 */
	public static function run( array $args ): int {
		$process = proc_open(
			array_merge( array( '/usr/bin/swaks' ), $args ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', '/dev/null', 'w' ),
			),
			$pipes
		);
		if ( ! is_resource( $process ) ) {
			return 127;
		}
		return proc_close( $process );
	}
}
