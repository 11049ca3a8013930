<?php
/**
 * The rules of the HTTPS API settings: the transport, its key, account and region.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Each returns the normalised value or the message naming what is wrong (Settings_Validator's
 * rule shape). A region is checked against the provider only when the combination is saved
 * (combination()), since the transport may change in the same save.
 */
final class Api_Settings_Rules {

	/**
	 * `smtp` or the id of an API transport that exists now.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function transport( $value ): array {
		$ids = Transport_Registry::ids();
		if ( is_string( $value ) && in_array( strtolower( trim( $value ) ), $ids, true ) ) {
			return array( strtolower( trim( $value ) ), null );
		}
		/* translators: %s: the accepted values, e.g. "smtp", "sendgrid". */
		return array( null, sprintf( __( 'The transport must be one of: %s.', 'smtp-port-helper' ), '"' . implode( '", "', $ids ) . '"' ) );
	}

	/**
	 * An API key: kept as typed (trimmed), no spaces or control characters.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function api_key( $value ): array {
		if ( ! is_string( $value ) || strlen( $value ) > Settings_Schema::MAX_API_KEY || 1 !== preg_match( '/^[\x21-\x7E]*$/', trim( $value ) ) ) {
			return array( null, __( 'The API key contains characters that cannot be used (spaces, line breaks, non-ASCII or control characters) or is too long.', 'smtp-port-helper' ) );
		}
		return array( trim( $value ), null );
	}

	/**
	 * The account value beside the key: printable, no control characters.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function api_account( $value ): array {
		if ( ! is_string( $value ) || Host_Name::has_control_chars( $value ) || strlen( trim( $value ) ) > Settings_Schema::MAX_API_ACCOUNT ) {
			return array( null, __( 'The API account contains line breaks or control characters, or is too long.', 'smtp-port-helper' ) );
		}
		return array( trim( $value ), null );
	}

	/**
	 * A region name: lower-case letters, digits and hyphens, or '' for the default.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function api_region( $value ): array {
		if ( ! is_string( $value ) || 1 !== preg_match( '/^[a-z0-9-]{0,40}$/', strtolower( trim( $value ) ) ) ) {
			return array( null, __( 'The region is a name such as "eu" or "eu-west-1" (letters, digits and hyphens).', 'smtp-port-helper' ) );
		}
		return array( strtolower( trim( $value ) ), null );
	}

	/**
	 * The region must be one the chosen provider has.
	 *
	 * @param array<string, mixed> $settings The settings after the save.
	 * @return array<string, string> Field => message.
	 */
	public static function combination( array $settings ): array {
		$provider = Transport_Registry::provider( (string) ( $settings['transport'] ?? '' ) );
		$region   = (string) ( $settings['api_region'] ?? '' );
		if ( null === $provider || '' === $region || isset( $provider->regions[ $region ] ) || false !== strpos( implode( '', $provider->regions ), '{region}' ) ) {
			return array();
		}
		return array(
			/* translators: 1: provider name, 2: its regions. */
			'api_region' => sprintf( __( '%1$s has the regions: %2$s.', 'smtp-port-helper' ), $provider->label, implode( ', ', array_keys( $provider->regions ) ) ),
		);
	}
}
