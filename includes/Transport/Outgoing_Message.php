<?php
/**
 * One message as a transport receives it: the MIME bytes PHPMailer built and the envelope.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The same for wp_mail() (built by PHPMailer's preSend()) and for the outbox (the stored bytes):
 * a transport never sees PHPMailer, so a message sent later leaves exactly as one sent now.
 */
final class Outgoing_Message {

	/**
	 * Envelope sender (MAIL FROM, the Return-Path).
	 *
	 * @var string
	 */
	public string $from;

	/**
	 * Envelope recipients: To, Cc and Bcc (Bcc appears in no header of $data).
	 *
	 * @var list<string>
	 */
	public array $recipients;

	/**
	 * The complete message, headers and body, CRLF line ends, as PHPMailer built it.
	 *
	 * @var string
	 */
	public string $data;

	/**
	 * The same for every attempt of one message ('' for a first attempt of wp_mail()): an API
	 * that takes an idempotency key gets this one, so a retry after a lost answer delivers once.
	 *
	 * @var string
	 */
	public string $idempotency_key;

	/**
	 * Takes the envelope, the bytes and the idempotency key.
	 *
	 * @param string   $from            Envelope sender.
	 * @param string[] $recipients      Envelope recipients.
	 * @param string   $data            The complete message.
	 * @param string   $idempotency_key The same for each attempt of this message.
	 */
	public function __construct( string $from, array $recipients, string $data, string $idempotency_key = '' ) {
		$this->from            = $from;
		$this->recipients      = array_values( $recipients );
		$this->data            = $data;
		$this->idempotency_key = $idempotency_key;
	}

	/**
	 * The same message for fewer recipients (those still waiting).
	 *
	 * @param string[] $recipients Recipients.
	 */
	public function for_recipients( array $recipients ): self {
		return new self( $this->from, $recipients, $this->data, $this->idempotency_key );
	}
}
