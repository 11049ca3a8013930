<?php
/**
 * The rules of the OAuth 2.0 settings fields.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Endpoint_Url;
use SmtpPortHelper\Net\Host_Name;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The tenant, client ID and scope, client secret, endpoints and the secret's expiry date, in the
 * shape of Field_Rules: array( value, null ) or array( null, message ).
 */
final class OAuth_Field_Rules {

	/**
	 * The Microsoft 365 tenant: a directory ID (GUID), a domain, or organizations/common/consumers.
	 *
	 * @param mixed $value Submitted value.
	 * @return array{0: string|null, 1: string|null}
	 */
	public static function oauth_tenant( $value ): array {
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
	public static function date( $value ): array {
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
	public static function oauth_text( $value ): array {
		if ( ! is_string( $value ) || ! Field_Rules::is_utf8( $value ) || Host_Name::has_control_chars( $value ) || strlen( $value ) > Settings_Schema::MAX_OAUTH_TEXT ) {
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
	public static function oauth_client_secret( $value ): array {
		if ( ! is_string( $value ) || ! Field_Rules::is_utf8( $value ) || Host_Name::has_control_chars( $value ) || strlen( $value ) > Settings_Schema::MAX_OAUTH_TEXT ) {
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
	public static function oauth_url( $value ): array {
		if ( is_string( $value ) && '' === trim( $value ) ) {
			return array( '', null );
		}
		if ( ! is_string( $value ) || strlen( $value ) > Settings_Schema::MAX_OAUTH_URL ) {
			return array( null, __( 'Enter the endpoint\'s address, starting with https://.', 'smtp-port-helper' ) );
		}
		$error = Endpoint_Url::error( trim( $value ) );
		return null === $error ? array( trim( $value ), null ) : array( null, $error );
	}
}
