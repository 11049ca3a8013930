<?php
/**
 * Where the key that seals the SMTP password comes from, and whether it is fit to be one.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Secrets;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The key material lives outside the database: `SMTP_PORT_HELPER_KEY` when defined, else the
 * salts `AUTH_KEY` and `SECURE_AUTH_KEY` of wp-config.php. Salts that are missing, still the
 * placeholder of wp-config-sample.php or duplicated are public or guessable: they are never used
 * (unlike wp_salt(), which would fall back to a salt stored in the database, next to the sealed
 * password). Without usable key material no password is stored or opened.
 */
final class Key_Material {

	/** The salts are not defined or empty. */
	public const PROBLEM_MISSING = 'salts_missing';

	/** A salt is still the text of wp-config-sample.php. */
	public const PROBLEM_PLACEHOLDER = 'salts_placeholder';

	/** A salt has the same value as another one. */
	public const PROBLEM_DUPLICATED = 'salts_duplicated';

	/** The placeholder of wp-config-sample.php. */
	public const PLACEHOLDER = 'put your unique phrase here';

	/** The constants read: the plugin's keys, then the salts and keys of wp-config.php. */
	public const CONSTANTS = array( 'SMTP_PORT_HELPER_KEY', 'SMTP_PORT_HELPER_OLD_KEY', 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' );

	/**
	 * The defined, non-empty string constants: name => value.
	 *
	 * @var array<string, string>
	 */
	private array $constants;

	/**
	 * Takes the constants (for tests; see from_wp_config()).
	 *
	 * @param array<string, mixed> $constants Name => value of CONSTANTS; others are ignored.
	 */
	public function __construct( array $constants ) {
		$this->constants = array();
		foreach ( self::CONSTANTS as $name ) {
			if ( isset( $constants[ $name ] ) && is_string( $constants[ $name ] ) && '' !== trim( $constants[ $name ] ) ) {
				$this->constants[ $name ] = $constants[ $name ];
			}
		}
	}

	/**
	 * The constants of this installation.
	 */
	public static function from_wp_config(): self {
		$constants = array();
		foreach ( self::CONSTANTS as $name ) {
			if ( defined( $name ) ) {
				$constants[ $name ] = constant( $name );
			}
		}
		return new self( $constants );
	}

	/**
	 * The key material of this installation, or null when there is none fit for a key.
	 */
	public function current(): ?string {
		if ( isset( $this->constants['SMTP_PORT_HELPER_KEY'] ) ) {
			return 'constant|' . $this->constants['SMTP_PORT_HELPER_KEY'];
		}
		return $this->from_salts();
	}

	/**
	 * What `wp smtp-port-helper rekey` opens the stored secrets with: SMTP_PORT_HELPER_OLD_KEY
	 * (the former value of SMTP_PORT_HELPER_KEY) when defined, else the salts (what sealed them
	 * before SMTP_PORT_HELPER_KEY was defined).
	 */
	public function previous(): ?string {
		if ( isset( $this->constants['SMTP_PORT_HELPER_OLD_KEY'] ) ) {
			return 'constant|' . $this->constants['SMTP_PORT_HELPER_OLD_KEY'];
		}
		return $this->from_salts();
	}

	/**
	 * Why there is no key material fit for a key: one of the PROBLEM_* codes, or null when
	 * SMTP_PORT_HELPER_KEY is defined or the salts are fine.
	 */
	public function problem(): ?string {
		return isset( $this->constants['SMTP_PORT_HELPER_KEY'] ) ? null : $this->salts_problem();
	}

	/**
	 * The salts as key material, or null when they are missing, placeholders or duplicated.
	 */
	private function from_salts(): ?string {
		if ( null !== $this->salts_problem() ) {
			return null;
		}
		return 'salts|' . $this->constants['AUTH_KEY'] . '|' . $this->constants['SECURE_AUTH_KEY'];
	}

	/**
	 * What is wrong with AUTH_KEY and SECURE_AUTH_KEY as key material, if anything.
	 */
	private function salts_problem(): ?string {
		if ( ! isset( $this->constants['AUTH_KEY'], $this->constants['SECURE_AUTH_KEY'] ) ) {
			return self::PROBLEM_MISSING;
		}
		$salts  = array_diff_key( $this->constants, array_flip( array( 'SMTP_PORT_HELPER_KEY', 'SMTP_PORT_HELPER_OLD_KEY' ) ) );
		$counts = array_count_values( $salts );
		foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY' ) as $name ) {
			if ( self::PLACEHOLDER === trim( $salts[ $name ] ) ) {
				return self::PROBLEM_PLACEHOLDER;
			}
			if ( $counts[ $salts[ $name ] ] > 1 ) {
				return self::PROBLEM_DUPLICATED;
			}
		}
		return null;
	}
}
