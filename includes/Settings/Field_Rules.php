<?php
/**
 * The rules of the settings fields: server, login, sender, limits.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Each rule takes a submitted value and gives the normalised value or a message naming what is
 * wrong: array( value, null ) or array( null, message ). Settings_Schema names the rule of each
 * field; Settings_Validator applies it. Pure: no WordPress state is read or written (the CA
 * file's rule reads the file system).
 */
final class Field_Rules {

	/**
	 * A switch: true/false (1/0 and "true"/"false" from forms are accepted).
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: bool|null, 1: string|null}
	 */
	public static function boolean( $value ): array {
		if ( is_bool( $value ) ) {
			return array( $value, null );
		}
		if ( 1 === $value || '1' === $value || 'true' === $value ) {
			return array( true, null );
		}
		if ( 0 === $value || '0' === $value || 'false' === $value ) {
			return array( false, null );
		}
		return array( null, __( 'This must be true or false.', 'smtp-port-helper' ) );
	}

	/**
	 * The SMTP server: a host name, an IPv4 address, an IPv6 literal or an international name.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null} Normalised value, or an error message.
	 */
	public static function host( $value ): array {
		if ( ! is_string( $value ) ) {
			return array( null, __( 'Enter the SMTP server, for example smtp.example.com.', 'smtp-port-helper' ) );
		}
		try {
			return array( Host_Name::parse( $value )->get_ascii(), null );
		} catch ( Invalid_Input_Exception $error ) {
			return array( null, $error->getMessage() );
		}
	}

	/**
	 * A whole number in a range (a string of digits is accepted from forms).
	 *
	 * @param mixed $value Submitted value.
	 * @param int   $min   Smallest value.
	 * @param int   $max   Largest value.
	 */
	public static function int_in_range( $value, int $min, int $max ): ?int {
		if ( is_string( $value ) && 1 === preg_match( '/^\d{1,5}$/', $value ) ) {
			$value = (int) $value;
		}
		if ( ! is_int( $value ) || $value < $min || $value > $max ) {
			return null;
		}
		return $value;
	}

	/**
	 * The TCP port: a whole number from 1 to 65535.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: int|null, 1: string|null} Normalised value, or an error message.
	 */
	public static function port( $value ): array {
		$port = self::int_in_range( $value, Settings_Schema::MIN_PORT, Settings_Schema::MAX_PORT );
		if ( null === $port ) {
			return array( null, __( 'The port must be a whole number from 1 to 65535, usually 587, 2525 or 465.', 'smtp-port-helper' ) );
		}
		return array( $port, null );
	}

	/**
	 * Checks the encryption: starttls, implicit_tls or none.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function encryption( $value ): array {
		if ( ! is_string( $value ) || ! in_array( $value, Settings_Schema::ENCRYPTIONS, true ) ) {
			return array( null, __( 'The encryption must be "starttls", "implicit_tls" or "none".', 'smtp-port-helper' ) );
		}
		return array( $value, null );
	}

	/**
	 * The SMTP user name: any printable text (often an email address), no control characters.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function username( $value ): array {
		if ( ! is_string( $value ) || ! self::is_utf8( $value ) || Host_Name::has_control_chars( $value ) ) {
			return array( null, __( 'The user name contains characters that cannot be sent to a mail server (line breaks or control characters).', 'smtp-port-helper' ) );
		}
		if ( strlen( $value ) > Settings_Schema::MAX_USERNAME ) {
			return array(
				null,
				sprintf(
					/* translators: %d: maximum length */
					__( 'The user name is too long (at most %d characters).', 'smtp-port-helper' ),
					Settings_Schema::MAX_USERNAME
				),
			);
		}
		return array( trim( $value ), null );
	}

	/**
	 * The SMTP password: kept exactly as typed (no trimming), no control characters.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function password( $value ): array {
		if ( ! is_string( $value ) || ! self::is_utf8( $value ) || Host_Name::has_control_chars( $value ) ) {
			return array( null, __( 'The password contains characters that cannot be sent to a mail server (line breaks or control characters).', 'smtp-port-helper' ) );
		}
		if ( strlen( $value ) > Settings_Schema::MAX_PASSWORD ) {
			return array( null, __( 'The password is too long.', 'smtp-port-helper' ) );
		}
		return array( $value, null );
	}

	/**
	 * An email address, or '' (keep the address WordPress uses).
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function email( $value ): array {
		if ( is_string( $value ) && '' === trim( $value ) ) {
			return array( '', null );
		}
		if ( ! is_string( $value ) || strlen( $value ) > Settings_Schema::MAX_EMAIL || Host_Name::has_control_chars( $value ) || false === is_email( trim( $value ) ) ) {
			return array( null, __( 'Enter a valid email address, for example wordpress@example.com.', 'smtp-port-helper' ) );
		}
		return array( trim( $value ), null );
	}

	/**
	 * The sender name: one line of text (a line break would inject mail headers).
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function from_name( $value ): array {
		if ( ! is_string( $value ) || ! self::is_utf8( $value ) || Host_Name::has_control_chars( $value ) ) {
			return array( null, __( 'The sender name must be a single line of text, without line breaks or control characters.', 'smtp-port-helper' ) );
		}
		$value  = trim( $value );
		$length = function_exists( 'mb_strlen' ) ? mb_strlen( $value, 'UTF-8' ) : strlen( $value );
		if ( $length > Settings_Schema::MAX_FROM_NAME ) {
			return array(
				null,
				sprintf(
					/* translators: %d: maximum number of characters */
					__( 'The sender name is too long (at most %d characters).', 'smtp-port-helper' ),
					Settings_Schema::MAX_FROM_NAME
				),
			);
		}
		return array( $value, null );
	}

	/**
	 * A CA bundle for a private relay: '' (the system's) or the absolute path of a readable file.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function ca_file( $value ): array {
		if ( is_string( $value ) && '' === trim( $value ) ) {
			return array( '', null );
		}
		if ( ! is_string( $value ) || strlen( $value ) > Settings_Schema::MAX_PATH || Host_Name::has_control_chars( $value ) || '/' !== substr( trim( $value ), 0, 1 ) ) {
			return array( null, __( 'Enter the absolute path of a CA certificate file (PEM), or leave it empty to use the system\'s certificates.', 'smtp-port-helper' ) );
		}
		$value = trim( $value );
		if ( ! is_file( $value ) || ! is_readable( $value ) ) {
			return array( null, __( 'The CA certificate file cannot be read by the web server.', 'smtp-port-helper' ) );
		}
		return array( $value, null );
	}

	/**
	 * Checks the connection timeout in seconds.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: int|null, 1: string|null}
	 */
	public static function timeout( $value ): array {
		/* translators: 1: smallest, 2: largest number of seconds */
		return self::seconds( $value, Settings_Schema::MIN_TIMEOUT, Settings_Schema::MAX_TIMEOUT, __( 'The timeout must be a whole number of seconds from %1$d to %2$d.', 'smtp-port-helper' ) );
	}

	/**
	 * Checks the time limit of one message in seconds.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: int|null, 1: string|null}
	 */
	public static function send_time_limit( $value ): array {
		/* translators: 1: smallest, 2: largest number of seconds */
		return self::seconds( $value, Settings_Schema::MIN_SEND_TIME_LIMIT, Settings_Schema::MAX_SEND_TIME_LIMIT, __( 'The time limit per message must be a whole number of seconds from %1$d to %2$d.', 'smtp-port-helper' ) );
	}

	/**
	 * A whole number of seconds in a range, or the message (with `%1$d` and `%2$d` for the bounds).
	 *
	 * @param mixed  $value   Submitted value.
	 * @param int    $min     Smallest.
	 * @param int    $max     Largest.
	 * @param string $message Translated message with the bounds' placeholders.
	 * @return array{0: int|null, 1: string|null}
	 */
	private static function seconds( $value, int $min, int $max, string $message ): array {
		$seconds = self::int_in_range( $value, $min, $max );
		return null === $seconds ? array( null, sprintf( $message, $min, $max ) ) : array( $seconds, null );
	}

	/**
	 * Up to three other ports, in order, without repeats.
	 *
	 * @param mixed $value Submitted value (a list; a comma-separated string from forms or constants).
	 * @return array{0: int[]|null, 1: string|null}
	 */
	public static function fallback_ports( $value ): array {
		if ( is_string( $value ) ) {
			$value = '' === trim( $value ) ? array() : array_map( 'trim', explode( ',', $value ) );
		}
		if ( ! is_array( $value ) || array_values( $value ) !== $value ) {
			return array( null, __( 'The fallback ports must be a list of port numbers.', 'smtp-port-helper' ) );
		}
		if ( count( $value ) > Settings_Schema::MAX_FALLBACK_PORTS ) {
			return array(
				null,
				sprintf(
					/* translators: %d: maximum number of ports */
					__( 'Choose at most %d fallback ports.', 'smtp-port-helper' ),
					Settings_Schema::MAX_FALLBACK_PORTS
				),
			);
		}
		$ports = array();
		foreach ( $value as $item ) {
			$port = self::int_in_range( $item, Settings_Schema::MIN_PORT, Settings_Schema::MAX_PORT );
			if ( null === $port ) {
				return array( null, __( 'Each fallback port must be a whole number from 1 to 65535.', 'smtp-port-helper' ) );
			}
			if ( in_array( $port, $ports, true ) ) {
				return array( null, __( 'A fallback port is listed twice.', 'smtp-port-helper' ) );
			}
			$ports[] = $port;
		}
		return array( $ports, null );
	}

	/**
	 * One value of a list.
	 *
	 * @param mixed    $value   Submitted value.
	 * @param string[] $allowed Allowed values.
	 * @param string   $message Error message.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function one_of( $value, array $allowed, string $message ): array {
		if ( ! is_string( $value ) || ! in_array( $value, $allowed, true ) ) {
			return array( null, $message );
		}
		return array( $value, null );
	}

	/**
	 * Whether a string is valid UTF-8.
	 *
	 * @param string $value Any string.
	 */
	public static function is_utf8( string $value ): bool {
		return 1 === preg_match( '//u', $value );
	}
}
