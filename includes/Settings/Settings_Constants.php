<?php
/**
 * The wp-config.php constants that fix settings.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A constant `SMTP_PORT_HELPER_<FIELD>` (Settings_Schema::FIELDS) wins over every stored value
 * and locks its field; SMTP_PORT_HELPER_PASS gives the password; only
 * SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY switches certificate verification off. The values are
 * validated by the same rules as a save, once per request unless a constant appears later.
 */
final class Settings_Constants {

	/** The password's constant (write-only, so not a row of the table). */
	public const PASSWORD = 'SMTP_PORT_HELPER_PASS';

	/** The only way to switch certificate verification off. */
	public const INSECURE = 'SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY';

	/** The OAuth 2.0 client secret, like the password never stored when defined. */
	public const OAUTH_CLIENT_SECRET = 'SMTP_PORT_HELPER_OAUTH_CLIENT_SECRET';

	/** The HTTPS API key of the chosen provider, like the password never stored when defined. */
	public const API_KEY = 'SMTP_PORT_HELPER_API_KEY';

	/** The API's base URL in place of the provider's (the tests' local servers); no setting. */
	public const API_ENDPOINT = 'SMTP_PORT_HELPER_API_ENDPOINT';

	/**
	 * Field rules.
	 *
	 * @var Settings_Validator
	 */
	private Settings_Validator $validator;

	/**
	 * The defined constants last validated, and their validated values.
	 *
	 * @var array{raw: array<string, mixed>, values: array<string, mixed>}|null
	 */
	private ?array $checked = null;

	/**
	 * Takes the rules the values must pass.
	 *
	 * @param Settings_Validator $validator Field rules.
	 */
	public function __construct( Settings_Validator $validator ) {
		$this->validator = $validator;
	}

	/**
	 * Field => constant name, for every field a constant can fix (the password included).
	 *
	 * @return array<string, string>
	 */
	public static function names(): array {
		return Settings_Schema::constants() + array(
			'password'            => self::PASSWORD,
			'oauth_client_secret' => self::OAUTH_CLIENT_SECRET,
			'api_key'             => self::API_KEY,
		);
	}

	/**
	 * Values of the constants that are defined and valid (`fallback_ports` as a comma list).
	 *
	 * @return array<string, mixed> Field => validated value.
	 */
	public function values(): array {
		$raw = array();
		foreach ( self::names() as $field => $constant ) {
			if ( defined( $constant ) ) {
				$raw[ $field ] = constant( $constant );
			}
		}
		if ( null === $this->checked || $this->checked['raw'] !== $raw ) {
			$this->checked = array(
				'raw'    => $raw,
				'values' => $this->validator->validate( $raw )['values'],
			);
		}
		return $this->checked['values'];
	}

	/**
	 * The password SMTP_PORT_HELPER_PASS gives; null when it is not defined or not valid.
	 */
	public function password(): ?string {
		$values = $this->values();
		return isset( $values['password'] ) && is_string( $values['password'] ) ? $values['password'] : null;
	}

	/**
	 * The client secret SMTP_PORT_HELPER_OAUTH_CLIENT_SECRET gives; null when it is not defined or not valid.
	 */
	public function oauth_client_secret(): ?string {
		$values = $this->values();
		return isset( $values['oauth_client_secret'] ) && is_string( $values['oauth_client_secret'] ) && '' !== $values['oauth_client_secret'] ? $values['oauth_client_secret'] : null;
	}

	/**
	 * The API key SMTP_PORT_HELPER_API_KEY gives; null when it is not defined or not valid.
	 */
	public function api_key(): ?string {
		$values = $this->values();
		return isset( $values['api_key'] ) && is_string( $values['api_key'] ) && '' !== $values['api_key'] ? $values['api_key'] : null;
	}

	/**
	 * The API base URL SMTP_PORT_HELPER_API_ENDPOINT gives (https:// only); '' when not defined.
	 */
	public static function api_endpoint(): string {
		$url = defined( self::API_ENDPOINT ) ? constant( self::API_ENDPOINT ) : '';
		return is_string( $url ) && 0 === stripos( $url, 'https://' ) ? rtrim( $url, '/' ) : '';
	}

	/**
	 * Whether a user and a password are defined: the foundation's "log in" when AUTH is not.
	 */
	public function implies_auth(): bool {
		$values = $this->values();
		return ! isset( $values['auth'] ) && isset( $values['username'] ) && defined( self::PASSWORD );
	}

	/**
	 * Certificate verification; only SMTP_PORT_HELPER_INSECURE_SKIP_VERIFY switches it off.
	 */
	public function verify_tls(): bool {
		return ! ( defined( self::INSECURE ) && true === (bool) constant( self::INSECURE ) );
	}

	/**
	 * Fields whose value comes from a constant, with the constant's name (`verify_tls` too when
	 * verification is off).
	 *
	 * @return array<string, string> Field => constant name.
	 */
	public function locked(): array {
		$locked = array_intersect_key( self::names(), $this->values() );
		if ( ! $this->verify_tls() ) {
			$locked['verify_tls'] = self::INSECURE;
		}
		return $locked;
	}

	/**
	 * Message for a change of a field that a constant locks; null when it is not locked or the
	 * value is the same as the constant's.
	 *
	 * @param string $field Field name (`clear_password` is a change of the password).
	 * @param mixed  $value Normalised value.
	 */
	public function locked_error( string $field, $value ): ?string {
		$clears = array(
			'clear_password'            => 'password',
			'clear_oauth_client_secret' => 'oauth_client_secret',
			'clear_api_key'             => 'api_key',
		);
		if ( isset( $clears[ $field ] ) && true !== $value ) {
			return null;
		}
		$constants = $this->values();
		$key       = $clears[ $field ] ?? $field;
		if ( ! isset( $constants[ $key ] ) && ! ( 'verify_tls' === $field && ! $this->verify_tls() ) ) {
			return null;
		}
		if ( ! in_array( $key, array( 'password', 'oauth_client_secret', 'api_key' ), true ) && isset( $constants[ $key ] ) && $constants[ $key ] === $value ) {
			return null;
		}
		return sprintf(
			/* translators: %s: name of a PHP constant, e.g. SMTP_PORT_HELPER_HOST. */
			__( 'This setting is fixed by %s in wp-config.php and cannot be changed here.', 'smtp-port-helper' ),
			'verify_tls' === $key ? self::INSECURE : self::names()[ $key ]
		);
	}
}
