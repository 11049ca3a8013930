<?php
/**
 * Lets the integration, SQLite and multisite suites run at the same time (env/test-all.sh): each has
 * its own database, but all of them share the stack's SMTP servers, their received mail, the OAuth
 * authorization server (an account of its own for each suite) and the machine's cores. Every test
 * holds a shared lock while it runs; a test in the group "runs-alone" — one that restarts a shared
 * server, counts every message a shared server received or measures a tight deadline — holds it
 * exclusively, so no test of another suite runs beside it.
 *
 * The suites that run for minutes beside them (static checks, jest, the browser specs and the load
 * test on a stack of their own) hold a second lock, the neighbours' lock, shared for their whole run.
 * A runs-alone test takes that one exclusively first, without passing the turnstile: while it waits
 * for them, the other suites' shared tests go on.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

final class Suite_Lock {

	public const ALONE = 'runs-alone';

	/** @var resource|null The open lock file while this process holds the lock. */
	private static $handle = null;

	/** @var resource|null The neighbours' lock file while a runs-alone test holds it. */
	private static $neighbours = null;

	/**
	 * Waits for the lock: exclusive for a test that must run alone, shared for any other.
	 * Everyone passes a turnstile first, which a waiting exclusive test holds: the other suites'
	 * next tests then wait behind it instead of overlapping forever and starving it.
	 *
	 * @param list<string> $groups The test's PHPUnit groups.
	 */
	public static function enter( array $groups ): void {
		self::leave();
		$alone = in_array( self::ALONE, $groups, true );
		if ( $alone ) {
			self::$neighbours = self::open( 'php-suites-neighbours.lock' );
			self::lock( self::$neighbours, LOCK_EX );
		}
		$turnstile    = self::open( 'php-suites-turnstile.lock' );
		self::$handle = self::open( 'php-suites.lock' );
		self::lock( $turnstile, LOCK_EX );
		self::lock( self::$handle, $alone ? LOCK_EX : LOCK_SH );
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
		foreach ( array( self::$handle, self::$neighbours ) as $handle ) {
			if ( null !== $handle ) {
				flock( $handle, LOCK_UN );
				fclose( $handle ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_fclose
			}
		}
		self::$handle     = null;
		self::$neighbours = null;
	}
}
