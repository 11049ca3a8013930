<?php
/**
 * One outbox run in a process of its own, against the integration tables (wptests_): what a second
 * cron runner on another web server does. Prints the run's counts as JSON.
 *
 * Usage: php tests/php/integration/support/run-outbox.php
 *
 * @package SmtpPortHelper\Tests
 */

require __DIR__ . '/load-wordpress.php';

echo wp_json_encode( ( new SmtpPortHelper\Plugin() )->outbox_runner()->run( 100000, 300 ) ), "\n";
