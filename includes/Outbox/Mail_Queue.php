<?php
/**
 * Accepts mail that could not leave: keeps it in the outbox and makes sure a run will come.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Mail\Spool;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Network_Sites;

defined( 'ABSPATH' ) || exit;

/**
 * The spool of Spooling_Smtp_Connection for wp_mail(), and the WP-Cron schedule of the outbox:
 * one single event (`smtp_port_helper_outbox_run`) at the time the next message is due.
 */
final class Mail_Queue implements Spool {

	/** The WP-Cron hook that runs the outbox. */
	public const CRON_HOOK = \SmtpPortHelper\Plugin::OUTBOX_CRON_HOOK;

	/**
	 * The outbox.
	 *
	 * @var Outbox
	 */
	private Outbox $outbox;

	/**
	 * Takes the outbox.
	 *
	 * @param Outbox $outbox The outbox.
	 */
	public function __construct( Outbox $outbox ) {
		$this->outbox = $outbox;
	}

	/**
	 * Keeps a message and tells code that it was queued (`smtp_port_helper_mail_queued`). A
	 * message refused for good (Send_Failure::fails_message(): the SMTP server's `5xx`, an API's
	 * "too large" or refused content) is kept as failed, with the refusal as its reason: nothing
	 * tries it again by itself, the administrator can read it, retry it (after switching the
	 * transport, for example) or delete it; the caller still fails wp_mail() with the refusal.
	 *
	 * @param string       $from       Envelope sender.
	 * @param string[]     $recipients Recipients still waiting.
	 * @param string       $data       The complete message.
	 * @param Send_Failure $why        Why it could not leave.
	 * @param string       $route      The server it may go through (Mail\Send_Route).
	 * @param string       $idempotency_key The key its first attempt carried ('' none).
	 * @return int|null The message id, or null when it could not be stored (wp_mail() then fails).
	 * @throws PHPMailer_Exception When the outbox's budget refuses a message that may still leave: wp_mail() fails with the reason (`wp_mail_failed`).
	 */
	public function keep( string $from, array $recipients, string $data, Send_Failure $why, string $route = '', string $idempotency_key = '' ): ?int {
		$failure = $why->to_array();
		$final   = $why->fails_message();
		try {
			$id = $this->outbox->add( $from, $recipients, $data, $failure, $route, null, $idempotency_key );
			if ( null === $id ) {
				// The table may be missing or older (a site whose first request has not come yet): install it once.
				Outbox_Table::install();
				$id = $this->outbox->add( $from, $recipients, $data, $failure, $route, null, $idempotency_key );
			}
		} catch ( Outbox_Full_Exception $full ) {
			if ( $final ) {
				// Refused by the server anyway, and failed mail has its own budget: wp_mail() fails with
				// the server's words; no "outbox full" notice, as mail that waits still has room.
				return null;
			}
			Outbox_Full_Notice::refused( $full );
			/**
			 * A message that could not be handed to the SMTP server was not kept: the outbox is
			 * over its budget (Outbox_Budget). wp_mail() fails with the reason.
			 *
			 * @param string   $limit      Which limit: rows, bytes, recipient or uncounted.
			 * @param string[] $recipients Its recipients.
			 * @param array    $failure    stage, code and error of the failed attempt.
			 */
			do_action( 'smtp_port_helper_mail_refused', $full->limit(), $recipients, $failure );
			// Thrown from inside PHPMailer's send: wp_mail() catches it and fires `wp_mail_failed` with this text.
			throw new PHPMailer_Exception(
				sprintf(
					/* translators: 1: why the outbox refused the message, 2: the SMTP error that kept it from leaving now. */
					__( 'SMTP Port Helper: %1$s (The SMTP server could not take it now: %2$s)', 'smtp-port-helper' ),
					$full->getMessage(),
					$failure['error']
				),
				PHPMailer::STOP_CRITICAL
			);
		}
		if ( null === $id ) {
			return null;
		}
		Outbox_Full_Notice::accepted();
		if ( $final ) {
			return $id; // Not queued: it waits for the administrator, not for a run.
		}
		$this->schedule();
		/**
		 * A message could not be handed to the SMTP server now and waits in the outbox.
		 *
		 * @param int          $id         Outbox id.
		 * @param string[]   $recipients Recipients it waits for.
		 * @param array        $failure    stage, code and error of the failed attempt.
		 */
		do_action( 'smtp_port_helper_mail_queued', $id, $recipients, $failure );
		return $id;
	}

	/**
	 * Schedules the next run at the time the next message is due, or earlier when the ports may
	 * be re-tested then (Port_Retest, only while mail waits for a way out, not for the pace), now
	 * when the time has passed, replacing a later one;
	 * clears it when nothing waits. A claimed message counts with the end of its lease: when the
	 * runner dies mid-delivery (WP-Cron has already removed the event that started it), the run at
	 * that time takes the message and the rest of the queue again.
	 *
	 * @param bool $exact Replace an earlier run too (a run that ended knows the whole queue's state).
	 */
	public function schedule( bool $exact = false ): void {
		$due       = $this->outbox->next_due();
		$scheduled = wp_next_scheduled( self::CRON_HOOK );
		if ( null === $due ) {
			if ( false !== $scheduled ) {
				wp_clear_scheduled_hook( self::CRON_HOOK );
			}
			return;
		}
		if ( array() !== $this->outbox->waiting_routes() ) {
			$due = min( $due, Port_Retest::next_time() );
		}
		$due = max( time(), $due );
		if ( false !== $scheduled && ( $exact ? $scheduled === $due : $scheduled <= $due ) ) {
			return;
		}
		if ( false !== $scheduled ) {
			wp_clear_scheduled_hook( self::CRON_HOOK );
		}
		wp_schedule_single_event( $due, self::CRON_HOOK );
	}

	/**
	 * The settings changed (the admin may just have fixed the cause): every waiting message is
	 * due now, held ones included.
	 */
	public function settings_changed(): void {
		if ( $this->outbox->release_all() > 0 ) {
			$this->schedule();
		}
	}

	/**
	 * The network defaults changed (every site that inherits them may just have been fixed): the
	 * waiting mail of every site of this network that has an outbox is due now, held mail too.
	 *
	 * @return int How many messages were released, on all sites.
	 */
	public static function network_settings_changed(): int {
		if ( ! is_multisite() ) {
			return 0;
		}
		$released = Network_Sites::each(
			static function (): int {
				if ( ! Outbox_Table::is_current() ) {
					return 0;
				}
				$queue    = new self( new Outbox() );
				$released = $queue->outbox->release_all();
				$queue->schedule();
				return $released;
			}
		);
		return (int) array_sum( $released );
	}
}
