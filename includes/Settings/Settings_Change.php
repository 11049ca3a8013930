<?php
/**
 * What a save of the settings changes, and why a change is refused.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use WP_Error;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Checks the changes of one save against the field rules, the wp-config constants, the network's
 * lock and the rules between fields, and splits off the secrets (Settings_Secrets seals them).
 * Changing only the port also sets the encryption that port uses (465: implicit TLS, otherwise
 * STARTTLS), unless the encryption is given too or locked.
 */
final class Settings_Change {

	/**
	 * The settings being changed.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $store;

	/**
	 * Field rules.
	 *
	 * @var Settings_Validator
	 */
	private Settings_Validator $validator;

	/**
	 * The wp-config.php constants.
	 *
	 * @var Settings_Constants
	 */
	private Settings_Constants $constants;

	/**
	 * The rules between a site and its network.
	 *
	 * @var Network_Rules
	 */
	private Network_Rules $network;

	/**
	 * Takes the store and its rules.
	 *
	 * @param Settings_Store     $store     The settings being changed.
	 * @param Settings_Validator $validator Field rules.
	 * @param Settings_Constants $constants The wp-config.php constants.
	 * @param Network_Rules      $network   The rules between a site and its network.
	 */
	public function __construct( Settings_Store $store, Settings_Validator $validator, Settings_Constants $constants, Network_Rules $network ) {
		$this->store     = $store;
		$this->validator = $validator;
		$this->constants = $constants;
		$this->network   = $network;
	}

	/**
	 * Checks one submitted field as the REST route's `validate_callback` does: its rule, and
	 * whether a wp-config constant locks it.
	 *
	 * @param string $field Field name.
	 * @param mixed  $value Submitted value.
	 * @return string|null Error message, or null when the value is acceptable.
	 */
	public function field_error( string $field, $value ): ?string {
		$result = $this->validator->field( $field, $value );
		if ( null !== $result[1] ) {
			return $result[1];
		}
		// The clear-text rule depends on the other fields of the save: Settings_Store::update() checks it.
		return $this->constants->locked_error( $field, $result[0] ) ?? $this->network->lock_error( $field, $result[0] );
	}

	/**
	 * The answer to a refused save: one 400 whose `params` name each bad field.
	 *
	 * @param array<string, string> $errors Field => why it was refused.
	 */
	public static function refusal( array $errors ): WP_Error {
		return new WP_Error(
			'rest_invalid_param',
			/* translators: %s: comma-separated list of setting names. */
			sprintf( __( 'Invalid setting(s): %s', 'smtp-port-helper' ), implode( ', ', array_keys( $errors ) ) ),
			array(
				'status' => 400,
				'params' => $errors,
			)
		);
	}

	/**
	 * The validated changes to store (locked fields removed, secrets split off), the errors by
	 * field, the new secrets ('' for none) and which stored secrets to remove.
	 *
	 * @param array<string, mixed> $changes Field => new value.
	 * @return array{values: array<string, mixed>, errors: array<string, string>, secrets: array{password: string, oauth_client_secret: string, api_key: string}, clear: array{password: bool, oauth_client_secret: bool, api_key: bool}}
	 */
	public function check( array $changes ): array {
		$result = $this->validator->validate( $changes );
		$values = $result['values'];
		$errors = $result['errors'];
		foreach ( $values as $field => $value ) {
			$locked = $this->constants->locked_error( $field, $value ) ?? $this->network->lock_error( $field, $value ) ?? $this->network->clear_text_error( $field, $value, $values );
			if ( null !== $locked ) {
				$errors[ 'clear_password' === $field ? 'password' : $field ] = $locked;
			}
		}
		$locked = $this->store->locked();
		if ( isset( $values['port'] ) && is_int( $values['port'] ) && ! array_key_exists( 'encryption', $changes ) && ! isset( $locked['encryption'] ) ) {
			$values['encryption'] = Settings_Validator::encryption_for_port( $values['port'] );
		}
		$password = isset( $values['password'] ) && is_string( $values['password'] ) ? $values['password'] : '';
		$clear    = ! empty( $values['clear_password'] );
		$secret   = isset( $values['oauth_client_secret'] ) && is_string( $values['oauth_client_secret'] ) ? $values['oauth_client_secret'] : '';
		// phpcs:ignore Generic.Formatting.MultipleStatementAlignment.NotSameWarning
		$clear_secret = ! empty( $values['clear_oauth_client_secret'] );
		$api_key      = isset( $values['api_key'] ) && is_string( $values['api_key'] ) ? $values['api_key'] : '';
		$clear_key    = ! empty( $values['clear_api_key'] );
		unset( $values['password'], $values['clear_password'], $values['oauth_client_secret'], $values['clear_oauth_client_secret'], $values['api_key'], $values['clear_api_key'] );
		// Locked fields keep their constant value; the stored one would never be used.
		$values = array_diff_key( $values, $locked );

		if ( array() === $errors ) {
			$after = array_merge( $this->store->get()->to_array(), $values );
			foreach ( $this->validator->validate_combination( $after ) as $field => $message ) {
				$named = $this->combination_field( $field, $changes );
				// A rule is only enforced on a save that touches it: an unrelated change still saves.
				if ( null !== $named ) {
					$errors[ $named ] = $message;
				}
			}
		}
		if ( '' !== $secret && null === $this->store->box() ) {
			$errors['oauth_client_secret'] = __( 'The client secret cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) and save again.', 'smtp-port-helper' );
		}
		$key_refused = '' !== $api_key ? $this->store->api_keys()->refusal( new Settings( array_merge( $this->store->get()->to_array(), $values ) ) ) : null;
		if ( null !== $key_refused ) {
			$errors['api_key'] = $key_refused;
		}
		if ( '' !== $password && null === $this->store->box() ) {
			$errors['password'] = __( 'The password cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) and save again.', 'smtp-port-helper' );
		}
		return array(
			'values'  => $values,
			'errors'  => $errors,
			'secrets' => array(
				'password'            => $password,
				'oauth_client_secret' => $secret,
				'api_key'             => $api_key,
			),
			'clear'   => array(
				'password'            => $clear,
				'oauth_client_secret' => $clear_secret,
				'api_key'             => $clear_key,
			),
		);
	}

	/**
	 * Which field a rule between fields names: the one the user changed; null when the save
	 * changes neither field of the rule.
	 *
	 * @param string               $field   Field named by the validator.
	 * @param array<string, mixed> $changes Submitted changes.
	 */
	private function combination_field( string $field, array $changes ): ?string {
		$partners = array(
			'fallback_ports' => array( 'port', 'fallback' ),
			'username'       => array( 'auth' ),
		);
		if ( array_key_exists( $field, $changes ) ) {
			return $field;
		}
		foreach ( isset( $partners[ $field ] ) ? $partners[ $field ] : array() as $partner ) {
			if ( array_key_exists( $partner, $changes ) ) {
				return $partner;
			}
		}
		return null;
	}
}
