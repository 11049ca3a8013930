<?php
/**
 * Benchmark of the transports (`npm run bench`, the "Transports" section of docs/benchmarks.md;
 * issue #21, Performance).
 *
 * A benchmark, not a timed test: it measures, prints Markdown on stdout (progress on stderr) and
 * never fails on a number. Inside the stack's WordPress (the integration tables, wptests_; the
 * settings and the outbox are put back as they were at the end), against local servers on
 * loopback — the providers' HTTPS API servers (env/providers/api-servers.js) and a private SMTP
 * server with STARTTLS and AUTH (tests/php/servers/outbox-smtp.js):
 *
 * Microsoft Graph and the Gmail API sign in as the site does: the stack's local authorization server
 * (env/oauth, root) issues the tokens, their local servers accept only those (introspection); the
 * sign-in is made once per API before the measurements and is not part of any time.
 *
 * 1. One message per wp_mail() call over each transport (SMTP and every HTTPS API), rounds in
 *    turn so every transport sees the same machine load; median and p90, and each API against
 *    SMTP (target: within 1.5 × the SMTP send).
 * 2. A queue of N messages (default 500) drained by the outbox runner in one process over an
 *    HTTPS API and over SMTP, side by side: messages per second, the connections the server
 *    counted, every message arrived once.
 * 3. Peak memory sending a message with a 10 MB attachment, per transport, each in a fresh PHP
 *    process: PHP's own peak (memory_get_peak_usage) and the process's resident peak (VmHWM, which
 *    also counts what cURL and OpenSSL hold), for Transport::send() of the message PHPMailer built
 *    (the message's own bytes included; target ≤ 3 × the message size) and for the whole wp_mail().
 *
 * Usage: php -d sendmail_path=/bin/true tests/bench/transport-bench.php [--runs=30] [--messages=500] [--attachment-mb=10]
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.AlternativeFunctions, WordPress.Security.EscapeOutput.OutputNotEscaped, WordPress.PHP.DiscouragedPHPFunctions, WordPress.DB.DirectDatabaseQuery

$sph_args     = getopt( '', array( 'runs:', 'messages:', 'attachment-mb:', 'memory-child:', 'attachment:', 'smtp-port:', 'api-ports:', 'api-dir:' ) );
$sph_runs     = isset( $sph_args['runs'] ) ? max( 1, (int) $sph_args['runs'] ) : 30;
$sph_messages = isset( $sph_args['messages'] ) ? max( 1, (int) $sph_args['messages'] ) : 500;
$sph_mb       = isset( $sph_args['attachment-mb'] ) ? max( 1, (int) $sph_args['attachment-mb'] ) : 10;
$sph_root     = dirname( __DIR__, 2 );

putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$sph_wp_url                 = getenv( 'WP_URL' ) ? getenv( 'WP_URL' ) : 'http://127.0.0.1:8889';
$_SERVER['HTTP_HOST']       = (string) parse_url( $sph_wp_url, PHP_URL_HOST ) . ':' . (string) parse_url( $sph_wp_url, PHP_URL_PORT );
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
require getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ? getenv( 'SMTP_PORT_HELPER_WP_DIR' ) : $sph_root . '/.run/wp' . '/wp-load.php';

add_filter(
	'smtp_port_helper_outbox_budget',
	static function () use ( $sph_messages ): array {
		return array(
			'rows'               => $sph_messages + 1000,
			'per_recipient_hour' => $sph_messages + 1000,
		);
	}
);
// The transports are measured, not the providers' published sending limits (Resend's 2 requests a
// second, Microsoft 365's 30 messages a minute): the outbox paces no mailbox during the bench.
add_filter(
	'smtp_port_helper_sending_limits',
	static function (): array {
		return array(
			'per_window'         => 0,
			'window'             => 60,
			'messages_per_day'   => 0,
			'recipients_per_day' => 0,
		);
	}
);
require_once $sph_root . '/tests/php/probe/support/Server_Process.php';
require_once $sph_root . '/tests/php/integration/Provider_Api_Servers.php';
require_once $sph_root . '/tests/php/integration/support/Local_Endpoint_Transport.php';
require_once $sph_root . '/tests/php/integration/support/Local_Graph_Transport.php';
require_once $sph_root . '/tests/php/integration/support/Local_Gmail_Transport.php';

use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;
use SmtpPortHelper\Tests\Integration\Local_Endpoint_Transport;
use SmtpPortHelper\Tests\Integration\Local_Gmail_Transport;
use SmtpPortHelper\Tests\Integration\Local_Graph_Transport;
use SmtpPortHelper\Tests\Integration\Provider_Api_Servers;
use SmtpPortHelper\Tests\Probe\Server_Process;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Transport_Registry;

/** Transport id => the local server's name in Provider_Api_Servers ('' for SMTP). */
const SPH_TRANSPORTS = array(
	'smtp'       => '',
	'sendgrid'   => 'sendgrid',
	'postmark'   => 'postmark',
	'mailgun'    => 'mailgun',
	'resend'     => 'resend',
	'brevo'      => 'brevo',
	'amazon-ses' => 'ses',
	'microsoft-graph' => 'graph',
	'gmail'      => 'gmail',
);

/** The HTTPS APIs whose queue drain is measured beside SMTP's. */
const SPH_DRAINED = array( 'mailgun', 'sendgrid', 'microsoft-graph', 'gmail' );

/** The APIs that sign in with OAuth 2.0, and the scope each asks for (as their integration tests). */
const SPH_OAUTH_SCOPES = array(
	'microsoft-graph' => 'https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/User.Read offline_access openid email',
	'gmail'           => 'https://www.googleapis.com/auth/gmail.send openid email',
);

/** The stack's local authorization server (env/oauth/servers.sh) and its test client and account. */
const SPH_OAUTH_ISSUER  = 'http://127.0.0.1:9411';
const SPH_OAUTH_ACCOUNT = 'owner@oauth.test';

/**
 * A transport's name in the tables: its label, with "(HTTPS API)" unless the label says API.
 *
 * @param string $id Transport id.
 */
function sph_transport_label( string $id ): string {
	$label = Transport_Registry::provider( $id )->label;
	return false === strpos( $label, 'API' ) ? $label . ' (HTTPS API)' : $label;
}

/**
 * Progress on stderr.
 *
 * @param string $text Text.
 */
function sph_transport_log( string $text ): void {
	fwrite( STDERR, '[transport-bench] ' . $text . "\n" );
}

/**
 * Median of a list.
 *
 * @param float[] $values Values.
 */
function sph_transport_median( array $values ): float {
	sort( $values );
	$n = count( $values );
	return 0 === $n ? 0.0 : ( $n % 2 ? $values[ intdiv( $n, 2 ) ] : ( $values[ $n / 2 - 1 ] + $values[ $n / 2 ] ) / 2 );
}

/**
 * The 90th percentile (nearest rank).
 *
 * @param float[] $values Values.
 */
function sph_transport_p90( array $values ): float {
	sort( $values );
	return 0 === count( $values ) ? 0.0 : $values[ max( 0, (int) ceil( 0.9 * count( $values ) ) - 1 ) ];
}

/**
 * Makes a transport the site's: its settings (the stack's SMTP test login, or the provider's local
 * key, account and region) and its local server's address.
 *
 * @param string $id        Transport id.
 * @param int    $smtp_port The SMTP server's port.
 * @param array  $api_urls  Provider server name => base URL.
 */
function sph_transport_choose( string $id, int $smtp_port, array $api_urls ): void {
	$server  = SPH_TRANSPORTS[ $id ];
	$changes = array(
		'enabled'     => true,
		'transport'   => $id,
		'host'        => '127.0.0.1',
		'port'        => $smtp_port,
		'auth'        => true,
		'auth_method' => 'password',
		'username'    => 'test',
		'password'    => 'secret',
		'fallback'    => false,
		'api_account' => '', // Graph: the signed-in mailbox (an account here would be a shared mailbox).
		'api_region'  => '',
	);
	if ( isset( SPH_OAUTH_SCOPES[ $id ] ) ) {
		$changes = array_merge( $changes, sph_transport_oauth_settings( $id ) );
		Local_Graph_Transport::$base_url = $api_urls['graph'] . '/v1.0';
		Local_Gmail_Transport::$base_url = $api_urls['gmail'];
	} elseif ( '' !== $server ) {
		$provider                           = Transport_Registry::API_TRANSPORTS[ $id ];
		Local_Endpoint_Transport::$class    = $provider;
		Local_Endpoint_Transport::$base_url = $api_urls[ $server ];
		$changes['api_key']                 = Provider_Api_Servers::KEYS[ $server ];
		$changes['api_account']             = array(
			'mailgun' => Provider_Api_Servers::MAILGUN_DOMAIN,
			'ses'     => Provider_Api_Servers::SES_ACCESS_KEY_ID,
		)[ $server ] ?? '';
		$changes['api_region']              = 'ses' === $server ? Provider_Api_Servers::SES_REGION : '';
	}
	$result = ( new Settings_Store() )->update( $changes );
	if ( is_wp_error( $result ) ) {
		throw new RuntimeException( "settings for $id refused: " . wp_json_encode( $result->get_error_data() ) );
	}
	sph_transport_use_sign_in( $id );
}

/**
 * The site's OAuth 2.0 settings for an API that signs in: the local authorization server as a
 * generic provider, the test account, the API's scope.
 *
 * @param string $id Transport id.
 * @return array<string, mixed>
 */
function sph_transport_oauth_settings( string $id ): array {
	return array(
		'auth_method'         => 'oauth2',
		'username'            => SPH_OAUTH_ACCOUNT,
		'from_email'          => SPH_OAUTH_ACCOUNT,
		'oauth_provider'      => 'generic',
		'oauth_authorize_url' => SPH_OAUTH_ISSUER . '/authorize',
		'oauth_token_url'     => SPH_OAUTH_ISSUER . '/token',
		'oauth_scope'         => SPH_OAUTH_SCOPES[ $id ],
		'oauth_client_id'     => 'smtp-port-helper-test',
		'oauth_client_secret' => 'local-oauth-test-client-secret',
	);
}

/**
 * The sign-in of each OAuth API, kept once made (the site keeps one sign-in; the bench swaps them).
 *
 * @var array<string, array{0: mixed, 1: mixed}>
 */
$GLOBALS['sph_transport_sign_ins'] = array();

/**
 * Puts the API's sign-in in place (an OAuth API's record and cached token, made by
 * sph_transport_sign_in()); for any other transport, nothing.
 *
 * @param string $id Transport id.
 */
function sph_transport_use_sign_in( string $id ): void {
	if ( ! isset( $GLOBALS['sph_transport_sign_ins'][ $id ] ) ) {
		return;
	}
	list( $record, $access ) = $GLOBALS['sph_transport_sign_ins'][ $id ];
	update_option( Token_Store::OPTION, $record, false );
	if ( null === $access ) {
		delete_option( Token_Store::ACCESS_OPTION );
	} else {
		update_option( Token_Store::ACCESS_OPTION, $access, false );
	}
}

/**
 * Signs the site in for an OAuth API as an administrator does: the REST route's authorization
 * URL, the local server's sign-in and consent (env/oauth/token.js), the page's callback.
 *
 * @param string $id        Transport id.
 * @param int    $smtp_port The SMTP server's port.
 * @param array  $api_urls  Provider server name => base URL.
 */
function sph_transport_sign_in( string $id, int $smtp_port, array $api_urls ): void {
	unset( $GLOBALS['sph_transport_sign_ins'][ $id ] );
	sph_transport_choose( $id, $smtp_port, $api_urls );
	$admins = get_users(
		array(
			'role'   => 'administrator',
			'number' => 1,
		)
	);
	if ( array() === $admins ) {
		throw new RuntimeException( 'no administrator in the integration tables to sign in with' );
	}
	wp_set_current_user( $admins[0]->ID );
	$response = rest_do_request( new WP_REST_Request( 'POST', '/smtp-port-helper/v1/oauth/authorize' ) );
	if ( 200 !== $response->get_status() ) {
		throw new RuntimeException( "the sign-in for $id did not start: " . wp_json_encode( $response->get_data() ) );
	}
	$command = 'node ' . escapeshellarg( dirname( __DIR__, 2 ) . '/env/oauth/token.js' ) . ' approve ' . escapeshellarg( $response->get_data()['authorize_url'] ) . ' 2>&1';
	exec( $command, $output, $status );
	if ( 0 !== $status ) {
		throw new RuntimeException( "the local authorization server refused the sign-in for $id: " . implode( "\n", $output ) );
	}
	parse_str( (string) wp_parse_url( trim( implode( "\n", $output ) ), PHP_URL_QUERY ), $query );
	$outcome = ( new OAuth_Callback( new OAuth_Connection( new Settings_Store() ) ) )->handle(
		array(
			'code'  => (string) ( $query['code'] ?? '' ),
			'state' => (string) ( $query['state'] ?? '' ),
		)
	);
	if ( ! $outcome['ok'] ) {
		throw new RuntimeException( "the sign-in for $id failed: " . $outcome['message'] );
	}
	wp_set_current_user( 0 );
	$GLOBALS['sph_transport_sign_ins'][ $id ] = array( get_option( Token_Store::OPTION, null ), get_option( Token_Store::ACCESS_OPTION, null ) );
}

/**
 * Every provider's id served by its local server (Local_Endpoint_Transport, the class chosen last).
 */
add_filter(
	'smtp_port_helper_api_transports',
	static function ( array $classes ): array {
		if ( '' !== Local_Endpoint_Transport::$class ) {
			$classes[ ( Local_Endpoint_Transport::$class )::provider()->id ] = Local_Endpoint_Transport::class;
		}
		$classes['microsoft-graph'] = Local_Graph_Transport::class;
		$classes['gmail']           = Local_Gmail_Transport::class;
		return $classes;
	}
);

/**
 * Files of a size filled with random bytes (an attachment that does not compress).
 *
 * @param string $file  Path.
 * @param int    $bytes Size.
 */
function sph_transport_random_file( string $file, int $bytes ): void {
	$handle = fopen( $file, 'wb' );
	for ( $left = $bytes; $left > 0; $left -= 1048576 ) {
		fwrite( $handle, random_bytes( min( 1048576, $left ) ) );
	}
	fclose( $handle );
}

/**
 * The process's resident peak in bytes (VmHWM), or 0 where /proc does not say.
 */
function sph_transport_rss_peak(): int {
	$status = (string) @file_get_contents( '/proc/self/status' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
	return preg_match( '/^VmHWM:\s+(\d+) kB/m', $status, $match ) ? 1024 * (int) $match[1] : 0;
}

/**
 * Starts the resident peak again from the current size (Linux: clear_refs 5); false where it cannot.
 */
function sph_transport_rss_reset(): bool {
	return false !== @file_put_contents( '/proc/self/clear_refs', '5' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
}

/**
 * A child process: the memory of sending one message with the attachment over one transport.
 * Prints one JSON line.
 *
 * @param string $id         Transport id.
 * @param string $attachment The attachment's path.
 * @param int    $smtp_port  The SMTP server's port.
 * @param array  $api_urls   Provider server name => base URL.
 */
function sph_transport_memory_child( string $id, string $attachment, int $smtp_port, array $api_urls ): void {
	sph_transport_choose( $id, $smtp_port, $api_urls );
	$store = new Settings_Store();
	// The message as wp_mail() builds it: PHPMailer's MIME, then nothing of PHPMailer kept.
	require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
	require_once ABSPATH . WPINC . '/PHPMailer/SMTP.php';
	require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
	$mailer = new PHPMailer\PHPMailer\PHPMailer( true );
	$mailer->setFrom( 'blog@example.org' );
	$mailer->addAddress( 'reader@example.com' );
	$mailer->Subject = 'A 10 MB attachment'; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
	$mailer->Body    = 'The file is attached.'; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
	$mailer->addAttachment( $attachment, 'report.bin' );
	$mailer->preSend();
	$message = new Outgoing_Message( 'blog@example.org', array( 'reader@example.com' ), $mailer->getSentMIMEMessage(), bin2hex( random_bytes( 16 ) ) );
	unset( $mailer );
	$size      = strlen( $message->data );
	$transport = ( new Transport_Factory( new Mailer_Hook( $store ) ) )->for_store( $store );
	gc_collect_cycles();
	$before_php = memory_get_usage() - $size;
	memory_reset_peak_usage();
	$rss_before = sph_transport_rss_reset() ? sph_transport_rss_peak() : 0;
	$outcome    = $transport->send( $message, Deadline::in( 120 ) );
	$send_php   = memory_get_peak_usage() - $before_php;
	$send_rss   = $rss_before > 0 ? sph_transport_rss_peak() - $rss_before + $size : 0;
	$transport->close();
	unset( $message, $transport );
	gc_collect_cycles();

	// The whole wp_mail(): PHPMailer reads, encodes and builds the message, then the transport sends it.
	$before_php = memory_get_usage();
	memory_reset_peak_usage();
	$rss_before = sph_transport_rss_reset() ? sph_transport_rss_peak() : 0;
	$sent       = wp_mail( 'reader@example.com', 'A 10 MB attachment (wp_mail)', 'The file is attached.', '', array( $attachment ) );
	$mail_php   = memory_get_peak_usage() - $before_php;
	$mail_rss   = $rss_before > 0 ? sph_transport_rss_peak() - $rss_before : 0;
	echo wp_json_encode(
		array(
			'size'      => $size,
			'delivered' => $outcome->is_delivered(),
			'error'     => $outcome->is_delivered() ? '' : (string) wp_json_encode( $outcome ),
			'code'      => null === $outcome->failure ? 0 : $outcome->failure->code,
			'send_php'  => $send_php,
			'send_rss'  => $send_rss,
			'mail_sent' => $sent,
			'mail_php'  => $mail_php,
			'mail_rss'  => $mail_rss,
		)
	) . "\n";
}

if ( isset( $sph_args['memory-child'] ) ) {
	sph_transport_memory_child( (string) $sph_args['memory-child'], (string) $sph_args['attachment'], (int) $sph_args['smtp-port'], (array) json_decode( (string) $sph_args['api-ports'], true ) );
	exit( 0 );
}

/**
 * Message-IDs in the SMTP server's folder whose text contains the tag.
 *
 * @param string $dir Mail directory.
 * @param string $tag Tag.
 * @return list<string>
 */
function sph_transport_smtp_arrived( string $dir, string $tag ): array {
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
 * How many of the messages a provider's server stored carry the tag in their subject.
 *
 * @param Provider_Api_Servers $servers The servers.
 * @param string               $server  Provider server name.
 * @param string               $tag     Tag.
 * @return list<string> Their subjects.
 */
function sph_transport_api_arrived( Provider_Api_Servers $servers, string $server, string $tag ): array {
	$subjects = array();
	foreach ( $servers->received( $server ) as $received ) {
		$subject = (string) ( $received['message']['subject'] ?? '' );
		if ( false !== strpos( $subject, $tag ) ) {
			$subjects[] = $subject;
		}
	}
	return $subjects;
}

/**
 * Whether each sent key arrived exactly once.
 *
 * @param list<string> $sent    Sent.
 * @param list<string> $arrived Arrived.
 */
function sph_transport_once( array $sent, array $arrived ): string {
	sort( $sent );
	sort( $arrived );
	if ( $sent === $arrived ) {
		return sprintf( '%d of %d, each once', count( $arrived ), count( $sent ) );
	}
	return sprintf( '**%d arrived for %d sent (%d distinct)**', count( $arrived ), count( $sent ), count( array_unique( $arrived ) ) );
}

global $wpdb;
Outbox_Table::install();
$sph_saved_settings = get_option( Settings_Store::OPTION, null );
$sph_forget_pace    = static function () use ( $wpdb ): void {
	// The pace's counters and marks of earlier runs (a mailbox with mail waiting makes the next wait behind it).
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( Stored_Names::PACE_PREFIX ) . '%' ) );
	wp_cache_flush();
};
$sph_forget_pace();
$sph_saved_sign_in  = array( get_option( Token_Store::OPTION, null ), get_option( Token_Store::ACCESS_OPTION, null ) );
// Microsoft Graph and the Gmail API need the stack's authorization server (root); without it their rows are left out.
$sph_oauth_up = false !== @file_get_contents( SPH_OAUTH_ISSUER . '/test/health' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
$sph_ids      = array_values( array_filter( array_keys( SPH_TRANSPORTS ), static fn( string $id ): bool => $sph_oauth_up || ! isset( SPH_OAUTH_SCOPES[ $id ] ) ) );
$sph_table          = Outbox_Table::name();
$sph_first_id       = (int) $wpdb->get_var( "SELECT COALESCE( MAX( id ), 0 ) FROM {$sph_table}" ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
$sph_work           = $sph_root . '/.run/transport-bench/' . wp_generate_password( 8, false );
$sph_mail_dir       = $sph_work . '/smtp';
$sph_attachment     = $sph_work . '/attachment.bin';
$sph_smtp           = null;
$sph_apis           = null;
$sph_started        = microtime( true );
$sph_single         = array_fill_keys( $sph_ids, array() );
$sph_drain_rows     = array();
$sph_memory_rows    = array();
$sph_single_arrived = array();

try {
	wp_mkdir_p( $sph_mail_dir );
	$sph_smtp_port = Server_Process::free_ports( 1 )[0];
	$sph_smtp      = new Server_Process();
	$sph_smtp->start(
		array( 'node', $sph_root . '/tests/php/servers/outbox-smtp.js', '--port', (string) $sph_smtp_port, '--out', $sph_mail_dir, '--cert-dir', $sph_root . '/.run/smtp', '--max-seconds', '3600' ),
		array(),
		1,
		$sph_root . '/.run/logs/transport-bench-smtp.log'
	);
	$sph_apis = new Provider_Api_Servers();
	$sph_urls = array();
	foreach ( Provider_Api_Servers::PROVIDERS as $sph_server ) {
		$sph_urls[ $sph_server ] = $sph_apis->base_url( $sph_server );
	}
	if ( $sph_oauth_up ) {
		// Tokens that outlive the bench: no refresh inside a measurement.
		file_get_contents( SPH_OAUTH_ISSUER . '/test/access-token-ttl', false, stream_context_create( array( 'http' => array( 'method' => 'POST', 'header' => 'Content-Type: application/x-www-form-urlencoded', 'content' => 'seconds=3600' ) ) ) );
		foreach ( array_keys( SPH_OAUTH_SCOPES ) as $sph_oauth_id ) {
			sph_transport_log( "signing in for $sph_oauth_id at the local authorization server" );
			sph_transport_sign_in( $sph_oauth_id, $sph_smtp_port, $sph_urls );
		}
	} else {
		sph_transport_log( 'the local authorization server is not running (bash env/stack.sh start, as root): no Microsoft Graph and Gmail API rows' );
	}

	// 1. One message per wp_mail() over each transport, the transports in turn each round.
	$sph_tag = 'single ' . wp_generate_password( 8, false );
	for ( $round = 0; $round <= $sph_runs; $round++ ) {
		sph_transport_log( sprintf( 'one message over each transport, round %d of %d%s', $round, $sph_runs, 0 === $round ? ' (warm-up, not counted)' : '' ) );
		foreach ( $sph_ids as $id ) {
			sph_transport_choose( $id, $sph_smtp_port, $sph_urls );
			$t0   = microtime( true );
			$sent = wp_mail( 'reader@example.com', "$sph_tag $id #$round", "Someone asked to reset the password of this account.\n\nhttps://example.org/wp-login.php?action=rp&key=abc&login=reader\n" );
			$ms   = ( microtime( true ) - $t0 ) * 1000;
			if ( ! $sent ) {
				throw new RuntimeException( "wp_mail() over $id failed" );
			}
			if ( $round > 0 ) {
				$sph_single[ $id ][] = $ms;
			}
		}
	}
	$sph_single_arrived['smtp'] = count( sph_transport_smtp_arrived( $sph_mail_dir, $sph_tag ) );
	foreach ( $sph_ids as $id ) {
		$server = SPH_TRANSPORTS[ $id ];
		if ( '' !== $server ) {
			$sph_single_arrived[ $id ] = count( sph_transport_api_arrived( $sph_apis, $server, $sph_tag ) );
		}
	}
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$sph_table} WHERE id > %d", $sph_first_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- anything part 1 queued.

	// 2. A queue of N messages drained in one process: SMTP and the HTTPS APIs side by side.
	foreach ( array_merge( array( 'smtp' ), array_intersect( SPH_DRAINED, $sph_ids ) ) as $id ) {
		sph_transport_choose( $id, $sph_smtp_port, $sph_urls );
		delete_option( Port_Retest::OPTION );
		$tag   = 'drain ' . $id . ' ' . wp_generate_password( 8, false );
		$route = ( new Send_Route( new Settings_Store() ) )->for_message( array( 'reader@example.com' ) )['route'];
		$sent  = array();
		sph_transport_log( "queueing $sph_messages messages for $id" );
		for ( $i = 0; $i < $sph_messages; $i++ ) {
			$message_id = sprintf( '<%s.%d@example.org>', md5( $tag ), $i );
			$subject    = "$tag #$i";
			$data       = 'Date: ' . gmdate( 'r' ) . "\r\nFrom: Blog <blog@example.org>\r\nTo: reader@example.com\r\nSubject: {$subject}\r\nMessage-ID: {$message_id}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nSomeone asked to reset the password of this account.\r\n\r\nhttps://example.org/wp-login.php?action=rp&key=abc{$i}&login=reader\r\n";
			$queued     = ( new Outbox() )->add(
				'blog@example.org',
				array( 'reader@example.com' ),
				$data,
				array(
					'stage' => 'connect',
					'code'  => 0,
					'error' => 'bench',
				),
				$route
			);
			if ( ! is_int( $queued ) ) {
				throw new RuntimeException( "message $i was not queued" );
			}
			$sent[] = 'smtp' === $id ? $message_id : $subject;
		}
		$wpdb->query( $wpdb->prepare( "UPDATE {$sph_table} SET next_attempt_at = 0 WHERE id > %d", $sph_first_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$server      = SPH_TRANSPORTS[ $id ];
		$connections = '' === $server ? 0 : $sph_apis->api_connections( $server );
		sph_transport_log( "draining over $id" );
		$t0                    = microtime( true );
		$counts                = ( new Plugin() )->outbox_runner()->run( 100000, 1200 );
		$elapsed               = microtime( true ) - $t0;
		$arrived               = '' === $server ? sph_transport_smtp_arrived( $sph_mail_dir, $tag ) : sph_transport_api_arrived( $sph_apis, $server, $tag );
		$sph_drain_rows[ $id ] = array(
			'elapsed'     => $elapsed,
			'delivered'   => (int) $counts['delivered'],
			'connections' => '' === $server ? 'one per runner (the SMTP session stays open)' : (string) ( $sph_apis->api_connections( $server ) - $connections ),
			'once'        => sph_transport_once( $sent, $arrived ),
		);
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$sph_table} WHERE id > %d", $sph_first_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
		$sph_apis->forget_received();
	}

	// 3. Peak memory with a 10 MB attachment, each transport in a fresh process.
	sph_transport_random_file( $sph_attachment, $sph_mb * 1048576 );
	foreach ( $sph_ids as $id ) {
		sph_transport_choose( $id, $sph_smtp_port, $sph_urls ); // The child finds an OAuth API's sign-in in place.
		sph_transport_log( "memory with a $sph_mb MB attachment over $id" );
		$command = array( PHP_BINARY, '-d', 'sendmail_path=/bin/true', '-d', 'memory_limit=512M', __FILE__, '--memory-child=' . $id, '--attachment=' . $sph_attachment, '--smtp-port=' . $sph_smtp_port, '--api-ports=' . wp_json_encode( $sph_urls ) );
		$pipes   = array();
		$process = proc_open(
			$command,
			array(
				1 => array( 'pipe', 'w' ),
				2 => array(
					'pipe',
					'w',
				),
			),
			$pipes
		);
		$out     = (string) stream_get_contents( $pipes[1] );
		$err     = (string) stream_get_contents( $pipes[2] );
		proc_close( $process );
		$result = json_decode( trim( (string) strrchr( "\n" . trim( $out ), "\n" ) ), true );
		if ( ! is_array( $result ) ) {
			throw new RuntimeException( "the memory run over $id failed: " . $out . $err );
		}
		$sph_memory_rows[ $id ] = $result;
		$sph_apis->forget_received();
	}
} finally {
	$wpdb->query( $wpdb->prepare( "DELETE FROM {$sph_table} WHERE id > %d", $sph_first_id ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
	if ( null === $sph_saved_settings ) {
		delete_option( Settings_Store::OPTION );
	} else {
		update_option( Settings_Store::OPTION, $sph_saved_settings );
	}
	foreach ( array( Token_Store::OPTION => $sph_saved_sign_in[0], Token_Store::ACCESS_OPTION => $sph_saved_sign_in[1] ) as $sph_option => $sph_value ) {
		if ( null === $sph_value ) {
			delete_option( $sph_option );
		} else {
			update_option( $sph_option, $sph_value, false );
		}
	}
	delete_option( Port_Retest::OPTION );
	$sph_forget_pace();
	wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
	if ( null !== $sph_smtp ) {
		$sph_smtp->stop();
	}
	if ( null !== $sph_apis ) {
		$sph_apis->stop();
	}
	array_map( 'unlink', array_merge( (array) glob( $sph_mail_dir . '/*' ), array( $sph_attachment ) ) );
	@rmdir( $sph_mail_dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
	@rmdir( $sph_work ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
}

$sph_smtp_median = sph_transport_median( $sph_single['smtp'] );
printf( "#### One message, `wp_mail()` to the local server (%d runs each after a warm-up round, the transports in turn)\n\n", $sph_runs );
printf( "| transport | median ms | p90 ms | median / SMTP's | target | met? | arrived |\n|---|---:|---:|---:|---|---|---|\n" );
foreach ( $sph_ids as $id ) {
	$median = sph_transport_median( $sph_single[ $id ] );
	$ratio  = $median / max( 0.001, $sph_smtp_median );
	printf(
		"| %s | %.1f | %.1f | %s | %s | %s | %d of %d |\n",
		'smtp' === $id ? 'SMTP (STARTTLS + AUTH) — reference' : sph_transport_label( $id ),
		$median,
		sph_transport_p90( $sph_single[ $id ] ),
		'smtp' === $id ? '1.00' : sprintf( '%.2f', $ratio ),
		'smtp' === $id ? '' : '≤ 1.5',
		'smtp' === $id ? '' : ( $ratio <= 1.5 ? 'yes' : '**no**' ),
		$sph_single_arrived[ $id ] ?? 0,
		$sph_runs + 1
	);
}

printf( "\n#### %d queued messages drained by the outbox runner in one process\n\n", $sph_messages );
printf( "| transport | time | messages/s | / SMTP's | connections the server counted | arrived |\n|---|---:|---:|---:|---|---|\n" );
$sph_smtp_rate = $sph_drain_rows['smtp']['delivered'] / max( 0.001, $sph_drain_rows['smtp']['elapsed'] );
foreach ( $sph_drain_rows as $id => $row ) {
	$rate = $row['delivered'] / max( 0.001, $row['elapsed'] );
	printf(
		"| %s | %.1f s | %.0f | %s | %s | %s |\n",
		'smtp' === $id ? 'SMTP (STARTTLS + AUTH)' : sph_transport_label( $id ),
		$row['elapsed'],
		$rate,
		'smtp' === $id ? '1.00' : sprintf( '%.2f', $rate / max( 0.001, $sph_smtp_rate ) ),
		$row['connections'],
		$row['once']
	);
}

printf( "\n#### Peak memory sending a %d MB attachment (a fresh PHP process per transport)\n\n", $sph_mb );
printf( "| transport | message size | `send()`: PHP peak | / size | `send()`: resident peak | / size | target ≤ 3 × | whole `wp_mail()`: PHP peak | resident peak | delivered |\n|---|---:|---:|---:|---:|---:|---|---:|---:|---|\n" );
foreach ( $sph_memory_rows as $id => $row ) {
	$worst = max( $row['send_php'], $row['send_rss'] ) / max( 1, $row['size'] );
	printf(
		"| %s | %.1f MB | %.1f MB | %.2f | %s | %s | %s | %.1f MB | %s | %s |\n",
		'smtp' === $id ? 'SMTP' : Transport_Registry::provider( $id )->label,
		$row['size'] / 1048576,
		$row['send_php'] / 1048576,
		$row['send_php'] / max( 1, $row['size'] ),
		$row['send_rss'] > 0 ? sprintf( '%.1f MB', $row['send_rss'] / 1048576 ) : 'n/a',
		$row['send_rss'] > 0 ? sprintf( '%.2f', $row['send_rss'] / max( 1, $row['size'] ) ) : '',
		$worst <= 3 ? 'met' : '**not met**',
		$row['mail_php'] / 1048576,
		$row['mail_rss'] > 0 ? sprintf( '%.1f MB', $row['mail_rss'] / 1048576 ) : 'n/a',
		$row['delivered'] && $row['mail_sent'] ? 'yes, both' : ( 413 === $row['code'] ? 'refused before sending: over the provider\'s size limit (413), as it should be' : '**no**: ' . $row['error'] )
	);
}
printf(
	"\nServers: the providers' local HTTPS servers (`env/providers/api-servers.js`: every request checked against the provider's schema, raw MIME parsed with mailparser, each message written to a file; Microsoft Graph and the Gmail API accept only tokens of the local authorization server, `env/oauth`, which they check by introspection on every request — %s) and a private smtp-server (`tests/php/servers/outbox-smtp.js`: STARTTLS, AUTH PLAIN, each message written to a file), all on 127.0.0.1 with the stack's certificate, verified. A single message opens its connection (TCP, TLS, and for SMTP EHLO, STARTTLS, EHLO, AUTH) and closes it; a queue run keeps one connection: the SMTP session, or the HTTPS client's kept-alive connection (counted by the server). `send()`'s peak: above what PHP held before the message was built, the message's own bytes included; the resident peak (VmHWM, reset before the send) also counts cURL's copy of the request body. The providers' sending limits are off for the bench (`smtp_port_helper_sending_limits`): on a real site the outbox sends at most 30 messages a minute to Microsoft 365 and 2 a second to Resend. Benchmark wall time: %.0f s.\n",
	$sph_oauth_up ? 'the site signed in there once for each before the measurements' : '**their rows are left out: the authorization server was not running** (`bash env/stack.sh start` as root)',
	microtime( true ) - $sph_started
);
