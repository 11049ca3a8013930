<?php
/**
 * The outbox on a network: a change of the network defaults releases every site's waiting mail
 * (the sites that inherit them may just have been fixed); the re-test of the ports while mail
 * waits follows the address policy of the settings' owner.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

final class Network_Outbox_Test extends Multisite_Test_Case {

	/** @var resource|null */
	private $silent = null;

	protected function tearDown(): void {
		if ( is_resource( $this->silent ) ) {
			fclose( $this->silent );
		}
		parent::tearDown();
	}

	public function test_the_retest_while_mail_waits_follows_the_address_policy_of_the_settings_owner(): void {
		$this->silent = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $error );
		$this->assertIsResource( $this->silent, $error );
		$name = (string) stream_socket_get_name( $this->silent, false );
		$port = (int) substr( $name, strrpos( $name, ':' ) + 1 );
		switch_to_blog( $this->second_site );
		Outbox_Table::install(); // Commits: a site's table comes with its first request.
		restore_current_blog();
		// The network's own relay on loopback (a super admin's choice): the re-test may reach it.
		$saved = Settings_Store::for_network()->update(
			array(
				'enabled' => true,
				'host'    => '127.0.0.1',
				'port'    => $port,
				'auth'    => false,
				'timeout' => 2,
			)
		);
		$this->assertFalse( is_wp_error( $saved ), (string) wp_json_encode( $saved ) );
		switch_to_blog( $this->second_site );
		$this->assertNotNull(
			( new Outbox() )->add(
				'wordpress@example.com',
				array( 'someone@example.com' ),
				"Subject: waits\r\n\r\nx",
				array(
					'stage' => 'connect',
					'code'  => 0,
					'error' => 'Connection refused',
				)
			)
		);

		delete_option( Port_Retest::OPTION );
		$this->assertTrue( $this->retest()->maybe_run()['ran'], 'the network relay is re-tested' );
		$this->assertIsResource( @stream_socket_accept( $this->silent, 1 ), 'the probe engine connected to it' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors

		// The site points its own settings at the same internal address: a sub-site
		// administrator's rules apply, and the re-test does not connect there.
		$own = ( new Settings_Store() )->update(
			array(
				'host' => '127.0.0.1',
				'port' => $port,
			)
		);
		$this->assertFalse( is_wp_error( $own ), (string) wp_json_encode( $own ) );
		// Mail written for the site's own server now (mail kept for the network's goes the network's way).
		global $wpdb;
		$wpdb->query( 'DELETE FROM ' . Outbox_Table::name() ); // phpcs:ignore
		$this->assertNotNull(
			( new Outbox() )->add(
				'wordpress@example.com',
				array( 'someone@example.com' ),
				"Subject: waits\r\n\r\nx",
				array(
					'stage' => 'connect',
					'code'  => 0,
					'error' => 'Connection refused',
				),
				Send_Route::SITE_PREFIX . ( new Settings_Store() )->server_fingerprint()
			)
		);
		delete_option( Port_Retest::OPTION );
		$this->assertFalse( $this->retest()->maybe_run()['ran'], 'refused by the address policy' );
		$this->assertFalse( @stream_socket_accept( $this->silent, 1 ), 'no connection was made' ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
		restore_current_blog();
	}

	/**
	 * A site with a server of its own still has mail kept for the network's server (someone
	 * else's mail): the re-test checks the network's host for it, not the site's.
	 */
	public function test_mail_kept_for_the_network_retests_the_networks_host_not_the_sites(): void {
		$this->silent = stream_socket_server( 'tcp://127.0.0.1:0', $errno, $error );
		$this->assertIsResource( $this->silent, $error );
		$name = (string) stream_socket_get_name( $this->silent, false );
		$port = (int) substr( $name, strrpos( $name, ':' ) + 1 );
		switch_to_blog( $this->second_site );
		Outbox_Table::install();
		restore_current_blog();
		$saved = Settings_Store::for_network()->update(
			array(
				'enabled' => true,
				'host'    => '127.0.0.1',
				'port'    => $port,
				'auth'    => false,
				'timeout' => 2,
			)
		);
		$this->assertFalse( is_wp_error( $saved ), (string) wp_json_encode( $saved ) );
		switch_to_blog( $this->second_site );
		$own = ( new Settings_Store() )->update(
			array(
				'host' => 'smtp.site-own.example',
				'port' => 587,
			)
		);
		$this->assertFalse( is_wp_error( $own ), (string) wp_json_encode( $own ) );
		$this->assertNotNull(
			( new Outbox() )->add(
				'wordpress@example.com',
				array( 'someone-else@example.com' ),
				"Subject: for the network\r\n\r\nx",
				array(
					'stage' => 'connect',
					'code'  => 0,
					'error' => 'Connection refused',
				),
				Send_Route::NETWORK
			)
		);

		delete_option( Port_Retest::OPTION );
		$ran = $this->retest()->maybe_run();
		$connected = @stream_socket_accept( $this->silent, 1 ); // phpcs:ignore WordPress.PHP.NoSilencedErrors
		restore_current_blog();

		$this->assertTrue( $ran['ran'] );
		$this->assertIsResource( $connected, 'the probe engine connected to the network\'s server' );
	}

	private function retest(): Port_Retest {
		$settings = new Settings_Store();
		$queue    = new Mail_Queue( new Outbox() );
		return new Port_Retest( new Outbox(), $settings, new Mailer_Hook( $settings, null, $queue ), new Port_Prober(), new Probe_Options_Factory( $settings ) );
	}

	public function test_saving_the_network_defaults_makes_the_held_and_queued_mail_of_a_site_due_now(): void {
		switch_to_blog( $this->second_site );
		Outbox_Table::install(); // Commits: a site's table comes with its first request.
		$outbox = new Outbox();
		$held   = $outbox->add(
			'wordpress@example.com',
			array( 'held@example.com' ),
			"Subject: held\r\n\r\nx",
			array(
				'stage' => 'auth',
				'code'  => 535,
				'error' => 'Invalid username or password',
			)
		);
		$queued = $outbox->add(
			'wordpress@example.com',
			array( 'queued@example.com' ),
			"Subject: queued\r\n\r\nx",
			array(
				'stage' => 'connect',
				'code'  => 0,
				'error' => 'Connection refused',
			)
		);
		$this->assertNotNull( $held );
		$this->assertNotNull( $queued );
		$this->assertSame( Outbox::HELD, $outbox->find( $held )['status'] );
		$this->assertGreaterThan( time(), $outbox->find( $queued )['next_attempt_at'] );
		wp_clear_scheduled_hook( Mail_Queue::CRON_HOOK );
		restore_current_blog();

		$this->log_in_as_super_admin();
		$saved = $this->rest(
			'POST',
			self::NETWORK_ROUTE,
			array(
				'host'     => 'smtp.network.example',
				'port'     => 587,
				'auth'     => true,
				'username' => 'network-user',
				'password' => 'the corrected password',
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );

		switch_to_blog( $this->second_site );
		foreach ( array( $held, $queued ) as $id ) {
			$entry = $outbox->find( $id );
			$this->assertSame( Outbox::QUEUED, $entry['status'], "message $id is released" );
			$this->assertLessThanOrEqual( time(), $entry['next_attempt_at'], "message $id is due now" );
		}
		$this->assertNotFalse( wp_next_scheduled( Mail_Queue::CRON_HOOK ), 'the site\'s outbox runs soon' );
		restore_current_blog();
	}
}
