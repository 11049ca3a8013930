<?php
/**
 * Benchmark of the sending pace (`npm run bench`, the "Sending pace" section of
 * docs/benchmarks.md): the rate the outbox delivers at against a mailbox's limit. A benchmark, not
 * a timed test: it prints Markdown and never fails on a number. Inside the stack's WordPress (the
 * integration tables, wptests_; the settings and the outbox are put back):
 * a burst of messages waits in the outbox (the server is down while wp_mail() writes them), then a
 * server limited like Microsoft 365 (N messages a window, `451 4.7.0` above:
 * tests/php/servers/outbox-smtp.js --rate --window) comes back, and the outbox is run as WP-Cron
 * would (at each scheduled time) until it is empty. The delivered rate is the mean of the server's
 * full windows (the last one, where the burst runs out, left out) against the limit.
 *
 * Usage: php -d sendmail_path=/bin/true tests/bench/pacing-bench.php [--messages=200] [--rate=30] [--window=5]
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput.OutputNotEscaped, WordPress.DB.DirectDatabaseQuery

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Pacing;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

$spb_args     = getopt( '', array( 'messages:', 'rate:', 'window:' ) );
$spb_messages = isset( $spb_args['messages'] ) ? max( 1, (int) $spb_args['messages'] ) : 200;
$spb_rate     = isset( $spb_args['rate'] ) ? max( 1, (int) $spb_args['rate'] ) : 30;
$spb_window   = isset( $spb_args['window'] ) ? max( 1, (int) $spb_args['window'] ) : 5;
$spb_root     = dirname( __DIR__, 2 );

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$_SERVER['HTTP_HOST']   = '127.0.0.1';
$_SERVER['REQUEST_URI'] = '/';
require ( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ? getenv( 'SMTP_PORT_HELPER_WP_DIR' ) : $spb_root . '/.run/wp' ) . '/wp-load.php';
require_once $spb_root . '/tests/php/probe/support/Server_Process.php';

global $wpdb;
$spb_saved = get_option( Settings_Store::OPTION );
$spb_dir   = $spb_root . '/.run/pacing-bench/' . wp_generate_password( 8, false );
$spb_port  = Server_Process::free_ports( 1 )[0];
$spb_limit = static fn(): array => array(
	'per_window'         => $spb_rate,
	'window'             => $spb_window,
	'messages_per_day'   => 0,
	'recipients_per_day' => 0,
);
add_filter( 'smtp_port_helper_sending_limits', $spb_limit );

( new Settings_Store() )->update(
	array(
		'enabled'    => true,
		'host'       => '127.0.0.1',
		'port'       => $spb_port,
		'encryption' => 'starttls',
		'auth'       => true,
		'username'   => 'test',
		'password'   => 'secret',
		'fallback'   => false,
	)
);
$wpdb->query( 'DELETE FROM ' . Outbox_Table::name() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
$tag = wp_generate_password( 8, false );
fwrite( STDERR, "pacing: writing $spb_messages messages while the server is down\n" );
for ( $spb_n = 1; $spb_n <= $spb_messages; $spb_n++ ) {
	wp_mail( sprintf( 'reader%04d@example.com', $spb_n ), sprintf( 'bench %s #%04d', $tag, $spb_n ), 'x' );
}
$wpdb->query( $wpdb->prepare( 'UPDATE ' . Outbox_Table::name() . ' SET next_attempt_at = 0 WHERE status = %s', Outbox::QUEUED ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared

$spb_server = new Server_Process();
$spb_server->start(
	array( 'node', $spb_root . '/tests/php/servers/outbox-smtp.js', '--port', (string) $spb_port, '--out', $spb_dir, '--cert-dir', $spb_root . '/.run/smtp', '--rate', (string) $spb_rate, '--window', (string) $spb_window, '--max-seconds', '900' ),
	array(),
	1,
	$spb_root . '/.run/logs/outbox-smtp.log'
);
fwrite( STDERR, "pacing: draining at $spb_rate per $spb_window s\n" );
$spb_output = '';
$spb_until  = time() + 10 * (int) ceil( $spb_messages / $spb_rate ) * $spb_window;
while ( time() < $spb_until && ( new Outbox() )->counts()[ Outbox::QUEUED ] > 0 ) {
	$spb_queue  = new Mail_Queue( new Outbox() );
	$spb_mailer = new Mailer_Hook( new Settings_Store(), null, $spb_queue );
	( new Outbox_Runner( new Outbox(), $spb_mailer, $spb_queue, null, null, new Outbox_Pacing( $spb_mailer ) ) )->run();
	$spb_output .= $spb_server->read_output();
	$spb_next    = wp_next_scheduled( Mail_Queue::CRON_HOOK );
	if ( false !== $spb_next && $spb_next > time() ) {
		usleep( (int) ( ( $spb_next - microtime( true ) ) * 1000000 ) + 1000 );
	}
}
usleep( 200000 );
$spb_output .= $spb_server->read_output();
$spb_server->stop();

$spb_accepted  = array();
$spb_throttled = 0;
foreach ( explode( "\n", $spb_output ) as $spb_line ) {
	$spb_event = json_decode( $spb_line, true );
	if ( ! is_array( $spb_event ) ) {
		continue;
	}
	if ( 'accepted' === ( $spb_event['event'] ?? '' ) ) {
		$spb_accepted[ (int) $spb_event['window'] ] = ( $spb_accepted[ (int) $spb_event['window'] ] ?? 0 ) + 1;
	} elseif ( 'throttled' === ( $spb_event['event'] ?? '' ) ) {
		++$spb_throttled;
	}
}
ksort( $spb_accepted );
$spb_files = (array) glob( $spb_dir . '/*.eml' );
usort( $spb_files, static fn( $a, $b ): int => (int) substr( (string) strrchr( basename( (string) $a, '.eml' ), '-' ), 1 ) <=> (int) substr( (string) strrchr( basename( (string) $b, '.eml' ), '-' ), 1 ) );
$spb_numbers = array();
foreach ( $spb_files as $spb_file ) {
	if ( 1 === preg_match( '/^Subject: bench \S+ #(\d+)/m', (string) file_get_contents( (string) $spb_file ), $spb_match ) ) {
		$spb_numbers[] = (int) $spb_match[1];
	}
	unlink( (string) $spb_file );
}
@rmdir( $spb_dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors

// The windows from the first to the last delivery, gaps included; the last (partial) one left out.
$spb_first = (int) array_key_first( $spb_accepted );
$spb_last  = (int) array_key_last( $spb_accepted );
$spb_full  = array();
for ( $spb_w = $spb_first; $spb_w < $spb_last; $spb_w++ ) {
	$spb_full[] = $spb_accepted[ $spb_w ] ?? 0;
}
$spb_mean = array() === $spb_full ? 0.0 : array_sum( $spb_full ) / count( $spb_full );

// Put back what was there.
remove_filter( 'smtp_port_helper_sending_limits', $spb_limit );
$wpdb->query( 'DELETE FROM ' . Outbox_Table::name() ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( 'smtp_port_helper_pace_' ) . '%' ) );
wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
if ( false === $spb_saved ) {
	delete_option( Settings_Store::OPTION );
} else {
	update_option( Settings_Store::OPTION, $spb_saved );
}

printf( "A burst of %d messages waits in the outbox; the server then takes %d messages per %d s and answers `451 4.7.0` above (Microsoft 365's 30 a minute, in a shorter window). The outbox runs as WP-Cron would, at each scheduled time. Delivered rate: the mean of the server's windows from the first delivery to the last full one, against the limit (target: at least 95 %%).\n\n", $spb_messages, $spb_rate, $spb_window );
echo "| burst | limit | windows | delivered per window (mean) | delivered rate | throttling answers | arrived, in order |\n|---|---|---:|---:|---:|---:|---|\n";
printf(
	"| %d messages | %d per %d s | %d | %.1f | %.1f %% | %d | %d of %d, %s |\n",
	$spb_messages,
	$spb_rate,
	$spb_window,
	count( $spb_accepted ),
	$spb_mean,
	100 * $spb_mean / $spb_rate,
	$spb_throttled,
	count( $spb_numbers ),
	$spb_messages,
	range( 1, $spb_messages ) === $spb_numbers ? 'in order' : 'NOT in order'
);
