<?php
/**
 * PHPMailer's SMTP client within a time limit, which keeps a message it could not hand over.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\Exception as PHPMailer_Exception;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\Xoauth2_Token_Provider;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Send_Failure;

defined( 'ABSPATH' ) || exit;

/**
 * Every wait of one message (each connect, the TLS handshake, every reply) is cut to what is left
 * of its Deadline. With a spool (the outbox), a message that cannot be handed to any server for a
 * temporary reason — no connection, a TLS failure, the time limit, a `4xx` answer, a login that is
 * refused — is not lost: from that moment the client answers PHPMailer as a server that accepted
 * it, and the exact bytes PHPMailer gives to DATA, with the envelope, go to the spool. A `5xx`
 * answer for the sender, a recipient or the content stays a failure of wp_mail(), as before; a
 * `5xx` to DATA (too large, content refused) also keeps the message in the spool as failed, as an
 * API's final refusal does (Transport_Bridge). A `5xx` to MAIL FROM or to every RCPT TO keeps
 * nothing: PHPMailer stops before DATA and never hands over the message.
 *
 * Recipients refused with a `4xx` while others are accepted: the message is sent to the others,
 * and kept for those only.
 */
class Spooling_Smtp_Connection extends Smtp_Connection {

	/**
	 * The time limit of the message.
	 *
	 * @var Deadline
	 */
	private Deadline $deadline;

	/**
	 * Number of ports PHPMailer will try (the entries of its `Host`).
	 *
	 * @var int
	 */
	private int $endpoint_count;

	/**
	 * The envelope of the message under way, and the spool that keeps it.
	 *
	 * @var Kept_Envelope
	 */
	private Kept_Envelope $envelope;

	/**
	 * Why the message is kept without a try, and what a blocked connection means.
	 *
	 * @var Spool_Hold
	 */
	private Spool_Hold $holds;

	/**
	 * Connect calls so far.
	 *
	 * @var int
	 */
	private int $connects = 0;

	/**
	 * Why the message is being spooled, or null while the real session goes on.
	 *
	 * @var Send_Failure|null
	 */
	private ?Send_Failure $spooling = null;

	/**
	 * The last failure of the real session (also without a spool).
	 *
	 * @var Send_Failure|null
	 */
	private ?Send_Failure $failure = null;

	/**
	 * Takes the time limit, how many ports will be tried and, for wp_mail(), the spool.
	 *
	 * @param Deadline            $deadline       The time limit of the message.
	 * @param int                 $endpoint_count Ports in PHPMailer's `Host`.
	 * @param callable|null       $spool          Keeps a message; null: failures fail as before.
	 * @param bool                $spool_at_once  Spool without trying (every port is known to be down).
	 * @param callable|null       $on_attempt     See Smtp_Connection.
	 * @param string|null         $blocked        See Smtp_Connection.
	 * @param Address_Policy|null $policy   See Smtp_Connection.
	 */
	public function __construct( Deadline $deadline, int $endpoint_count, ?callable $spool = null, bool $spool_at_once = false, ?callable $on_attempt = null, ?string $blocked = null, ?Address_Policy $policy = null ) {
		parent::__construct( $on_attempt, $blocked, $policy );
		$this->deadline       = $deadline;
		$this->endpoint_count = max( 1, $endpoint_count );
		$this->envelope       = new Kept_Envelope( $spool );
		$this->holds          = new Spool_Hold( null !== $spool && $spool_at_once );
	}

	/**
	 * Spools the message without trying (Send_Pacer: the mailbox's sending limit is reached, or
	 * mail waits before it); without a spool, the message is sent as before.
	 *
	 * @param array{stage: string, code: int, error: string} $why Why it waits.
	 */
	public function hold( array $why ): void {
		$this->holds->hold( $why, $this->envelope->can_keep() );
	}

	/**
	 * Starts the time limit again (a queue run sends several messages over one connection).
	 *
	 * @param Deadline $deadline The time limit of the next message.
	 */
	public function set_deadline( Deadline $deadline ): void {
		$this->deadline = $deadline;
	}

	/**
	 * Says what a block of this connection means (Spool_Hold::block_means()).
	 *
	 * @param string $stage `token` or `oauth`.
	 */
	public function block_means( string $stage ): void {
		$this->holds->block_means( $stage );
	}

	/**
	 * Connects within what is left of the time limit; spools when this was the last chance.
	 *
	 * @param string               $host    Host, possibly with an `ssl://` prefix.
	 * @param int                  $port    Port.
	 * @param int                  $timeout Seconds.
	 * @param array<string, mixed> $options Stream context options.
	 * @return bool
	 * @throws PHPMailer_Exception When sending is blocked and there is no spool.
	 */
	public function connect( $host, $port = null, $timeout = 30, $options = array() ) {
		if ( null !== $this->spooling ) {
			return true;
		}
		if ( null !== $this->holds->at_once() ) {
			return $this->start_spooling( $this->holds->at_once() );
		}
		if ( $this->deadline->expired() ) {
			$this->failure = new Send_Failure( 'deadline', 0, 'The time limit for sending this message is over.' );
			return $this->envelope->can_keep() ? $this->start_spooling( $this->failure ) : false;
		}
		if ( null !== $this->endpoint() ) {
			// A server answered, then TLS or the login failed: that failure stands, no other port is tried.
			return parent::connect( $host, $port, $timeout, $options );
		}
		// Each port still to try gets its share of what is left, so a black hole cannot take it all.
		$share = $this->deadline->share( (int) $timeout, $this->endpoint_count - $this->connects );
		++$this->connects;
		$tried = count( $this->attempts() );
		try {
			$ok = parent::connect( $host, $port, $share, $options );
		} catch ( PHPMailer_Exception $blocked ) {
			$this->failure = new Send_Failure( $this->holds->blocked_stage( $this->attempts(), $tried ), 0, $blocked->getMessage() );
			if ( ! $this->envelope->can_keep() ) {
				throw $blocked;
			}
			return $this->start_spooling( $this->failure );
		}
		if ( $ok ) {
			$this->cap_waits();
			return true;
		}
		$error = $this->getError();
		// PHPMailer puts the socket's errno (111: refused) where an SMTP code would be: keep only SMTP codes.
		$code          = (int) $error['smtp_code'];
		$this->failure = new Send_Failure( 'connect', $code >= 200 && $code < 600 ? $code : 0, trim( $error['error'] . ' ' . $error['detail'] . ( $code > 0 && $code < 200 ? ' (errno ' . $code . ')' : '' ) ) );
		$last_chance   = $this->connects >= $this->endpoint_count || $this->deadline->expired();
		if ( $this->envelope->can_keep() && $last_chance ) {
			return $this->start_spooling( $this->failure );
		}
		return false;
	}

	/**
	 * EHLO within the time limit.
	 *
	 * @param string $host Name to greet with.
	 * @return bool
	 */
	public function hello( $host = '' ) {
		if ( null !== $this->spooling ) {
			return true;
		}
		$this->cap_waits();
		return parent::hello( $host );
	}

	/**
	 * STARTTLS within the time limit; a failure spools.
	 *
	 * @return bool
	 */
	public function startTLS() {
		if ( null !== $this->spooling ) {
			return true;
		}
		$this->cap_waits();
		if ( parent::startTLS() ) {
			return true;
		}
		$error         = $this->getError();
		$this->failure = new Send_Failure( 'tls', (int) $error['smtp_code'], trim( 'TLS: ' . $error['error'] . ' ' . $error['detail'] ) );
		return $this->spool_or_fail( $this->failure );
	}

	/**
	 * Logs in within the time limit; a refused login spools the message and holds the queue.
	 *
	 * @param string $username The user name.
	 * @param string $password The password.
	 * @param string $authtype The mechanism.
	 * @param mixed  $oauth    OAuth token object.
	 * @return bool
	 */
	public function authenticate( $username, $password, $authtype = null, $oauth = null ) {
		if ( null !== $this->spooling ) {
			return true;
		}
		$this->cap_waits();
		if ( parent::authenticate( $username, $password, $authtype, $oauth ) ) {
			return true;
		}
		$error = $this->getError();
		if ( 'XOAUTH2' === $authtype && $oauth instanceof Xoauth2_Token_Provider && $oauth->can_renew() && Xoauth2_Token_Provider::refused_by( $error ) ) {
			return $this->authenticate_renewed( $username, $password, $oauth, $error );
		}
		$this->failure = new Send_Failure( 'auth', (int) $error['smtp_code'], trim( $error['error'] . ' ' . $error['detail'] ) );
		return $this->spool_or_fail( $this->failure );
	}

	/**
	 * The token was refused before the expiry the plugin computed: ends the exchange, gets a
	 * refreshed token once (OAuth_Connection ignores the cached one) and logs in again on the same
	 * connection. Only a refused refresh holds the mail; a token endpoint that does not answer
	 * lets it wait (`token`).
	 *
	 * @param string                 $username The user name.
	 * @param string                 $password The password (unused by XOAUTH2).
	 * @param Xoauth2_Token_Provider $oauth    The token provider.
	 * @param array<string, string>  $error    PHPMailer's error of the refused login.
	 */
	private function authenticate_renewed( string $username, string $password, Xoauth2_Token_Provider $oauth, array $error ): bool {
		if ( 334 === (int) $error['smtp_code'] ) {
			// The server waits for the client's answer to its error challenge: an empty line, then 535.
			$this->sendCommand( 'AUTH', '', 535 );
		}
		$renewed = $oauth->renew();
		if ( ! $renewed->ok() ) {
			$this->failure = '' === $renewed->message
				? new Send_Failure( 'auth', (int) $error['smtp_code'], trim( $error['error'] . ' ' . $error['detail'] ) )
				: new Send_Failure( $renewed->retry ? 'token' : 'oauth', 0, 'SMTP Port Helper: ' . $renewed->message );
			return $this->spool_or_fail( $this->failure );
		}
		$this->cap_waits();
		if ( $this->connected() && parent::authenticate( $renewed->user, $password, 'XOAUTH2', $oauth ) ) {
			return true;
		}
		$error         = $this->getError();
		$this->failure = new Send_Failure( 'auth', (int) $error['smtp_code'], trim( $error['error'] . ' ' . $error['detail'] ) );
		return $this->spool_or_fail( $this->failure );
	}

	/**
	 * MAIL FROM; a `4xx` spools.
	 *
	 * @param string $from Envelope sender.
	 * @return bool
	 */
	public function mail( $from ) {
		$this->envelope->begin( (string) $from );
		if ( null !== $this->spooling ) {
			return true;
		}
		$this->failure = null;
		$this->cap_waits();
		if ( parent::mail( $from ) ) {
			return true;
		}
		$this->failure = $this->reply_failure( 'mail' );
		return $this->failure->is_permanent() ? false : $this->spool_or_fail( $this->failure );
	}

	/**
	 * RCPT TO; a `4xx` keeps the recipient for later while the others are sent to.
	 *
	 * @param string $address Recipient.
	 * @param string $dsn     DSN options.
	 * @return bool
	 */
	public function recipient( $address, $dsn = '' ) {
		if ( null !== $this->spooling ) {
			$this->envelope->deferred[] = (string) $address;
			return true;
		}
		$this->cap_waits();
		if ( parent::recipient( $address, $dsn ) ) {
			$this->envelope->accepted[] = (string) $address;
			return true;
		}
		$this->failure = $this->reply_failure( 'rcpt' );
		if ( ! $this->envelope->can_keep() || $this->failure->is_permanent() ) {
			return false;
		}
		$this->envelope->deferred[] = (string) $address;
		return true;
	}

	/**
	 * DATA; what cannot be handed over goes to the spool, with the recipients still waiting.
	 *
	 * @param string $msg_data The complete message (headers and body) as PHPMailer built it.
	 * @return bool
	 */
	public function data( $msg_data ) {
		if ( null === $this->spooling && array() === $this->envelope->accepted && array() !== $this->envelope->deferred && null !== $this->failure ) {
			// Every recipient was deferred: nothing to hand over now.
			parent::reset();
			$this->spooling = $this->failure;
		}
		if ( null !== $this->spooling ) {
			return $this->envelope->keep( (string) $msg_data, $this->envelope->deferred, $this->spooling );
		}
		$this->cap_waits();
		if ( ! $this->send_data( (string) $msg_data ) ) {
			$this->failure = $this->reply_failure( 'data' );
			if ( ! $this->envelope->can_keep() ) {
				return false;
			}
			// Not accepted for a temporary reason (or no answer in time): kept for everyone. Refused
			// for good (a `5xx`): kept as failed for the administrator (Spool), and wp_mail() fails.
			$kept = $this->envelope->keep( (string) $msg_data, array_merge( $this->envelope->accepted, $this->envelope->deferred ), $this->failure );
			return ! $this->failure->fails_message() && $kept;
		}
		if ( array() !== $this->envelope->deferred && null !== $this->failure ) {
			return $this->envelope->keep( (string) $msg_data, $this->envelope->deferred, $this->failure );
		}
		return true;
	}

	/**
	 * QUIT, unless there is no real session.
	 *
	 * @param bool $close_on_error Close the connection when QUIT fails.
	 * @return bool
	 */
	public function quit( $close_on_error = true ) {
		if ( null !== $this->spooling && ! $this->connected() ) {
			return true;
		}
		return parent::quit( $close_on_error );
	}

	/**
	 * The id of the message kept in the outbox, or null when it was not spooled.
	 */
	public function spooled_id(): ?int {
		return $this->envelope->kept_id();
	}

	/**
	 * The last failure of the session: its stage (connect, tls, auth, mail, rcpt, data, deadline,
	 * down), the SMTP code (0 without an answer) and the error.
	 */
	public function failure(): ?Send_Failure {
		return $this->failure;
	}

	/**
	 * Spools from now on, or fails when there is no spool.
	 *
	 * @param Send_Failure $failure Why.
	 */
	private function spool_or_fail( Send_Failure $failure ): bool {
		return $this->envelope->can_keep() && $this->start_spooling( $failure );
	}

	/**
	 * From now on, answers as a server that accepts, and keeps the message at DATA.
	 *
	 * @param Send_Failure $why Why it could not be handed over.
	 */
	private function start_spooling( Send_Failure $why ): bool {
		$this->spooling = $why;
		$this->failure  = $why;
		if ( $this->connected() ) {
			parent::quit( true );
		}
		$this->close();
		return true;
	}

	/**
	 * The failure of the last command, from the server's reply.
	 *
	 * @param string $stage The command's stage.
	 */
	private function reply_failure( string $stage ): Send_Failure {
		$error = $this->getError();
		return new Send_Failure( $stage, (int) $error['smtp_code'], trim( $error['error'] . ': ' . trim( (string) $error['smtp_code'] . ' ' . $error['smtp_code_ex'] ) . ' ' . trim( $error['detail'] ) ) );
	}

	/**
	 * Cuts the next wait (a reply, a TLS handshake) to what is left of the time limit.
	 */
	private function cap_waits(): void {
		$seconds = $this->deadline->cap( 30 );
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$this->Timelimit = $seconds;
		$this->Timeout   = $seconds;
		// phpcs:enable
		if ( is_resource( $this->smtp_conn ) ) {
			stream_set_timeout( $this->smtp_conn, $seconds );
		}
	}
}
