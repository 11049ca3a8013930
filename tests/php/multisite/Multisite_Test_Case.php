<?php
/**
 * Base class for the multisite tests: the integration suite's rolled-back transaction, plus the
 * network's second site and super admins.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Integration_Test_Case;

abstract class Multisite_Test_Case extends Integration_Test_Case {

	protected const NETWORK_ROUTE = '/smtp-port-helper/v1/network-settings';
	protected const SITE_ROUTE    = '/smtp-port-helper/v1/settings';

	/**
	 * The second site of the network (env/install-multisite.php creates it at /second/).
	 */
	protected int $second_site = 0;

	protected function setUp(): void {
		parent::setUp();
		$second = get_sites(
			array(
				'path'   => '/second/',
				'fields' => 'ids',
			)
		);
		$this->assertNotEmpty( $second, 'the network has no site at /second/: restart the stack' );
		$this->second_site = (int) $second[0];
		// Start from no stored settings anywhere (rolled back afterwards).
		delete_site_option( Settings_Store::OPTION );
		foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
			switch_to_blog( (int) $site_id );
			delete_option( Settings_Store::OPTION );
			restore_current_blog();
		}
	}

	protected function tearDown(): void {
		while ( ms_is_switched() ) {
			restore_current_blog();
		}
		// A test that opens the address policy for sites must not open it for the next one.
		remove_all_filters( 'smtp_port_helper_sites_may_use_internal_addresses' );
		remove_all_filters( 'smtp_port_helper_site_administrator_ports' );
		parent::tearDown();
	}

	/**
	 * Creates an administrator of the main site, makes them a super admin and logs them in.
	 */
	protected function log_in_as_super_admin(): int {
		$user_id = $this->log_in_as( 'administrator' );
		grant_super_admin( $user_id );
		$this->assertTrue( is_super_admin( $user_id ) );
		return $user_id;
	}

	/**
	 * The network option's raw database value, bypassing every cache.
	 */
	protected function raw_site_option( string $name ): ?string {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->sitemeta} WHERE meta_key = %s AND site_id = %d", $name, get_current_network_id() ) );
		return null === $value ? null : (string) $value;
	}
}
