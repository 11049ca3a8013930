<?php
/**
 * Why a message goes to the outbox without a try, and what a blocked connection means.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || exit;

/**
 * Spooling_Smtp_Connection's reasons that are decided before or outside the SMTP session: every
 * port is known to be down, or the mailbox's sending pace holds the message (Send_Pacer), so it is
 * kept without a try; and the stage a connection that could not be opened is recorded under.
 */
final class Spool_Hold {

	/**
	 * What a block means: `auth` (the login cannot be used: held), `token` (the OAuth token
	 * endpoint did not answer: the message waits and is retried) or `oauth` (the sign-in was
	 * refused: held until "Connect" again).
	 *
	 * @var string
	 */
	private string $block_stage = 'auth';

	/**
	 * Why the message is kept without a try, or null: it is tried.
	 *
	 * @var Send_Failure|null
	 */
	private ?Send_Failure $at_once = null;

	/**
	 * Takes whether every port is known to be down (the message is then kept without a try).
	 *
	 * @param bool $every_port_down Every port is known to be down and the message can be kept.
	 */
	public function __construct( bool $every_port_down ) {
		if ( $every_port_down ) {
			$this->at_once = new Send_Failure( 'down', 0, 'Every port of the SMTP server is known to be down; the message waits in the outbox.' );
		}
	}

	/**
	 * The message is kept without a try, for this reason (only when it can be kept: else it is
	 * sent as before).
	 *
	 * @param array{stage: string, code: int, error: string} $why      Why it waits.
	 * @param bool                                           $can_keep Whether there is a spool.
	 */
	public function hold( array $why, bool $can_keep ): void {
		if ( $can_keep ) {
			$this->at_once = Send_Failure::from_array( $why );
		}
	}

	/**
	 * Why the message is kept without a try, or null when it is tried.
	 */
	public function at_once(): ?Send_Failure {
		return $this->at_once;
	}

	/**
	 * Says what a block of the connection means (`auth`, `token` or `oauth`).
	 *
	 * @param string $stage The stage.
	 */
	public function block_means( string $stage ): void {
		$this->block_stage = $stage;
	}

	/**
	 * Why the connection stopped before it was opened: the name did not resolve (`dns`: retried),
	 * the address policy refused the host or port (`policy`: held until the settings change), or
	 * the block's own stage (block_means()).
	 *
	 * @param list<array<string, mixed>> $attempts The connection's attempts.
	 * @param int                        $tried    Attempts recorded before this one.
	 */
	public function blocked_stage( array $attempts, int $tried ): string {
		$verdict = count( $attempts ) > $tried ? ( $attempts[ count( $attempts ) - 1 ]['verdict'] ?? '' ) : '';
		if ( Verdict::DNS_FAILED === $verdict ) {
			return 'dns';
		}
		return Verdict::ADDRESS_REFUSED === $verdict ? 'policy' : $this->block_stage;
	}
}
