<?php
/**
 * Runs inside the network namespace whose firewall rejects outbound 25, 465, 587 and 2525
 * (Blocked_Ports_Namespace_Test): as the administrator, the port test of the provider's SMTP host
 * (SPH_SMTP_HOST; the namespace's hosts file points it at 127.0.0.1, where SMTP listeners wait behind the firewall),
 * the recommended HTTPS API applied as the page's one click does (transport + key), then a
 * visitor's password reset, logged out. Prints one JSON line with what happened.
 *
 * WordPress: the stack's SQLite install (no database server needed in the namespace); the
 * provider API's address is moved to the local server as a site's wp-config.php would.
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.NamingConventions.PrefixAllGlobals -- test script.

define( 'SMTP_PORT_HELPER_API_ENDPOINT', (string) getenv( 'SPH_API_ENDPOINT' ) );
putenv( 'SMTP_PORT_HELPER_WP_DIR=' . dirname( __DIR__, 4 ) . '/.run/wp-sqlite' );
require dirname( __DIR__, 2 ) . '/integration/support/load-wordpress.php';

$key     = (string) getenv( 'SPH_API_KEY' );
$host    = (string) getenv( 'SPH_SMTP_HOST' );
$visitor = 'blocked-visitor-' . getmypid();
$admins  = get_users(
	array(
		'role'   => 'administrator',
		'number' => 1,
	)
);
wp_set_current_user( $admins[0]->ID );
delete_option( SmtpPortHelper\Stored_Names::SETTINGS );

$request = new WP_REST_Request( 'POST', '/smtp-port-helper/v1/port-tests' );
$request->set_body_params(
	array(
		'host'    => $host,
		'ports'   => array( 587, 2525, 465, 25 ),
		'timeout' => 5,
	)
);
$report = rest_do_request( $request )->get_data();

$recommendation = is_array( $report ) ? ( $report['recommendation'] ?? null ) : null;
$applied        = null;
if ( is_array( $recommendation ) && isset( $recommendation['transport'] ) ) {
	$applied = ( new SmtpPortHelper\Settings\Settings_Store() )->update(
		array(
			'enabled'   => true,
			'host'      => $host,
			'transport' => $recommendation['transport'],
			'api_key'   => $key,
		)
	);
}

wp_set_current_user( 0 );
$user_id = wp_insert_user(
	array(
		'user_login' => $visitor,
		'user_email' => $visitor . '@example.com',
		'user_pass'  => wp_generate_password(),
		'role'       => 'subscriber',
	)
);
$reset = retrieve_password( $visitor );

echo wp_json_encode(
	array(
		'report'  => $report,
		'applied' => is_wp_error( $applied ) ? $applied->get_error_message() : null !== $applied,
		'reset'   => is_wp_error( $reset ) ? $reset->get_error_message() : $reset,
		'visitor' => $visitor . '@example.com',
	)
) . "\n";

require_once ABSPATH . 'wp-admin/includes/user.php';
if ( is_int( $user_id ) ) {
	wp_delete_user( $user_id );
}
delete_option( SmtpPortHelper\Stored_Names::SETTINGS );
