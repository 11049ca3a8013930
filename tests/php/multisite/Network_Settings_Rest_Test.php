<?php
/**
 * GET/POST /smtp-port-helper/v1/network-settings on a real multisite network: network defaults,
 * per-site overrides, super admins only.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\REST\Settings_Route_Schema;
use SmtpPortHelper\Settings\Settings_Store;

final class Network_Settings_Rest_Test extends Multisite_Test_Case {

	public function test_route_is_registered_with_the_same_args_as_the_site_route(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::NETWORK_ROUTE, $routes );
		$args = array();
		foreach ( array( self::NETWORK_ROUTE, self::SITE_ROUTE ) as $route ) {
			foreach ( $routes[ $route ] as $handler ) {
				if ( isset( $handler['methods']['POST'] ) ) {
					$args[ $route ] = $handler['args'];
				}
			}
		}
		// The network route has one field more: whether its sites are locked to the network's destination.
		$this->assertEqualsCanonicalizing( array_keys( Settings_Route_Schema::input_schema() + Settings_Route_Schema::network_only_schema() ), array_keys( $args[ self::NETWORK_ROUTE ] ) );
		$this->assertEqualsCanonicalizing( array_keys( Settings_Route_Schema::input_schema() ), array_keys( $args[ self::SITE_ROUTE ] ) );
		foreach ( $args[ self::SITE_ROUTE ] as $field => $arg ) {
			unset( $arg['validate_callback'], $args[ self::NETWORK_ROUTE ][ $field ]['validate_callback'] );
			$this->assertSame( $arg, $args[ self::NETWORK_ROUTE ][ $field ], $field );
		}
	}

	public function test_network_defaults_apply_to_a_site_without_own_settings(): void {
		$this->log_in_as_super_admin();
		$saved = $this->rest(
			'POST',
			self::NETWORK_ROUTE,
			array(
				'host'      => 'smtp.network.example',
				'port'      => 2525,
				'auth'      => true,
				'username'  => 'network-user',
				'password'  => 'network secret',
				'from_name' => 'Network',
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertSame( 'smtp.network.example', $saved->get_data()['host'] );
		$this->assertTrue( $saved->get_data()['password_set'] );
		$this->assertArrayNotHasKey( 'inherited', $saved->get_data(), 'the network answer inherits nothing' );
		$this->assertArrayNotHasKey( 'password', $saved->get_data() );

		// Stored network-wide, the password sealed like a site's.
		$raw = (string) $this->raw_site_option( Settings_Store::OPTION );
		$this->assertStringNotContainsString( 'network secret', $raw );
		$this->assertStringStartsWith( 'v2:', maybe_unserialize( $raw )['password'] );
		$this->assertSame( 'network secret', Settings_Store::for_network()->password() );

		switch_to_blog( $this->second_site );
		$this->assertNull( $this->raw_option( Settings_Store::OPTION ), 'the site stores nothing' );
		$data = $this->rest( 'GET', self::SITE_ROUTE )->get_data();
		$this->assertSame( 'smtp.network.example', $data['host'] );
		$this->assertSame( 2525, $data['port'] );
		$this->assertSame( 'starttls', $data['encryption'] );
		$this->assertSame( 'Network', $data['from_name'] );
		$this->assertTrue( $data['password_set'] );
		$this->assertEqualsCanonicalizing( array( 'host', 'port', 'encryption', 'auth', 'username', 'from_name' ), $data['inherited'] );
		$store = new Settings_Store();
		$this->assertSame( 'network secret', $store->password(), 'the site sends with the network password' );
		$this->assertTrue( $store->is_active() );
	}

	public function test_a_sites_own_value_overrides_that_field_only(): void {
		$this->log_in_as_super_admin();
		$this->assertSame(
			200,
			$this->rest(
				'POST',
				self::NETWORK_ROUTE,
				array(
					'host'      => 'smtp.network.example',
					'port'      => 2525,
					'from_name' => 'Network',
				)
			)->get_status()
		);

		switch_to_blog( $this->second_site );
		$saved = $this->rest( 'POST', self::SITE_ROUTE, array( 'from_name' => 'Second site' ) );
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$data = $saved->get_data();
		$this->assertSame( 'Second site', $data['from_name'] );
		$this->assertSame( 'smtp.network.example', $data['host'] );
		$this->assertSame( 2525, $data['port'] );
		$this->assertEqualsCanonicalizing( array( 'host', 'port', 'encryption' ), $data['inherited'] );
		$this->assertSame( array( 'from_name' => 'Second site' ), maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) ), 'only the overridden field is stored on the site' );
		restore_current_blog();

		// The main site and the network keep the network's value.
		$this->assertSame( 'Network', $this->rest( 'GET', self::SITE_ROUTE )->get_data()['from_name'] );
		$this->assertSame( 'Network', $this->rest( 'GET', self::NETWORK_ROUTE )->get_data()['from_name'] );

		// A later network change reaches the fields the site did not override.
		$this->rest( 'POST', self::NETWORK_ROUTE, array( 'host' => 'smtp2.network.example' ) );
		switch_to_blog( $this->second_site );
		$data = $this->rest( 'GET', self::SITE_ROUTE )->get_data();
		$this->assertSame( 'smtp2.network.example', $data['host'] );
		$this->assertSame( 'Second site', $data['from_name'] );
	}

	public function test_a_site_password_overrides_the_network_password(): void {
		$this->log_in_as_super_admin();
		$this->rest( 'POST', self::NETWORK_ROUTE, array( 'password' => 'network secret' ) );
		switch_to_blog( $this->second_site );
		$this->assertSame( 'network secret', ( new Settings_Store() )->password() );
		$this->rest( 'POST', self::SITE_ROUTE, array( 'password' => 'site secret' ) );
		$this->assertSame( 'site secret', ( new Settings_Store() )->password() );
		$this->assertSame( 'network secret', Settings_Store::for_network()->password() );
	}

	public function test_a_site_without_network_defaults_inherits_nothing(): void {
		$this->log_in_as_super_admin();
		$data = $this->rest( 'GET', self::SITE_ROUTE )->get_data();
		$this->assertSame( array(), $data['inherited'] );
		$this->assertSame( '', $data['host'] );
	}

	public function test_network_saves_are_validated_like_site_saves(): void {
		$this->log_in_as_super_admin();
		$response = $this->rest(
			'POST',
			self::NETWORK_ROUTE,
			array(
				'host' => 'smtp.network.example',
				'port' => 70000,
			)
		);
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
		$this->assertArrayHasKey( 'port', $response->get_data()['data']['params'] );
		$this->assertNull( $this->raw_site_option( Settings_Store::OPTION ), 'all or nothing: nothing stored' );

		$unknown = $this->rest( 'POST', self::NETWORK_ROUTE, array( 'hostname' => 'x' ) );
		$this->assertSame( 400, $unknown->get_status() );

		// A rule between fields: fallback ports may not repeat the main port.
		$combination = $this->rest(
			'POST',
			self::NETWORK_ROUTE,
			array(
				'port'           => 587,
				'fallback'       => true,
				'fallback_ports' => array( 587 ),
			)
		);
		$this->assertSame( 400, $combination->get_status() );
		$this->assertNull( $this->raw_site_option( Settings_Store::OPTION ) );
	}

	public function test_constants_still_win_over_the_network(): void {
		$this->assertTrue( defined( 'SMTP_PORT_HELPER_CA_FILE' ), 'the stack defines SMTP_PORT_HELPER_CA_FILE' );
		$this->log_in_as_super_admin();
		$data = $this->rest( 'GET', self::NETWORK_ROUTE )->get_data();
		$this->assertSame( 'SMTP_PORT_HELPER_CA_FILE', $data['locked']->ca_file );
		$this->assertSame( SMTP_PORT_HELPER_CA_FILE, $data['ca_file'] );
		$response = $this->rest( 'POST', self::NETWORK_ROUTE, array( 'ca_file' => '/etc/ssl/certs/ca-certificates.crt' ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'ca_file', $response->get_data()['data']['params'] );
		$this->assertNull( $this->raw_site_option( Settings_Store::OPTION ) );
	}

	public function test_network_route_is_for_super_admins_only(): void {
		$this->assertSame( 401, $this->rest( 'GET', self::NETWORK_ROUTE )->get_status(), 'logged out' );
		$this->assertSame( 401, $this->rest( 'POST', self::NETWORK_ROUTE, array( 'host' => 'x.example' ) )->get_status(), 'logged out' );

		$this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin() );
		$this->assertSame( 200, $this->rest( 'GET', self::SITE_ROUTE )->get_status(), 'a site administrator manages the site' );
		$get = $this->rest( 'GET', self::NETWORK_ROUTE );
		$this->assertSame( 403, $get->get_status() );
		$this->assertSame( 'rest_forbidden', $get->get_data()['code'] );
		$this->assertSame( 403, $this->rest( 'POST', self::NETWORK_ROUTE, array( 'host' => 'x.example' ) )->get_status() );
		$this->assertNull( $this->raw_site_option( Settings_Store::OPTION ) );

		$this->log_in_as( 'editor' );
		$this->assertSame( 403, $this->rest( 'GET', self::NETWORK_ROUTE )->get_status() );

		$this->log_in_as_super_admin();
		$this->assertSame( 200, $this->rest( 'GET', self::NETWORK_ROUTE )->get_status() );
	}
}
