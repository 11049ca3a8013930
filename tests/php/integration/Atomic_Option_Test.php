<?php
/**
 * The atomic writes behind the limits, the outbox's re-test turn and the OAuth refresh lock, raced
 * by separate PHP processes on the real database — MariaDB in the integration suite, WordPress
 * Playground's SQLite integration in the SQLite suite (phpunit.sqlite.xml.dist).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Database\Atomic_Option;

/**
 * @group database
 */
final class Atomic_Option_Test extends Integration_Test_Case {

	use Runs_Php_Processes;

	private const CONTENDERS = 6;

	private const COUNTS_EACH = 20;

	private const LIMIT = 50;

	public function test_racing_processes_one_takes_a_new_lease_one_an_expired_one_and_the_counter_stops_at_its_limit(): void {
		global $wpdb;
		$lease   = 'smtp_port_helper_test_lease_' . wp_generate_password( 8, false );
		$counter = 'smtp_port_helper_test_counter_' . wp_generate_password( 8, false );
		$wpdb->query( 'COMMIT' ); // The contenders see only committed rows; SQLite lets them write only then.
		try {
			$results = $this->race( $lease, $counter );
			$this->assertSame( 1, count( array_filter( array_column( $results, 'new' ) ) ), 'one process took the new lease' );
			$this->assertSame( 1, count( array_filter( array_column( $results, 'expired' ) ) ), 'one process took it over once expired' );
			$this->assertSame( 2000, Atomic_Option::time_of( $this->raw_option( $lease ) ) );
			$this->assertSame( self::LIMIT, array_sum( array_column( $results, 'counted' ) ), 'counted exactly up to the limit' );
			$this->assertSame( (string) self::LIMIT, $this->raw_option( $counter ) );
		} finally {
			$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name IN ( %s, %s )", $lease, $counter ) );
			$wpdb->query( 'COMMIT' );
		}
	}

	public function test_a_lease_is_given_back_only_by_its_owner(): void {
		global $wpdb;
		$name  = 'smtp_port_helper_test_lease_' . wp_generate_password( 8, false );
		$first = Atomic_Option::take( $wpdb->options, $name, 1100, 1000 );
		$this->assertNotNull( $first );
		$this->assertNull( Atomic_Option::take( $wpdb->options, $name, 1200, 1099 ), 'held until 1100' );
		$second = Atomic_Option::take( $wpdb->options, $name, 1200, 1100 );
		$this->assertNotNull( $second, 'taken over at its time' );
		Atomic_Option::release( $wpdb->options, $name, (string) $first );
		$this->assertSame( $second, $this->raw_option( $name ), 'the former owner cannot free the new owner’s lease' );
		Atomic_Option::release( $wpdb->options, $name, (string) $second );
		$this->assertNull( $this->raw_option( $name ) );
	}

	public function test_a_counter_counts_from_one_and_refuses_at_its_limit(): void {
		global $wpdb;
		$name = 'smtp_port_helper_test_counter_' . wp_generate_password( 8, false );
		$this->assertSame( Atomic_Option::CREATED, Atomic_Option::count_up_to( $wpdb->options, $name, 10 ) );
		for ( $i = 2; $i <= 10; $i++ ) {
			$this->assertSame( Atomic_Option::COUNTED, Atomic_Option::count_up_to( $wpdb->options, $name, 10 ), "count $i" );
		}
		$this->assertSame( Atomic_Option::FULL, Atomic_Option::count_up_to( $wpdb->options, $name, 10 ) );
		$this->assertSame( '10', $this->raw_option( $name ), 'compared as a number, not as text ("10" < "9")' );
	}

	/**
	 * Starts the contenders at the same moment and collects what each won.
	 *
	 * @return list<array{new: bool, expired: bool, counted: int}>
	 */
	private function race( string $lease, string $counter ): array {
		$start  = sprintf( '%.3f', microtime( true ) + 2 ); // Every process has loaded WordPress by then.
		$script = __DIR__ . '/support/race-atomic-option.php';
		return $this->run_php_processes( array_fill( 0, self::CONTENDERS, array( $script, $start, $lease, $counter, (string) self::COUNTS_EACH, (string) self::LIMIT ) ) );
	}
}
