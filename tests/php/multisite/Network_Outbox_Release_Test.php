<?php
/**
 * A change of the network defaults releases every site's waiting mail: the sites that inherit
 * them may just have been fixed.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Table;

final class Network_Outbox_Release_Test extends Multisite_Test_Case {

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
