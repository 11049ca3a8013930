<?php
/**
 * Network Admin → Settings → SMTP Port Helper: super admins only, the same app in network mode.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Admin\Settings_Page;
use WP_Screen;

final class Network_Admin_Page_Test extends Multisite_Test_Case {

	protected function setUp(): void {
		parent::setUp();
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		require_once ABSPATH . 'wp-admin/includes/class-wp-screen.php';
		require_once ABSPATH . 'wp-admin/includes/screen.php';
		$GLOBALS['submenu']          = array();
		$GLOBALS['admin_page_hooks'] = array( 'settings.php' => 'settings' );
	}

	protected function tearDown(): void {
		unset( $GLOBALS['current_screen'] );
		wp_dequeue_script( Settings_Page::SCRIPT );
		wp_deregister_script( Settings_Page::SCRIPT );
		parent::tearDown();
	}

	public function test_the_network_screen_mounts_the_app_in_network_mode(): void {
		$this->log_in_as_super_admin();
		$page = new Settings_Page( SMTP_PORT_HELPER_FILE );
		$page->add_network_page();
		$this->assertSame( 'manage_network_options', $GLOBALS['submenu']['settings.php'][0][1] );
		$this->assertSame( Settings_Page::SLUG, $GLOBALS['submenu']['settings.php'][0][2] );

		$GLOBALS['current_screen'] = WP_Screen::get( 'settings_page_smtp-port-helper-network' );
		$this->assertTrue( is_network_admin() );
		$this->assertSame( 'network', $page->boot_data()['scope'] );

		// The hook suffix admin.php computes for the screen, the way it computes it.
		$page->enqueue_assets( (string) get_plugin_page_hookname( Settings_Page::SLUG, 'settings.php' ) );
		$this->assertTrue( wp_script_is( Settings_Page::SCRIPT, 'enqueued' ), 'npm run build first' );
		$before = implode( "\n", (array) wp_scripts()->get_data( Settings_Page::SCRIPT, 'before' ) );
		$this->assertStringContainsString( '"scope":"network"', $before );
	}

	public function test_a_site_administrator_gets_no_network_screen(): void {
		$this->log_in_as( 'administrator' );
		( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->add_network_page();
		$this->assertArrayNotHasKey( 'settings.php', $GLOBALS['submenu'] );
	}

	public function test_the_site_screen_stays_in_site_mode(): void {
		$GLOBALS['current_screen'] = WP_Screen::get( 'settings_page_smtp-port-helper' );
		$this->assertSame( 'site', ( new Settings_Page( SMTP_PORT_HELPER_FILE ) )->boot_data()['scope'] );
	}
}
