<?php
/**
 * What POST /smtp-port-helper/v1/port-tests accepts and answers, as JSON schema.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\REST;

use SmtpPortHelper\Probe\Address_Family;
use SmtpPortHelper\Probe\Cause_Advice;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The route's argument schema and response schema. Plain PHP, so that env/rest-types can turn
 * the response into the page's TypeScript types without WordPress.
 */
final class Port_Tests_Schema {

	public const DEFAULT_TIMEOUT = 5;
	public const MAX_TIMEOUT     = 30;
	public const MAX_ALTERNATES  = 4;

	/** Steps of one port's conversation, in the order they can happen. */
	public const STAGES = array( 'dns', 'connect', 'banner', 'ehlo', 'starttls', 'tls', 'certificate', 'ehlo_tls', 'auth', 'quit', 'api' );

	/**
	 * The request schema (`args` of the route).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function args(): array {
		return array(
			'host'       => array(
				'description' => __( 'SMTP server host name, IPv4 or IPv6 address.', 'smtp-port-helper' ),
				'type'        => 'string',
				'required'    => true,
				'minLength'   => 1,
				'maxLength'   => 255,
			),
			'ports'      => array(
				'description' => __( 'Ports to test, in order.', 'smtp-port-helper' ),
				'type'        => 'array',
				'items'       => self::port(),
				'minItems'    => 1,
				'maxItems'    => Submission_Ports::MAX_PER_TEST,
				'uniqueItems' => true,
				'default'     => Submission_Ports::DEFAULT_TEST_PORTS,
			),
			'timeout'    => array(
				'description' => __( 'Seconds for the whole test.', 'smtp-port-helper' ),
				'type'        => 'number',
				'minimum'     => 1,
				'maximum'     => self::MAX_TIMEOUT,
				'default'     => self::DEFAULT_TIMEOUT,
			),
			'auth'       => array(
				'description'          => __( 'Credentials for a real AUTH (no mail is sent). Without a password the saved one is used, only for the saved host and user name.', 'smtp-port-helper' ),
				'type'                 => 'object',
				'properties'           => array(
					'username' => array(
						'type'      => 'string',
						'minLength' => 1,
						'maxLength' => 255,
					),
					'password' => array(
						'type'      => 'string',
						'maxLength' => 1024,
					),
				),
				'required'             => array( 'username' ),
				'additionalProperties' => false,
			),
			'alternates' => array(
				'description' => __( 'The provider\'s alternate submission ports, preferred after 587 (e.g. 2587 for Amazon SES).', 'smtp-port-helper' ),
				'type'        => 'array',
				'items'       => self::port(),
				'maxItems'    => self::MAX_ALTERNATES,
				'uniqueItems' => true,
			),
		);
	}

	/**
	 * The response schema: Probe_Report::to_array().
	 *
	 * @return array<string, mixed>
	 */
	public static function response(): array {
		return array(
			'$schema'              => 'http://json-schema.org/draft-04/schema#',
			'title'                => 'smtp-port-helper-port-test-report',
			'type'                 => 'object',
			'properties'           => array(
				'host'           => array(
					'description' => __( 'The host tested, in ASCII.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'elapsed_ms'     => self::milliseconds(),
				'results'        => array(
					'description' => __( 'One result per port, in the order asked for.', 'smtp-port-helper' ),
					'type'        => 'array',
					'items'       => self::port_result(),
				),
				'recommendation' => array(
					'description' => __( 'The port to use, or null when no port works.', 'smtp-port-helper' ),
					'oneOf'       => array( self::recommendation(), array( 'type' => 'null' ) ),
				),
				'advice'         => array(
					'description' => __( 'When no port could be reached at all: who blocks outgoing mail and what to ask the web host; otherwise null.', 'smtp-port-helper' ),
					'type'        => array( 'string', 'null' ),
				),
				'causes'         => array(
					'description' => __( 'What to do, one piece of advice per cause of failure, in the order to fix them (Cause_Advice); empty when nothing failed that matters.', 'smtp-port-helper' ),
					'type'        => 'array',
					'items'       => self::cause_advice(),
				),
				'api'            => array(
					'description' => __( 'The row "HTTPS API (port 443)" of the tested host\'s provider, or null when it has no HTTPS API here.', 'smtp-port-helper' ),
					'oneOf'       => array( self::api_row(), array( 'type' => 'null' ) ),
				),
				'markdown'       => array(
					'description' => __( 'The whole test as a Markdown report for a support ticket: no password, the user name shortened.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
			),
			'required'             => array( 'host', 'elapsed_ms', 'results', 'recommendation', 'advice', 'causes', 'markdown' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * One item of Cause_Advice::for_report().
	 *
	 * @return array<string, mixed>
	 */
	public static function cause_advice(): array {
		return array(
			'title'                => 'CauseAdvice',
			'type'                 => 'object',
			'properties'           => array(
				'cause' => array(
					'type' => 'string',
					'enum' => Cause_Advice::ORDER,
				),
				'ports' => array(
					'type'  => 'array',
					'items' => array( 'type' => 'integer' ),
				),
				'text'  => array( 'type' => 'string' ),
			),
			'required'             => array( 'cause', 'ports', 'text' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * Port_Result::to_array().
	 *
	 * @return array<string, mixed>
	 */
	public static function port_result(): array {
		return array(
			'title'                => 'PortResult',
			'type'                 => 'object',
			'properties'           => array(
				'port'            => self::port(),
				'mode'            => self::mode(),
				'verdict'         => self::verdict(),
				'cause'           => array(
					'title'       => 'FailureCause',
					'description' => __( 'Whose side the failure is on: the host name, the network path (often the web host\'s firewall), the mail server, its certificate or the login.', 'smtp-port-helper' ),
					'type'        => 'string',
					'enum'        => Verdict::causes(),
				),
				'ok'              => array( 'type' => 'boolean' ),
				'elapsed_ms'      => self::milliseconds(),
				'stages'          => array(
					'type'  => 'array',
					'items' => self::stage(),
				),
				'tls'             => self::tls_details(),
				'auth_mechanisms' => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
				'address'         => array(
					'description' => __( 'The IP address that was connected to; absent when no connection was made.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'families'        => array(
					'description' => __( 'When the host has IPv4 and IPv6 addresses: the result over each family, probed at the same time (no addresses).', 'smtp-port-helper' ),
					'type'        => 'array',
					'items'       => self::result_per_family(),
				),
				'only_family'     => array(
					'description' => __( 'The only address family that works on this port (mail is sent over it), or empty.', 'smtp-port-helper' ),
					'type'        => 'string',
					'enum'        => array( '', Address_Family::IPV4, Address_Family::IPV6 ),
				),
				'family_note'     => array(
					'description' => __( 'When the families differ: both outcomes in plain language ("IPv6: no route — IPv4: works") and what it means for sending; otherwise empty.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'detail'          => array(
					'description' => __( 'Short technical reason (e.g. "expired", or the server\'s reply line).', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'message'         => array(
					'description' => __( 'Plain-language explanation: what it means and what to do.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
			),
			'required'             => array( 'port', 'mode', 'verdict', 'cause', 'ok', 'elapsed_ms', 'stages', 'detail', 'message' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * A verdict code.
	 *
	 * @return array<string, mixed>
	 */
	public static function verdict(): array {
		return array(
			'title' => 'Verdict',
			'type'  => 'string',
			'enum'  => Verdict::all(),
		);
	}

	/**
	 * The mode a port was found to use.
	 *
	 * @return array<string, mixed>
	 */
	public static function mode(): array {
		return array(
			'title' => 'ProbeMode',
			'type'  => 'string',
			'enum'  => array( Port_Result::MODE_STARTTLS, Port_Result::MODE_IMPLICIT_TLS, Port_Result::MODE_PLAIN, Port_Result::MODE_UNKNOWN ),
		);
	}

	/**
	 * The recommended port and the encryption to set for it.
	 *
	 * @return array<string, mixed>
	 */
	public static function recommendation(): array {
		return array(
			'title'                => 'Recommendation',
			'type'                 => 'object',
			'properties'           => array(
				'port'       => self::port(),
				'encryption' => array(
					'type' => 'string',
					'enum' => array( Encryption::STARTTLS, Encryption::IMPLICIT_TLS ),
				),
				'reason'     => array(
					'description' => __( 'Why this port, in plain language.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'family'     => array(
					'description' => __( 'The only address family that reaches the server on this port (mail is sent over it), or empty when both or one family.', 'smtp-port-helper' ),
					'type'        => 'string',
					'enum'        => array( '', Address_Family::IPV4, Address_Family::IPV6 ),
				),
				'transport'  => array(
					'description' => __( 'Present when the recommendation is the provider\'s HTTPS API: the transport to choose.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'api_region' => array(
					'description' => __( 'Present with transport: the API region the port test reached (the SMTP host\'s region, e.g. "eu" for smtp.eu.mailgun.org), to save with it; empty for the provider\'s default.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'key_needed' => array(
					'description' => __( 'Present with transport: whether an API key must still be entered (none is saved for it).', 'smtp-port-helper' ),
					'type'        => 'boolean',
				),
			),
			'required'             => array( 'port', 'encryption', 'reason' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The API row (Transport\Api_Row::to_array()).
	 *
	 * @return array<string, mixed>
	 */
	public static function api_row(): array {
		return array(
			'title'                => 'ApiRow',
			'type'                 => 'object',
			'properties'           => array(
				'transport'     => array(
					'description' => __( 'The transport id of the provider\'s HTTPS API.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'label'         => array( 'type' => 'string' ),
				'account_label' => array(
					'description' => __( 'What the account field holds for this provider, or empty when it needs none.', 'smtp-port-helper' ),
					'type'        => 'string',
				),
				'regions'       => array(
					'type'  => 'array',
					'items' => array( 'type' => 'string' ),
				),
				'key_saved'     => array(
					'description' => __( 'Whether the test used a saved API key (otherwise it only proved the way there).', 'smtp-port-helper' ),
					'type'        => 'boolean',
				),
				'usable'        => array( 'type' => 'boolean' ),
				'message'       => array( 'type' => 'string' ),
				'result'        => self::port_result(),
			),
			'required'             => array( 'transport', 'label', 'account_label', 'regions', 'key_saved', 'usable', 'message', 'result' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * A port's result over one address family (Address_Family::to_list()).
	 *
	 * @return array<string, mixed>
	 */
	private static function result_per_family(): array {
		return array(
			'title'                => 'FamilyResult',
			'type'                 => 'object',
			'properties'           => array(
				'family'     => array(
					'title' => 'AddressFamily',
					'type'  => 'string',
					'enum'  => array( Address_Family::IPV4, Address_Family::IPV6 ),
				),
				'ok'         => array( 'type' => 'boolean' ),
				'verdict'    => self::verdict(),
				'cause'      => array(
					'type' => 'string',
					'enum' => Verdict::causes(),
				),
				'stage'      => array(
					'description' => __( 'The stage where this family stopped (or the last one when it worked).', 'smtp-port-helper' ),
					'type'        => 'string',
					'enum'        => self::STAGES,
				),
				'elapsed_ms' => self::milliseconds(),
				'connect_ms' => array(
					'description' => __( 'Milliseconds the connection took, or null when none was made.', 'smtp-port-helper' ),
					'type'        => array( 'integer', 'null' ),
				),
				'detail'     => array( 'type' => 'string' ),
			),
			'required'             => array( 'family', 'ok', 'verdict', 'cause', 'stage', 'elapsed_ms', 'connect_ms', 'detail' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * One step of a port's conversation.
	 *
	 * @return array<string, mixed>
	 */
	private static function stage(): array {
		return array(
			'title'                => 'ProbeStage',
			'type'                 => 'object',
			'properties'           => array(
				'name'   => array(
					'title' => 'StageName',
					'type'  => 'string',
					'enum'  => self::STAGES,
				),
				'ok'     => array( 'type' => 'boolean' ),
				'ms'     => self::milliseconds(),
				'detail' => array( 'type' => 'string' ),
			),
			'required'             => array( 'name', 'ok', 'ms', 'detail' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * The TLS session and certificate of a port.
	 *
	 * @return array<string, mixed>
	 */
	private static function tls_details(): array {
		$text = array( 'type' => 'string' );
		return array(
			'title'                => 'TlsDetails',
			'type'                 => 'object',
			'properties'           => array(
				'version'        => $text,
				'cipher'         => $text,
				'subject'        => $text,
				'sans'           => array(
					'type'  => 'array',
					'items' => $text,
				),
				'issuer'         => $text,
				'valid_from'     => $text,
				'valid_to'       => $text,
				'days_left'      => array(
					'description' => __( 'Whole days until the certificate expires; negative once it has expired (days since valid_to).', 'smtp-port-helper' ),
					'type'        => 'integer',
				),
				'chain_verified' => array( 'type' => 'boolean' ),
				'host_matched'   => array( 'type' => 'boolean' ),
			),
			'required'             => array( 'version', 'cipher', 'subject', 'sans', 'issuer', 'valid_from', 'valid_to', 'days_left', 'chain_verified', 'host_matched' ),
			'additionalProperties' => false,
		);
	}

	/**
	 * A port number.
	 *
	 * @return array<string, mixed>
	 */
	private static function port(): array {
		return array(
			'type'    => 'integer',
			'minimum' => 1,
			'maximum' => 65535,
		);
	}

	/**
	 * A duration in whole milliseconds.
	 *
	 * @return array<string, mixed>
	 */
	private static function milliseconds(): array {
		return array(
			'type'    => 'integer',
			'minimum' => 0,
		);
	}
}
