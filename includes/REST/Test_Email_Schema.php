<?php
/**
 * What POST /smtp-port-helper/v1/test-email accepts and answers, as JSON schema.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Mail\Send_Diagnosis;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The route's argument schema, its success response and the data of its 502 error. Plain PHP,
 * so that env/rest-types can turn them into the page's TypeScript types without WordPress.
 */
final class Test_Email_Schema {

	/**
	 * The request schema (`args` of the route).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function args(): array {
		return array(
			'to' => array(
				'type'        => 'string',
				'format'      => 'email',
				'required'    => true,
				'maxLength'   => 254,
				'description' => __( 'Recipient of the test message.', 'smtp-port-helper' ),
			),
		);
	}

	/**
	 * The response when the SMTP server accepted the message.
	 *
	 * @return array<string, mixed>
	 */
	public static function response(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'smtp-port-helper-test-email',
			'type'                 => 'object',
			'properties'           => array(
				'sent'       => array(
					'type' => 'boolean',
					'enum' => array( true ),
				),
				'to'         => array( 'type' => 'string' ),
				'host'       => array( 'type' => 'string' ),
				'port'       => array(
					'type'    => 'integer',
					'minimum' => 1,
					'maximum' => 65535,
				),
				// Over an HTTPS API only: the provider that took the message and its endpoint's base URL.
				'api'        => array( 'type' => 'string' ),
				'endpoint'   => array( 'type' => 'string' ),
				'elapsed_ms' => array(
					'type'    => 'integer',
					'minimum' => 0,
				),
			),
			'required'             => array( 'sent', 'to', 'host', 'port', 'elapsed_ms' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * `data` of the 502 `smtp_port_helper_send_failed` error.
	 *
	 * @return array<string, mixed>
	 */
	public static function failure_data(): array {
		return array(
			'title'                => 'TestEmailFailureData',
			'type'                 => 'object',
			'properties'           => array(
				'status'     => array( 'type' => 'integer' ),
				'verdict'    => array(
					'description' => __( 'The port test\'s vocabulary: what went wrong.', 'smtp-port-helper' ),
					'anyOf'       => array(
						Port_Tests_Schema::verdict(),
						array(
							'type' => 'string',
							'enum' => array( Send_Diagnosis::SEND_FAILED ),
						),
					),
				),
				'diagnosis'  => array(
					'description' => __( 'Plain-language diagnosis and what to do.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'transcript' => array(
					'description' => __( 'The SMTP conversation, credentials redacted.', 'smtp-port-helper' ),
					'type'        => 'array',
					'items'       => array( 'type' => 'string' ),
				),
			),
			'required'             => array( 'status', 'verdict', 'diagnosis', 'transcript' ),
			'additionalProperties' => false,
		);
	}
}
