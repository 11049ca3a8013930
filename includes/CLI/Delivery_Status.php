<?php
/**
 * The last self-check and the sending pace in words, for `wp smtp-port-helper status`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Mail\Send_Pacer;
use SmtpPortHelper\Mail\Sending_Limits;
use SmtpPortHelper\Transport\Throttle_Answer;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * What the daily self-check found last and when it runs next; the mailbox's limits, how much of
 * them is used, and whether it waits for a throttling answer. Sign-in and held mail are
 * CLI\Sign_In_Status's.
 */
final class Delivery_Status {

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The mailboxes' pace.
	 *
	 * @var Send_Pacer
	 */
	private Send_Pacer $pacer;

	/**
	 * Takes the settings and the pacer.
	 *
	 * @param Settings_Store $settings The settings.
	 * @param Send_Pacer     $pacer    The mailboxes' pace.
	 */
	public function __construct( Settings_Store $settings, Send_Pacer $pacer ) {
		$this->settings = $settings;
		$this->pacer    = $pacer;
	}

	/**
	 * The self-check's line: the last run and its finding, the next run.
	 */
	public function self_check(): string {
		$state = Self_Check::state();
		$next  = wp_next_scheduled( Self_Check::CRON_HOOK );
		$when  = false === $next
			? __( 'not scheduled (it is scheduled at the next visit of an administration page)', 'smtp-port-helper' )
			/* translators: %s: date and time (UTC) */
			: sprintf( __( '%s UTC', 'smtp-port-helper' ), gmdate( 'Y-m-d H:i', (int) $next ) );
		if ( 0 === $state['time'] ) {
			/* translators: %s: when the next self-check runs */
			return sprintf( __( 'Self-check: not run yet; next: %s.', 'smtp-port-helper' ), $when );
		}
		$found   = array(
			Self_Check::OK       => __( 'the saved port works', 'smtp-port-helper' ),
			Self_Check::SWITCHED => __( 'the saved port failed and another one was saved', 'smtp-port-helper' ),
			Self_Check::OUTAGE_  => __( 'no port works', 'smtp-port-helper' ),
		);
		$finding = $found[ $state['outcome'] ] ?? $state['outcome'];
		if ( '' !== $state['detail'] ) {
			$finding .= ' — ' . $state['detail'];
		}
		/* translators: 1: date and time (UTC), 2: what it found, 3: when the next self-check runs */
		return sprintf( __( 'Self-check: last %1$s UTC, %2$s; next: %3$s.', 'smtp-port-helper' ), gmdate( 'Y-m-d H:i', $state['time'] ), $finding, $when );
	}

	/**
	 * The pace's lines: the limits and their use, a learned limit, a pause for a throttling answer.
	 *
	 * @return list<string>
	 */
	public function pacing(): array {
		$settings = $this->settings->get();
		if ( ! $settings->is_active() ) {
			return array();
		}
		$status = $this->pacer->status( $settings );
		$limits = $status['limits'];
		$lines  = array();
		$parts  = array();
		if ( $limits['per_window'] > 0 ) {
			/* translators: 1: messages sent in the window, 2: the limit, 3: seconds of the window */
			$parts[] = sprintf( __( '%1$d of %2$d messages per %3$d s', 'smtp-port-helper' ), $status['in_window'], $limits['per_window'], $limits['window'] );
		}
		if ( $limits['messages_per_day'] > 0 ) {
			/* translators: 1: messages sent in the last 24 hours, 2: the limit */
			$parts[] = sprintf( __( '%1$d of %2$d messages in 24 hours', 'smtp-port-helper' ), $status['messages_today'], $limits['messages_per_day'] );
		}
		if ( $limits['recipients_per_day'] > 0 ) {
			/* translators: 1: recipients in the last 24 hours, 2: the limit */
			$parts[] = sprintf( __( '%1$d of %2$d recipients in 24 hours', 'smtp-port-helper' ), $status['recipients_today'], $limits['recipients_per_day'] );
		}
		$rows    = Sending_Limits::all();
		$lines[] = array() !== $parts
			/* translators: %s: the limits and how much of each is used, e.g. "12 of 30 messages per 60 s" */
			? sprintf( __( 'Sending limits: %s.', 'smtp-port-helper' ), implode( ', ', $parts ) )
			: ( isset( $rows[ $status['preset'] ] )
				/* translators: %s: the provider's limits in words */
				? sprintf( __( 'Sending limits: none fixed for this server (%s); the outbox slows down when the server asks.', 'smtp-port-helper' ), $rows[ $status['preset'] ]['summary'] )
				: __( 'Sending limits: none known for this server; the outbox slows down when the server asks.', 'smtp-port-helper' ) );
		if ( $status['learned'] > 0 ) {
			$lines[] = sprintf(
				/* translators: 1: messages, 2: seconds, 3: date and time (UTC) */
				_n( 'Slowed down: at most %1$d message per %2$d s until %3$s UTC, after the server asked to slow down.', 'Slowed down: at most %1$d messages per %2$d s until %3$s UTC, after the server asked to slow down.', $status['learned'], 'smtp-port-helper' ),
				$status['learned'],
				$status['window'],
				gmdate( 'Y-m-d H:i', $status['learned_until'] )
			);
		}
		if ( $status['paused_until'] > 0 && null !== $status['throttle'] ) {
			$lines[] = sprintf(
				/* translators: 1: date and time (UTC), 2: the server's answer */
				__( 'Waiting: the server asked to slow down; mail leaves again at %1$s UTC (%2$s).', 'smtp-port-helper' ),
				gmdate( 'Y-m-d H:i:s', $status['paused_until'] ),
				Throttle_Answer::QUOTA === $status['throttle']['kind'] ? __( 'daily quota used up', 'smtp-port-helper' ) : $status['throttle']['error']
			);
		}
		return $lines;
	}
}
