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
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || exit;

/**
 * Every wait of one message (each connect, the TLS handshake, every reply) is cut to what is left
 * of its Deadline. With a spool (the outbox), a message that cannot be handed to any server for a
 * temporary reason — no connection, a TLS failure, the time limit, a `4xx` answer, a login that is
 * refused — is not lost: from that moment the client answers PHPMailer as a server that accepted
 * it, and the exact bytes PHPMailer gives to DATA, with the envelope, go to the spool. A `5xx`
 * answer for the sender, a recipient or the content stays a failure of wp_mail(), as before.
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
	 * Keeps a message: (string $from, list<string> $recipients, string $data, array $failure) => int id.
	 *
	 * @var callable|null
	 */
	private $spool;

	/**
	 * Whether to spool without trying (every port is known to be down).
	 *
	 * @var bool
	 */
	private bool $spool_at_once;

	/**
	 * Connect calls so far.
	 *
	 * @var int
	 */
	private int $connects = 0;

	/**
	 * Why the message is being spooled, or null while the real session goes on.
	 *
	 * @var array{stage: string, code: int, error: string}|null
	 */
	private ?array $spooling = null;

	/**
	 * The last failure of the real session (also without a spool).
	 *
	 * @var array{stage: string, code: int, error: string}|null
	 */
	private ?array $failure = null;

	/**
	 * Envelope sender of the message.
	 *
	 * @var string
	 */
	private string $from = '';

	/**
	 * Recipients the server accepted.
	 *
	 * @var list<string>
	 */
	private array $accepted = array();

	/**
	 * Recipients kept for later (a `4xx`, or everyone once spooling).
	 *
	 * @var list<string>
	 */
	private array $deferred = array();

	/**
	 * Whether the block passes by itself (the OAuth token endpoint did not answer): the message
	 * then waits with stage `token` and is retried, instead of holding the queue.
	 *
	 * @var bool
	 */
	private bool $block_passes = false;

	/**
	 * Id of the kept message, once spooled.
	 *
	 * @var int|null
	 */
	private ?int $spooled_id = null;

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
		$this->spool          = $spool;
		$this->spool_at_once  = null !== $spool && $spool_at_once;
	}

	/**
	 * Why the message goes to the spool without a try, when it is not every port being down.
	 *
	 * @var array{stage: string, code: int, error: string}|null
	 */
	private ?array $held = null;

	/**
	 * Spools the message without trying (Send_Pacer: the mailbox's sending limit is reached, or
	 * mail waits before it); without a spool, the message is sent as before.
	 *
	 * @param array{stage: string, code: int, error: string} $why Why it waits.
	 */
	public function hold( array $why ): void {
		if ( null !== $this->spool ) {
			$this->spool_at_once = true;
			$this->held          = $why;
		}
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
	 * The block of this connection may pass by itself: the OAuth token endpoint did not answer,
	 * so a later run can renew the sign-in and the message waits (`token`) rather than being held.
	 */
	public function block_passes(): void {
		$this->block_passes = true;
	}

	/**
	 * Whether the block is a refused OAuth sign-in: the message is held (`oauth`) until the
	 * mailbox is connected again.
	 *
	 * @var bool
	 */
	private bool $block_is_sign_in = false;

	/**
	 * The block of this connection is a refused OAuth sign-in (released by "Connect" again).
	 */
	public function block_by_sign_in(): void {
		$this->block_is_sign_in = true;
	}

	/**
	 * Why the connection stopped before it was opened: the name did not resolve (`dns`: retried),
	 * the OAuth token endpoint did not answer (`token`: retried),
	 * the address policy refused the host or port (`policy`: held until the settings change),
	 * the OAuth sign-in was refused (`oauth`: held until "Connect" again), or
	 * the login cannot be used (`auth`: no readable password; held too).
	 *
	 * @param int $tried Attempts recorded before this one.
	 */
	private function blocked_stage( int $tried ): string {
		$attempts = $this->attempts();
		$verdict  = count( $attempts ) > $tried ? ( $attempts[ count( $attempts ) - 1 ]['verdict'] ?? '' ) : '';
		if ( Verdict::DNS_FAILED === $verdict ) {
			return 'dns';
		}
		if ( Verdict::ADDRESS_REFUSED !== $verdict && $this->block_passes ) {
			return 'token';
		}
		if ( Verdict::ADDRESS_REFUSED !== $verdict && $this->block_is_sign_in ) {
			return 'oauth';
		}
		return Verdict::ADDRESS_REFUSED === $verdict ? 'policy' : 'auth';
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
		if ( $this->spool_at_once ) {
			$why = $this->held ?? self::make_failure( 'down', 0, 'Every port of the SMTP server is known to be down; the message waits in the outbox.' );
			return $this->start_spooling( $why['stage'], $why['code'], $why['error'] );
		}
		if ( $this->deadline->expired() ) {
			$this->failure = self::make_failure( 'deadline', 0, 'The time limit for sending this message is over.' );
			return null !== $this->spool ? $this->start_spooling( 'deadline', 0, $this->failure['error'] ) : false;
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
			$stage         = $this->blocked_stage( $tried );
			$this->failure = self::make_failure( $stage, 0, $blocked->getMessage() );
			if ( null === $this->spool ) {
				throw $blocked;
			}
			return $this->start_spooling( $stage, 0, $blocked->getMessage() );
		}
		if ( $ok ) {
			$this->cap_waits();
			return true;
		}
		$error = $this->getError();
		// PHPMailer puts the socket's errno (111: refused) where an SMTP code would be: keep only SMTP codes.
		$code          = (int) $error['smtp_code'];
		$this->failure = self::make_failure( 'connect', $code >= 200 && $code < 600 ? $code : 0, trim( $error['error'] . ' ' . $error['detail'] . ( $code > 0 && $code < 200 ? ' (errno ' . $code . ')' : '' ) ) );
		$last_chance   = $this->connects >= $this->endpoint_count || $this->deadline->expired();
		if ( null !== $this->spool && $last_chance ) {
			return $this->start_spooling( 'connect', $this->failure['code'], $this->failure['error'] );
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
		$this->failure = self::make_failure( 'tls', (int) $error['smtp_code'], trim( 'TLS: ' . $error['error'] . ' ' . $error['detail'] ) );
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
		if ( 'XOAUTH2' === $authtype && $oauth instanceof Xoauth2_Token_Provider && $oauth->can_renew() && self::token_refused( $error ) ) {
			return $this->authenticate_renewed( $username, $password, $oauth, $error );
		}
		$this->failure = self::make_failure( 'auth', (int) $error['smtp_code'], trim( $error['error'] . ' ' . $error['detail'] ) );
		return $this->spool_or_fail( $this->failure );
	}

	/**
	 * Whether the server refused the XOAUTH2 token itself: a `334` carrying the error JSON
	 * (RFC 7628 §3.2.2), `535`, or a `5.7.x` answer — not a busy server's `4xx`.
	 *
	 * @param array<string, string> $error PHPMailer's last error.
	 */
	private static function token_refused( array $error ): bool {
		$code = (int) $error['smtp_code'];
		return 334 === $code || 535 === $code || ( $code >= 500 && 0 === strpos( (string) $error['smtp_code_ex'], '5.7.' ) );
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
			if ( '' === $renewed->message ) {
				$this->failure = self::make_failure( 'auth', (int) $error['smtp_code'], trim( $error['error'] . ' ' . $error['detail'] ) );
			} else {
				$this->failure = self::make_failure( $renewed->retry ? 'token' : 'oauth', 0, 'SMTP Port Helper: ' . $renewed->message );
			}
			return $this->spool_or_fail( $this->failure );
		}
		$this->cap_waits();
		if ( $this->connected() && parent::authenticate( $renewed->user, $password, 'XOAUTH2', $oauth ) ) {
			return true;
		}
		$error         = $this->getError();
		$this->failure = self::make_failure( 'auth', (int) $error['smtp_code'], trim( $error['error'] . ' ' . $error['detail'] ) );
		return $this->spool_or_fail( $this->failure );
	}

	/**
	 * MAIL FROM; a `4xx` spools.
	 *
	 * @param string $from Envelope sender.
	 * @return bool
	 */
	public function mail( $from ) {
		$this->from     = (string) $from;
		$this->accepted = array();
		$this->deferred = array();
		if ( null !== $this->spooling ) {
			return true;
		}
		$this->failure = null;
		$this->cap_waits();
		if ( parent::mail( $from ) ) {
			return true;
		}
		$this->failure = $this->reply_failure( 'mail' );
		return self::is_permanent( $this->failure ) ? false : $this->spool_or_fail( $this->failure );
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
			$this->deferred[] = (string) $address;
			return true;
		}
		$this->cap_waits();
		if ( parent::recipient( $address, $dsn ) ) {
			$this->accepted[] = (string) $address;
			return true;
		}
		$this->failure = $this->reply_failure( 'rcpt' );
		if ( null === $this->spool || self::is_permanent( $this->failure ) ) {
			return false;
		}
		$this->deferred[] = (string) $address;
		return true;
	}

	/**
	 * DATA; what cannot be handed over goes to the spool, with the recipients still waiting.
	 *
	 * @param string $msg_data The complete message (headers and body) as PHPMailer built it.
	 * @return bool
	 */
	public function data( $msg_data ) {
		if ( null === $this->spooling && array() === $this->accepted && array() !== $this->deferred && null !== $this->failure ) {
			// Every recipient was deferred: nothing to hand over now.
			parent::reset();
			$this->spooling = $this->failure;
		}
		if ( null !== $this->spooling ) {
			return $this->keep( (string) $msg_data, $this->deferred, $this->spooling );
		}
		$this->cap_waits();
		if ( ! parent::data( $msg_data ) ) {
			$this->failure = $this->reply_failure( 'data' );
			if ( self::is_permanent( $this->failure ) || null === $this->spool ) {
				return false;
			}
			// Not accepted for a temporary reason (or no answer in time): kept for everyone.
			return $this->keep( (string) $msg_data, array_merge( $this->accepted, $this->deferred ), $this->failure );
		}
		if ( array() !== $this->deferred && null !== $this->failure ) {
			return $this->keep( (string) $msg_data, $this->deferred, $this->failure );
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
		return $this->spooled_id;
	}

	/**
	 * The last failure of the session: its stage (connect, tls, auth, mail, rcpt, data, deadline,
	 * down), the SMTP code (0 without an answer) and the error.
	 *
	 * @return array{stage: string, code: int, error: string}|null
	 */
	public function failure(): ?array {
		return $this->failure;
	}

	/**
	 * Whether a failure is the server's final answer (a `5xx`).
	 *
	 * @param array{stage: string, code: int, error: string} $failure A failure.
	 */
	public static function is_permanent( array $failure ): bool {
		// A used-up sending quota (554 5.2.0 …SubmissionQuotaExceeded) passes: it is throttling, not a refusal.
		return $failure['code'] >= 500 && $failure['code'] < 600 && ! Throttle_Answer::is( $failure );
	}

	/**
	 * Spools from now on, or fails when there is no spool.
	 *
	 * @param array{stage: string, code: int, error: string} $failure Why.
	 */
	private function spool_or_fail( array $failure ): bool {
		if ( null === $this->spool ) {
			return false;
		}
		return $this->start_spooling( $failure['stage'], $failure['code'], $failure['error'] );
	}

	/**
	 * From now on, answers as a server that accepts, and keeps the message at DATA.
	 *
	 * @param string $stage Where it failed.
	 * @param int    $code  SMTP code, 0 without an answer.
	 * @param string $error The error.
	 */
	private function start_spooling( string $stage, int $code, string $error ): bool {
		$this->spooling = self::make_failure( $stage, $code, $error );
		$this->failure  = $this->spooling;
		if ( $this->connected() ) {
			parent::quit( true );
		}
		$this->close();
		return true;
	}

	/**
	 * Hands the message to the spool.
	 *
	 * @param string                                         $data       Message.
	 * @param string[]                                       $recipients Recipients still waiting.
	 * @param array{stage: string, code: int, error: string} $failure    Why.
	 */
	private function keep( string $data, array $recipients, array $failure ): bool {
		if ( null === $this->spool ) {
			return false;
		}
		$id               = call_user_func( $this->spool, $this->from, $recipients, $data, $failure );
		$this->spooled_id = is_int( $id ) ? $id : null;
		return null !== $this->spooled_id;
	}

	/**
	 * The failure of the last command, from the server's reply.
	 *
	 * @param string $stage The command's stage.
	 * @return array{stage: string, code: int, error: string}
	 */
	private function reply_failure( string $stage ): array {
		$error = $this->getError();
		return self::make_failure( $stage, (int) $error['smtp_code'], trim( $error['error'] . ': ' . trim( (string) $error['smtp_code'] . ' ' . $error['smtp_code_ex'] ) . ' ' . trim( $error['detail'] ) ) );
	}

	/**
	 * A failure record.
	 *
	 * @param string $stage Where.
	 * @param int    $code  SMTP code or 0.
	 * @param string $error The error.
	 * @return array{stage: string, code: int, error: string}
	 */
	private static function make_failure( string $stage, int $code, string $error ): array {
		return array(
			'stage' => $stage,
			'code'  => $code,
			'error' => $error,
		);
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
