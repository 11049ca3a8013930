<?php
/**
 * Validation and normalisation of host names, IP literals and EHLO names.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Validates what the user typed as a mail server host name.
 *
 * Accepts LDH host names, IPv4 literals, IPv6 literals (with or without brackets) and IDNs
 * (converted to ASCII with idn_to_ascii() when the intl extension exists). Anything else,
 * and in particular any control character, is refused with an Invalid_Input_Exception whose
 * message is translatable and safe to show.
 */
class Host_Name {

	/**
	 * Maximum length of a DNS name in presentation form.
	 */
	const MAX_LENGTH = 253;

	/**
	 * Normalised ASCII host (IPv6 without brackets).
	 *
	 * @var string
	 */
	private string $ascii;

	/**
	 * 4, 6 or 0 (a name).
	 *
	 * @var int
	 */
	private int $ip_version;

	/**
	 * Constructor; use Host_Name::parse().
	 *
	 * @param string $ascii      Normalised host.
	 * @param int    $ip_version 0, 4 or 6.
	 */
	private function __construct( string $ascii, int $ip_version ) {
		$this->ascii      = $ascii;
		$this->ip_version = $ip_version;
	}

	/**
	 * Parses and validates a host as typed by a user.
	 *
	 * @param string $input Host name, IPv4, IPv6 (optionally in brackets) or IDN.
	 * @return Host_Name
	 * @throws Invalid_Input_Exception When the host is not acceptable.
	 */
	public static function parse( string $input ): Host_Name {
		$host = trim( $input, " \t" );
		if ( '' === $host ) {
			throw new Invalid_Input_Exception( __( 'Please enter the host name of your mail server.', 'smtp-port-helper' ) );
		}
		if ( self::has_control_chars( $host ) ) {
			throw new Invalid_Input_Exception( __( 'The host name contains invalid characters.', 'smtp-port-helper' ) );
		}
		if ( strlen( $host ) > 1000 ) {
			throw new Invalid_Input_Exception( __( 'The host name is too long.', 'smtp-port-helper' ) );
		}

		// IPv6 literal, with or without brackets.
		$bare = $host;
		if ( '[' === substr( $host, 0, 1 ) && ']' === substr( $host, -1 ) ) {
			$bare = substr( $host, 1, -1 );
		}
		if ( false !== strpos( $bare, ':' ) ) {
			if ( false !== filter_var( $bare, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
				return new Host_Name( strtolower( (string) inet_ntop( (string) inet_pton( $bare ) ) ), 6 );
			}
			throw new Invalid_Input_Exception( __( 'This is not a valid IPv6 address. Enter only the host name, without "smtp://" or a port number.', 'smtp-port-helper' ) );
		}
		if ( $bare !== $host ) {
			throw new Invalid_Input_Exception( __( 'Only IPv6 addresses may be written in brackets.', 'smtp-port-helper' ) );
		}
		if ( false !== filter_var( $host, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
			return new Host_Name( $host, 4 );
		}
		if ( preg_match( '/^[0-9.]+$/', $host ) ) {
			throw new Invalid_Input_Exception( __( 'This is not a valid IPv4 address.', 'smtp-port-helper' ) );
		}

		$name = rtrim( $host, '.' );
		if ( preg_match( '/[^\x20-\x7e]/', $name ) ) {
			$name = self::idn_to_ascii( $name );
		}
		$name = strtolower( $name );
		if ( ! self::is_ldh_name( $name ) ) {
			throw new Invalid_Input_Exception( __( 'This is not a valid host name. Enter only a name such as smtp.example.com, without "smtp://", a port number or spaces.', 'smtp-port-helper' ) );
		}
		return new Host_Name( $name, 0 );
	}

	/**
	 * Validates an EHLO/HELO argument: a host name or an address literal such as [192.0.2.1].
	 *
	 * @param string $input EHLO name.
	 * @return string The normalised EHLO name.
	 * @throws Invalid_Input_Exception When the name is not acceptable.
	 */
	public static function parse_ehlo_name( string $input ): string {
		if ( self::has_control_chars( $input ) || '' === $input || strlen( $input ) > 255 ) {
			throw new Invalid_Input_Exception( __( 'The EHLO name is not valid.', 'smtp-port-helper' ) );
		}
		if ( preg_match( '/^\[(.+)\]$/', $input, $m ) ) {
			$inner = $m[1];
			if ( 0 === stripos( $inner, 'IPv6:' ) ) {
				$inner = substr( $inner, 5 );
				if ( false !== filter_var( $inner, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) ) {
					return '[IPv6:' . $inner . ']';
				}
			} elseif ( false !== filter_var( $inner, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) ) {
				return '[' . $inner . ']';
			}
			throw new Invalid_Input_Exception( __( 'The EHLO name is not valid.', 'smtp-port-helper' ) );
		}
		$name = strtolower( rtrim( $input, '.' ) );
		if ( ! self::is_ldh_name( $name ) ) {
			throw new Invalid_Input_Exception( __( 'The EHLO name is not valid.', 'smtp-port-helper' ) );
		}
		return $name;
	}

	/**
	 * Whether a string holds a C0 control character or DEL (CR, LF and NUL included).
	 *
	 * @param string $value Any string.
	 * @return bool
	 */
	public static function has_control_chars( string $value ): bool {
		return 1 === preg_match( '/[\x00-\x1f\x7f]/', $value );
	}

	/**
	 * Whether a lower-case ASCII string is a valid LDH host name (labels of letters, digits
	 * and inner hyphens; underscores are tolerated because some providers use them).
	 *
	 * @param string $name Name without trailing dot.
	 * @return bool
	 */
	public static function is_ldh_name( string $name ): bool {
		if ( '' === $name || strlen( $name ) > self::MAX_LENGTH ) {
			return false;
		}
		$labels = explode( '.', $name );
		foreach ( $labels as $label ) {
			if ( ! preg_match( '/^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/', $label ) ) {
				return false;
			}
		}
		// An all-numeric last label is not a host name (it would be a broken IPv4 address).
		return ! preg_match( '/^[0-9]+$/', end( $labels ) );
	}

	/**
	 * Converts an internationalised name to its ASCII (punycode) form.
	 *
	 * @param string $name UTF-8 name.
	 * @return string
	 * @throws Invalid_Input_Exception When conversion is impossible.
	 */
	private static function idn_to_ascii( string $name ): string {
		if ( ! function_exists( 'idn_to_ascii' ) ) {
			throw new Invalid_Input_Exception( __( 'This host name contains non-ASCII characters, and this server cannot convert them (the PHP "intl" extension is missing). Enter the ASCII form of the name (starting with "xn--").', 'smtp-port-helper' ) );
		}
		$variant = defined( 'INTL_IDNA_VARIANT_UTS46' ) ? INTL_IDNA_VARIANT_UTS46 : 0;
		$ascii   = idn_to_ascii( $name, IDNA_DEFAULT, $variant );
		if ( ! is_string( $ascii ) || '' === $ascii ) {
			throw new Invalid_Input_Exception( __( 'This is not a valid host name.', 'smtp-port-helper' ) );
		}
		return $ascii;
	}

	/**
	 * The normalised ASCII host (IPv6 without brackets).
	 *
	 * @return string
	 */
	public function get_ascii(): string {
		return $this->ascii;
	}

	/**
	 * Whether the host is an IP literal.
	 *
	 * @return bool
	 */
	public function is_ip(): bool {
		return 0 !== $this->ip_version;
	}

	/**
	 * 4, 6, or 0 for a name.
	 *
	 * @return int
	 */
	public function get_ip_version(): int {
		return $this->ip_version;
	}

	/**
	 * Host formatted for a stream URL (IPv6 in brackets).
	 *
	 * @return string
	 */
	public function for_url(): string {
		return 6 === $this->ip_version ? '[' . $this->ascii . ']' : $this->ascii;
	}

	/**
	 * The host as a string.
	 *
	 * @return string
	 */
	public function __toString(): string {
		return $this->ascii;
	}
}
