<?php
/**
 * One contender of Atomic_Option_Test's race, in a process of its own against the integration
 * tables (wptests_) of the database the test runs on. At each start time (Unix seconds with
 * fractions, all contenders get the same) it makes one move and prints what it won, as JSON:
 *   1. take the new lease row;
 *   2. take it again once it holds an expired time;
 *   3. count the counter row up COUNTS times, up to LIMIT.
 *
 * Usage: php race-atomic-option.php START LEASE_NAME COUNTER_NAME COUNTS LIMIT
 *
 * @package SmtpPortHelper\Tests
 */

use SmtpPortHelper\Database\Atomic_Option;

require __DIR__ . '/load-wordpress.php';

list( , $start, $lease_name, $counter_name, $counts, $limit ) = $argv;
$start = (float) $start;
$table = $GLOBALS['wpdb']->options;
$won   = array();

time_sleep_until( $start );
$won['new'] = null !== Atomic_Option::take( $table, $lease_name, 1000, 0 );

time_sleep_until( $start + 1 );
$won['expired'] = null !== Atomic_Option::take( $table, $lease_name, 2000, 1500 );

time_sleep_until( $start + 2 );
$won['counted'] = 0;
for ( $i = 0; $i < (int) $counts; $i++ ) {
	if ( Atomic_Option::FULL !== Atomic_Option::count_up_to( $table, $counter_name, (int) $limit ) ) {
		++$won['counted'];
	}
}
echo wp_json_encode( $won ), "\n";
