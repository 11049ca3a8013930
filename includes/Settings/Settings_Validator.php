<?php
/**
 * Validates a set of settings changes field by field.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Probe\Host_Name;
use SmtpPortHelper\Probe\Invalid_Input_Exception;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Pure validation: no WordPress state is read or written here, so every rule is unit-testable.
 * It returns the normalised values and one message per bad field; the caller decides to save
 * only when there is no message at all.
 */
final class Settings_Validator {

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
			switch ( $field ) {
				case 'host':
					$result = $this->host( $value );
					break;
				case 'port':
					$result = $this->port( $value );
					break;
				default:
					$result = array( null, __( 'This is not a setting of SMTP Port Helper.', 'smtp-port-helper' ) );
			}
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
	 * The TCP port: a whole number from 1 to 65535 (a numeric string is accepted from forms).
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: int|null, 1: string|null} Normalised value, or an error message.
	 */
	private function port( $value ): array {
		if ( is_string( $value ) && 1 === preg_match( '/^\d{1,5}$/', $value ) ) {
			$value = (int) $value;
		}
		if ( ! is_int( $value ) || $value < 1 || $value > 65535 ) {
			return array( null, __( 'The port must be a whole number from 1 to 65535, usually 587, 2525 or 465.', 'smtp-port-helper' ) );
		}
		return array( $value, null );
	}
}
