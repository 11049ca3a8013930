<?php
/**
 * Benchmark of the outbox (`npm run bench`, the "Outbox" section of docs/benchmarks.md).
 *
 * A benchmark, not a timed test: it measures, prints Markdown on stdout (progress on stderr) and
 * never fails on a number. Inside the stack's WordPress (the integration tables, wptests_; the
 * settings, the port memory and the outbox are put back as they were at the end):
 *
 * 1. wp_mail() while every port is black-holed: the main port and two fallback ports are
 *    loopback listeners whose accept queue is full, so the kernel drops every further SYN — a
 *    connect waits for its timeout, as behind a firewall that drops packets, without leaving
 *    this machine (or this network namespace) and without root. The first message (the ports
 *    not yet known down; target: within the send time limit), then the next ones (every port
 *    known down; target: ≤ 50 ms).
 * 2. A queue of N messages (default 500, queued by wp_mail() while the ports are known down)
 *    drained once the server is back — a private smtp-server (tests/php/servers/outbox-smtp.js:
 *    STARTTLS, AUTH) on a free port — by one runner, then another N by two runners at once
 *    (separate PHP processes, as two cron runners). Every Message-ID is counted at the server.
 *
 * Usage: php -d sendmail_path=/bin/true tests/bench/outbox-bench.php [--messages=500] [--first-runs=3] [--next-runs=50]
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput.OutputNotEscaped, WordPress.PHP.DiscouragedPHPFunctions, WordPress.DB.DirectDatabaseQuery

$sph_args       = getopt( '', array( 'messages:', 'first-runs:', 'next-runs:' ) );
$sph_messages   = isset( $sph_args['messages'] ) ? max( 1, (int) $sph_args['messages'] ) : 500;
$sph_first_runs = isset( $sph_args['first-runs'] ) ? max( 1, (int) $sph_args['first-runs'] ) : 3;
$sph_next_runs  = isset( $sph_args['next-runs'] ) ? max( 1, (int) $sph_args['next-runs'] ) : 50;
$sph_root       = dirname( __DIR__, 2 );

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$sph_wp_url                 = getenv( 'WP_URL' ) ? getenv( 'WP_URL' ) : 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']       = (string) parse_url( $sph_wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $sph_wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
require ( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ? getenv( 'SMTP_PORT_HELPER_WP_DIR' ) : $sph_root . '/.run/wp' ) . '/wp-load.php';

// The benchmark times a queue to drain, not a flood to refuse: past the outbox's budget (Outbox_Budget).
add_filter(
	'smtp_port_helper_outbox_budget',
	static function () use ( $sph_messages ): array {
		return array(
			'rows'               => $sph_messages + 1000,
			'per_recipient_hour' => $sph_messages + 1000,
		);
	}
);
require $sph_root . '/tests/php/probe/support/Server_Process.php';

use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Settings\Settings_Schema;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

/**
 * Progress on stderr.
 *
 * @param string $text Text.
 */
function sph_outbox_log( string $text ): void {
	fwrite( STDERR, '[outbox-bench] ' . $text . "\n" );
}

/**
 * Median of a list.
 *
 * @param float[] $values Values.
 */
function sph_outbox_median( array $values ): float {
	sort( $values );
	$n = count( $values );
	return 0 === $n ? 0.0 : ( $n % 2 ? $values[ intdiv( $n, 2 ) ] : ( $values[ $n / 2 - 1 ] + $values[ $n / 2 ] ) / 2 );
}

/**
 * The 90th percentile (nearest rank).
 *
 * @param float[] $values Values.
 */
function sph_outbox_p90( array $values ): float {
	sort( $values );
	return 0 === count( $values ) ? 0.0 : $values[ max( 0, (int) ceil( 0.9 * count( $values ) ) - 1 ) ];
}

/**
 * A loopback port that drops every connection attempt: a listener whose accept queue (backlog 0)
 * is filled by one connection that is never accepted.
 *
 * @param list<resource> $keep Sockets to keep open for the run.
 */
function sph_outbox_black_hole( array &$keep ): int {
	$context = stream_context_create( array( 'socket' => array( 'backlog' => 0 ) ) );
	$server  = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $error, STREAM_SERVER_BIND | STREAM_SERVER_LISTEN, $context );
	if ( false === $server ) {
		throw new RuntimeException( "no listener: $error" );
	}
	$name   = (string) stream_socket_get_name( $server, false );
	$filler = stream_socket_client( 'tcp://' . $name, $errno, $error, 2 );
	if ( false === $filler ) {
		throw new RuntimeException( "the accept queue could not be filled: $error" );
	}
	$keep[] = $server;
	$keep[] = $filler;
	$port   = (int) substr( $name, strrpos( $name, ':' ) + 1 );
	$probe  = @stream_socket_client( 'tcp://' . $name, $errno, $error, 1 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
	if ( false !== $probe ) {
		throw new RuntimeException( "port $port still takes connections: not a black hole" );
	}
	return $port;
}

/**
 * Saves the settings (the stack's test login) and fails loudly when they are refused.
 *
 * @param array<string, mixed> $changes Fields.
 */
function sph_outbox_save( array $changes ): void {
	$result = ( new Settings_Store() )->update(
		array_merge(
			array(
				'enabled'  => true,
				'host'     => '127.0.0.1',
				'auth'     => true,
				'username' => 'test',
				'password' => 'secret',
			),
			$changes
		)
	);
	if ( is_wp_error( $result ) ) {
		throw new RuntimeException( 'settings refused: ' . wp_json_encode( $result->get_error_data() ) );
	}
}

/**
 * Forgets what the port memory knows of these ports.
 *
 * @param int[] $ports Ports of 127.0.0.1.
 */
function sph_outbox_forget( array $ports ): void {
	$memory = new Port_Memory();
	foreach ( $ports as $port ) {
		$memory->forget( '127.0.0.1', $port );
	}
	delete_transient( Port_Memory::WORKING_PREFIX . md5( '127.0.0.1' ) );
}

/**
 * Queues N messages through wp_mail() while every port is known down.
 *
 * @param int    $count How many.
 * @param string $tag   Subject prefix.
 * @return list<string> Their Message-IDs.
 */
function sph_outbox_queue( int $count, string $tag ): array {
	$ids = array();
	for ( $i = 0; $i < $count; $i++ ) {
		if ( ! wp_mail( 'someone@example.com', "$tag #$i", "message $i" ) ) {
			throw new RuntimeException( "message $i was not accepted" );
		}
		$ids[] = $GLOBALS['phpmailer']->getLastMessageID();
	}
	return $ids;
}

/**
 * Message-IDs of the messages the server stored whose text contains the tag.
 *
 * @param string $dir Mail directory.
 * @param string $tag Tag.
 * @return list<string>
 */
function sph_outbox_arrived( string $dir, string $tag ): array {
	$ids = array();
	foreach ( (array) glob( $dir . '/*.eml' ) as $file ) {
		$raw = (string) file_get_contents( (string) $file );
		if ( false !== strpos( $raw, $tag ) && preg_match( '/^Message-ID:\s*(<[^>]+>)/mi', $raw, $match ) ) {
			$ids[] = $match[1];
		}
	}
	return $ids;
}

/**
 * Whether every Message-ID arrived exactly once.
 *
 * @param list<string> $sent    Sent.
 * @param list<string> $arrived Arrived.
 */
function sph_outbox_once( array $sent, array $arrived ): string {
	sort( $sent );
	sort( $arrived );
	if ( $sent === $arrived ) {
		return sprintf( '%d of %d, each once', count( $arrived ), count( $sent ) );
	}
	return sprintf( '**%d arrived for %d sent (%d distinct)**', count( $arrived ), count( $sent ), count( array_unique( $arrived ) ) );
}

/**
 * Runs the outbox in separate PHP processes at once; their counts.
 *
 * @param int $runners How many.
 * @return list<array<string, int>>
 */
function sph_outbox_parallel( int $runners ): array {
	$script    = dirname( __DIR__ ) . '/php/integration/support/run-outbox.php';
	$processes = array();
	for ( $i = 0; $i < $runners; $i++ ) {
		$pipes       = array();
		$process     = proc_open( array( PHP_BINARY, '-d', 'sendmail_path=/bin/true', $script ), array( 1 => array( 'pipe', 'w' ), 2 => array( 'pipe', 'w' ) ), $pipes );
		$processes[] = array( $process, $pipes );
	}
	$results = array();
	foreach ( $processes as list( $process, $pipes ) ) {
		$out = (string) stream_get_contents( $pipes[1] );
		$err = (string) stream_get_contents( $pipes[2] );
		proc_close( $process );
		$result = json_decode( trim( (string) strrchr( "\n" . trim( $out ), "\n" ) ), true );
		if ( ! is_array( $result ) ) {
			throw new RuntimeException( 'a runner failed: ' . $out . $err );
		}
		$results[] = $result;
	}
	return $results;
}

global $wpdb;
Outbox_Table::install();
$sph_saved_settings = get_option( Settings_Store::OPTION, null );
$sph_saved_late     = get_option( Outbox_Health::LATE_OPTION, null );
$sph_table          = Outbox_Table::name();
$sph_first_id       = (int) $wpdb->get_var( "SELECT COALESCE( MAX( id ), 0 ) FROM {$sph_table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
$sph_keep           = array();
$sph_server         = null;
$sph_mail_dir       = $sph_root . '/.run/outbox-bench/' . wp_generate_password( 8, false );
$sph_black_holes    = array();
$sph_limit          = (int) Settings_Schema::defaults()['send_time_limit'];
$sph_timeout        = (int) Settings_Schema::defaults()['timeout'];
$sph_started        = microtime( true );

try {
	// 1. Every port black-holed.
	$sph_black_holes = array( sph_outbox_black_hole( $sph_keep ), sph_outbox_black_hole( $sph_keep ), sph_outbox_black_hole( $sph_keep ) );
	sph_outbox_save(
		array(
			'port'            => $sph_black_holes[0],
			'fallback'        => true,
			'fallback_ports'  => array( $sph_black_holes[1], $sph_black_holes[2] ),
			'send_time_limit' => $sph_limit,
		)
	);
	$sph_first = array();
	for ( $i = 0; $i < $sph_first_runs; $i++ ) {
		sph_outbox_forget( $sph_black_holes );
		sph_outbox_log( sprintf( 'first message with every port black-holed, run %d of %d (up to %d s)', $i + 1, $sph_first_runs, $sph_limit ) );
		$t0 = microtime( true );
		if ( ! wp_mail( 'someone@example.com', 'outbox bench first', 'x' ) ) {
			throw new RuntimeException( 'the first message was not accepted' );
		}
		$sph_first[] = ( microtime( true ) - $t0 ) * 1000;
	}
	$sph_attempts = count( $GLOBALS['phpmailer']->getSMTPInstance()->attempts() );
	$sph_next     = array();
	for ( $i = 0; $i < $sph_next_runs; $i++ ) {
		$t0 = microtime( true );
		wp_mail( 'someone@example.com', 'outbox bench next', 'x' );
		$sph_next[] = ( microtime( true ) - $t0 ) * 1000;
	}
	$sph_next_attempts = count( $GLOBALS['phpmailer']->getSMTPInstance()->attempts() );
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$sph_table} WHERE id > %d", $sph_first_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- what part 1 queued.

	// 2. A queue of N drained once the server is back: one runner, then two at once.
	$sph_port   = Server_Process::free_ports( 1 )[0];
	$sph_server = new Server_Process();
	$sph_server->start(
		array( 'node', $sph_root . '/tests/php/servers/outbox-smtp.js', '--port', (string) $sph_port, '--out', $sph_mail_dir, '--cert-dir', $sph_root . '/.run/smtp', '--max-seconds', '1800' ),
		array(),
		1,
		$sph_root . '/.run/logs/outbox-bench-smtp.log'
	);
	$sph_rows = array();
	foreach ( array( 1, 2 ) as $sph_runners ) {
		// The port is not yet the configured one: a closed port known down, so wp_mail() queues at once.
		$sph_down = Server_Process::free_ports( 1 )[0];
		sph_outbox_save(
			array(
				'port'           => $sph_down,
				'fallback'       => false,
				'fallback_ports' => array(),
			)
		);
		( new Port_Memory() )->remember_down( '127.0.0.1', $sph_down );
		$tag = 'outbox bench ' . $sph_runners . ' ' . wp_generate_password( 8, false );
		sph_outbox_log( "queueing $sph_messages messages" );
		$t0     = microtime( true );
		$sent   = sph_outbox_queue( $sph_messages, $tag );
		$queued = ( microtime( true ) - $t0 ) * 1000 / $sph_messages;
		delete_option( Port_Retest::OPTION );
		// The server is back: the admin saves its port, which makes every waiting message due now.
		sph_outbox_save(
			array(
				'port'     => $sph_port,
				'fallback' => false,
			)
		);
		sph_outbox_log( "draining with $sph_runners runner(s)" );
		$t0 = microtime( true );
		if ( 1 === $sph_runners ) {
			$counts = array( ( new Plugin() )->outbox_runner()->run( 100000, 1200 ) );
		} else {
			$counts = sph_outbox_parallel( $sph_runners );
		}
		$elapsed    = microtime( true ) - $t0;
		$delivered  = array_sum( array_column( $counts, 'delivered' ) );
		$sph_rows[] = sprintf(
			'| %d queued messages drained by %d runner%s (%s; STARTTLS + AUTH, one connection per runner) | %.1f s (%.0f messages/s) | %s |',
			$sph_messages,
			$sph_runners,
			1 === $sph_runners ? ' in one process' : 's at once (separate processes)',
			implode( ' + ', array_map( static fn( array $c ): string => $c['delivered'] . ' delivered', $counts ) ),
			$elapsed,
			$delivered / max( 0.001, $elapsed ),
			sph_outbox_once( $sent, sph_outbox_arrived( $sph_mail_dir, $tag ) )
		);
		$sph_rows[] = sprintf( '| queueing them: wp_mail() with every port known down, per message | %.1f ms | |', $queued );
	}
} finally {
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$sph_table} WHERE id > %d", $sph_first_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	if ( null === $sph_saved_settings ) {
		delete_option( Settings_Store::OPTION );
	} else {
		update_option( Settings_Store::OPTION, $sph_saved_settings );
	}
	if ( null === $sph_saved_late ) {
		delete_option( Outbox_Health::LATE_OPTION );
	} else {
		update_option( Outbox_Health::LATE_OPTION, $sph_saved_late );
	}
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name IN ( %s, %s )", '_transient%' . Port_Memory::PREFIX . '%', '_transient%' . Port_Memory::WORKING_PREFIX . '%', Port_Retest::OPTION, Recovery_Notice::OPTION ) );
	wp_cache_flush();
	wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
	if ( null !== $sph_server ) {
		$sph_server->stop();
	}
	foreach ( $sph_keep as $socket ) {
		fclose( $socket );
	}
	array_map( 'unlink', (array) glob( $sph_mail_dir . '/*.eml' ) );
	@rmdir( $sph_mail_dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
}

$sph_first_median = sph_outbox_median( $sph_first );
$sph_next_median  = sph_outbox_median( $sph_next );
printf( "| scenario | median | p90 | target | met? |\n|---|---:|---:|---|---|\n" );
printf(
	"| `wp_mail()`, main + 2 fallback ports black-holed, first message (%d runs; %d connection attempts) | %.0f ms | %.0f ms (max %.0f) | ≤ the limit, %d s | %s |\n",
	$sph_first_runs,
	$sph_attempts,
	$sph_first_median,
	sph_outbox_p90( $sph_first ),
	max( $sph_first ),
	$sph_limit,
	max( $sph_first ) <= $sph_limit * 1000 ? 'yes' : sprintf( '**no**: +%.0f ms', max( $sph_first ) - $sph_limit * 1000 )
);
printf(
	"| the next messages, every port known down (%d runs; %d connection attempts) | %.1f ms | %.1f ms | ≤ 50 ms | %s |\n\n",
	$sph_next_runs,
	$sph_next_attempts,
	$sph_next_median,
	sph_outbox_p90( $sph_next ),
	$sph_next_median <= 50 ? 'yes' : '**no**'
);
printf( "| queue | measured | delivered |\n|---|---:|---|\n%s\n\n", implode( "\n", $sph_rows ) );
printf(
	'Settings: send time limit %d s and connection timeout %d s (the defaults), fallback on. Black hole: a loopback listener whose accept queue is full, so the kernel drops every further SYN (no root, nothing leaves the machine). Each message of the queue was queued by `wp_mail()`, then the port of a running server was saved (a settings change makes waiting mail due at once) and the queue run timed until the outbox was empty; the server is a private smtp-server (`tests/php/servers/outbox-smtp.js`) and every Message-ID was counted there. The runner re-tests the ports with the probe engine first (once per 5 minutes while mail waits). The first message\'s connect timeouts are whole seconds, and `Deadline::share()` rounds each port\'s share of what is left down (4 + 5 + 5 s for a 15 s limit, after the look-up), so building and storing the message fit in the limit too. Benchmark wall time: %.0f s.' . "\n\n",
	$sph_limit,
	$sph_timeout,
	microtime( true ) - $sph_started
);
