<?php
/**
 * Fault script: sends N wp_mail() messages through the real WordPress of the local stack while the
 * main SMTP port is down (a closed port) and fallback to the submission port is on. Prints one JSON
 * line {run, sent, failed, seconds}; tests/load/load-and-faults.js counts the messages at the SMTP
 * server. Uses the test tables (prefix wptests_) and restores their settings afterwards.
 *
 * Usage: php -d sendmail_path=/bin/true tests/load/mail-burst.php COUNT CLOSED_PORT FALLBACK_PORT RUN_ID
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- command-line test script.

list( , $count, $closed_port, $fallback_port, $run_id ) = array_pad( $argv, 5, '' );
if ( (int) $count < 1 || (int) $closed_port < 1 || (int) $fallback_port < 1 || '' === $run_id ) {
	fwrite( STDERR, "usage: php mail-burst.php COUNT CLOSED_PORT FALLBACK_PORT RUN_ID\n" );
	exit( 2 );
}

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$wp_url                 = getenv( 'WP_URL' ) ?: 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']   = (string) parse_url( $wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $wp_url, PHP_URL_PORT );
$_SERVER['REQUEST_URI'] = '/';
require ( getenv( 'RUN' ) ?: dirname( __DIR__, 2 ) . '/.run' ) . '/wp/wp-load.php';

$option   = SmtpPortHelper\Settings\Settings_Store::OPTION;
$previous = get_option( $option, null );
$store    = new SmtpPortHelper\Settings\Settings_Store();
$saved    = $store->update(
	array(
		'enabled'        => true,
		'host'           => '127.0.0.1',
		'port'           => (int) $closed_port,
		'encryption'     => 'starttls',
		'auth'           => true,
		'username'       => getenv( 'SMTP_USER' ) ?: 'test',
		'password'       => getenv( 'SMTP_PASS' ) ?: 'secret',
		'fallback'       => true,
		'fallback_ports' => array( (int) $fallback_port ),
	)
);
if ( is_wp_error( $saved ) ) {
	fwrite( STDERR, wp_json_encode( $saved->get_error_data() ) . "\n" );
	exit( 1 );
}

$sent    = 0;
$failed  = 0;
$started = microtime( true );
for ( $i = 1; $i <= (int) $count; $i++ ) {
	if ( wp_mail( 'burst@example.com', "burst $run_id #$i", "message $i of the fallback burst $run_id\n" ) ) {
		++$sent;
	} else {
		++$failed;
	}
}
$seconds = microtime( true ) - $started;

if ( null === $previous ) {
	delete_option( $option );
} else {
	update_option( $option, $previous );
}
echo wp_json_encode(
	array(
		'run'     => $run_id,
		'sent'    => $sent,
		'failed'  => $failed,
		'seconds' => round( $seconds, 1 ),
	)
), "\n";
