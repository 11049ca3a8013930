<?php
/**
 * Lets the integration, SQLite and multisite suites run at the same time (env/test-all.sh): each has
 * its own database, but all of them share the stack's SMTP servers, their received mail, the OAuth
 * authorization server and the machine's cores. Every test holds a shared lock while it runs; a test
 * in the group "runs-alone" — one that restarts a shared server, counts every message a shared server
 * received, changes the authorization server's test settings or measures a tight deadline — holds it
 * exclusively, so no test of another suite runs beside it.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

final class Suite_Lock {

	public const ALONE = 'runs-alone';

	/** @var resource|null The open lock file while this process holds the lock. */
	private static $handle = null;

	/**
	 * Waits for the lock: exclusive for a test that must run alone, shared for any other.
	 * Everyone passes a turnstile first, which a waiting exclusive test holds: the other suites'
	 * next tests then wait behind it instead of overlapping forever and starving it.
	 *
	 * @param list<string> $groups The test's PHPUnit groups.
	 */
	public static function enter( array $groups ): void {
		self::leave();
		$turnstile    = self::open( 'php-suites-turnstile.lock' );
		self::$handle = self::open( 'php-suites.lock' );
		self::lock( $turnstile, LOCK_EX );
		self::lock( self::$handle, in_array( self::ALONE, $groups, true ) ? LOCK_EX : LOCK_SH );
		flock( $turnstile, LOCK_UN );
		fclose( $turnstile ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
	}

	/**
	 * Opens a lock file in the stack's run folder.
	 *
	 * @return resource
	 */
	private static function open( string $name ) {
		$dir = ( getenv( 'RUN' ) ?: dirname( __DIR__, 3 ) . '/.run' ) . '/locks';
		if ( ! is_dir( $dir ) ) {
			@mkdir( $dir, 0700, true ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged -- another suite may create it at the same moment.
		}
		$handle = fopen( "$dir/$name", 'c' ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fopen
		if ( false === $handle ) {
			throw new \RuntimeException( "Cannot open the suites' lock file $dir/$name" );
		}
		return $handle;
	}

	/**
	 * Waits until the lock is held.
	 *
	 * @param resource $handle    Open lock file.
	 * @param int      $operation LOCK_SH or LOCK_EX.
	 */
	private static function lock( $handle, int $operation ): void {
		if ( ! flock( $handle, $operation ) ) {
			throw new \RuntimeException( "Cannot lock the suites' lock file" );
		}
	}

	/**
	 * Gives the lock back (nothing when this process holds none).
	 */
	public static function leave(): void {
		if ( null === self::$handle ) {
			return;
		}
		flock( self::$handle, LOCK_UN );
		fclose( self::$handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
		self::$handle = null;
	}
}
