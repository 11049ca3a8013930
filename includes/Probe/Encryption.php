<?php
/**
 * The encryption settings a connection can use, and their short labels.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The values of the `encryption` setting and of a recommendation. The labels are written here
 * only: the recommendation's reason uses them, and the settings page receives them in its boot
 * data (`encryptionLabels`).
 */
final class Encryption {

	public const STARTTLS     = 'starttls';
	public const IMPLICIT_TLS = 'implicit_tls';
	public const NONE         = 'none';

	/** All values. */
	public const ALL = array( self::NONE, self::STARTTLS, self::IMPLICIT_TLS );

	/**
	 * The short label of an encryption, as the encryption field shows it.
	 *
	 * @param string $encryption One of ALL.
	 */
	public static function label( string $encryption ): string {
		switch ( $encryption ) {
			case self::IMPLICIT_TLS:
				return __( 'SSL/TLS', 'smtp-port-helper' );
			case self::STARTTLS:
				return __( 'STARTTLS', 'smtp-port-helper' );
			case self::NONE:
				return __( 'None', 'smtp-port-helper' );
		}
		return $encryption;
	}

	/**
	 * Every label by value (boot data `encryptionLabels`).
	 *
	 * @return array<string, string>
	 */
	public static function labels(): array {
		$labels = array();
		foreach ( self::ALL as $encryption ) {
			$labels[ $encryption ] = self::label( $encryption );
		}
		return $labels;
	}

	/**
	 * JSON schema of a value.
	 *
	 * @return array<string, mixed>
	 */
	public static function schema(): array {
		return array(
			'type' => 'string',
			'enum' => self::ALL,
		);
	}
}
