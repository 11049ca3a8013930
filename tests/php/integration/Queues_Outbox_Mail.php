<?php
/**
 * Mail put in the outbox as wp_mail() leaves it there, and the runner that delivers it.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Send_Route;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Settings\Settings_Store;

/**
 * For integration tests of delivery from the outbox over the site's saved way.
 */
trait Queues_Outbox_Mail {

	/**
	 * Queues a message for the site's way, as wp_mail() would have when it could not leave, due now.
	 *
	 * @param string       $from       Envelope sender.
	 * @param list<string> $recipients Envelope recipients.
	 * @param string       $data       The MIME message.
	 */
	private function queue_message( string $from, array $recipients, string $data ): int {
		$route = ( new Send_Route( new Settings_Store() ) )->for_message( $recipients )['route'];
		$id    = ( new Outbox() )->add( $from, $recipients, $data, array( 'stage' => 'connect', 'code' => 0, 'error' => 'test' ), $route );
		$this->assertIsInt( $id );
		$this->make_due( (int) $id );
		return (int) $id;
	}

	private function make_due( int $id ): void {
		global $wpdb;
		$wpdb->update( Outbox_Table::name(), array( 'next_attempt_at' => 0 ), array( 'id' => $id ) );
	}

	private function runner(): Outbox_Runner {
		$queue = new Mail_Queue( new Outbox() );
		return new Outbox_Runner( new Outbox(), new Mailer_Hook( new Settings_Store(), null, $queue ), $queue );
	}
}
