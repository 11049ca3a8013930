<?php
/**
 * What one send attempt achieved: delivered, or why not — for every recipient or some.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * An SMTP server may accept some recipients, defer others (`4xx`) and refuse some for good
 * (`5xx`); an API accepts or refuses the message as a whole. The outbox reads one shape for both.
 */
final class Send_Outcome {

	/**
	 * Why the message (or some recipients) did not leave; null when every recipient was accepted.
	 *
	 * @var Send_Failure|null
	 */
	public ?Send_Failure $failure;

	/**
	 * Recipients to try again later; empty with a failure: the whole message (unless refused lists them).
	 *
	 * @var list<string>
	 */
	public array $waiting;

	/**
	 * Recipients refused for good => the server's words.
	 *
	 * @var array<string, string>
	 */
	public array $refused;

	/**
	 * Recipients the server accepted.
	 *
	 * @var list<string>
	 */
	public array $accepted;

	/**
	 * The id the server gave the message ('' when none), for the send path record.
	 *
	 * @var string
	 */
	public string $message_id;

	/**
	 * Takes the parts; use the named constructors.
	 *
	 * @param Send_Failure|null     $failure    Why not.
	 * @param string[]              $accepted   Accepted recipients.
	 * @param string[]              $waiting    Recipients to try again.
	 * @param array<string, string> $refused    Recipients refused for good.
	 * @param string                $message_id The server's id of the message.
	 */
	private function __construct( ?Send_Failure $failure, array $accepted, array $waiting, array $refused, string $message_id ) {
		$this->failure    = $failure;
		$this->accepted   = array_values( $accepted );
		$this->waiting    = array_values( $waiting );
		$this->refused    = $refused;
		$this->message_id = $message_id;
	}

	/**
	 * Every recipient was accepted.
	 *
	 * @param string[] $recipients The recipients.
	 * @param string   $message_id The server's id of the message, or ''.
	 */
	public static function delivered( array $recipients, string $message_id = '' ): self {
		return new self( null, $recipients, array(), array(), $message_id );
	}

	/**
	 * Nothing was handed over.
	 *
	 * @param Send_Failure $failure Why.
	 */
	public static function failed( Send_Failure $failure ): self {
		return new self( $failure, array(), array(), array(), '' );
	}

	/**
	 * Handed over for some recipients; the others wait or were refused.
	 *
	 * @param Send_Failure          $failure  The failure of the last recipient that did not take it.
	 * @param string[]              $accepted Accepted recipients.
	 * @param string[]              $waiting  Recipients to try again.
	 * @param array<string, string> $refused  Recipients refused for good => why.
	 */
	public static function partly( Send_Failure $failure, array $accepted, array $waiting, array $refused ): self {
		return new self( $failure, $accepted, $waiting, $refused, '' );
	}

	/**
	 * Whether every recipient was accepted.
	 */
	public function is_delivered(): bool {
		return null === $this->failure;
	}

	/**
	 * Whether the server took the message for at least one recipient.
	 */
	public function is_partly_delivered(): bool {
		return null !== $this->failure && array() !== $this->accepted;
	}
}
