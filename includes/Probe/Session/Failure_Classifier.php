<?php
/**
 * Maps what went wrong in a probe session to a stage, a verdict and a next step.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Text;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Pure rules, no I/O: a failed connect, the overall deadline, the server closing the connection,
 * a failed TLS handshake, plain text where TLS was expected, and a malformed reply each become
 * a Failure the session records and acts on.
 */
final class Failure_Classifier {

	/**
	 * OpenSSL errors that mean the server answered the ClientHello in plain text.
	 */
	const PLAIN_ANSWER_ERRORS = '/wrong version number|packet length too long|unknown protocol|record layer failure|http request/i';

	/**
	 * A connection attempt failed. Another address is tried unless the attempt timed out.
	 *
	 * @param int    $errno           Error number (0 when unknown).
	 * @param string $errstr          Error text.
	 * @param string $address         Address tried.
	 * @param bool   $another_address Whether another address is left to try.
	 * @return Failure
	 */
	public static function connect_failed( int $errno, string $errstr, string $address, bool $another_address ): Failure {
		$refused = defined( 'SOCKET_ECONNREFUSED' ) ? SOCKET_ECONNREFUSED : 111;
		$timeout = defined( 'SOCKET_ETIMEDOUT' ) ? SOCKET_ETIMEDOUT : 110;
		$detail  = '' !== $errstr ? $errstr : ( function_exists( 'socket_strerror' ) && $errno > 0 ? socket_strerror( $errno ) : 'connection failed' );
		$detail .= ' (' . $address . ')';
		if ( $errno === $refused || 111 === $errno || 61 === $errno || 10061 === $errno || false !== stripos( $errstr, 'refused' ) ) {
			$verdict = Verdict::REFUSED;
		} elseif ( $errno === $timeout || false !== stripos( $errstr, 'timed out' ) ) {
			$verdict = Verdict::TIMEOUT;
		} else {
			$verdict = Verdict::UNREACHABLE;
		}
		if ( $another_address && Verdict::TIMEOUT !== $verdict ) {
			return new Failure( 'connect', $detail, '', Failure::NEXT_ADDRESS );
		}
		return new Failure( 'connect', $detail, $verdict );
	}

	/**
	 * The overall time ran out in a given state.
	 *
	 * @param string     $state               State constant.
	 * @param Probe_Mode $mode                Mode of the connection.
	 * @param bool       $handshake_saw_bytes Whether the server sent bytes during the current handshake.
	 * @param int        $connection_bytes    Bytes read on the connection.
	 * @param int        $pending_bytes       Bytes of an unfinished reply.
	 * @param string     $address             Address in use.
	 * @return Failure Without a verdict when only QUIT was missing.
	 */
	public static function deadline( string $state, Probe_Mode $mode, bool $handshake_saw_bytes, int $connection_bytes, int $pending_bytes, string $address ): Failure {
		$cause = 'time limit reached';
		if ( State::CONNECTING === $state ) {
			return new Failure( 'connect', 'no answer to the connection attempt (' . $address . ')', Verdict::TIMEOUT, Failure::STOP, null, $cause );
		}
		if ( State::BANNER === $state || ( State::TLS === $state && $mode->starts_with_tls() && ! $handshake_saw_bytes ) ) {
			$detail = 0 === $connection_bytes
				? 'connected, but the server sent nothing'
				: sprintf( 'incomplete greeting (%d bytes) before the time limit', $pending_bytes > 0 ? $pending_bytes : $connection_bytes );
			return new Failure( State::TLS === $state ? 'tls' : 'banner', $detail, Verdict::NO_BANNER, Failure::STOP, null, $cause );
		}
		if ( State::TLS === $state ) {
			return new Failure( 'tls', 'TLS handshake not finished before the time limit', Verdict::TLS_FAILED, Failure::STOP, null, $cause );
		}
		if ( State::QUIT === $state ) {
			return new Failure( 'quit', 'no reply to QUIT before the time limit', '', Failure::STOP, null, $cause );
		}
		$stage  = State::stage_name( $state );
		$detail = 'no complete reply to ' . strtoupper( 'ehlo_tls' === $stage ? 'ehlo' : $stage ) . ' before the time limit';
		return new Failure( $stage, $detail, Verdict::STALLED, Failure::STOP, null, $cause );
	}

	/**
	 * The server closed the connection before the conversation ended.
	 *
	 * @param string $state            State constant (not QUIT).
	 * @param int    $connection_bytes Bytes read on the connection.
	 * @return Failure
	 */
	public static function closed( string $state, int $connection_bytes ): Failure {
		$cause = 'connection closed';
		if ( State::BANNER === $state ) {
			$detail = 0 === $connection_bytes ? 'closed by the server without a greeting' : 'closed by the server in the middle of the greeting';
			return new Failure( 'banner', $detail, Verdict::NO_BANNER, Failure::STOP, null, $cause );
		}
		$stage = State::stage_name( $state );
		return new Failure( $stage, 'connection closed by the server during ' . strtoupper( $stage ), Verdict::REJECTED, Failure::STOP, null, $cause );
	}

	/**
	 * A TLS handshake failed.
	 *
	 * Plain text answering a handshake before any greeting means a plain SMTP server (reconnect
	 * without TLS) unless the handshake was itself the fallback for a silent greeting; a
	 * certificate error leads to the certificate-reading connection.
	 *
	 * @param string     $error     OpenSSL error text ('' when the connection just closed).
	 * @param Probe_Mode $mode      Mode of the connection.
	 * @param bool       $saw_bytes Whether the server sent bytes during the handshake.
	 * @return Failure
	 */
	public static function handshake_failed( string $error, Probe_Mode $mode, bool $saw_bytes ): Failure {
		if ( '' === $error ) {
			$error = 'connection closed during the TLS handshake';
		}
		if ( $mode->starts_with_tls() && ! $saw_bytes && preg_match( self::PLAIN_ANSWER_ERRORS, $error ) ) {
			// OpenSSL consumed plain text before we could look at it (the handshake ran within one call).
			$detail = 'server answered in plain text instead of TLS: ' . $error;
			if ( $mode->is_tls_on_silence() || false !== stripos( $error, 'http request' ) ) {
				return new Failure( 'tls', $detail, Verdict::NOT_SMTP, Failure::STOP, 'plain text reply to a TLS handshake, and no SMTP greeting (' . $error . ')', $error );
			}
			return new Failure( 'tls', $detail, '', Failure::RECONNECT_PLAIN, null, $error );
		}
		$answered = $saw_bytes || false !== stripos( $error, 'SSL' ) || false !== stripos( $error, 'certificate' );
		if ( $mode->is_tls_on_silence() && ! $answered ) {
			return new Failure( 'tls', $error, Verdict::NO_BANNER, Failure::STOP, 'no greeting, and no answer to TLS either' );
		}
		if ( false !== stripos( $error, 'certificate verify failed' ) || false !== stripos( $error, 'did not match expected' ) || false !== stripos( $error, 'peer certificate' ) ) {
			return new Failure( 'tls', $error, '', Failure::READ_CERTIFICATE );
		}
		return new Failure( 'tls', $error, Verdict::TLS_FAILED );
	}

	/**
	 * Plain text arrived where a TLS ServerHello was expected.
	 *
	 * @param string $peek First bytes the server sent.
	 * @return Failure
	 */
	public static function plain_text_in_handshake( string $peek ): Failure {
		$first_line = (string) strtok( $peek . "\n", "\r\n" );
		$text       = Text::sanitize( $first_line, 80 );
		$cause      = 'plain text during TLS: ' . $text;
		if ( preg_match( '/^[2-5](?:[0-9](?:[0-9](?:[ -]|$))?)?$/', substr( $first_line, 0, 4 ) ) ) {
			// A plain SMTP server: it spoke first. Reconnect and talk plain text.
			return new Failure( 'tls', 'server sent plain SMTP instead of TLS: ' . $text, '', Failure::RECONNECT_PLAIN, null, $cause );
		}
		return new Failure( 'tls', 'not TLS: ' . $text, Verdict::NOT_SMTP, Failure::STOP, $text, $cause );
	}

	/**
	 * The server sent something that is not a well-formed, bounded SMTP reply.
	 *
	 * @param string $state  State constant.
	 * @param string $detail What was wrong.
	 * @return Failure
	 */
	public static function protocol_error( string $state, string $detail ): Failure {
		return new Failure( State::stage_name( $state ), $detail, Verdict::NOT_SMTP );
	}
}
