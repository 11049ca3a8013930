<?php
/**
 * Validates a set of settings changes field by field.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Endpoint_Url;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Submission_Ports;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Pure validation: no WordPress state is read or written here, so every rule is unit-testable.
 * Which rule a field follows is written in Settings_Schema.
 * It returns the normalised values and one message per bad field; the caller decides to save
 * only when there is no message at all.
 */
final class Settings_Validator {

	/**
	 * The last value checked for each field and its result: the REST route checks each field
	 * before the save, and the save then finds the same value already checked.
	 *
	 * @var array<string, array{0: mixed, 1: array{0: mixed, 1: string|null}}>
	 */
	private array $last = array();

	/**
	 * Validates the given changes.
	 *
	 * @param array<string, mixed> $changes Field name => submitted value.
	 * @return array{values: array<string, mixed>, errors: array<string, string>}
	 */
	public function validate( array $changes ): array {
		$values = array();
		$errors = array();
		foreach ( $changes as $field => $value ) {
			$result = $this->field( (string) $field, $value );
			if ( null !== $result[1] ) {
				$errors[ (string) $field ] = $result[1];
			} else {
				$values[ (string) $field ] = $result[0];
			}
		}
		return array(
			'values' => $values,
			'errors' => $errors,
		);
	}

	/**
	 * Validates one field.
	 *
	 * @param string $field Field name.
	 * @param mixed  $value Submitted value.
	 * @return array{0: mixed, 1: string|null} Normalised value, or an error message.
	 */
	public function field( string $field, $value ): array {
		if ( isset( $this->last[ $field ] ) && $this->last[ $field ][0] === $value ) {
			return $this->last[ $field ][1];
		}
		$rule   = Settings_Schema::rule( $field );
		$result = null === $rule ? $this->not_writable( $field ) : $this->apply( $rule, $value );
		// The CA file's rule reads the file system, so its answer is not kept.
		if ( 'ca_file' !== $rule ) {
			$this->last[ $field ] = array( $value, $result );
		}
		return $result;
	}

	/**
	 * Rules between fields, checked on the complete settings that would be saved.
	 *
	 * @param array<string, mixed> $settings Complete effective settings.
	 * @return array<string, string> Field => message.
	 */
	public function validate_combination( array $settings ): array {
		$errors = array();
		if ( ! empty( $settings['fallback_ports'] ) && in_array( $settings['port'], $settings['fallback_ports'], true ) ) {
			$errors['fallback_ports'] = __( 'The fallback ports must differ from the main port.', 'smtp-port-helper' );
		}
		// With OAuth 2.0 an empty user name means the connected account's address.
		if ( ! empty( $settings['auth'] ) && '' === $settings['username'] && 'oauth2' !== ( $settings['auth_method'] ?? 'password' ) ) {
			$errors['username'] = __( 'Enter the user name, or switch authentication off.', 'smtp-port-helper' );
		}
		return $errors;
	}

	/**
	 * Applies one rule of Settings_Schema to a value.
	 *
	 * @param string $rule  Rule name (Settings_Schema::FIELDS `rule`).
	 * @param mixed  $value Submitted value.
	 * @return array{0: mixed, 1: string|null} Normalised value, or an error message.
	 * @throws \LogicException When the table names a rule that does not exist.
	 */
	private function apply( string $rule, $value ): array {
		switch ( $rule ) {
			case 'boolean':
				return $this->boolean( $value );
			case 'host':
				return $this->host( $value );
			case 'port':
				return $this->port( $value );
			case 'encryption':
				return $this->encryption( $value );
			case 'username':
				return $this->username( $value );
			case 'password':
				return $this->password( $value );
			case 'email':
				return $this->email( $value );
			case 'from_name':
				return $this->from_name( $value );
			case 'ca_file':
				return $this->ca_file( $value );
			case 'timeout':
				return $this->timeout( $value );
			case 'send_time_limit':
				return $this->send_time_limit( $value );
			case 'fallback_ports':
				return $this->fallback_ports( $value );
			case 'auth_method':
				return self::one_of( $value, Settings_Schema::AUTH_METHODS, __( 'The authentication method must be "password" or "oauth2".', 'smtp-port-helper' ) );
			case 'oauth_provider':
				return self::one_of( $value, Provider_Profile::ALL, __( 'The OAuth provider must be "microsoft", "google" or "generic".', 'smtp-port-helper' ) );
			case 'oauth_tenant':
				return $this->oauth_tenant( $value );
			case 'oauth_text':
				return $this->oauth_text( $value );
			case 'oauth_client_secret':
				return $this->oauth_client_secret( $value );
			case 'oauth_url':
				return $this->oauth_url( $value );
			case 'date':
				return self::date( $value );
		}
		throw new \LogicException( 'Unknown settings rule: ' . $rule ); // phpcs:ignore WordPress.Security.EscapeOutput.ExceptionNotEscaped -- a programming error, never shown.
	}

	/**
	 * The error for a name that is not a writable setting.
	 *
	 * @param string $field Field name.
	 * @return array{0: null, 1: string}
	 */
	private function not_writable( string $field ): array {
		if ( in_array( $field, Settings_Schema::READ_ONLY, true ) ) {
			return array(
				null,
				'verify_tls' === $field
					? __( 'Certificate verification cannot be switched off here; only the SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY constant in wp-config.php can do that.', 'smtp-port-helper' )
					: __( 'This value is read-only.', 'smtp-port-helper' ),
			);
		}
		return array( null, __( 'This is not a setting of SMTP Port Helper.', 'smtp-port-helper' ) );
	}

	/**
	 * Encryption the port usually uses (the rule lives in Submission_Ports).
	 *
	 * @param int $port Port.
	 */
	public static function encryption_for_port( int $port ): string {
		return Submission_Ports::encryption_for_port( $port );
	}

	/**
	 * A switch: true/false (1/0 and "true"/"false" from forms are accepted).
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: bool|null, 1: string|null}
	 */
	private function boolean( $value ): array {
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
	private function host( $value ): array {
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
	private static function int_in_range( $value, int $min, int $max ): ?int {
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
	private function port( $value ): array {
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
	private function encryption( $value ): array {
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
	private function username( $value ): array {
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
	private function password( $value ): array {
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
	private function email( $value ): array {
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
	private function from_name( $value ): array {
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
	private function ca_file( $value ): array {
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
	private function timeout( $value ): array {
		$timeout = self::int_in_range( $value, Settings_Schema::MIN_TIMEOUT, Settings_Schema::MAX_TIMEOUT );
		if ( null === $timeout ) {
			return array(
				null,
				sprintf(
					/* translators: 1: smallest, 2: largest number of seconds */
					__( 'The timeout must be a whole number of seconds from %1$d to %2$d.', 'smtp-port-helper' ),
					Settings_Schema::MIN_TIMEOUT,
					Settings_Schema::MAX_TIMEOUT
				),
			);
		}
		return array( $timeout, null );
	}

	/**
	 * Checks the time limit of one message in seconds.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: int|null, 1: string|null}
	 */
	private function send_time_limit( $value ): array {
		$limit = self::int_in_range( $value, Settings_Schema::MIN_SEND_TIME_LIMIT, Settings_Schema::MAX_SEND_TIME_LIMIT );
		if ( null === $limit ) {
			return array(
				null,
				sprintf(
					/* translators: 1: smallest, 2: largest number of seconds */
					__( 'The time limit per message must be a whole number of seconds from %1$d to %2$d.', 'smtp-port-helper' ),
					Settings_Schema::MIN_SEND_TIME_LIMIT,
					Settings_Schema::MAX_SEND_TIME_LIMIT
				),
			);
		}
		return array( $limit, null );
	}

	/**
	 * Up to three other ports, in order, without repeats.
	 *
	 * @param mixed $value Submitted value (a list; a comma-separated string from forms or constants).
	 * @return array{0: int[]|null, 1: string|null}
	 */
	private function fallback_ports( $value ): array {
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
	private static function one_of( $value, array $allowed, string $message ): array {
		if ( ! is_string( $value ) || ! in_array( $value, $allowed, true ) ) {
			return array( null, $message );
		}
		return array( $value, null );
	}

	/**
	 * The Microsoft 365 tenant: a directory ID (GUID), a domain, or organizations/common/consumers.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	private function oauth_tenant( $value ): array {
		if ( is_string( $value ) && '' === trim( $value ) ) {
			return array( 'organizations', null );
		}
		if ( ! is_string( $value ) || 1 !== preg_match( '/^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,98}[A-Za-z0-9])?$/', trim( $value ) ) ) {
			return array( null, __( 'Enter the directory (tenant) ID, a domain such as example.onmicrosoft.com, or "organizations".', 'smtp-port-helper' ) );
		}
		return array( trim( $value ), null );
	}

	/**
	 * A calendar date YYYY-MM-DD, or '' for none.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	private static function date( $value ): array {
		if ( is_string( $value ) && '' === trim( $value ) ) {
			return array( '', null );
		}
		$date = is_string( $value ) ? \DateTimeImmutable::createFromFormat( '!Y-m-d', trim( $value ), new \DateTimeZone( 'UTC' ) ) : false;
		if ( false === $date || $date->format( 'Y-m-d' ) !== trim( (string) $value ) ) {
			return array( null, __( 'Enter the date as YYYY-MM-DD (for example 2027-06-30), or leave it empty.', 'smtp-port-helper' ) );
		}
		return array( $date->format( 'Y-m-d' ), null );
	}

	/**
	 * An OAuth client ID or scope: one line of printable text.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	private function oauth_text( $value ): array {
		if ( ! is_string( $value ) || ! self::is_utf8( $value ) || Host_Name::has_control_chars( $value ) || strlen( $value ) > Settings_Schema::MAX_OAUTH_TEXT ) {
			return array( null, __( 'This must be a single line of text without control characters (at most 1024 characters).', 'smtp-port-helper' ) );
		}
		return array( trim( (string) preg_replace( '/\s+/', ' ', $value ) ), null );
	}

	/**
	 * An OAuth client secret: kept as typed, no control characters.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	private function oauth_client_secret( $value ): array {
		if ( ! is_string( $value ) || ! self::is_utf8( $value ) || Host_Name::has_control_chars( $value ) || strlen( $value ) > Settings_Schema::MAX_OAUTH_TEXT ) {
			return array( null, __( 'The client secret contains characters that cannot be used (line breaks or control characters) or is too long.', 'smtp-port-helper' ) );
		}
		return array( $value, null );
	}

	/**
	 * An OAuth endpoint: '' or an https URL (http only on this machine, for a local test server).
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	private function oauth_url( $value ): array {
		if ( is_string( $value ) && '' === trim( $value ) ) {
			return array( '', null );
		}
		if ( ! is_string( $value ) || strlen( $value ) > Settings_Schema::MAX_OAUTH_URL ) {
			return array( null, __( 'Enter the endpoint\'s address, starting with https://.', 'smtp-port-helper' ) );
		}
		$error = Endpoint_Url::error( trim( $value ) );
		return null === $error ? array( trim( $value ), null ) : array( null, $error );
	}

	/**
	 * Whether a string is valid UTF-8.
	 *
	 * @param string $value Any string.
	 */
	private static function is_utf8( string $value ): bool {
		return 1 === preg_match( '//u', $value );
	}
}
