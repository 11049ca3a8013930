<?php
/**
 * The limits of the routes that open connections, on the real database: they fail closed when the
 * database cannot count, the Site Health port check spends the port test budget, and at most
 * Route_Guard::SLOTS of them run at once on a site.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

require_once __DIR__ . '/support/Other_Connection.php';

use SmtpPortHelper\REST\Concurrency_Limit;
use SmtpPortHelper\REST\Limit_Unavailable_Exception;
use SmtpPortHelper\REST\Rate_Limiter;
use SmtpPortHelper\REST\Route_Guard;

final class Limits_Test extends Integration_Test_Case {

	private const PORT_TESTS = '/smtp-port-helper/v1/port-tests';
	private const TEST_EMAIL = '/smtp-port-helper/v1/test-email';
	private const HEALTH     = '/smtp-port-helper/v1/site-health/port-check';

	/**
	 * A second database connection that holds the rows locked.
	 *
	 * @var Other_Connection|null
	 */
	private ?Other_Connection $other = null;

	protected function setUp(): void {
		parent::setUp();
		// Every count of a test falls into one rate-limit window.
		$into_minute = time() % 60;
		if ( $into_minute > 50 ) {
			sleep( 61 - $into_minute );
		}
	}

	protected function tearDown(): void {
		if ( null !== $this->other ) {
			$this->other->close();
			$this->other = null;
		}
		parent::tearDown();
	}

	/**
	 * Locks option rows from another connection, and makes this connection give up waiting for a
	 * lock after one second: the database cannot count.
	 *
	 * @param list<string> $names Option names to lock.
	 */
	private function lock_option_rows( array $names ): void {
		$this->other = Other_Connection::locking_options( $names );
	}

	/**
	 * The counter rows of a user's budget in this window and the next.
	 */
	private static function counter_rows( string $budget, int $user_id ): array {
		$window = intdiv( time(), 60 );
		return array( "smtp_port_helper_rl_{$budget}_{$user_id}_{$window}", "smtp_port_helper_rl_{$budget}_{$user_id}_" . ( $window + 1 ) );
	}

	public function test_a_port_test_that_cannot_be_counted_is_refused_with_503_and_runs_nothing(): void {
		$user = $this->log_in_as( 'administrator' );
		$this->lock_option_rows( self::counter_rows( 'port_tests', $user ) );
		$started  = microtime( true );
		$response = $this->rest(
			'POST',
			self::PORT_TESTS,
			array(
				'host'  => '127.0.0.1',
				'ports' => array( 587 ),
			)
		);
		$this->assertSame( 503, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'smtp_port_helper_limit_unavailable', $response->get_data()['code'] );
		$this->assertArrayNotHasKey( 'results', $response->get_data(), 'no probe ran' );
		$this->assertSame( '30', $response->get_headers()['Retry-After'] );
		$this->assertLessThan( 5, microtime( true ) - $started );
	}

	public function test_a_test_email_that_cannot_be_counted_is_refused_with_503(): void {
		$this->save_smtp( 'localhost', 587 );
		$user = $this->log_in_as( 'administrator' );
		$this->lock_option_rows( self::counter_rows( 'test_email', $user ) );
		$response = $this->rest( 'POST', self::TEST_EMAIL, array( 'to' => 'someone@example.com' ) );
		$this->assertSame( 503, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'smtp_port_helper_limit_unavailable', $response->get_data()['code'] );
	}

	public function test_when_no_slot_can_be_taken_the_site_health_check_is_refused_with_503(): void {
		$this->log_in_as( 'administrator' );
		$this->lock_option_rows( array( 'smtp_port_helper_slot_connections_1' ) );
		$response = $this->rest( 'GET', self::HEALTH );
		$this->assertSame( 503, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'smtp_port_helper_limit_unavailable', $response->get_data()['code'] );
	}

	public function test_the_limiter_itself_throws_instead_of_counting_one(): void {
		$this->lock_option_rows( self::counter_rows( 'probe', 7 ) );
		$this->expectException( Limit_Unavailable_Exception::class );
		( new Rate_Limiter( 'probe', 10, 60 ) )->hit( 7 );
	}

	public function test_the_site_health_port_check_spends_the_port_test_budget(): void {
		$this->log_in_as( 'administrator' );
		for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE; $i++ ) {
			$this->assertSame( 200, $this->rest( 'GET', self::HEALTH )->get_status(), "check $i" );
		}
		$limited = $this->rest( 'GET', self::HEALTH );
		$this->assertSame( 429, $limited->get_status() );
		$this->assertSame( 'smtp_port_helper_rate_limited', $limited->get_data()['code'] );
		$port_test = $this->rest(
			'POST',
			self::PORT_TESTS,
			array(
				'host'  => '127.0.0.1',
				'ports' => array( 1 ),
			)
		);
		$this->assertSame( 429, $port_test->get_status(), 'the same budget as the port test' );
	}

	public function test_at_most_three_run_at_once_and_a_finished_one_frees_its_slot(): void {
		$this->log_in_as( 'administrator' );
		$body    = array(
			'host'  => '127.0.0.1',
			'ports' => array( 1 ),
		);
		$running = new Concurrency_Limit( 'connections', Route_Guard::SLOTS, Route_Guard::LEASE );
		$held    = array();
		for ( $i = 0; $i < Route_Guard::SLOTS; $i++ ) {
			$held[] = $running->acquire();
		}
		$this->assertNotContains( null, $held );
		foreach ( array( array( 'POST', self::PORT_TESTS, $body ), array( 'GET', self::HEALTH, array() ), array( 'POST', self::TEST_EMAIL, array( 'to' => 'someone@example.com' ) ) ) as $request ) {
			$busy = $this->rest( ...$request );
			$this->assertSame( 429, $busy->get_status(), $request[1] );
			$this->assertSame( 'smtp_port_helper_busy', $busy->get_data()['code'] );
			$this->assertSame( '5', $busy->get_headers()['Retry-After'] );
		}
		$running->release( (string) $held[0] );
		$this->assertSame( 200, $this->rest( 'POST', self::PORT_TESTS, $body )->get_status() );
		$this->assertSame( 200, $this->rest( 'POST', self::PORT_TESTS, $body )->get_status(), 'the finished test gave its slot back' );
	}

	public function test_a_lease_never_given_back_expires(): void {
		$now   = 1000;
		$clock = static function () use ( &$now ): int {
			return $now;
		};
		$slots = new Concurrency_Limit( 'lease_test', 2, 60, $clock );
		$first = $slots->acquire();
		$this->assertNotNull( $first );
		$now = 1030;
		$this->assertNotNull( $slots->acquire() );
		$this->assertNull( $slots->acquire(), 'both slots taken' );
		$now = 1059;
		$this->assertNull( $slots->acquire(), 'still within the lease' );
		$now   = 1060;
		$taken = $slots->acquire();
		$this->assertNotNull( $taken, 'a crashed holder loses its slot at the expiry' );
		$slots->release( (string) $first );
		$this->assertNull( $slots->acquire(), 'the old holder cannot free the slot that was taken over' );
	}
}
