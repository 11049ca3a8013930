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
	 * The idempotency key of a message once it goes to fewer recipients than the attempt that
	 * carried this key (a message partly delivered, kept for those still waiting): a provider that
	 * remembers the key would take a retry for the same request — refuse it, or answer with the
	 * first one's result and deliver nothing. Derived, so each later attempt for the same
	 * recipients carries the same new key; '' stays ''.
	 *
	 * @param string   $key        The key of the attempt that reached the others.
	 * @param string[] $recipients The recipients still waiting.
	 */
	public static function key_for_recipients( string $key, array $recipients ): string {
		if ( '' === $key ) {
			return '';
		}
		$addresses = array_unique( array_map( static fn( string $address ): string => strtolower( trim( $address ) ), $recipients ) );
		sort( $addresses );
		return substr( hash( 'sha256', $key . '|' . implode( ',', $addresses ) ), 0, 32 );
	}
}
