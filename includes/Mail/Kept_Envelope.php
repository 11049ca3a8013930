<?php
/**
 * The envelope of the message an SMTP session is sending, and the spool that keeps it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || exit;

/**
 * Spooling_Smtp_Connection records here who accepted and who must wait; at DATA the exact bytes
 * with the recipients still waiting go to the spool (the outbox) when there is one.
 */
final class Kept_Envelope {

	/**
	 * Keeps a message: (string $from, list<string> $recipients, string $data, Send_Failure $failure) => int id; null: none.
	 *
	 * @var callable|null
	 */
	private $spool;

	/**
	 * Envelope sender of the message.
	 *
	 * @var string
	 */
	public string $from = '';

	/**
	 * Recipients the server accepted.
	 *
	 * @var list<string>
	 */
	public array $accepted = array();

	/**
	 * Recipients kept for later (a `4xx`, or everyone once spooling).
	 *
	 * @var list<string>
	 */
	public array $deferred = array();

	/**
	 * Id of the kept message, once spooled.
	 *
	 * @var int|null
	 */
	private ?int $kept_id = null;

	/**
	 * Takes the spool.
	 *
	 * @param callable|null $spool Keeps a message; null: failures fail as before.
	 */
	public function __construct( ?callable $spool ) {
		$this->spool = $spool;
	}

	/**
	 * Whether there is a spool.
	 */
	public function can_keep(): bool {
		return null !== $this->spool;
	}

	/**
	 * A new message (MAIL FROM).
	 *
	 * @param string $from Envelope sender.
	 */
	public function begin( string $from ): void {
		$this->from     = $from;
		$this->accepted = array();
		$this->deferred = array();
	}

	/**
	 * Hands the message to the spool.
	 *
	 * @param string       $data       Message.
	 * @param string[]     $recipients Recipients still waiting.
	 * @param Send_Failure $failure    Why.
	 */
	public function keep( string $data, array $recipients, Send_Failure $failure ): bool {
		if ( null === $this->spool ) {
			return false;
		}
		$id            = call_user_func( $this->spool, $this->from, array_values( $recipients ), $data, $failure );
		$this->kept_id = is_int( $id ) ? $id : null;
		return null !== $this->kept_id;
	}

	/**
	 * The id of the kept message, or null.
	 */
	public function kept_id(): ?int {
		return $this->kept_id;
	}
}
