<?php
/**
 * Schemas of the settings routes (/settings, /network-settings).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Settings\From_Address;
use SmtpPortHelper\Settings\Settings_Constants;
use SmtpPortHelper\Settings\Settings_Json_Schema;
use SmtpPortHelper\Settings\Settings_Layers;
use SmtpPortHelper\Settings\Settings_Schema;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Built from the field table of Settings_Schema: the body a save takes (the editable fields and
 * the write-only secrets), the answer (never a secret; src/types.ts `SettingsResponse` is
 * generated from it) and the network's own field.
 */
final class Settings_Route_Schema {

	/**
	 * Schema of a POST body: the editable fields plus the write-only password fields.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function input_schema(): array {
		$descriptions = Settings_Schema::descriptions();
		$schema       = Settings_Json_Schema::fields();
		foreach ( Settings_Schema::WRITE_ONLY as $field => $row ) {
			$schema[ $field ] = array(
				'type'        => $row['type'],
				'description' => $descriptions[ $field ],
			) + $row['schema'];
		}
		return $schema;
	}

	/**
	 * JSON schema of the GET/POST answer of the settings routes: every editable field, the
	 * read-only state and, for a site of a network, the inherited fields. src/types.ts
	 * `SettingsResponse` is generated from it.
	 *
	 * @param bool $with_inherited Whether the answer lists the fields inherited from the network.
	 * @return array<string, mixed>
	 */
	public static function response_schema( bool $with_inherited ): array {
		$properties = Settings_Json_Schema::fields() + self::read_only_schema();
		if ( $with_inherited ) {
			$properties['inherited'] = array(
				'type'        => 'array',
				'description' => __( 'Fields whose value comes from the network defaults.', 'smtp-port-helper' ),
				'items'       => array(
					'type' => 'string',
					'enum' => array_keys( Settings_Schema::FIELDS ),
				),
				'readonly'    => true,
			);
		}
		$properties[ Settings_Layers::LOCK_FIELD ] = self::network_only_schema()[ Settings_Layers::LOCK_FIELD ];
		$properties['password_forgotten']          = array(
			'type'        => 'boolean',
			'description' => __( 'Only in the answer to a save: the new host or user name came without a password, so the stored password was forgotten.', 'smtp-port-helper' ),
			'readonly'    => true,
		);
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'smtp-port-helper-settings',
			'type'                 => 'object',
			'properties'           => $properties,
			'required'             => array_merge( array_keys( Settings_Schema::FIELDS ), Settings_Schema::READ_ONLY ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The field only the network's settings have (read and written on /network-settings): whether
	 * every site must send through the network's host, port, encryption and login.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function network_only_schema(): array {
		return array(
			Settings_Layers::LOCK_FIELD => array(
				'type'        => 'boolean',
				'description' => __( 'Network defaults only: every site sends through the network\'s server, port, encryption and login and cannot set its own.', 'smtp-port-helper' ),
			),
		);
	}

	/**
	 * Schema of the fields of the answer that cannot be written (READ_ONLY).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	private static function read_only_schema(): array {
		$lockable = array_keys( Settings_Constants::names() );
		return array(
			'password_set'            => array(
				'type'        => 'boolean',
				'description' => __( 'A password is stored (it is never sent).', 'smtp-port-helper' ),
				'readonly'    => true,
			),
			'password_unreadable'     => array(
				'type'        => 'boolean',
				'description' => __( 'The stored password cannot be decrypted any more: enter it again.', 'smtp-port-helper' ),
				'readonly'    => true,
			),
			'key_unsafe'              => array(
				'type'        => 'boolean',
				'description' => __( 'SMTP_PORT_HELPER_KEY is not defined and the salts of wp-config.php are missing, placeholders or duplicated: no password can be stored until SMTP_PORT_HELPER_KEY is defined.', 'smtp-port-helper' ),
				'readonly'    => true,
			),
			'verify_tls'              => array(
				'type'        => 'boolean',
				'description' => __( 'Certificate verification; switched off only by a wp-config.php constant.', 'smtp-port-helper' ),
				'readonly'    => true,
			),
			'locked'                  => array(
				'type'                 => 'object',
				'description'          => __( 'Fields fixed by a wp-config.php constant, with the constant name.', 'smtp-port-helper' ),
				'properties'           => array_fill_keys(
					array_merge( $lockable, array( 'verify_tls' ) ),
					array( 'type' => 'string' )
				),
				'additionalProperties' => false,
				'readonly'             => true,
			),
			'oauth_client_secret_set' => array(
				'type'        => 'boolean',
				'description' => __( 'An OAuth client secret is stored or defined in wp-config.php (it is never sent).', 'smtp-port-helper' ),
				'readonly'    => true,
			),
			'api_key_set'             => array(
				'type'        => 'boolean',
				'description' => __( 'An API key for the chosen HTTPS API is stored or defined in wp-config.php (it is never sent).', 'smtp-port-helper' ),
				'readonly'    => true,
			),
			'oauth_connection'        => array(
				'title'                => 'OAuthConnection',
				'type'                 => 'object',
				'description'          => __( 'The OAuth 2.0 sign-in: whether a mailbox is connected, which one, since when, and why it failed.', 'smtp-port-helper' ),
				'properties'           => array(
					'state'        => array(
						'type' => 'string',
						'enum' => Settings_Schema::OAUTH_STATES,
					),
					'account'      => array(
						'type'        => 'string',
						'description' => __( 'The connected account (e-mail address); empty when none.', 'smtp-port-helper' ),
					),
					'connected_at' => array(
						'type'        => 'string',
						'description' => __( 'When the account was connected (ISO 8601); empty when none.', 'smtp-port-helper' ),
					),
					'code'         => array(
						'type'        => 'string',
						'description' => __( 'A verdict code when the sign-in failed; empty otherwise.', 'smtp-port-helper' ),
					),
					'message'      => array(
						'type'        => 'string',
						'description' => __( 'What went wrong and what to do, in plain words; empty when nothing did.', 'smtp-port-helper' ),
					),
				),
				'required'             => array( 'state', 'account', 'connected_at', 'code', 'message' ),
				'additionalProperties' => false,
				'readonly'             => true,
			),
			'from_address'            => array(
				'title'                => 'FromAddress',
				'type'                 => 'object',
				'description'          => __( 'The From address mail leaves with when WordPress uses its default, and why.', 'smtp-port-helper' ),
				'properties'           => array(
					'email'   => array(
						'type'        => 'string',
						'description' => __( 'The From address.', 'smtp-port-helper' ),
					),
					'reason'  => array(
						'type'        => 'string',
						'enum'        => From_Address::REASONS,
						'description' => __( 'Why: the From address setting, the mailbox the login uses, or WordPress\'s default.', 'smtp-port-helper' ),
					),
					'warning' => array(
						'type'        => 'string',
						'description' => __( 'Present when the provider sends as the signed-in account and this From differs from it (Gmail API): what happens and what to do.', 'smtp-port-helper' ),
					),
				),
				'required'             => array( 'email', 'reason' ),
				'additionalProperties' => false,
				'readonly'             => true,
			),
		);
	}
}
