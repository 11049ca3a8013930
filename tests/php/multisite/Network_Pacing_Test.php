<?php
/**
 * The sending pace on a network: sites that send through the same mailbox (the network's server
 * and login) share its limit, counted once on the main site; another mailbox counts apart.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Mail\Send_Pacer;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * @group database
 */
final class Network_Pacing_Test extends Multisite_Test_Case {

	/**
	 * Two messages a minute for the test's mailboxes.
	 *
	 * @return array{per_window: int, window: int, messages_per_day: int, recipients_per_day: int}
	 */
	public function two_a_minute(): array {
		return array(
			'per_window'         => 2,
			'window'             => 60,
			'messages_per_day'   => 0,
			'recipients_per_day' => 0,
		);
	}

	/**
	 * Sites that inherit the network's mailbox share one count.
	 */
	public function test_sites_sending_through_the_networks_mailbox_share_its_limit(): void {
		add_filter( 'smtp_port_helper_sending_limits', array( $this, 'two_a_minute' ) );
		try {
			update_site_option(
				Settings_Store::OPTION,
				array(
					'enabled'  => true,
					'host'     => 'smtp.network.example',
					'port'     => 587,
					'auth'     => true,
					'username' => 'network@example.com',
				)
			);
			// Whole minutes only: a window that turns between two admissions would reset the count.
			if ( time() % 60 > 55 ) {
				sleep( 60 - time() % 60 );
			}
			$this->assertSame( 0, ( new Send_Pacer() )->admit( ( new Settings_Store() )->get(), 1, true ), 'the main site: first' );
			switch_to_blog( $this->second_site );
			$network = ( new Settings_Store() )->get();
			$this->assertSame( 'network@example.com', $network->username, 'the second site inherits the mailbox' );
			$this->assertSame( 0, ( new Send_Pacer() )->admit( $network, 1, true ), 'the second site: second' );
			$this->assertGreaterThan( 0, ( new Send_Pacer() )->admit( $network, 1, true ), 'the third waits, whichever site sends it' );

			$own       = clone $network;
			$own->host = 'smtp.own.example';
			$this->assertSame( 0, ( new Send_Pacer() )->admit( $own, 1, true ), 'another mailbox has its own count' );
		} finally {
			restore_current_blog();
			remove_filter( 'smtp_port_helper_sending_limits', array( $this, 'two_a_minute' ) );
		}
	}
}
