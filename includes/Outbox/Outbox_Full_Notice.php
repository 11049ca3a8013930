<?php
/**
 * The admin notice of mail the outbox refused to keep (Outbox_Budget).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

use SmtpPortHelper\Dismissible_Notice;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One notice per episode: the first refused message records it (option OPTION: since, last,
 * how many, the last reason), later ones only count; every admin screen shows it to the site's
 * administrators until one dismisses it. A dismissed notice stays quiet while refusals go on,
 * and the episode ends when the outbox keeps a message again — the next refusal then starts a
 * new notice.
 */
final class Outbox_Full_Notice {

	/** Option: the open episode, array{since: int, last: int, refused: int, reason: string, dismissed: bool}. */
	public const OPTION = \SmtpPortHelper\Stored_Names::OUTBOX_REFUSED;

	/** The admin-post action that dismisses the notice. */
	public const DISMISS_ACTION = 'smtp_port_helper_dismiss_outbox_full';

	/**
	 * Hooks the notice and its dismissal.
	 */
	public function register(): void {
		add_action( 'admin_notices', array( $this, 'render' ) );
		add_action( 'admin_post_' . self::DISMISS_ACTION, array( $this, 'dismiss' ) );
	}

	/**
	 * A message was refused: opens the episode, or counts one more in it.
	 *
	 * @param Outbox_Full_Exception $full Why.
	 */
	public static function refused( Outbox_Full_Exception $full ): void {
		$now    = time();
		$record = self::record();
		if ( null === $record ) {
			add_option(
				self::OPTION,
				array(
					'since'     => $now,
					'last'      => $now,
					'refused'   => 1,
					'reason'    => $full->getMessage(),
					'dismissed' => false,
				),
				'',
				false
			);
			return;
		}
		$record['last']    = $now;
		$record['reason']  = $full->getMessage();
		$record['refused'] = $record['refused'] + 1;
		update_option( self::OPTION, $record, false );
	}

	/**
	 * The outbox kept a message again: a dismissed episode is over.
	 */
	public static function accepted(): void {
		$record = self::record();
		if ( null !== $record && $record['dismissed'] ) {
			delete_option( self::OPTION );
		}
	}

	/**
	 * The open episode, or null.
	 *
	 * @return array{since: int, last: int, refused: int, reason: string, dismissed: bool}|null
	 */
	public static function record(): ?array {
		$record = get_option( self::OPTION, null );
		if ( ! is_array( $record ) ) {
			return null;
		}
		return array(
			'since'     => (int) ( $record['since'] ?? 0 ),
			'last'      => (int) ( $record['last'] ?? 0 ),
			'refused'   => (int) ( $record['refused'] ?? 0 ),
			'reason'    => (string) ( $record['reason'] ?? '' ),
			'dismissed' => ! empty( $record['dismissed'] ),
		);
	}

	/**
	 * The notice's text; null when there is nothing to say.
	 */
	public static function message(): ?string {
		$record = self::record();
		if ( null === $record || $record['dismissed'] ) {
			return null;
		}
		return sprintf(
			/* translators: 1: number of messages, 2: date and time, 3: why the last one was refused. */
			_n(
				'SMTP Port Helper: %1$d email was not sent and not kept for a later attempt since %2$s, because the outbox, where mail waits while the SMTP server cannot take it, is at its limit. %3$s Check the SMTP server in the settings; the senders were told that their mail failed.',
				'SMTP Port Helper: %1$d emails were not sent and not kept for a later attempt since %2$s, because the outbox, where mail waits while the SMTP server cannot take it, is at its limit. %3$s Check the SMTP server in the settings; the senders were told that their mail failed.',
				$record['refused'],
				'smtp-port-helper'
			),
			$record['refused'],
			wp_date( (string) get_option( 'date_format' ) . ' ' . (string) get_option( 'time_format' ), $record['since'] ),
			$record['reason']
		);
	}

	/**
	 * `admin_notices`: the notice for administrators.
	 */
	public function render(): void {
		if ( ! current_user_can( 'manage_options' ) ) {
			return;
		}
		$message = self::message();
		if ( null === $message ) {
			return;
		}
		printf( '<div class="notice notice-error smtp-port-helper-outbox-full-notice"><p>%s</p>', esc_html( $message ) );
		Dismissible_Notice::print_links( self::DISMISS_ACTION );
		echo '</div>';
	}

	/**
	 * `admin_post_…`: an administrator dismissed the notice (nonce checked), back to the screen.
	 */
	public function dismiss(): void {
		Dismissible_Notice::dismiss( self::DISMISS_ACTION, array( self::class, 'mark_dismissed' ) );
	}

	/**
	 * Marks the open episode as dismissed.
	 */
	public static function mark_dismissed(): void {
		$record = self::record();
		if ( null !== $record ) {
			$record['dismissed'] = true;
			update_option( self::OPTION, $record, false );
		}
	}
}
