<?php
/**
 * What GET /smtp-port-helper/v1/domain-check accepts and answers, as JSON schema.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Deliverability\Finding;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The route's argument and response schemas; plain PHP for env/rest-types.
 */
final class Domain_Check_Schema {

	public const DEFAULT_TIMEOUT = 5;
	public const MAX_TIMEOUT     = 15;

	/** The checks a finding can belong to. */
	public const CHECKS = array( 'from', 'dns', 'spf', 'dkim', 'return_path', 'dmarc', 'mx' );

	/**
	 * The request schema.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function args(): array {
		return array(
			'domain'  => array(
				'description' => __( 'From domain to check; default: the domain of the saved From address, else the site\'s.', 'smtp-port-helper' ),
				'type'        => 'string',
				'maxLength'   => 253,
				'default'     => '',
			),
			'host'    => array(
				'description' => __( 'SMTP host the mail goes through; default: the saved host.', 'smtp-port-helper' ),
				'type'        => 'string',
				'maxLength'   => 255,
				'default'     => '',
			),
			'timeout' => array(
				'description' => __( 'Seconds for all DNS look-ups together.', 'smtp-port-helper' ),
				'type'        => 'number',
				'minimum'     => 1,
				'maximum'     => self::MAX_TIMEOUT,
				'default'     => self::DEFAULT_TIMEOUT,
			),
		);
	}

	/**
	 * The response schema.
	 *
	 * @return array<string, mixed>
	 */
	public static function response(): array {
		$status = array(
			'type' => 'string',
			'enum' => array( Finding::PASS, Finding::WARN, Finding::FAIL ),
		);
		return array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'DomainCheck',
			'type'       => 'object',
			'properties' => array(
				'from_domain'        => array(
					'description' => __( 'The From domain checked.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'host'               => array(
					'description' => __( 'The SMTP host of the path.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'provider'           => array(
					'description' => __( 'The provider of the host, or empty when the plugin does not know it.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'return_path_domain' => array(
					'description' => __( 'The envelope sender (Return-Path) domain on this path.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'status'             => array_merge( array( 'description' => __( 'The worst status of all findings.', 'smtp-port-helper' ) ), $status ),
				'seconds'            => array(
					'description' => __( 'Seconds the check took.', 'smtp-port-helper' ),
					'type'        => 'number',
				),
				'findings'           => array(
					'type'  => 'array',
					'items' => array(
						'title'                => 'DomainFinding',
						'type'                 => 'object',
						'properties'           => array(
							'check'    => array(
								'type' => 'string',
								'enum' => self::CHECKS,
							),
							'status'   => $status,
							'result'   => array(
								'description' => __( 'The result in the words of the RFC (an SPF result, "missing", "null_mx" …).', 'smtp-port-helper' ),
								'type'        => 'string',
							),
							'summary'  => array( 'type' => 'string' ),
							'meaning'  => array(
								'description' => __( 'What it means for Gmail, Outlook and Yahoo, and what to do.', 'smtp-port-helper' ),
								'type'        => 'string',
							),
							'evidence' => array(
								'description' => __( 'The records and reasons, as DNS gives them.', 'smtp-port-helper' ),
								'type'        => 'string',
							),
							'record'   => array(
								'description' => __( 'The DNS record to publish, or null.', 'smtp-port-helper' ),
								'oneOf'       => array(
									array( 'type' => 'null' ),
									array(
										'title'      => 'DnsRecordToPublish',
										'type'       => 'object',
										'properties' => array(
											'type'  => array(
												'type' => 'string',
												'enum' => array( 'TXT', 'CNAME', 'MX' ),
											),
											'name'  => array( 'type' => 'string' ),
											'value' => array( 'type' => 'string' ),
										),
										'required'   => array( 'type', 'name', 'value' ),
										'additionalProperties' => false,
									),
								),
							),
						),
						'required'             => array( 'check', 'status', 'result', 'summary', 'meaning', 'evidence', 'record' ),
						'additionalProperties' => false,
					),
				),
			),
			'required'   => array( 'from_domain', 'host', 'provider', 'return_path_domain', 'status', 'seconds', 'findings' ),
		);
	}
}
