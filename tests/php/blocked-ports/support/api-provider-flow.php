<?php
/**
 * Runs inside the network namespace whose firewall rejects outbound 25, 465, 587 and 2525
 * (Blocked_Ports_Providers_Test), with the provider's real API host names pointing at local
 * servers (the namespace's hosts file) and a certificate for those names trusted as the CA file.
 * As the administrator: the port test of the provider's SMTP host; the recommended HTTPS API
 * saved through the settings route as the page's one click and Save do; for Microsoft Graph and
 * the Gmail API the sign-in through the local authorization server (the page's "Connect": the
 * authorize route, the server's login and consent, the callback); a test email through the
 * page's route; a visitor's password reset, logged out. Then each of the provider's error
 * answers (a bad key, a missing permission, throttled, too large, a refused sign-in) for one
 * wp_mail() each: what the outbox keeps and the Outbox view says. Prints one JSON line.
 *
 * The case comes as JSON in SPH_CASE: host, settings (saved with the transport), sign_in (bool),
 * scope (the sign-in's, when not the API's own), api (the local server's base URL, for its test
 * faults), api_hosts (the API host names WordPress may reach), errors (list of name, settings,
 * faults, attachment_bytes, revoke_sign_in).
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- test script.

$case = json_decode( (string) getenv( 'SPH_CASE' ), true );
// The stack's wp-config.php blocks requests to the outside (WP_HTTP_BLOCK_EXTERNAL); the API hosts are let through.
define( 'WP_ACCESSIBLE_HOSTS', implode( ',', $case['api_hosts'] ) );
if ( ! empty( $case['sign_in'] ) ) {
	// The Microsoft and Google profiles' endpoints at the local authorization server, as a test site's wp-config.php would.
	define( 'SMTP_PORT_HELPER_OAUTH_AUTHORIZE_URL', 'http://127.0.0.1:9411/authorize' );
	define( 'SMTP_PORT_HELPER_OAUTH_TOKEN_URL', 'http://127.0.0.1:9411/token' );
	if ( isset( $case['scope'] ) ) {
		// An app registration that lacks the permission to send: the sign-in asks for this scope only.
		define( 'SMTP_PORT_HELPER_OAUTH_SCOPE', $case['scope'] );
	}
}
putenv( 'SMTP_PORT_HELPER_WP_DIR=' . dirname( __DIR__, 4 ) . '/.run/wp-sqlite' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.runtime_configuration_putenv -- chooses the install for load-wordpress.php.
require dirname( __DIR__, 2 ) . '/integration/support/load-wordpress.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

use SmtpPortHelper\OAuth\OAuth_Callback;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;
use SmtpPortHelper\Tests\Integration\Provider_Api_Servers;

require_once dirname( __DIR__, 2 ) . '/integration/Provider_Api_Servers.php';

/**
 * A REST request as the page sends it.
 *
 * @param string               $method Method.
 * @param string               $route  Route under the plugin's namespace.
 * @param array<string, mixed> $body   Body.
 * @return array{status: int, data: mixed}
 */
function flow_rest( string $method, string $route, array $body = array() ): array {
	$request = new WP_REST_Request( $method, '/smtp-port-helper/v1' . $route );
	$request->set_header( 'Content-Type', 'application/json' );
	$request->set_body( (string) wp_json_encode( $body ) );
	$response = rest_do_request( $request );
	return array(
		'status' => $response->get_status(),
		'data'   => $response->get_data(),
	);
}

/**
 * Forgets what was counted so far: the sending windows (a provider's "slow down" answered) and,
 * with $all, the test emails per minute and the port test slots too (a fresh site).
 *
 * @param bool $all Whether to forget the counts of the routes too.
 */
function flow_forget_counts( bool $all = false ): void {
	global $wpdb;
	$prefixes = $all ? Stored_Names::SITE_OPTION_PREFIXES : array( Stored_Names::PACE_PREFIX );
	foreach ( $prefixes as $prefix ) {
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( $prefix ) . '%' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
	}
	wp_cache_flush();
}

/**
 * The messages the Outbox view lists (with the plain words it shows), as the administrator.
 *
 * @return list<array<string, mixed>>
 */
function flow_outbox(): array {
	$user = get_current_user_id();
	wp_set_current_user( $GLOBALS['flow_admin'] );
	$messages = flow_rest( 'GET', '/outbox' )['data']['messages'] ?? array();
	wp_set_current_user( $user );
	return $messages;
}

$admins     = get_users(
	array(
		'role'   => 'administrator',
		'number' => 1,
	)
);
$flow_admin = $admins[0]->ID;
wp_set_current_user( $flow_admin );
delete_option( Stored_Names::SETTINGS );
// A site name beyond ASCII: both subjects carry it, so what arrives shows the encoding survived the API.
$flow_site_name = get_option( 'blogname' );
update_option( 'blogname', 'Südsee-Blog — Grüße 🎉' );
register_shutdown_function(
	static function () use ( $flow_site_name ): void {
		update_option( 'blogname', $flow_site_name );
	}
);
global $wpdb;
$wpdb->query( 'DELETE FROM ' . SmtpPortHelper\Outbox\Outbox_Table::name() ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- the plugin's own table.
flow_forget_counts( true );

$report = flow_rest(
	'POST',
	'/port-tests',
	array(
		'host'    => $case['host'],
		'ports'   => array( 587, 2525, 465, 25 ),
		'timeout' => 5,
	)
)['data'];

$result         = array( 'report' => $report );
$recommendation = is_array( $report ) ? ( $report['recommendation'] ?? null ) : null;
if ( is_array( $recommendation ) && isset( $recommendation['transport'] ) ) {
	// "Use the HTTPS API of …" fills the transport; the administrator enters what it needs and saves.
	$result['applied'] = flow_rest(
		'POST',
		'/settings',
		array_merge(
			array(
				'enabled'   => true,
				'host'      => $case['host'],
				'transport' => $recommendation['transport'],
			),
			$case['settings']
		)
	);
	if ( ! empty( $case['sign_in'] ) ) {
		$authorize = flow_rest( 'POST', '/oauth/authorize' );
		exec( 'node ' . escapeshellarg( dirname( __DIR__, 4 ) . '/env/oauth/token.js' ) . ' approve ' . escapeshellarg( (string) ( $authorize['data']['authorize_url'] ?? '' ) ) . ' 2>&1', $approved ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec -- the test stack's helper.
		parse_str( (string) wp_parse_url( trim( implode( "\n", $approved ) ), PHP_URL_QUERY ), $query );
		$result['signed_in'] = ( new OAuth_Callback( new OAuth_Connection( new Settings_Store() ) ) )->handle(
			array(
				'code'  => (string) ( $query['code'] ?? '' ),
				'state' => (string) ( $query['state'] ?? '' ),
			)
		);
	}
	$result['test_email'] = flow_rest( 'POST', '/test-email', array( 'to' => 'admin-check@example.com' ) );
}

wp_set_current_user( 0 );
$visitor           = 'blocked-visitor-' . getmypid();
$user_id           = wp_insert_user(
	array(
		'user_login' => $visitor,
		'user_email' => $visitor . '@example.com',
		'user_pass'  => wp_generate_password(),
		'role'       => 'subscriber',
	)
);
$reset             = retrieve_password( $visitor );
$result['reset']   = is_wp_error( $reset ) ? $reset->get_error_message() : $reset;
$result['visitor'] = $visitor . '@example.com';
$result['site']    = get_option( 'blogname' );
$result['outbox']  = flow_outbox();

$result['errors'] = array();
foreach ( $case['errors'] ?? array() as $answer ) {
	$store  = new Settings_Store();
	$before = $store->get();
	if ( array() !== $answer['settings'] ) {
		$store->update( $answer['settings'] );
	}
	Provider_Api_Servers::post_faults( $case['api'], $answer['faults'] );
	if ( ! empty( $answer['revoke_sign_in'] ) ) {
		// The administrator withdrew the site's consent at the provider: the refresh is refused.
		file_get_contents(
			'http://127.0.0.1:9411/test/revoke-grants',
			false,
			stream_context_create(
				array(
					'http' => array(
						'method'  => 'POST',
						'header'  => 'Content-Type: application/x-www-form-urlencoded',
						'content' => 'account=' . rawurlencode( $case['settings']['username'] ),
					),
				)
			)
		); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- the local authorization server.
	}
	$subject     = 'Held ' . $answer['name'] . ' — Grüße';
	$attachments = array();
	if ( $answer['attachment_bytes'] > 0 ) {
		$file = get_temp_dir() . 'sph-too-large-' . getmypid() . '.bin';
		file_put_contents( $file, random_bytes( $answer['attachment_bytes'] ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_file_put_contents
		$attachments[] = $file;
	}
	$refusal = '';
	$record  = static function ( WP_Error $error ) use ( &$refusal ): void {
		$refusal = $error->get_error_message();
	};
	add_action( 'wp_mail_failed', $record );
	$accepted = wp_mail( 'reader@example.com', $subject, 'Bitte aufheben.', '', $attachments );
	remove_action( 'wp_mail_failed', $record );
	foreach ( $attachments as $file ) {
		unlink( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.unlink_unlink
	}
	$kept = array_values( array_filter( flow_outbox(), static fn( array $entry ): bool => $entry['subject'] === $subject ) );
	Provider_Api_Servers::post_faults( $case['api'], array() );
	// The next error starts afresh: this message deleted as the administrator would, no wait left behind.
	( new Outbox() )->delete( (int) ( $kept[0]['id'] ?? 0 ) );
	flow_forget_counts();
	$result['errors'][ $answer['name'] ] = array(
		'accepted' => $accepted,
		'refusal'  => $refusal,
		'kept'     => $kept,
	);
	$restore                             = array();
	foreach ( array_keys( $answer['settings'] ) as $field ) {
		if ( 'api_key' !== $field ) {
			$restore[ $field ] = $before->$field;
		}
	}
	if ( isset( $answer['settings']['api_key'] ) ) {
		$restore['api_key'] = $case['settings']['api_key'];
	}
	if ( array() !== $restore ) {
		$store->update( $restore );
	}
}

echo wp_json_encode( $result ) . "\n";

if ( is_int( $user_id ) ) {
	wp_delete_user( $user_id );
}
$wpdb->query( 'DELETE FROM ' . SmtpPortHelper\Outbox\Outbox_Table::name() ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery, WordPress.DB.PreparedSQL.NotPrepared -- the plugin's own table.
delete_option( Stored_Names::SETTINGS );
