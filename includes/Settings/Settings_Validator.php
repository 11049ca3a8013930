<?php
/**
 * Validates a set of settings changes field by field.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Probe\Submission_Ports;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Pure validation: no WordPress state is read or written here, so every rule is unit-testable.
 * Which rule a field follows is written in Settings_Schema; the rules are Field_Rules and
 * OAuth_Field_Rules.
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
				return Field_Rules::boolean( $value );
			case 'host':
				return Field_Rules::host( $value );
			case 'port':
				return Field_Rules::port( $value );
			case 'encryption':
				return Field_Rules::encryption( $value );
			case 'username':
				return Field_Rules::username( $value );
			case 'password':
				return Field_Rules::password( $value );
			case 'email':
				return Field_Rules::email( $value );
			case 'from_name':
				return Field_Rules::from_name( $value );
			case 'ca_file':
				return Field_Rules::ca_file( $value );
			case 'timeout':
				return Field_Rules::timeout( $value );
			case 'send_time_limit':
				return Field_Rules::send_time_limit( $value );
			case 'fallback_ports':
				return Field_Rules::fallback_ports( $value );
			case 'auth_method':
				return Field_Rules::one_of( $value, Settings_Schema::AUTH_METHODS, __( 'The authentication method must be "password" or "oauth2".', 'smtp-port-helper' ) );
			case 'oauth_provider':
				return Field_Rules::one_of( $value, Provider_Profile::ALL, __( 'The OAuth provider must be "microsoft", "google" or "generic".', 'smtp-port-helper' ) );
			case 'oauth_tenant':
				return OAuth_Field_Rules::oauth_tenant( $value );
			case 'oauth_text':
				return OAuth_Field_Rules::oauth_text( $value );
			case 'oauth_client_secret':
				return OAuth_Field_Rules::oauth_client_secret( $value );
			case 'oauth_url':
				return OAuth_Field_Rules::oauth_url( $value );
			case 'date':
				return OAuth_Field_Rules::date( $value );
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

}
