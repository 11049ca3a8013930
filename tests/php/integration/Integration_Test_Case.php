<?php
/**
 * Base class for tests inside the real WordPress: each test runs in a database transaction that is
 * rolled back afterwards, with a fresh REST server and no user logged in.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use WP_REST_Request;
use WP_REST_Response;

abstract class Integration_Test_Case extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		Suite_Lock::enter( $this->getGroups() );
		global $wpdb;
		$wpdb->query( 'SET autocommit = 0' );
		$wpdb->query( 'START TRANSACTION' );
		wp_cache_flush();
		wp_set_current_user( 0 );
		$GLOBALS['wp_rest_server'] = null;
	}

	protected function tearDown(): void {
		global $wpdb;
		$wpdb->query( 'ROLLBACK' );
		$wpdb->query( 'SET autocommit = 1' );
		wp_cache_flush();
		wp_set_current_user( 0 );
		$GLOBALS['wp_rest_server'] = null;
		Suite_Lock::leave();
		parent::tearDown();
	}

	/**
	 * Creates a user with the role and logs them in.
	 */
	protected function log_in_as( string $role ): int {
		$login   = $role . '_' . wp_generate_password( 8, false );
		$user_id = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.com',
				'role'       => $role,
			)
		);
		$this->assertIsInt( $user_id );
		wp_set_current_user( $user_id );
		return $user_id;
	}

	/**
	 * Dispatches a REST request through the real server, as the current user.
	 *
	 * @param array<string, mixed> $body JSON body.
	 */
	protected function rest( string $method, string $route, array $body = array() ): WP_REST_Response {
		$request = new WP_REST_Request( $method, $route );
		if ( array() !== $body ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( (string) wp_json_encode( $body ) );
		}
		return rest_get_server()->dispatch( $request );
	}

	/**
	 * The option's raw database value, bypassing every cache.
	 */
	protected function raw_option( string $name ): ?string {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", $name ) );
		return null === $value ? null : (string) $value;
	}

	/**
	 * Saves SMTP settings through the settings model, with the test servers' credentials
	 * (test / secret) unless overridden.
	 *
	 * @param array<string, mixed> $changes Fields to save on top of host, port and credentials.
	 */
	protected function save_smtp( string $host, int $port, array $changes = array() ): void {
		$result = ( new Settings_Store() )->update(
			array_merge(
				array(
					'enabled'  => true,
					'host'     => $host,
					'port'     => $port,
					'auth'     => true,
					'username' => getenv( 'SMTP_USER' ) ?: 'test',
					'password' => getenv( 'SMTP_PASS' ) ?: 'secret',
				),
				$changes
			)
		);
		$this->assertInstanceOf( Settings::class, $result, is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}
}
