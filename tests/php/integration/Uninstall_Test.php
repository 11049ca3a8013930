<?php
/**
 * uninstall.php removes the settings, the remembered ports and the rate limiters' counters.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Settings\Settings_Store;

final class Uninstall_Test extends Integration_Test_Case {

	public function test_everything_the_plugin_stored_is_removed(): void {
		$this->save_smtp( '127.0.0.1', 587 );
		( new Port_Memory() )->remember_down( '127.0.0.1', 1 );
		add_option( 'smtp_port_helper_rl_test_email_1_99', '3', '', false );
		add_option( 'smtp_port_helper_slot_connections_2', '99|held', '', false );
		add_option( 'unrelated_option_kept', 'x' );

		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'smtp-port-helper/smtp-port-helper.php' );
		}
		include dirname( __DIR__, 3 ) . '/uninstall.php';
		wp_cache_flush();

		$this->assertNull( $this->raw_option( Settings_Store::OPTION ) );
		$this->assertNull( $this->raw_option( '_transient_' . Port_Memory::key( '127.0.0.1', 1 ) ) );
		$this->assertNull( $this->raw_option( 'smtp_port_helper_rl_test_email_1_99' ) );
		$this->assertNull( $this->raw_option( 'smtp_port_helper_slot_connections_2' ), 'a slot a killed request never gave back' );
		$this->assertSame( 'x', $this->raw_option( 'unrelated_option_kept' ) );
	}
}
