<?php
/**
 * Why one send attempt did not hand a message over: the one failure shape of every transport.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A failure is where it happened (the stage), the server's code (an SMTP reply code, an HTTP
 * status, or 0 without an answer), the error text, and — derived from those three, so that a
 * failure read back from the outbox classifies the same — its kind: the vocabulary every front
 * door explains (refused login, missing permission, throttled, too large, refused message,
 * server error, network, blocked).
 *
 * Stages of SMTP: connect, tls, auth, mail, rcpt, data, deadline, down, dns, token, oauth, policy.
 * Stages of the outbox: decrypt, disabled, route. An HTTPS API transport uses the stage `api` with
 * the HTTP status as its code (and connect/tls/dns/deadline/policy/token/oauth like SMTP before an
 * answer), and `unanswered` when the time ran out after the request may have arrived.
 */
final class Send_Failure {

	/** The server refused the login, the API key or the token. Holds the queue. */
	public const LOGIN_REFUSED = 'login_refused';

	/** Logged in, but not allowed to send this (a key without the send scope, Send As denied). Holds the queue. */
	public const PERMISSION = 'permission';

	/** The server asks to slow down; retry_after says when, when it said. Waits. */
	public const THROTTLED = 'throttled';

	/** The message is over the server's size limit. Fails the message. */
	public const TOO_LARGE = 'too_large';

	/** The server refused this message for good (sender, recipient, content). Fails the message. */
	public const REJECTED = 'rejected';

	/** The server answered with a temporary error. Waits. */
	public const SERVER_ERROR = 'server_error';

	/** No answer: name, connection, TLS, the time limit, the token endpoint. Waits. */
	public const NETWORK = 'network';

	/** Not tried: the address policy, no usable login or sign-in, sending off, unreadable. Holds. */
	public const BLOCKED = 'blocked';

	/** The stage this HTTPS API transports report an answered request under. */
	public const STAGE_API = 'api';

	private const NETWORK_STAGES = array( 'connect', 'tls', 'deadline', 'down', 'dns', 'token', 'unanswered' );

	private const BLOCKED_STAGES = array( 'policy', 'oauth', 'disabled', 'decrypt', 'route' );

	private const MESSAGE_STAGES = array( 'mail', 'rcpt', 'data' );

	/**
	 * Where it happened.
	 *
	 * @var string
	 */
	public string $stage;

	/**
	 * SMTP reply code or HTTP status; 0 without an answer.
	 *
	 * @var int
	 */
	public int $code;

	/**
	 * The error, as the server or the client put it (never a secret).
	 *
	 * @var string
	 */
	public string $error;

	/**
	 * Seconds the server asked to wait (Retry-After), or null when it did not say.
	 *
	 * @var int|null
	 */
	public ?int $retry_after;

	/**
	 * Takes the stage, code, error and the wait the server asked for.
	 *
	 * @param string   $stage       Where it happened.
	 * @param int      $code        SMTP code or HTTP status; 0 without an answer.
	 * @param string   $error       The error.
	 * @param int|null $retry_after Seconds the server asked to wait.
	 */
	public function __construct( string $stage, int $code, string $error, ?int $retry_after = null ) {
		$this->stage       = $stage;
		$this->code        = $code;
		$this->error       = $error;
		$this->retry_after = null !== $retry_after ? max( 0, $retry_after ) : null;
	}

	/**
	 * A failure as the outbox stores it and the `smtp_port_helper_mail_failed` action passes it.
	 *
	 * @param array{stage: string, code: int, error: string} $failure Stage, code and error.
	 */
	public static function from_array( array $failure ): self {
		return new self( (string) $failure['stage'], (int) $failure['code'], (string) $failure['error'] );
	}

	/**
	 * The array the outbox stores and the hooks pass on.
	 *
	 * @return array{stage: string, code: int, error: string}
	 */
	public function to_array(): array {
		return array(
			'stage' => $this->stage,
			'code'  => $this->code,
			'error' => $this->error,
		);
	}

	/**
	 * The same failure with another error text (e.g. every refused recipient in one line).
	 *
	 * @param string $error The error.
	 */
	public function with_error( string $error ): self {
		return new self( $this->stage, $this->code, $error, $this->retry_after );
	}

	/**
	 * The kind of failure (one of the constants), from stage, code and error alone.
	 */
	public function kind(): string {
		if ( self::STAGE_API === $this->stage ) {
			return self::http_kind( $this->code );
		}
		if ( in_array( $this->stage, self::BLOCKED_STAGES, true ) ) {
			return 'oauth' === $this->stage ? self::LOGIN_REFUSED : self::BLOCKED;
		}
		if ( in_array( $this->stage, self::NETWORK_STAGES, true ) || ( 0 === $this->code && 'auth' !== $this->stage ) ) {
			return self::NETWORK;
		}
		if ( 'auth' === $this->stage ) {
			return $this->code >= 400 && $this->code < 500 ? self::SERVER_ERROR : self::LOGIN_REFUSED;
		}
		return $this->smtp_reply_kind();
	}

	/**
	 * The kind of an SMTP reply to MAIL, RCPT or DATA (RFC 5321 §4.2.3, RFC 3463 enhanced codes).
	 */
	private function smtp_reply_kind(): string {
		$enhanced = preg_match( '/\b([245])\.(\d{1,3})\.(\d{1,3})\b/', $this->error, $match ) ? $match[2] . '.' . $match[3] : '';
		if ( 552 === $this->code || '3.4' === $enhanced ) {
			return self::TOO_LARGE;
		}
		if ( $this->code >= 400 && $this->code < 500 ) {
			$slow_down = 421 === $this->code
				|| ( '7.0' === $enhanced && 1 === preg_match( '/rate|limit|too many|throttl|slow down/i', $this->error ) )
				|| 1 === preg_match( '/rate limit|too many (messages|connections|recipients)|throttl/i', $this->error );
			return $slow_down ? self::THROTTLED : self::SERVER_ERROR;
		}
		if ( '7.1' === $enhanced && 1 === preg_match( '/send ?as|not (allowed|permitted|authori[sz]ed) to send/i', $this->error ) ) {
			return self::PERMISSION;
		}
		return self::REJECTED;
	}

	/**
	 * The kind of an HTTP status an API answered a send or a test with.
	 *
	 * @param int $status HTTP status (0: no answer).
	 */
	private static function http_kind( int $status ): string {
		if ( 401 === $status ) {
			return self::LOGIN_REFUSED;
		}
		if ( 403 === $status ) {
			return self::PERMISSION;
		}
		if ( 413 === $status ) {
			return self::TOO_LARGE;
		}
		if ( 429 === $status ) {
			return self::THROTTLED;
		}
		if ( 408 === $status || $status >= 500 ) {
			return self::SERVER_ERROR;
		}
		return 0 === $status ? self::NETWORK : self::REJECTED;
	}

	/**
	 * Whether every later message would fail the same way (a refused login or key, a key without
	 * the permission to send, a blocked way): the queue holds until the settings change. An SMTP
	 * server's refusal of one message's sender (Send As denied) fails that message only.
	 */
	public function holds_queue(): bool {
		$kind = $this->kind();
		if ( self::BLOCKED === $kind ) {
			return ! in_array( $this->stage, array( 'decrypt', 'disabled', 'route' ), true );
		}
		return self::LOGIN_REFUSED === $kind || ( self::PERMISSION === $kind && ! in_array( $this->stage, self::MESSAGE_STAGES, true ) );
	}

	/**
	 * Whether this message can never be handed over as it is (the server's final refusal of the
	 * sender, a recipient or the content; too large): it fails instead of waiting.
	 */
	public function fails_message(): bool {
		$kind = $this->kind();
		if ( self::STAGE_API === $this->stage ) {
			return self::REJECTED === $kind || self::TOO_LARGE === $kind;
		}
		return in_array( $this->stage, self::MESSAGE_STAGES, true ) && $this->is_permanent();
	}

	/**
	 * Whether the server's answer is final (an SMTP `5xx`; an HTTP `4xx` other than 408 and 429).
	 */
	public function is_permanent(): bool {
		if ( self::STAGE_API === $this->stage ) {
			return $this->code >= 400 && $this->code < 500 && 408 !== $this->code && 429 !== $this->code;
		}
		return $this->code >= 500 && $this->code < 600;
	}

	/**
	 * The seconds of an HTTP `Retry-After` header (delay-seconds or an HTTP date, RFC 9110 §10.2.3).
	 *
	 * @param string   $value The header's value.
	 * @param int|null $now   The current time (Unix seconds).
	 */
	public static function retry_after_seconds( string $value, ?int $now = null ): ?int {
		$value = trim( $value );
		if ( '' === $value ) {
			return null;
		}
		if ( ctype_digit( $value ) ) {
			return (int) $value;
		}
		$when = strtotime( $value );
		return false === $when ? null : max( 0, $when - ( $now ?? time() ) );
	}
}
