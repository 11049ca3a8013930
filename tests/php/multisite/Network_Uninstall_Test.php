<?php
/**
 * uninstall.php on a network: the network defaults and every site's settings are removed.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Stored_Names;

final class Network_Uninstall_Test extends Multisite_Test_Case {

	public function test_the_network_option_and_every_sites_option_are_removed(): void {
		global $wpdb;
		// uninstall.php drops each site's outbox table, and DDL commits: this test commits on purpose
		// and puts back what it changed (the tables, its own options) in the end.
		try {
			$network = Settings_Store::for_network()->update(
				array(
					'host'     => 'smtp.network.example',
					'password' => 'network secret',
				)
			);
			$this->assertInstanceOf( Settings::class, $network );
			set_site_transient( 'smtp_port_helper_network_probe', 'x', 60 );
			update_site_option( 'unrelated_site_option_kept', 'x' );
			update_site_option( Stored_Names::SITES_MAY_USE_INTERNAL, '1' );
			foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				$this->save_smtp( '127.0.0.1', 587 );
				( new Port_Memory() )->remember_down( '127.0.0.1', 1 );
				add_option( 'unrelated_option_kept', 'x' );
				// What a sign-in and a sent message leave on a site (a connection that does not open is forgotten without a request).
				add_option( Stored_Names::OAUTH_TOKENS, array( 'refresh' => 'v2:c2VhbGVk' ), '', false );
				add_option( Stored_Names::OAUTH_ACCESS, array( 'token' => 'v2:c2VhbGVk' ), '', false );
				add_option( Stored_Names::LAST_SEND, array( 'time' => time() ), '', false );
				$this->assertNotNull( $this->raw_option( Settings_Store::OPTION ) );
				Outbox_Table::install(); // A site's table comes with its first request; make sure each has one.
				$this->assertSame( Outbox_Table::name(), $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::name() ) ) );
				restore_current_blog();
			}
			$this->assertNotNull( $this->raw_site_option( Settings_Store::OPTION ) );
			update_site_option( 'smtp_port_helper_lock_site_destination', true ); // After the sites' saves: it locks them.

			if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
				define( 'WP_UNINSTALL_PLUGIN', 'smtp-port-helper/smtp-port-helper.php' );
			}
			include dirname( __DIR__, 3 ) . '/uninstall.php';
			wp_cache_flush();

			foreach ( Stored_Names::NETWORK_OPTIONS as $option ) {
				$this->assertNull( $this->raw_site_option( $option ), $option );
			}
			$this->assertNull( $this->raw_site_option( '_site_transient_smtp_port_helper_network_probe' ) );
			$this->assertNull( $this->raw_site_option( 'smtp_port_helper_lock_site_destination' ), 'the network lock' );
			$this->assertSame( 'x', $this->raw_site_option( 'unrelated_site_option_kept' ) );
			$this->assertGreaterThanOrEqual( 2, count( get_sites( array( 'fields' => 'ids' ) ) ) );
			foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				foreach ( Stored_Names::SITE_OPTIONS as $option ) {
					$this->assertNull( $this->raw_option( $option ), "$option of site $site_id" );
				}
				$this->assertNull( $this->raw_option( '_transient_' . Port_Memory::key( '127.0.0.1', 1 ) ), "site $site_id" );
				$this->assertSame( 'x', $this->raw_option( 'unrelated_option_kept' ), "site $site_id" );
				$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::name() ) ), "the outbox table of site $site_id is dropped" );
				$this->assertNull( $wpdb->get_var( $wpdb->prepare( 'SHOW TABLES LIKE %s', Outbox_Table::recipients_name() ) ), "and its recipient table" );
				restore_current_blog();
			}
		} finally {
			delete_site_option( 'unrelated_site_option_kept' );
			delete_site_option( 'smtp_port_helper_lock_site_destination' );
			delete_site_option( Settings_Store::OPTION );
			delete_site_option( Stored_Names::SITES_MAY_USE_INTERNAL );
			foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
				switch_to_blog( (int) $site_id );
				delete_option( 'unrelated_option_kept' );
				foreach ( Stored_Names::SITE_OPTIONS as $option ) {
					delete_option( $option );
				}
				Outbox_Table::install(); // Commits.
				restore_current_blog();
			}
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
