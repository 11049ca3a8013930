<?php
/**
 * How much mail the outbox of a site may hold.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Outbox;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * While the SMTP server is down every message waits, and a visitor can make a site write mail
 * (a lost-password form, a contact form): without limits the outbox would grow for as long as
 * the outage lasts and leave in one burst when the server is back. A message past a limit is
 * not kept: wp_mail() fails with the reason (`wp_mail_failed`) and the site's administrators see
 * one notice (Outbox_Full_Notice) — nothing is dropped silently.
 *
 * The limits are the constants below; the filter `smtp_port_helper_outbox_budget` changes them
 * (an array with `rows`, `bytes` and `per_recipient_hour`).
 */
final class Outbox_Budget {

	/** Messages one site's outbox may hold (every status). */
	public const ROWS = 500;

	/** Bytes of messages one site's outbox may hold (50 MB). */
	public const BYTES = 52428800;

	/** Messages one recipient may have waiting that were queued within the last hour. */
	public const PER_RECIPIENT_HOUR = 5;

	/**
	 * Messages a site's outbox may hold.
	 *
	 * @var int
	 */
	public int $rows;

	/**
	 * Bytes a site's outbox may hold.
	 *
	 * @var int
	 */
	public int $bytes;

	/**
	 * Messages per recipient queued within an hour.
	 *
	 * @var int
	 */
	public int $per_recipient_hour;

	/**
	 * Takes the limits (each at least 1).
	 *
	 * @param int $rows               Messages a site's outbox may hold.
	 * @param int $bytes              Bytes a site's outbox may hold.
	 * @param int $per_recipient_hour Messages per recipient queued within an hour.
	 */
	public function __construct( int $rows = self::ROWS, int $bytes = self::BYTES, int $per_recipient_hour = self::PER_RECIPIENT_HOUR ) {
		$this->rows               = max( 1, $rows );
		$this->bytes              = max( 1, $bytes );
		$this->per_recipient_hour = max( 1, $per_recipient_hour );
	}

	/**
	 * The limits of the current site: the defaults, changed by `smtp_port_helper_outbox_budget`.
	 */
	public static function current(): self {
		$defaults = array(
			'rows'               => self::ROWS,
			'bytes'              => self::BYTES,
			'per_recipient_hour' => self::PER_RECIPIENT_HOUR,
		);
		/**
		 * The outbox's limits on this site.
		 *
		 * @param array{rows: int, bytes: int, per_recipient_hour: int} $defaults Messages, bytes, and messages per recipient an hour.
		 */
		$limits = apply_filters( 'smtp_port_helper_outbox_budget', $defaults );
		$limits = is_array( $limits ) ? array_merge( $defaults, $limits ) : $defaults;
		return new self( (int) $limits['rows'], (int) $limits['bytes'], (int) $limits['per_recipient_hour'] );
	}

	/**
	 * Refuses a new message that would go past a limit.
	 *
	 * @param array{rows: int, bytes: int, recipient_hour: int} $usage What the outbox holds now (recipient_hour: the most-mailed recipient of the new message).
	 * @param int                                               $size  The new message's bytes.
	 * @throws Outbox_Full_Exception When it would.
	 */
	public function check( array $usage, int $size ): void {
		if ( $usage['rows'] >= $this->rows ) {
			throw new Outbox_Full_Exception(
				Outbox_Full_Exception::ROWS,
				sprintf(
					/* translators: %d: the most messages the outbox may hold. */
					__( 'The outbox of this site is full: it already holds %d messages waiting for the SMTP server, its limit. This message was not kept for a later attempt.', 'smtp-port-helper' ),
					$this->rows
				)
			);
		}
		if ( $usage['bytes'] + $size > $this->bytes ) {
			throw new Outbox_Full_Exception(
				Outbox_Full_Exception::BYTES,
				sprintf(
					/* translators: 1: size of this message, 2: the most the outbox may hold, both like "2 MB". */
					__( 'The outbox of this site is full: this message (%1$s) would take it past its limit of %2$s of mail waiting for the SMTP server. It was not kept for a later attempt.', 'smtp-port-helper' ),
					size_format( $size ),
					size_format( $this->bytes )
				)
			);
		}
		if ( $usage['recipient_hour'] >= $this->per_recipient_hour ) {
			throw new Outbox_Full_Exception(
				Outbox_Full_Exception::RECIPIENT,
				sprintf(
					/* translators: %d: the most messages per recipient an hour. */
					__( 'A recipient of this message already has %d messages from the last hour waiting in the outbox, the limit per recipient. This message was not kept for a later attempt.', 'smtp-port-helper' ),
					$this->per_recipient_hour
				)
			);
		}
	}
}
