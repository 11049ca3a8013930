<?php
/**
 * What /smtp-port-helper/v1/dkim-key accepts and answers, as JSON schema.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The route's argument and response schemas; plain PHP for env/rest-types. The answer never holds
 * the private key.
 */
final class Dkim_Key_Schema {

	/** What POST does: a first key, or a new key and selector in place of the current one. */
	public const ACTIONS = array( 'generate', 'rotate' );

	/**
	 * The arguments of POST.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function post_args(): array {
		return array(
			'action' => array(
				'description' => __( 'generate: a key for a site that has none; rotate: a new key and selector in place of the current one (publish the new record; the old one may go a week later).', 'smtp-port-helper' ),
				'type'        => 'string',
				'enum'        => self::ACTIONS,
				'required'    => true,
			),
			'domain' => array(
				'description' => __( 'The signing domain (d=); default: the current key\'s, else the From domain mail leaves with.', 'smtp-port-helper' ),
				'type'        => 'string',
				'maxLength'   => 253,
				'default'     => '',
			),
		);
	}

	/**
	 * The answer of GET, POST and DELETE.
	 *
	 * @return array<string, mixed>
	 */
	public static function response(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'DkimKeyState',
			'type'                 => 'object',
			'properties'           => array(
				'key'            => array(
					'description' => __( 'The site\'s DKIM key (its public half), or null when it has none.', 'smtp-port-helper' ),
					'oneOf'       => array(
						array( 'type' => 'null' ),
						array(
							'title'                => 'DkimKey',
							'type'                 => 'object',
							'properties'           => array(
								'domain'   => array(
									'description' => __( 'The signing domain (d=).', 'smtp-port-helper' ),
									'type'        => 'string',
								),
								'selector' => array(
									'description' => __( 'The selector (s=).', 'smtp-port-helper' ),
									'type'        => 'string',
								),
								'key_type' => array(
									'type' => 'string',
									'enum' => array( 'rsa' ),
								),
								'bits'     => array( 'type' => 'integer' ),
								'created'  => array(
									'description' => __( 'When the key was generated (ISO 8601).', 'smtp-port-helper' ),
									'type'        => 'string',
								),
								'record'   => array(
									'title'                => 'DkimRecordToPublish',
									'description'          => __( 'The TXT record to publish.', 'smtp-port-helper' ),
									'type'                 => 'object',
									'properties'           => array(
										'type'  => array(
											'type' => 'string',
											'enum' => array( 'TXT' ),
										),
										'name'  => array( 'type' => 'string' ),
										'value' => array( 'type' => 'string' ),
									),
									'required'             => array( 'type', 'name', 'value' ),
									'additionalProperties' => false,
								),
							),
							'required'             => array( 'domain', 'selector', 'key_type', 'bits', 'created', 'record' ),
							'additionalProperties' => false,
						),
					),
				),
				'readable'       => array(
					'description' => __( 'The stored private key opens with this site\'s key material (false after the salts or SMTP_PORT_HELPER_KEY changed without wp smtp-port-helper rekey: generate a new key).', 'smtp-port-helper' ),
					'type'        => 'boolean',
				),
				'signing'        => array(
					'description' => __( 'The dkim_signing setting: mail from the key\'s domain is signed.', 'smtp-port-helper' ),
					'type'        => 'boolean',
				),
				'can_generate'   => array(
					'description' => __( 'A key can be generated and stored here (key material and OpenSSL present).', 'smtp-port-helper' ),
					'type'        => 'boolean',
				),
				'default_domain' => array(
					'description' => __( 'The From domain mail leaves with: the domain a new key is for unless another is given.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
			),
			'required'             => array( 'key', 'readable', 'signing', 'can_generate', 'default_domain' ),
			'additionalProperties' => false,
		);
	}
}
