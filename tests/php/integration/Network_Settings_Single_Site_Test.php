<?php
/**
 * On a single site there are no network defaults: /network-settings is not registered and the
 * settings answer has no `inherited`.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

final class Network_Settings_Single_Site_Test extends Integration_Test_Case {

	public function test_the_network_route_is_not_registered_on_a_single_site(): void {
		$this->assertFalse( is_multisite() );
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( '/smtp-port-helper/v1/settings', $routes );
		$this->assertArrayNotHasKey( '/smtp-port-helper/v1/network-settings', $routes );

		$this->log_in_as( 'administrator' );
		$this->assertSame( 404, $this->rest( 'GET', '/smtp-port-helper/v1/network-settings' )->get_status() );
		$this->assertArrayNotHasKey( 'inherited', $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data() );
	}
}
