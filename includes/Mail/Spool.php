<?php
/**
 * Where mail that cannot leave now is kept.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || exit;

/**
 * The sending side keeps a message that cannot leave for a temporary reason through this
 * interface — and one refused for good (Send_Failure::fails_message()), which the spool keeps as
 * failed while wp_mail() still fails — whatever the transport; the outbox (Outbox\Mail_Queue)
 * implements it. Mail never imports Outbox: the outbox
 * is built on the sending code (it delivers its rows through Mailer_Hook), not the other way round.
 */
interface Spool {

	/**
	 * Keeps a message for a later delivery, or, refused for good, for the administrator to read,
	 * retry or delete.
	 *
	 * @param string       $from       Envelope sender.
	 * @param string[]     $recipients Recipients still waiting.
	 * @param string       $data       The complete message.
	 * @param Send_Failure $failure    Why it could not leave.
	 * @param string       $route      The server it may go through (Send_Route).
	 * @param string       $idempotency_key The key its first attempt carried ('' none): the later ones carry it too.
	 * @return int|null The message id, or null when it could not be stored (wp_mail() then fails).
	 */
	public function keep( string $from, array $recipients, string $data, Send_Failure $failure, string $route = '', string $idempotency_key = '' ): ?int;
}
