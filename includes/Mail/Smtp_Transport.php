<?php
/**
 * Today's engine behind the transport seam: PHPMailer's SMTP client as the settings configure it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;
use SmtpPortHelper\Transport\Transport;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || exit;

/**
 * One connection through the same code as wp_mail() (Mailer_Hook::configure_delivery(): server,
 * ports, TLS, login, fallback), opened on the first send and kept for the next (a queue run);
 * each message goes as it was built — MAIL FROM, RCPT TO, and DATA with the exact bytes. A
 * recipient refused with a `4xx` waits while the others are sent to; one refused with a `5xx`
 * is refused for good.
 */
final class Smtp_Transport implements Transport {

	/**
	 * Configures PHPMailer as wp_mail() would.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * The settings this transport sends with (the site's or the network's).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $store;

	/**
	 * The mailer that owns the open connection, or null.
	 *
	 * @var PHPMailer|null
	 */
	private ?PHPMailer $phpmailer = null;

	/**
	 * The open connection, or null.
	 *
	 * @var Spooling_Smtp_Connection|null
	 */
	private ?Spooling_Smtp_Connection $connection = null;

	/**
	 * Takes the mailer configuration and the settings.
	 *
	 * @param Mailer_Hook    $mailer Configures PHPMailer.
	 * @param Settings_Store $store  The settings to send with.
	 */
	public function __construct( Mailer_Hook $mailer, Settings_Store $store ) {
		$this->mailer = $mailer;
		$this->store  = $store;
	}

	/**
	 * The transport id.
	 */
	public function id(): string {
		return Transport_Registry::SMTP;
	}

	/**
	 * The configured port in its encryption, with the saved login: one row of the port test.
	 *
	 * @param Deadline $deadline How long the test may take.
	 */
	public function test( Deadline $deadline ): Port_Result {
		$port = $this->store->get()->port;
		try {
			$options = ( new Probe_Options_Factory( $this->store ) )->from_settings( max( 1.0, $deadline->remaining() ) );
		} catch ( Invalid_Input_Exception $invalid ) {
			$result                 = new Port_Result( $port );
			$result->verdict        = Verdict::DNS_FAILED;
			$result->verdict_detail = $invalid->getMessage();
			return $result;
		}
		return ( new Port_Prober() )->run( $options )->get_result( $port ) ?? new Port_Result( $port );
	}

	/**
	 * Sends one message over the open connection (opened first when there is none).
	 *
	 * @param Outgoing_Message $message  The message.
	 * @param Deadline         $deadline Its time limit.
	 */
	public function send( Outgoing_Message $message, Deadline $deadline ): Send_Outcome {
		$connection = $this->open();
		if ( $connection instanceof Send_Failure ) {
			return Send_Outcome::failed( $connection );
		}
		$connection->set_deadline( $deadline );
		if ( ! $connection->mail( $message->from ) ) {
			return $this->not_sent( $this->failure_of( $connection, 'mail' ) );
		}
		$accepted = array();
		$waiting  = array();
		$refused  = array();
		$failure  = null;
		foreach ( $message->recipients as $recipient ) {
			if ( $connection->recipient( $recipient ) ) {
				$accepted[] = $recipient;
				continue;
			}
			$failure = $this->failure_of( $connection, 'rcpt' );
			if ( $failure->is_permanent() ) {
				$refused[ $recipient ] = $failure->error;
			} else {
				$waiting[] = $recipient;
			}
			if ( ! $connection->connected() ) {
				return $this->not_sent( $failure );
			}
		}
		if ( array() === $accepted ) {
			$connection->reset();
			$failure = $failure ?? $this->failure_of( $connection, 'rcpt' );
			return array() === $waiting ? Send_Outcome::partly( $failure, array(), array(), $refused ) : Send_Outcome::failed( $failure );
		}
		if ( ! $connection->data( $message->data ) ) {
			return $this->not_sent( $this->failure_of( $connection, 'data' ) );
		}
		if ( null !== $failure ) {
			return Send_Outcome::partly( $failure, $accepted, $waiting, $refused );
		}
		return Send_Outcome::delivered( $accepted );
	}

	/**
	 * The failure shape of an SMTP answer.
	 *
	 * @param string                $stage   Where: connect, tls, auth, mail, rcpt, data and so on.
	 * @param int                   $code    SMTP reply code, 0 without an answer.
	 * @param string                $detail  The server's words.
	 * @param array<string, string> $headers Unused by SMTP.
	 */
	public function classify( string $stage, int $code, string $detail, array $headers = array() ): Send_Failure { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundAfterLastUsed
		return new Send_Failure( $stage, $code, $detail );
	}

	/**
	 * Ends the connection.
	 */
	public function close(): void {
		if ( null !== $this->phpmailer ) {
			$this->phpmailer->smtpClose();
		}
		$this->phpmailer  = null;
		$this->connection = null;
	}

	/**
	 * Whether a connection is open (a queue run's recovery notice goes the way that just worked).
	 */
	public function is_open(): bool {
		return null !== $this->connection && $this->connection->connected();
	}

	/**
	 * A message that did not leave: the transaction is reset, or the connection forgotten when it
	 * is gone, so the next message starts cleanly.
	 *
	 * @param Send_Failure $failure Why.
	 */
	private function not_sent( Send_Failure $failure ): Send_Outcome {
		if ( null !== $this->connection && ! $this->connection->connected() ) {
			$this->close();
		} elseif ( null !== $this->connection ) {
			$this->connection->reset();
		}
		return Send_Outcome::failed( $failure );
	}

	/**
	 * The open connection, or a new one; the failure when no port works.
	 *
	 * The connection opens within the settings' send time limit (configure_delivery()), as wp_mail()'s.
	 *
	 * @return Spooling_Smtp_Connection|Send_Failure
	 */
	private function open() {
		if ( $this->is_open() && null !== $this->connection ) {
			return $this->connection;
		}
		$this->close();
		Phpmailer_Classes::load();
		$phpmailer  = new PHPMailer( true );
		$connection = $this->mailer->configure_delivery( $phpmailer, $this->store );
		if ( null === $connection ) {
			return new Send_Failure( 'disabled', 0, 'Sending through SMTP is switched off or no host is set.' );
		}
		try {
			// phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
			$connected = $phpmailer->smtpConnect( $phpmailer->SMTPOptions );
		} catch ( PHPMailer_Exception $error ) {
			$connected = false;
		}
		if ( ! $connected ) {
			return $connection->failure() ?? new Send_Failure( 'connect', 0, 'No port of the SMTP server could be connected to.' );
		}
		$this->phpmailer  = $phpmailer;
		$this->connection = $connection;
		return $connection;
	}

	/**
	 * The failure the connection recorded for a command.
	 *
	 * @param Spooling_Smtp_Connection $connection The connection.
	 * @param string                   $stage      The command's stage when none was recorded.
	 */
	private function failure_of( Spooling_Smtp_Connection $connection, string $stage ): Send_Failure {
		return $connection->failure() ?? new Send_Failure( $stage, 0, 'No answer from the server.' );
	}
}
