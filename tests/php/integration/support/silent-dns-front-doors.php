<?php
/**
 * Run by Dns_Deadline_Namespace_Test inside its own network and mount namespaces, where
 * /etc/resolv.conf names a name server that never answers: loads the real WordPress (the database
 * through its Unix socket, the only way out of the namespace) and times every front door — the
 * REST port test, the test email, Site Health and the CLI's port test — against a name that
 * needs DNS, and one that /etc/hosts answers. Everything it writes is rolled back. The last line
 * of standard output is `RESULT: <json>`.
 *
 * Usage: php silent-dns-front-doors.php <mysqld.sock> <wp dir>
 *
 * @package SmtpPortHelper\Tests
 */

// phpcs:disable WordPress.WP.GlobalVariablesOverride, WordPress.Security.EscapeOutput, WordPress.DB.DirectDatabaseQuery -- a test harness on the command line.

use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

// The stack's user connects over TCP, which this namespace cannot reach; root over the socket.
define( 'DB_HOST', 'localhost:' . $argv[1] );
define( 'DB_USER', 'root' );
define( 'DB_PASSWORD', '' );
putenv( 'SMTP_PORT_HELPER_TABLE_PREFIX=wptests_' );
$_SERVER['HTTP_HOST']       = '127.0.0.1:8889';
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REQUEST_METHOD']  = 'GET';
define( 'DISABLE_WP_CRON', true );
require $argv[2] . '/wp-load.php';

global $wpdb;
$wpdb->query( 'START TRANSACTION' );

$results = array();
$timed   = static function ( string $name, callable $front_door ) use ( &$results ): void {
	$started          = hrtime( true );
	$outcome          = $front_door();
	$results[ $name ] = array(
		'seconds' => ( hrtime( true ) - $started ) / 1e9,
		'outcome' => $outcome,
	);
};

$admin = wp_insert_user(
	array(
		'user_login' => 'dns-deadline-' . wp_generate_password( 6, false ),
		'user_pass'  => wp_generate_password(),
		'user_email' => 'dns-deadline@example.com',
		'role'       => 'administrator',
	)
);
wp_set_current_user( (int) $admin );
delete_option( Settings_Store::OPTION );

$port_test = static function ( string $host ): array {
	$request = new WP_REST_Request( 'POST', '/smtp-port-helper/v1/port-tests' );
	$request->set_body_params(
		array(
			'host'    => $host,
			'ports'   => array( 587, 2525 ),
			'timeout' => 1,
		)
	);
	return (array) rest_do_request( $request )->get_data();
};
$timed(
	'rest_port_test',
	static function () use ( $port_test ): array {
		return $port_test( 'smtp.silent-dns.test' );
	}
);
$timed(
	'hosts_file',
	static function () use ( $port_test ): array {
		return $port_test( 'smtp.from-hosts.test' );
	}
);

$store = new Settings_Store();
$store->update(
	array(
		'enabled' => true,
		'host'    => 'smtp.silent-dns.test',
		'port'    => 587,
		'auth'    => false,
		'timeout' => 1,
	)
);
$timed(
	'test_email',
	static function (): array {
		$request = new WP_REST_Request( 'POST', '/smtp-port-helper/v1/test-email' );
		$request->set_body_params( array( 'to' => 'someone@example.com' ) );
		$response = rest_do_request( $request );
		return array(
			'status' => $response->get_status(),
			'data'   => $response->get_data(),
		);
	}
);
$timed(
	'site_health',
	static function (): array {
		$tests = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		return (array) call_user_func( $tests['async']['smtp_port_helper_port_check']['async_direct_test'] );
	}
);
$timed(
	'cli',
	static function () use ( $store ): array {
		$runner = new Command_Runner( new Port_Prober(), new Probe_Options_Factory( $store ), new Test_Email( $store, new Mailer_Hook( $store ) ), $store, new Send_Path_Report( $store ) );
		return $runner->run_test(
			'smtp.silent-dns.test',
			array(
				'ports'   => '587',
				'timeout' => '1',
			)
		);
	}
);

$wpdb->query( 'ROLLBACK' );
echo "\nRESULT: " . wp_json_encode( $results ) . "\n";
