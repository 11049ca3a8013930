<?php
/**
 * PHPMailer's SMTP client seat, filled by a transport: wp_mail() builds the message, the transport sends the bytes.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;
use PHPMailer\PHPMailer\SMTP;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Https\Https_Api_Transport;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;
use SmtpPortHelper\Transport\Transport;

defined( 'ABSPATH' ) || exit;

/**
 * Why this seat rather than `pre_wp_mail` or a PHPMailer subclass: wp_mail() keeps doing all of
 * its work — headers, attachments, `phpmailer_init` for every other plugin, `wp_mail_failed`, the
 * return value — and PHPMailer's preSend() builds the MIME exactly as it would for SMTP (Bcc only
 * in the envelope). smtpSend() then hands this seat MAIL FROM, each RCPT TO and DATA with
 * `header . body`: the same envelope and bytes the outbox stores. The seat hands them to the
 * transport in one Outgoing_Message. The pluggable wp_mail() and the global PHPMailer are never
 * replaced (Mailer_Hook::configure() installs it with setSMTPInstance(), as for SMTP).
 *
 * A failure that may pass (network, throttled, server error, a refused key: held) keeps the
 * message in the outbox when wp_mail() has one, and wp_mail() returns true; a final refusal (too
 * large, refused content or recipient) fails wp_mail() with the API's words and is kept in the
 * outbox as failed (as Spooling_Smtp_Connection keeps an SMTP server's `5xx` to DATA).
 */
final class Transport_Bridge extends SMTP {

	/**
	 * The transport that sends.
	 *
	 * @var Transport
	 */
	private Transport $transport;

	/**
	 * The message's time limit.
	 *
	 * @var Deadline
	 */
	private Deadline $deadline;

	/**
	 * Keeps a message: (string $from, list<string> $recipients, string $data, Send_Failure $failure) => ?int.
	 *
	 * @var callable|null
	 */
	private $spool;

	/**
	 * Whether PHPMailer "connected".
	 *
	 * @var bool
	 */
	private bool $open = false;

	/**
	 * Envelope sender.
	 *
	 * @var string
	 */
	private string $from = '';

	/**
	 * Envelope recipients.
	 *
	 * @var list<string>
	 */
	private array $recipients = array();

	/**
	 * The failure of the last send, or null.
	 *
	 * @var Send_Failure|null
	 */
	private ?Send_Failure $failure = null;

	/**
	 * Why the message waits without being sent (hold()), or null.
	 *
	 * @var Send_Failure|null
	 */
	private ?Send_Failure $held = null;

	/**
	 * The outbox id of a kept message, or null.
	 *
	 * @var int|null
	 */
	private ?int $spooled_id = null;

	/**
	 * Takes the transport, the time limit and the spool.
	 *
	 * @param Transport     $transport The transport.
	 * @param Deadline      $deadline  The message's time limit.
	 * @param callable|null $spool     Keeps what cannot leave now; null: failures fail wp_mail().
	 */
	public function __construct( Transport $transport, Deadline $deadline, ?callable $spool ) {
		$this->transport = $transport;
		$this->deadline  = $deadline;
		$this->spool     = $spool;
	}

	/**
	 * Puts a bridge into PHPMailer's SMTP seat: `Host` names the API (the send path shows it),
	 * no TLS prefix and no SMTP login (the transport does both).
	 *
	 * @param PHPMailer     $phpmailer The mailer.
	 * @param string        $base_url  The API's base URL.
	 * @param Transport     $transport The transport.
	 * @param Deadline      $deadline  The message's time limit.
	 * @param callable|null $spool     Keeps what cannot leave now.
	 */
	public static function install( PHPMailer $phpmailer, string $base_url, Transport $transport, Deadline $deadline, ?callable $spool ): self {
		$host = (string) wp_parse_url( $base_url, PHP_URL_HOST );
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->isSMTP();
		$phpmailer->Host        = '' !== $host ? $host : 'localhost';
		$phpmailer->Port        = Https_Api_Transport::PORT;
		$phpmailer->SMTPSecure  = '';
		$phpmailer->SMTPAutoTLS = false;
		$phpmailer->SMTPAuth    = false;
		$phpmailer->Username    = '';
		$phpmailer->Password    = '';
		// phpcs:enable
		$bridge = new self( $transport, $deadline, $spool );
		$phpmailer->setSMTPInstance( $bridge );
		return $bridge;
	}

	/**
	 * Nothing to open: the transport opens what it needs when it sends.
	 *
	 * @param string               $host    Unused.
	 * @param int|null             $port    Unused.
	 * @param int                  $timeout Unused.
	 * @param array<string, mixed> $options Unused.
	 * @return bool
	 */
	public function connect( $host, $port = null, $timeout = 30, $options = array() ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		$this->open = true;
		return true;
	}

	/**
	 * Whether PHPMailer's session is "open".
	 *
	 * @return bool
	 */
	public function connected() {
		return $this->open;
	}

	/**
	 * No greeting.
	 *
	 * @param string $host Unused.
	 * @return bool
	 */
	public function hello( $host = '' ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		return true;
	}

	/**
	 * The envelope sender.
	 *
	 * @param string $from Envelope sender.
	 * @return bool
	 */
	public function mail( $from ) {
		$this->from       = (string) $from;
		$this->recipients = array();
		return true;
	}

	/**
	 * One envelope recipient.
	 *
	 * @param string $address Recipient.
	 * @param string $dsn     Unused.
	 * @return bool
	 */
	public function recipient( $address, $dsn = '' ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		$this->recipients[] = (string) $address;
		return true;
	}

	/**
	 * Keeps the message in the outbox without sending it (Send_Pacer: the account's sending limit
	 * is reached, or mail waits before it); without an outbox it is sent as before.
	 *
	 * @param array{stage: string, code: int, error: string} $why Why it waits.
	 */
	public function hold( array $why ): void {
		if ( null !== $this->spool ) {
			$this->held = Send_Failure::from_array( $why );
		}
	}

	/**
	 * Hands the message to the transport; keeps it in the outbox when it may leave later.
	 *
	 * @param string $msg_data The complete message as PHPMailer built it.
	 * @return bool
	 * @throws PHPMailer_Exception When the message cannot be sent and is not kept: wp_mail() fails with the transport's words.
	 */
	public function data( $msg_data ) {
		// One key per message from its first attempt on: a retry from the outbox after a lost answer carries it too.
		$message       = new Outgoing_Message( $this->from, $this->recipients, (string) $msg_data, bin2hex( random_bytes( 16 ) ) );
		$outcome       = null === $this->held ? $this->transport->send( $message, $this->deadline ) : Send_Outcome::failed( $this->held );
		$this->failure = $outcome->failure;
		if ( null === $this->failure ) {
			return true;
		}
		$waiting = array() !== $outcome->waiting ? $outcome->waiting : ( $outcome->is_partly_delivered() ? array() : $this->recipients );
		if ( null !== $this->spool && array() !== $waiting ) {
			// A final refusal is kept too (as failed, Spool), but wp_mail() still fails with its words.
			$id               = call_user_func( $this->spool, $this->from, $waiting, (string) $msg_data, $this->failure, $message->idempotency_key );
			$this->spooled_id = is_int( $id ) ? $id : null;
			if ( null !== $this->spooled_id && ! $this->failure->fails_message() ) {
				return true;
			}
		}
		// Thrown from inside PHPMailer's send (as Outbox\Mail_Queue does): wp_mail() fires `wp_mail_failed` with these words.
		throw new PHPMailer_Exception( esc_html( 'SMTP Port Helper: ' . $this->failure->error ), PHPMailer::STOP_CRITICAL );
	}

	/**
	 * Ends the "session".
	 *
	 * @param bool $close_on_error Unused.
	 * @return bool
	 */
	public function quit( $close_on_error = true ) { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found
		$this->open = false;
		return true;
	}

	/**
	 * Ends the "session" and what the transport kept open.
	 *
	 * @return void
	 */
	public function close() {
		$this->open = false;
		$this->transport->close();
	}

	/**
	 * A new transaction.
	 *
	 * @return bool
	 */
	public function reset() {
		$this->from       = '';
		$this->recipients = array();
		return true;
	}

	/**
	 * The failure of the last send, or null.
	 */
	public function failure(): ?Send_Failure {
		return $this->failure;
	}

	/**
	 * The outbox id of the kept message, or null.
	 */
	public function spooled_id(): ?int {
		return $this->spooled_id;
	}

	/**
	 * The transport behind the seat.
	 */
	public function transport(): Transport {
		return $this->transport;
	}
}
