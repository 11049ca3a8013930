<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Settings\Wp_Options_Shim;

require_once __DIR__ . '/wp-options-shim.php';

/**
 * On a network, SMTP_PORT_HELPER_PASS in wp-config.php is the network's password: a site gets it
 * only for the network's host and user name, and never for a connection without TLS. Each test
 * defines the constants, so each runs in a process of its own.
 *
 * @runTestsInSeparateProcesses
 * @preserveGlobalState disabled
 */
final class Network_Constant_Password_Test extends TestCase {

	protected function setUp(): void {
		Wp_Options_Shim::reset();
		Wp_Options_Shim::$multisite = true;
		define( 'SMTP_PORT_HELPER_USER', 'network-user' );
		define( 'SMTP_PORT_HELPER_PASS', 'wp-config secret' );
		Wp_Options_Shim::$site_options[ Settings_Store::OPTION ] = array(
			'enabled' => true,
			'host'    => 'smtp.network.example',
			'port'    => 587,
		);
	}

	public function test_a_site_on_the_networks_server_uses_it(): void {
		$this->assertSame( 'wp-config secret', Settings_Store::for_network()->password() );
		$this->assertSame( 'wp-config secret', ( new Settings_Store() )->password() );
	}

	public function test_a_site_that_sets_its_own_host_does_not_get_it(): void {
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array( 'host' => 'smtp.attacker.example' );
		$this->assertNull( ( new Settings_Store() )->password() );
	}

	public function test_a_site_without_tls_does_not_get_it(): void {
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array( 'encryption' => 'none' );
		$site = new Settings_Store();
		$this->assertTrue( $site->network_password_without_tls() );
		$this->assertNull( $site->password() );
	}
}
