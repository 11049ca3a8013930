<?php
/**
 * The JSON schemas Settings_Schema's table leads to.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Built from Settings_Schema's rows: the schema of every editable field (the REST routes' through
 * REST/Settings_Route_Schema) and the stored option's (Settings_Sanitizer checks every write
 * against it).
 */
final class Settings_Json_Schema {

	/**
	 * JSON schema of every editable field (src/types.ts `EditableSettings`).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function fields(): array {
		$descriptions = Settings_Schema::descriptions();
		$schema       = array();
		foreach ( Settings_Schema::FIELDS as $field => $row ) {
			$schema[ $field ] = array(
				'type'        => $row['type'],
				'description' => $descriptions[ $field ],
			) + $row['schema'] + array( 'default' => $row['default'] );
		}
		return $schema;
	}

	/**
	 * Schema of the stored option: any subset of the fields, plus the sealed password.
	 *
	 * @return array<string, mixed>
	 */
	public static function option(): array {
		return array(
			'type'                 => 'object',
			'properties'           => self::fields() + array(
				'password'            => array(
					'type'    => 'string',
					'pattern' => '^v[12]:[A-Za-z0-9+/]+={0,2}$',
				),
				'oauth_client_secret' => array(
					'type'    => 'string',
					'pattern' => '^v2:[A-Za-z0-9+/]+={0,2}$',
				),
				'api_key'             => array(
					'type'    => 'string',
					'pattern' => '^v2:[A-Za-z0-9+/]+={0,2}$',
				),
			),
			'additionalProperties' => false,
		);
	}
}
