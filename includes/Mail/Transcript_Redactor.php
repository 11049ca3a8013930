<?php
/**
 * Removes credentials from an SMTP conversation before anyone sees it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Probe\Xoauth2;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Fed PHPMailer's debug output line by line (SMTPDebug 3). After a client `AUTH` command, every
 * client line up to the server's final answer is replaced (the base64 payloads of PLAIN, LOGIN,
 * CRAM-MD5, XOAUTH2: this is where the user name is sent as a credential), an initial response
 * on the AUTH line itself too; the password is also replaced wherever it appears, as typed,
 * base64-encoded, URL-encoded or as an AUTH PLAIN token.
 *
 * The user name is not replaced in other text: it is often a short word or part of the host
 * name ("zoo" in "i.zoo.test"), and blanking it there corrupts the transcript without hiding a
 * secret.
 */
final class Transcript_Redactor {

	public const MASK = '[redacted]';

	public const MAX_LINES       = 400;
	public const MAX_LINE_LENGTH = 1000;

	/**
	 * Literal forms of the secrets, longest first.
	 *
	 * @var list<string>
	 */
	private array $needles = array();

	/**
	 * Whether the conversation is inside an AUTH exchange (the client's lines are then masked).
	 *
	 * @var bool
	 */
	private bool $in_auth = false;

	/**
	 * Prepares the forms of the secrets to redact.
	 *
	 * @param string|null $username SMTP user name (only part of the AUTH PLAIN token here).
	 * @param string|null $password SMTP password (always replaced).
	 */
	public function __construct( ?string $username, ?string $password ) {
		$username = (string) $username;
		$password = (string) $password;
		$needles  = array();
		if ( '' !== $password ) {
			$needles = self::forms( $password );
			// AUTH PLAIN tokens, with and without an authorisation identity.
			$needles[] = base64_encode( "\0" . $username . "\0" . $password ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the AUTH PLAIN token as sent on the wire.
			$needles[] = base64_encode( $username . "\0" . $username . "\0" . $password ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the AUTH PLAIN token as sent on the wire.
			// The XOAUTH2 initial response, when the secret is an access token.
			$needles[] = Xoauth2::initial_response( $username, $password );
		}
		$needles = array_filter(
			$needles,
			static function ( string $needle ): bool {
				return '' !== $needle;
			}
		);
		$needles = array_values( array_unique( $needles ) );
		usort(
			$needles,
			static function ( string $a, string $b ): int {
				return strlen( $b ) - strlen( $a );
			}
		);
		$this->needles = $needles;
	}

	/**
	 * Hides one more secret, e.g. an OAuth access token known only once the message is set up:
	 * the token in every form, and the XOAUTH2 initial response that carries it.
	 *
	 * @param string $user   XOAUTH2 user.
	 * @param string $secret The secret.
	 */
	public function add_secret( string $user, string $secret ): void {
		if ( '' === $secret ) {
			return;
		}
		$needles   = array_merge( $this->needles, self::forms( $secret ) );
		$needles[] = Xoauth2::initial_response( $user, $secret );
		$needles   = array_values(
			array_unique(
				array_filter(
					$needles,
					static function ( string $needle ): bool {
						return '' !== $needle;
					}
				)
			)
		);
		usort(
			$needles,
			static function ( string $a, string $b ): int {
				return strlen( $b ) - strlen( $a );
			}
		);
		$this->needles = $needles;
	}

	/**
	 * The forms a secret may take on the wire or in a message.
	 *
	 * @param string $secret Secret.
	 * @return list<string>
	 */
	private static function forms( string $secret ): array {
		$base64 = base64_encode( $secret ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- AUTH LOGIN sends secrets base64-encoded.
		return array(
			$secret,
			$base64,
			rtrim( $base64, '=' ),
			rawurlencode( $secret ),
			urlencode( $secret ), // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.urlencode_urlencode -- redacts the form-encoded spelling ("+" for spaces) too.
			bin2hex( $secret ),
		);
	}

	/**
	 * Redacts a chunk of debug output (one or several lines).
	 *
	 * @param string $chunk Debug output as PHPMailer gives it.
	 * @return list<string> Redacted lines, without line breaks.
	 */
	public function chunk( string $chunk ): array {
		$lines = preg_split( '/\r\n|\r|\n/', rtrim( $chunk, "\r\n" ) );
		$out   = array();
		foreach ( false === $lines ? array() : $lines as $index => $line ) {
			$out[] = $this->line( $line, 0 === $index );
		}
		return $out;
	}

	/**
	 * Redacts one line.
	 *
	 * @param string $line  Line without its line break.
	 * @param bool   $first Whether it starts a debug message (continuation lines of a multi-line
	 *                      server reply follow without a prefix).
	 */
	public function line( string $line, bool $first = true ): string {
		if ( $first && preg_match( '/^(.*?CLIENT -> SERVER:\s*)(.*)$/s', $line, $match ) ) {
			if ( preg_match( '/^AUTH\s+(\S+)(\s+\S.*)?$/is', trim( $match[2] ), $auth ) ) {
				$this->in_auth = true;
				$line          = $match[1] . 'AUTH ' . $auth[1] . ( isset( $auth[2] ) && '' !== trim( $auth[2] ) ? ' ' . self::MASK : '' );
			} elseif ( $this->in_auth ) {
				$line = $match[1] . self::MASK;
			}
		} elseif ( $first && $this->in_auth && preg_match( '/SERVER -> CLIENT:\s*(\d{3})/', $line, $code ) && '334' !== $code[1] ) {
			$this->in_auth = false;
		}
		$line = $this->scrub( $line );
		if ( strlen( $line ) > self::MAX_LINE_LENGTH ) {
			$line = substr( $line, 0, self::MAX_LINE_LENGTH ) . '…';
		}
		return $line;
	}

	/**
	 * Replaces every known form of the secrets in any text (error messages too).
	 *
	 * @param string $text Text.
	 */
	public function scrub( string $text ): string {
		return '' === $text || array() === $this->needles ? $text : str_replace( $this->needles, self::MASK, $text );
	}
}
