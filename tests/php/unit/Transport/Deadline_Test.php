<?php
/**
 * The time limit of one message: what each step may wait.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Transport\Deadline;

final class Deadline_Test extends TestCase {

	public function test_a_step_waits_its_own_limit_or_what_is_left_whichever_is_shorter(): void {
		$deadline = Deadline::in( 15.0 );
		$this->assertSame( 10, $deadline->cap( 10 ), 'the connect timeout when enough is left' );
		$this->assertSame( 14, $deadline->cap( 30 ), 'the whole seconds left when the step allows more' );
		$this->assertFalse( $deadline->expired() );
	}

	public function test_ports_still_to_try_share_what_is_left(): void {
		$deadline = Deadline::in( 15.5 );
		$this->assertSame( 5, $deadline->share( 10, 3 ), 'three ports: five seconds each' );
		$this->assertSame( 7, $deadline->share( 10, 2 ) );
		$this->assertSame( 10, $deadline->share( 10, 1 ), 'the last port: its own timeout' );
		$this->assertSame( 1, Deadline::in( 2.0 )->share( 10, 3 ), 'at least a second' );
	}

	public function test_ports_that_each_wait_their_whole_share_end_within_the_limit(): void {
		foreach ( array( 15.0, 14.98, 10.0, 7.3 ) as $limit ) {
			$left = $limit - 0.02; // The look-up took its part before the first connect.
			for ( $steps = 3; $steps >= 1; --$steps ) {
				$left -= Deadline::in( $left )->share( 10, $steps );
			}
			$this->assertGreaterThanOrEqual( 0.0, $left, "three black-holed ports within a {$limit} s limit" );
		}
	}

	public function test_once_the_time_is_up_nothing_is_left(): void {
		$deadline = new Deadline( Deadline::now() - 1.0 );
		$this->assertTrue( $deadline->expired() );
		$this->assertSame( 0.0, $deadline->remaining() );
		$this->assertSame( 1, $deadline->cap( 10 ), 'a step that must still run gets one second' );
	}
}
