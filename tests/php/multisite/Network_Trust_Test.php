<?php
/**
 * What a sub-site administrator (not a super admin) can and cannot reach on a real network: the
 * network's user name and CA path, the CA file rule, the network budget, sealed values copied
 * between scopes; and that bad network writes never store a site's option as network defaults.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\REST\Route_Guard;
use SmtpPortHelper\Settings\Settings_Store;

final class Network_Trust_Test extends Multisite_Test_Case {

	/**
	 * Saves network defaults with a login, as a super admin.
	 */
	private function save_network_login(): void {
		$this->log_in_as_super_admin();
		$saved = $this->rest(
			'POST',
			self::NETWORK_ROUTE,
			array(
				'enabled'  => true,
				'host'     => 'smtp.network.example',
				'auth'     => true,
				'username' => 'network-user',
				'password' => 'network secret',
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
	}

	/**
	 * Logs in a new administrator of the second site (not a super admin) and switches to it.
	 */
	private function log_in_as_sub_site_admin(): int {
		switch_to_blog( $this->second_site );
		$user_id = $this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin( $user_id ) );
		return $user_id;
	}

	public function test_an_invalid_network_write_keeps_the_network_option_never_the_sites(): void {
		$this->save_network_login();
		$network_before = $this->raw_site_option( Settings_Store::OPTION );
		$this->save_smtp( 'smtp.site.example', 587, array( 'username' => 'site-user', 'password' => 'site secret' ) );

		update_site_option( Settings_Store::OPTION, array( 'port' => 'not a port' ) );
		wp_cache_flush();
		$this->assertSame( $network_before, $this->raw_site_option( Settings_Store::OPTION ), 'the network defaults are unchanged' );
		$this->assertStringNotContainsString( 'smtp.site.example', (string) $this->raw_site_option( Settings_Store::OPTION ) );

		// A valid write from other code is stored as it is.
		update_site_option( Settings_Store::OPTION, array( 'host' => 'smtp.other.example' ) );
		wp_cache_flush();
		$this->assertSame( array( 'host' => 'smtp.other.example' ), maybe_unserialize( (string) $this->raw_site_option( Settings_Store::OPTION ) ) );

		// The first write of the network option (add) is checked against the network's nothing.
		delete_site_option( Settings_Store::OPTION );
		add_site_option( Settings_Store::OPTION, array( 'timeout' => 'bad' ) );
		wp_cache_flush();
		$this->assertStringNotContainsString( 'smtp.site.example', (string) $this->raw_site_option( Settings_Store::OPTION ) );
		$this->assertStringNotContainsString( 'v2:', (string) $this->raw_site_option( Settings_Store::OPTION ), 'no site password as network default' );
	}

	public function test_a_sub_site_admin_sees_that_user_and_ca_file_are_inherited_not_their_values(): void {
		$this->save_network_login();
		$super = $this->rest( 'GET', self::SITE_ROUTE )->get_data();
		$this->assertSame( 'network-user', $super['username'], 'a super admin sees the values' );

		$this->log_in_as_sub_site_admin();
		$data = $this->rest( 'GET', self::SITE_ROUTE )->get_data();
		$this->assertContains( 'username', $data['inherited'] );
		$this->assertSame( '', $data['username'] );
		$this->assertSame( 'SMTP_PORT_HELPER_CA_FILE', $data['locked']->ca_file, 'the stack trusts its CA through the constant' );
		$this->assertSame( '', $data['ca_file'] );
		$this->assertSame( 'smtp.network.example', $data['host'], 'the site may know where its mail goes' );
		$this->assertTrue( $data['password_set'] );
		$encoded = (string) wp_json_encode( $data );
		$this->assertStringNotContainsString( 'network-user', $encoded );
		$this->assertStringNotContainsString( SMTP_PORT_HELPER_CA_FILE, $encoded );

		// Site Health (whose Info tab lists the CA file) is for super admins on a network.
		$this->assertSame( 403, $this->rest( 'GET', '/smtp-port-helper/v1/site-health/port-check' )->get_status() );

		// The answer to a save is the same view.
		$saved = $this->rest( 'POST', self::SITE_ROUTE, array( 'from_name' => 'Second' ) );
		$this->assertSame( 200, $saved->get_status() );
		$this->assertStringNotContainsString( 'network-user', (string) wp_json_encode( $saved->get_data() ) );
	}

	public function test_a_sub_site_admin_cannot_set_a_ca_file_nor_learn_which_files_exist(): void {
		$this->log_in_as_sub_site_admin();
		$answers = array();
		foreach ( array( '/etc/passwd', '/etc/hostname', '/no/such/file.pem', '' ) as $path ) {
			$response = $this->rest( 'POST', self::SITE_ROUTE, array( 'ca_file' => $path ) );
			$this->assertSame( 400, $response->get_status(), $path );
			$answers[] = $response->get_data()['data']['params'];
		}
		$this->assertSame( array( 'ca_file' ), array_keys( $answers[0] ) );
		$this->assertStringContainsString( 'network administrator', $answers[0]['ca_file'] );
		$this->assertCount( 1, array_unique( array_map( 'wp_json_encode', $answers ) ), 'the same answer for every path' );
		$this->assertNull( $this->raw_option( Settings_Store::OPTION ), 'nothing stored' );
	}

	public function test_a_sealed_password_copied_to_another_scope_does_not_open(): void {
		$this->save_network_login();
		$network_sealed = maybe_unserialize( (string) $this->raw_site_option( Settings_Store::OPTION ) )['password'];

		switch_to_blog( $this->second_site );
		$this->save_smtp( 'smtp.site.example', 587, array( 'username' => 'site-user', 'password' => 'site secret' ) );
		$site_option = get_option( Settings_Store::OPTION );
		$this->assertSame( 'site secret', ( new Settings_Store() )->password() );
		restore_current_blog();

		// The second site's option, copied to the main site as it is (same host and user).
		update_option( Settings_Store::OPTION, $site_option );
		$main = new Settings_Store();
		$this->assertNull( $main->password(), 'sealed for the second site only' );
		$this->assertTrue( $main->password_unreadable() );

		// The network's sealed password, copied into a site's option with the same login.
		update_option(
			Settings_Store::OPTION,
			array(
				'host'     => 'smtp.network.example',
				'username' => 'network-user',
				'password' => $network_sealed,
			)
		);
		$this->assertNull( ( new Settings_Store() )->password(), 'sealed for the network scope only' );
	}

	public function test_sub_site_admins_share_one_network_budget_super_admins_do_not_spend_it(): void {
		$body  = array(
			'host'  => '127.0.0.1',
			'ports' => array( 1 ),
		);
		// A closed loopback port answers at once; the network lets its sites test it (address policy).
		add_filter( 'smtp_port_helper_sites_may_use_internal_addresses', '__return_true' );
		add_filter(
			'smtp_port_helper_site_administrator_ports',
			static function ( array $ports ): array {
				return array_merge( $ports, array( 1 ) );
			}
		);
		$users = (int) ceil( Route_Guard::NETWORK_PROBES_PER_MINUTE / Route_Guard::PROBES_PER_MINUTE );
		$into_minute = time() % 60;
		if ( $into_minute > 45 ) {
			sleep( 61 - $into_minute );
		}
		switch_to_blog( $this->second_site );
		$spent = 0;
		for ( $user = 0; $user < $users; $user++ ) {
			$this->log_in_as( 'administrator' );
			for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE && $spent < Route_Guard::NETWORK_PROBES_PER_MINUTE; $i++, $spent++ ) {
				$this->assertSame( 200, $this->rest( 'POST', '/smtp-port-helper/v1/port-tests', $body )->get_status(), "request $spent" );
			}
		}
		$this->log_in_as( 'administrator' );
		$refused = $this->rest( 'POST', '/smtp-port-helper/v1/port-tests', $body );
		$this->assertSame( 429, $refused->get_status(), 'a fresh sub-site admin finds the network budget spent' );
		$this->assertStringContainsString( 'network', $refused->get_data()['message'] );
		$this->assertNotEmpty( $refused->get_headers()['Retry-After'] );
		restore_current_blog();

		$this->log_in_as_super_admin();
		$this->assertSame( 200, $this->rest( 'POST', '/smtp-port-helper/v1/port-tests', $body )->get_status(), 'a super admin is not on the sub-site budget' );
	}

	public function test_uninstall_cleans_every_network_in_batches(): void {
		global $wpdb;
		$wpdb->insert(
			$wpdb->site,
			array(
				'domain' => 'other-network.example',
				'path'   => '/',
			)
		);
		$other = (int) $wpdb->insert_id;
		add_network_option( $other, Settings_Store::OPTION, array( 'host' => 'smtp.other-network.example' ) );
		$this->assertNotNull( $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->sitemeta} WHERE meta_key = %s AND site_id = %d", Settings_Store::OPTION, $other ) ) );
		Settings_Store::for_network()->update( array( 'host' => 'smtp.network.example' ) );
		add_option( 'smtp_port_helper_slot_connections_1', '1|x', '', false );

		$batches = array();
		$record  = static function ( $result, $query ) use ( &$batches ) {
			$batches[] = (int) $query->query_vars['number'];
			return $result;
		};
		add_filter( 'sites_pre_query', $record, 10, 2 );
		add_filter( 'networks_pre_query', $record, 10, 2 );
		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'smtp-port-helper/smtp-port-helper.php' );
		}
		try {
			include dirname( __DIR__, 3 ) . '/uninstall.php';
		} finally {
			remove_filter( 'sites_pre_query', $record, 10 );
			remove_filter( 'networks_pre_query', $record, 10 );
		}
		wp_cache_flush();

		$this->assertNull( $wpdb->get_var( $wpdb->prepare( "SELECT meta_value FROM {$wpdb->sitemeta} WHERE meta_key = %s AND site_id = %d", Settings_Store::OPTION, $other ) ), 'the other network' );
		$this->assertNull( $this->raw_site_option( Settings_Store::OPTION ), 'this network' );
		$this->assertNull( $this->raw_option( 'smtp_port_helper_slot_connections_1' ) );
		$this->assertNotEmpty( $batches );
		foreach ( $batches as $number ) {
			$this->assertSame( 100, $number, 'sites and networks are read 100 at a time, never all at once' );
		}
	}
}
