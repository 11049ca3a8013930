<?php
/**
 * Schemas of the outbox routes.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Outbox\Outbox;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One entry: who, what subject, when, how often tried, the last error and what it means. Never the
 * body, the sender's envelope or anything sealed.
 */
final class Outbox_Schema {

	/**
	 * The `id` argument of the single-message routes.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function id_args(): array {
		return array(
			'id' => array(
				'type'        => 'integer',
				'minimum'     => 1,
				'required'    => true,
				'description' => __( 'Id of the message in the outbox.', 'smtp-port-helper' ),
			),
		);
	}

	/**
	 * The arguments of the list.
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function list_args(): array {
		return array(
			'per_page' => array(
				'type'        => 'integer',
				'minimum'     => 1,
				'maximum'     => 500,
				'default'     => 100,
				'description' => __( 'At most this many messages, oldest first.', 'smtp-port-helper' ),
			),
		);
	}

	/**
	 * The answer of GET /outbox.
	 *
	 * @return array<string, mixed>
	 */
	public static function response(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'smtp-port-helper-outbox',
			'type'                 => 'object',
			'properties'           => array(
				'messages' => array(
					'type'  => 'array',
					'items' => self::entry(),
				),
				'counts'   => self::counts(),
			),
			'required'             => array( 'messages', 'counts' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The number of messages per status (the list's `counts`, and the settings page's boot data).
	 *
	 * @return array<string, mixed>
	 */
	public static function counts(): array {
		return array(
			'title'                => 'OutboxCounts',
			'type'                 => 'object',
			'description'          => __( 'Messages per status.', 'smtp-port-helper' ),
			'properties'           => array_fill_keys(
				Outbox::STATUSES,
				array(
					'type'    => 'integer',
					'minimum' => 0,
				)
			),
			'required'             => Outbox::STATUSES,
			'additionalProperties' => false,
		);
	}

	/**
	 * One message of the outbox.
	 *
	 * @return array<string, mixed>
	 */
	public static function entry(): array {
		$time = array(
			'type'    => 'integer',
			'minimum' => 0,
		);
		return array(
			'title'                => 'OutboxEntry',
			'type'                 => 'object',
			'properties'           => array(
				'id'              => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
				'status'          => array(
					'type' => 'string',
					'enum' => Outbox::STATUSES,
				),
				'to'              => array(
					'type'        => 'array',
					'description' => __( 'Recipients the message still waits for.', 'smtp-port-helper' ),
					'items'       => array( 'type' => 'string' ),
				),
				'subject'         => array( 'type' => 'string' ),
				'queued_at'       => array( 'description' => __( 'When it was queued (Unix time).', 'smtp-port-helper' ) ) + $time,
				'next_attempt_at' => array(
					'description' => __( 'When it is tried next (Unix time); null when it is not waiting for a retry.', 'smtp-port-helper' ),
					'type'        => array( 'integer', 'null' ),
				),
				'attempts'        => array(
					'type'    => 'integer',
					'minimum' => 0,
				),
				'stage'           => array(
					'type'        => 'string',
					'description' => __( 'Where the last attempt failed: connect, down, deadline, tls, auth, oauth (the OAuth sign-in was refused), token, mail, rcpt, data, decrypt, disabled.', 'smtp-port-helper' ),
				),
				'code'            => array(
					'type'        => 'integer',
					'description' => __( 'The SMTP server\'s answer code; 0 when it did not answer.', 'smtp-port-helper' ),
				),
				'error'           => array(
					'type'        => 'string',
					'description' => __( 'The last error, as the server or the connection gave it.', 'smtp-port-helper' ),
				),
				'explanation'     => array(
					'type'        => 'string',
					'description' => __( 'What the last error means and what happens next, in plain words.', 'smtp-port-helper' ),
				),
				'size'            => array( 'description' => __( 'Size of the message in bytes.', 'smtp-port-helper' ) ) + $time,
			),
			'required'             => array( 'id', 'status', 'to', 'subject', 'queued_at', 'next_attempt_at', 'attempts', 'stage', 'code', 'error', 'explanation', 'size' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The answer of POST /outbox/<id>/retry.
	 *
	 * @return array<string, mixed>
	 */
	public static function retry_response(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'smtp-port-helper-outbox-retry',
			'type'                 => 'object',
			'properties'           => array(
				'delivered' => array( 'type' => 'boolean' ),
				'message'   => array( 'oneOf' => array( self::entry(), array( 'type' => 'null' ) ) ),
			),
			'required'             => array( 'delivered', 'message' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The answer of DELETE /outbox/<id>.
	 *
	 * @return array<string, mixed>
	 */
	public static function delete_response(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'smtp-port-helper-outbox-delete',
			'type'                 => 'object',
			'properties'           => array(
				'deleted' => array(
					'type' => 'boolean',
					'enum' => array( true ),
				),
				'id'      => array(
					'type'    => 'integer',
					'minimum' => 1,
				),
			),
			'required'             => array( 'deleted', 'id' ),
			'additionalProperties' => false,
		);
	}
}
