<?php
/**
 * uninstall.php removes the settings, the remembered ports and the rate limiters' counters.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Outbox_Health;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Outbox\Outbox_Full_Notice;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Settings\Settings_Store;

final class Uninstall_Test extends Integration_Test_Case {

	public function test_everything_the_plugin_stored_is_removed(): void {
		global $wpdb;
		// uninstall.php drops the outbox table, and DDL commits: this test commits on purpose and
		// puts back what it changed (the table, its own option) in the end.
		try {
			$this->save_smtp( '127.0.0.1', 587 );
			( new Port_Memory() )->remember_down( '127.0.0.1', 1 );
			( new Port_Memory() )->remember_working( '127.0.0.1', 2525 );
			add_option( Port_Retest::OPTION, (string) time(), '', false );
			Recovery_Notice::begin( time() );
			add_option( Outbox_Health::LATE_OPTION, 3, '', false );
			add_option( Outbox_Full_Notice::OPTION, array( 'refused' => 1 ), '', false );
			add_option( 'smtp_port_helper_rl_test_email_1_99', '3', '', false );
			add_option( 'smtp_port_helper_slot_connections_2', '99|held', '', false );
			add_option( 'unrelated_option_kept', 'x' );
			$this->assertSame( Outbox_Table::name(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::name() ) ) );
			$this->assertSame( Outbox_Table::recipients_name(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::recipients_name() ) ) );

			if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
				define( 'WP_UNINSTALL_PLUGIN', 'smtp-port-helper/smtp-port-helper.php' );
			}
			include dirname( __DIR__, 3 ) . '/uninstall.php';
			wp_cache_flush();

			$this->assertNull( $this->raw_option( Settings_Store::OPTION ) );
			$this->assertNull( $this->raw_option( '_transient_' . Port_Memory::key( '127.0.0.1', 1 ) ) );
			$this->assertNull( $this->raw_option( '_transient_' . Port_Memory::WORKING_PREFIX . md5( '127.0.0.1' ) ) );
			foreach ( array( Port_Retest::OPTION, Recovery_Notice::OPTION, Outbox_Health::LATE_OPTION, Outbox_Full_Notice::OPTION ) as $option ) {
				$this->assertNull( $this->raw_option( $option ), $option );
			}
			$this->assertNull( $this->raw_option( 'smtp_port_helper_rl_test_email_1_99' ) );
			$this->assertNull( $this->raw_option( 'smtp_port_helper_slot_connections_2' ), 'a slot a killed request never gave back' );
			$this->assertNull( $this->raw_option( Outbox_Table::VERSION_OPTION ) );
			$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::name() ) ), 'the outbox table is dropped' );
			$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::recipients_name() ) ), 'and its recipient table' );
			$this->assertSame( 'x', $this->raw_option( 'unrelated_option_kept' ) );
		} finally {
			delete_option( 'unrelated_option_kept' );
			delete_option( Settings_Store::OPTION );
			Outbox_Table::install(); // Commits.
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
