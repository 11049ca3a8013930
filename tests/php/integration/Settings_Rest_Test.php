<?php
/**
 * GET/POST /smtp-port-helper/v1/settings in the real WordPress and database.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Settings\Settings_Store;

final class Settings_Rest_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/settings';

	public function test_route_is_registered_with_an_args_schema(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$post = null;
		foreach ( $routes[ self::ROUTE ] as $handler ) {
			if ( isset( $handler['methods']['POST'] ) ) {
				$post = $handler;
			}
		}
		$this->assertNotNull( $post );
		$this->assertSame( 'integer', $post['args']['port']['type'] );
		$this->assertSame( 65535, $post['args']['port']['maximum'] );
		$this->assertSame( 'string', $post['args']['host']['type'] );
	}

	public function test_admin_reads_defaults(): void {
		$this->log_in_as( 'administrator' );
		delete_option( Settings_Store::OPTION );
		$response = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( '', $data['host'] );
		$this->assertSame( 587, $data['port'] );
	}

	public function test_admin_saves_host_and_port_and_reads_them_back(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host' => 'SMTP.Example.COM',
				'port' => 2525,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'smtp.example.com', $response->get_data()['host'] );

		wp_cache_flush();
		$stored = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) );
		$this->assertSame( 'smtp.example.com', $stored['host'] );
		$this->assertSame( 2525, $stored['port'] );

		$read = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertSame( 2525, $read['port'] );
	}

	public function test_idn_host_is_saved_as_punycode(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest( 'POST', self::ROUTE, array( 'host' => 'mail.bücher.de' ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'mail.xn--bcher-kva.de', $response->get_data()['host'] );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function bad_inputs(): array {
		return array(
			'port not numeric'      => array( array( 'port' => 'abc' ), 'port' ),
			'port zero'             => array( array( 'port' => 0 ), 'port' ),
			'port too high'         => array( array( 'port' => 65536 ), 'port' ),
			'port negative'         => array( array( 'port' => -25 ), 'port' ),
			'port fractional'       => array( array( 'port' => 587.5 ), 'port' ),
			'port array'            => array( array( 'port' => array( 587 ) ), 'port' ),
			'host empty'            => array( array( 'host' => '' ), 'host' ),
			'host blank'            => array( array( 'host' => '   ' ), 'host' ),
			'host with CRLF'        => array( array( 'host' => "smtp.example.com\r\nRCPT TO:<x@evil.test>" ), 'host' ),
			'host with scheme'      => array( array( 'host' => 'smtp://smtp.example.com' ), 'host' ),
			'host with port'        => array( array( 'host' => 'smtp.example.com:587' ), 'host' ),
			'host too long'         => array( array( 'host' => str_repeat( 'a', 300 ) . '.com' ), 'host' ),
			'host not a string'     => array( array( 'host' => 42 ), 'host' ),
			'good host, bad port'   => array(
				array(
					'host' => 'smtp.example.com',
					'port' => 'x',
				),
				'port',
			),
		);
	}

	/**
	 * @dataProvider bad_inputs
	 * @param array<string, mixed> $body
	 */
	public function test_bad_input_is_refused_naming_the_field_and_changes_nothing( array $body, string $field ): void {
		$this->log_in_as( 'administrator' );
		update_option(
			Settings_Store::OPTION,
			array(
				'host' => 'smtp.before.test',
				'port' => 465,
			)
		);
		$before = $this->raw_option( Settings_Store::OPTION );
		$this->assertNotNull( $before );

		$response = $this->rest( 'POST', self::ROUTE, $body );

		$this->assertSame( 400, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'rest_invalid_param', $data['code'] );
		$this->assertArrayHasKey( $field, $data['data']['params'], (string) wp_json_encode( $data ) );
		$this->assertNotSame( '', trim( $data['data']['params'][ $field ] ) );
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ), 'the stored option must stay byte-for-byte the same' );
	}

	public function test_update_option_from_other_code_cannot_store_a_bad_value(): void {
		update_option(
			Settings_Store::OPTION,
			array(
				'host' => 'smtp.before.test',
				'port' => 465,
			)
		);
		$before = $this->raw_option( Settings_Store::OPTION );
		update_option(
			Settings_Store::OPTION,
			array(
				'host' => "evil\r\nhost",
				'port' => 99999,
			)
		);
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public function non_admin_roles(): array {
		return array(
			'subscriber'  => array( 'subscriber' ),
			'contributor' => array( 'contributor' ),
			'author'      => array( 'author' ),
			'editor'      => array( 'editor' ),
		);
	}

	/**
	 * @dataProvider non_admin_roles
	 */
	public function test_non_admins_get_403_and_change_nothing( string $role ): void {
		$this->log_in_as( $role );
		$before = $this->raw_option( Settings_Store::OPTION );
		$this->assertSame( 403, $this->rest( 'GET', self::ROUTE )->get_status() );
		$this->assertSame( 403, $this->rest( 'POST', self::ROUTE, array( 'port' => 2525 ) )->get_status() );
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
	}

	public function test_logged_out_gets_401(): void {
		$this->assertSame( 401, $this->rest( 'GET', self::ROUTE )->get_status() );
		$this->assertSame( 401, $this->rest( 'POST', self::ROUTE, array( 'port' => 2525 ) )->get_status() );
	}
}
