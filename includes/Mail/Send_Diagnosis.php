<?php
/**
 * Explains a failed send in the port test's vocabulary.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Provider_Login_Policy;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Maps PHPMailer's error, the connection attempts and the (redacted) transcript to a `Verdict`
 * code and its plain-language message: refused, timeout, dns_failed, unreachable,
 * starttls_missing, tls_failed, cert_invalid, auth_failed, auth_unavailable, rejected; anything
 * else is `send_failed`.
 */
final class Send_Diagnosis {

	public const SEND_FAILED = 'send_failed';

	/**
	 * Explains a failed send: which verdict applies and what to do, from PHPMailer's error, the
	 * connection attempts and the transcript.
	 *
	 * @param string                     $host       Host.
	 * @param int                        $port       Main port (used when nothing was attempted).
	 * @param string                     $error      PHPMailer's error message.
	 * @param list<array<string, mixed>> $attempts   Smtp_Connection::attempts().
	 * @param string[]                   $transcript Redacted transcript.
	 * @phpstan-param list<string>        $transcript
	 * @return array{verdict: string, diagnosis: string, port: int}
	 */
	public static function diagnose( string $host, int $port, string $error, array $attempts, array $transcript ): array {
		$last = array() !== $attempts ? $attempts[ count( $attempts ) - 1 ] : null;
		if ( null !== $last ) {
			$port = (int) $last['port'];
		}
		$text    = $error . "\n" . implode( "\n", $transcript );
		$verdict = self::SEND_FAILED;
		$detail  = '';

		if ( null !== $last && isset( $last['verdict'] ) && is_string( $last['verdict'] ) ) {
			// The plugin stopped before connecting: the look-up failed, or the address policy refused.
			$result                 = new Port_Result( $port );
			$result->host           = $host;
			$result->verdict        = $last['verdict'];
			$result->verdict_detail = isset( $last['detail'] ) ? (string) $last['detail'] : (string) $last['error'];
			$result->dns_silent_for = isset( $last['silent_for'] ) && is_float( $last['silent_for'] ) ? $last['silent_for'] : null;
			return array(
				'verdict'   => $result->verdict,
				'diagnosis' => Verdict::message( $result ),
				'port'      => $port,
			);
		}
		if ( null !== $last && ! empty( $last['socket_failure'] ) ) {
			$why     = $last['error'] . ' ' . implode( ' ', (array) $last['problems'] );
			$verdict = self::connect_verdict( $why );
			$detail  = trim( implode( ' ', (array) $last['problems'] ) );
		} elseif ( preg_match( '/certificate verify failed|peer certificate|certificate has expired|self[- ]signed/i', $text ) ) {
			$verdict = Verdict::CERT_INVALID;
		} elseif ( preg_match( '/STARTTLS command failed/i', $text ) ) {
			$verdict = Verdict::STARTTLS_MISSING;
		} elseif ( preg_match( '/SSL operation failed|stream_socket_enable_crypto|SSL routines|wrong version number/i', $text ) ) {
			$verdict = Verdict::TLS_FAILED;
		} elseif ( preg_match( '/No supported authentication methods|Authentication is not allowed|is not supported by server/i', $text ) ) {
			$verdict = Verdict::AUTH_UNAVAILABLE;
		} elseif ( preg_match( '/Could not authenticate|SERVER -> CLIENT:\s*535|SERVER -> CLIENT:\s*534/i', $text ) ) {
			$verdict = Verdict::AUTH_FAILED;
		} elseif ( preg_match( '/following (From address|recipients) failed|data not accepted|SERVER -> CLIENT:\s*5\d\d/i', $text, $match ) ) {
			$verdict = Verdict::REJECTED;
			$detail  = self::last_server_error( $transcript );
		}

		// A provider's known login refusal (Microsoft's 5.7.30 comes at MAIL FROM, after a "successful" login).
		$server_error = self::last_server_error( $transcript );
		if ( in_array( $verdict, array( Verdict::AUTH_FAILED, Verdict::REJECTED, self::SEND_FAILED ), true ) && null !== Provider_Login_Policy::match( $server_error, $host ) ) {
			$verdict = Verdict::AUTH_FAILED;
			$detail  = $server_error;
		}

		if ( self::SEND_FAILED === $verdict ) {
			return array(
				'verdict'   => $verdict,
				'diagnosis' => sprintf(
					/* translators: %s: the error reported by the mail library */
					__( 'The message could not be sent: %s', 'smtp-port-helper' ),
					'' !== $error ? $error : __( 'unknown error', 'smtp-port-helper' )
				),
				'port'      => $port,
			);
		}
		$result                 = new Port_Result( $port );
		$result->host           = $host;
		$result->verdict        = $verdict;
		$result->verdict_detail = '' !== $detail ? $detail : $error;
		return array(
			'verdict'   => $verdict,
			'diagnosis' => Verdict::message( $result ),
			'port'      => $port,
		);
	}

	/**
	 * The diagnosis of a message that could not log in because the OAuth token was missing.
	 *
	 * @param string $host    Host.
	 * @param int    $port    Main port.
	 * @param string $code    Verdict::OAUTH_NOT_CONNECTED or OAUTH_REFRESH_FAILED.
	 * @param string $message The provider's refusal in plain words.
	 * @return array{verdict: string, diagnosis: string, port: int}
	 */
	public static function oauth( string $host, int $port, string $code, string $message ): array {
		$result                 = new Port_Result( $port );
		$result->host           = $host;
		$result->verdict        = $code;
		$result->verdict_detail = $message;
		return array(
			'verdict'   => $code,
			'diagnosis' => Verdict::message( $result ),
			'port'      => $port,
		);
	}

	/**
	 * Verdict of a connection that could not be opened, from PHP's error text.
	 *
	 * @param string $why Error text.
	 */
	public static function connect_verdict( string $why ): string {
		if ( preg_match( '/timed out|timeout/i', $why ) ) {
			return Verdict::TIMEOUT;
		}
		if ( preg_match( '/refused/i', $why ) ) {
			return Verdict::REFUSED;
		}
		if ( preg_match( '/getaddrinfo|php_network_getaddresses|name or service not known|no address associated|does not resolve|Temporary failure in name resolution/i', $why ) ) {
			return Verdict::DNS_FAILED;
		}
		if ( preg_match( '/certificate verify failed|peer certificate/i', $why ) ) {
			return Verdict::CERT_INVALID;
		}
		if ( preg_match( '/SSL|TLS|crypto/i', $why ) ) {
			return Verdict::TLS_FAILED;
		}
		return Verdict::UNREACHABLE;
	}

	/**
	 * The last 4xx/5xx line of the server in a transcript.
	 *
	 * @param string[] $transcript Transcript.
	 * @phpstan-param list<string> $transcript
	 */
	private static function last_server_error( array $transcript ): string {
		for ( $i = count( $transcript ) - 1; $i >= 0; $i-- ) {
			if ( preg_match( '/SERVER -> CLIENT:\s*([45]\d\d.*)$/', $transcript[ $i ], $match ) ) {
				return substr( trim( $match[1] ), 0, 200 );
			}
		}
		return '';
	}
}
