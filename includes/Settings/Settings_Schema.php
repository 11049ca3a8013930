<?php
/**
 * The settings table: every field's type, default, wp-config constant, rule and REST schema.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Probe\Encryption;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The one place a setting is declared. Adding a setting means adding a row to FIELDS, its
 * description to descriptions(), and a typed property to Settings; the defaults, the wp-config
 * constants, the validation rule, the REST arguments and schema and the stored option's schema
 * (Settings_Json_Schema) all follow from the row, and `npm run rest-types` writes the page's types
 * from them.
 */
final class Settings_Schema {

	public const ENCRYPTIONS = Encryption::ALL;

	public const MIN_PORT           = 1;
	public const MAX_PORT           = 65535;
	public const MAX_FALLBACK_PORTS = 3;
	public const MAX_FROM_NAME      = 100;
	public const MAX_USERNAME       = 255;
	public const MAX_PASSWORD       = 1024;
	public const MAX_EMAIL          = 254;
	public const MAX_PATH           = 1024;
	public const MAX_OAUTH_URL      = 2048;
	public const MAX_OAUTH_TEXT     = 1024;
	public const AUTH_METHODS       = array( 'password', 'oauth2' );
	public const MAX_API_KEY        = 4096;
	public const MAX_API_ACCOUNT    = 255;
	public const MIN_TIMEOUT        = 1;
	public const MAX_TIMEOUT        = 60;

	/** One message's time limit across every port, in seconds (default, bounds). */
	public const SEND_TIME_LIMIT     = 15;
	public const MIN_SEND_TIME_LIMIT = 1;
	public const MAX_SEND_TIME_LIMIT = 120;

	private const PORT = array(
		'minimum' => self::MIN_PORT,
		'maximum' => self::MAX_PORT,
	);

	/**
	 * Editable field => type (JSON schema), default, wp-config constant, rule (a rule of
	 * Settings_Validator) and the rest of its REST schema. The order is the order of the page,
	 * the REST answer and the Site Health information.
	 *
	 * @var array<string, array{type: string, default: mixed, constant: string, rule: string, schema: array<string, mixed>}>
	 */
	public const FIELDS = array(
		'enabled'                     => array(
			'type'     => 'boolean',
			'default'  => true,
			'constant' => 'SMTP_PORT_HELPER_ENABLED',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'host'                        => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_HOST',
			'rule'     => 'host',
			'schema'   => array( 'maxLength' => 255 ),
		),
		'port'                        => array(
			'type'     => 'integer',
			'default'  => 587,
			'constant' => 'SMTP_PORT_HELPER_PORT',
			'rule'     => 'port',
			'schema'   => self::PORT,
		),
		'encryption'                  => array(
			'type'     => 'string',
			// Until one is saved, the encryption is derived from the port (Settings_Validator::encryption_for_port()).
			'default'  => 'starttls',
			'constant' => 'SMTP_PORT_HELPER_ENCRYPTION',
			'rule'     => 'encryption',
			'schema'   => array( 'enum' => self::ENCRYPTIONS ),
		),
		'auth'                        => array(
			'type'     => 'boolean',
			'default'  => false,
			'constant' => 'SMTP_PORT_HELPER_AUTH',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'username'                    => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_USER',
			'rule'     => 'username',
			'schema'   => array( 'maxLength' => self::MAX_USERNAME ),
		),
		'auth_method'                 => array(
			'type'     => 'string',
			// Only used when `auth` is on.
			'default'  => 'password',
			'constant' => 'SMTP_PORT_HELPER_AUTH_METHOD',
			'rule'     => 'auth_method',
			'schema'   => array( 'enum' => self::AUTH_METHODS ),
		),
		'oauth_provider'              => array(
			'type'     => 'string',
			'default'  => Provider_Profile::MICROSOFT,
			'constant' => 'SMTP_PORT_HELPER_OAUTH_PROVIDER',
			'rule'     => 'oauth_provider',
			'schema'   => array( 'enum' => Provider_Profile::ALL ),
		),
		'oauth_tenant'                => array(
			'type'     => 'string',
			'default'  => 'organizations',
			'constant' => 'SMTP_PORT_HELPER_OAUTH_TENANT',
			'rule'     => 'oauth_tenant',
			'schema'   => array( 'maxLength' => 100 ),
		),
		'oauth_client_id'             => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_OAUTH_CLIENT_ID',
			'rule'     => 'oauth_text',
			'schema'   => array( 'maxLength' => self::MAX_OAUTH_TEXT ),
		),
		'oauth_authorize_url'         => array(
			'type'     => 'string',
			'default'  => '',
			// Overrides the endpoint of every profile, not only the generic one (Provider_Profile).
			'constant' => Provider_Profile::AUTHORIZE_URL_CONSTANT,
			'rule'     => 'oauth_url',
			'schema'   => array( 'maxLength' => self::MAX_OAUTH_URL ),
		),
		'oauth_token_url'             => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => Provider_Profile::TOKEN_URL_CONSTANT,
			'rule'     => 'oauth_url',
			'schema'   => array( 'maxLength' => self::MAX_OAUTH_URL ),
		),
		'oauth_scope'                 => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => Provider_Profile::SCOPE_CONSTANT,
			'rule'     => 'oauth_text',
			'schema'   => array( 'maxLength' => self::MAX_OAUTH_TEXT ),
		),
		'oauth_client_secret_expires' => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_OAUTH_CLIENT_SECRET_EXPIRES',
			'rule'     => 'date',
			'schema'   => array( 'pattern' => '^([0-9]{4}-[0-9]{2}-[0-9]{2})?$' ),
		),
		'from_email'                  => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_FROM',
			'rule'     => 'email',
			'schema'   => array( 'maxLength' => self::MAX_EMAIL ),
		),
		'from_name'                   => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_FROM_NAME',
			'rule'     => 'from_name',
			'schema'   => array( 'maxLength' => self::MAX_FROM_NAME ),
		),
		'force_from_email'            => array(
			'type'     => 'boolean',
			'default'  => false,
			'constant' => 'SMTP_PORT_HELPER_FORCE_FROM',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'force_from_name'             => array(
			'type'     => 'boolean',
			'default'  => false,
			'constant' => 'SMTP_PORT_HELPER_FORCE_FROM_NAME',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'return_path'                 => array(
			'type'     => 'boolean',
			'default'  => false,
			'constant' => 'SMTP_PORT_HELPER_RETURN_PATH',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'ca_file'                     => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_CA_FILE',
			'rule'     => 'ca_file',
			'schema'   => array( 'maxLength' => self::MAX_PATH ),
		),
		'timeout'                     => array(
			'type'     => 'integer',
			'default'  => 10,
			'constant' => 'SMTP_PORT_HELPER_TIMEOUT',
			'rule'     => 'timeout',
			'schema'   => array(
				'minimum' => self::MIN_TIMEOUT,
				'maximum' => self::MAX_TIMEOUT,
			),
		),
		'send_time_limit'             => array(
			'type'     => 'integer',
			'default'  => self::SEND_TIME_LIMIT,
			'constant' => 'SMTP_PORT_HELPER_SEND_TIME_LIMIT',
			'rule'     => 'send_time_limit',
			'schema'   => array(
				'minimum' => self::MIN_SEND_TIME_LIMIT,
				'maximum' => self::MAX_SEND_TIME_LIMIT,
			),
		),
		'fallback'                    => array(
			'type'     => 'boolean',
			'default'  => false,
			'constant' => 'SMTP_PORT_HELPER_FALLBACK',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'fallback_ports'              => array(
			'type'     => 'array',
			'default'  => array(),
			// A comma-separated list in wp-config.php.
			'constant' => 'SMTP_PORT_HELPER_FALLBACK_PORTS',
			'rule'     => 'fallback_ports',
			'schema'   => array(
				'items'       => array( 'type' => 'integer' ) + self::PORT,
				'maxItems'    => self::MAX_FALLBACK_PORTS,
				'uniqueItems' => true,
			),
		),
		'self_heal'                   => array(
			'type'     => 'boolean',
			'default'  => true,
			'constant' => 'SMTP_PORT_HELPER_SELF_HEAL',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'dkim_signing'                => array(
			'type'     => 'boolean',
			'default'  => false,
			'constant' => 'SMTP_PORT_HELPER_DKIM_SIGNING',
			'rule'     => 'boolean',
			'schema'   => array(),
		),
		'transport'                   => array(
			'type'     => 'string',
			'default'  => Transport_Registry::SMTP,
			'constant' => 'SMTP_PORT_HELPER_TRANSPORT',
			'rule'     => 'transport',
			'schema'   => array( 'pattern' => '^[a-z0-9-]{1,40}$' ),
		),
		'api_account'                 => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_API_ACCOUNT',
			'rule'     => 'api_account',
			'schema'   => array( 'maxLength' => self::MAX_API_ACCOUNT ),
		),
		'api_region'                  => array(
			'type'     => 'string',
			'default'  => '',
			'constant' => 'SMTP_PORT_HELPER_API_REGION',
			'rule'     => 'api_region',
			'schema'   => array( 'pattern' => '^[a-z0-9-]{0,40}$' ),
		),
	);

	/**
	 * Write-only fields of a save: field => type, rule and the rest of its REST schema. The
	 * password's constant is SMTP_PORT_HELPER_PASS (see Settings_Constants).
	 *
	 * @var array<string, array{type: string, rule: string, schema: array<string, mixed>}>
	 */
	public const WRITE_ONLY = array(
		'password'                  => array(
			'type'   => 'string',
			'rule'   => 'password',
			'schema' => array( 'maxLength' => self::MAX_PASSWORD ),
		),
		'clear_password'            => array(
			'type'   => 'boolean',
			'rule'   => 'boolean',
			'schema' => array(),
		),
		'oauth_client_secret'       => array(
			'type'   => 'string',
			'rule'   => 'oauth_client_secret',
			'schema' => array( 'maxLength' => self::MAX_OAUTH_TEXT ),
		),
		'clear_oauth_client_secret' => array(
			'type'   => 'boolean',
			'rule'   => 'boolean',
			'schema' => array(),
		),
		'api_key'                   => array(
			'type'   => 'string',
			'rule'   => 'api_key',
			'schema' => array( 'maxLength' => self::MAX_API_KEY ),
		),
		'clear_api_key'             => array(
			'type'   => 'boolean',
			'rule'   => 'boolean',
			'schema' => array(),
		),
	);

	/** Fields of the REST answer that cannot be written. */
	public const READ_ONLY = array( 'password_set', 'password_unreadable', 'key_unsafe', 'verify_tls', 'locked', 'oauth_client_secret_set', 'api_key_set', 'oauth_connection', 'from_address' );

	/** The states of `oauth_connection`. */
	public const OAUTH_STATES = array( 'none', 'connected', 'failed' );

	/**
	 * Values used until the user saves something.
	 *
	 * @return array<string, mixed>
	 */
	public static function defaults(): array {
		return array_map(
			static function ( array $field ) {
				return $field['default'];
			},
			self::FIELDS
		);
	}

	/**
	 * Field => the wp-config.php constant that fixes it.
	 *
	 * @return array<string, string>
	 */
	public static function constants(): array {
		return array_map(
			static function ( array $field ): string {
				return $field['constant'];
			},
			self::FIELDS
		);
	}

	/**
	 * The validation rule of a field that can be written; null for any other name.
	 *
	 * @param string $field Field name.
	 */
	public static function rule( string $field ): ?string {
		if ( isset( self::FIELDS[ $field ] ) ) {
			return self::FIELDS[ $field ]['rule'];
		}
		return isset( self::WRITE_ONLY[ $field ] ) ? self::WRITE_ONLY[ $field ]['rule'] : null;
	}

	/**
	 * The translated description of every field, written out so that the translation tools find
	 * each string.
	 *
	 * @return array<string, string>
	 */
	public static function descriptions(): array {
		return array(
			'enabled'                     => __( 'Send mail through the SMTP server.', 'smtp-port-helper' ),
			'host'                        => __( 'SMTP server host name or IP address.', 'smtp-port-helper' ),
			'port'                        => __( 'SMTP server port.', 'smtp-port-helper' ),
			'encryption'                  => __( 'Encryption: STARTTLS (required, never downgraded), implicit TLS, or none. Derived from the port when not given.', 'smtp-port-helper' ),
			'auth'                        => __( 'Log in to the SMTP server.', 'smtp-port-helper' ),
			'username'                    => __( 'SMTP user name.', 'smtp-port-helper' ),
			'auth_method'                 => __( 'How to log in when authentication is on: a password, or OAuth 2.0 (XOAUTH2) with a connected account.', 'smtp-port-helper' ),
			'oauth_provider'              => __( 'OAuth 2.0 provider profile: Microsoft 365, Google, or another provider with its endpoints entered by hand.', 'smtp-port-helper' ),
			'oauth_tenant'                => __( 'Microsoft 365: the directory (tenant) ID or domain, or "organizations" or "common".', 'smtp-port-helper' ),
			'oauth_client_id'             => __( 'OAuth 2.0 client (application) ID of the app registered with the provider.', 'smtp-port-helper' ),
			'oauth_authorize_url'         => __( 'Other provider: the authorization endpoint (https).', 'smtp-port-helper' ),
			'oauth_token_url'             => __( 'Other provider: the token endpoint (https).', 'smtp-port-helper' ),
			'oauth_scope'                 => __( 'Other provider: the scopes to ask for, separated by spaces (include the one that allows sending mail over SMTP and offline access).', 'smtp-port-helper' ),
			'oauth_client_secret_expires' => __( 'When the OAuth 2.0 client secret expires (YYYY-MM-DD, as shown in the app registration); empty when unknown. The plugin warns 14 days ahead.', 'smtp-port-helper' ),
			'from_email'                  => __( 'From address; empty keeps WordPress\'s.', 'smtp-port-helper' ),
			'from_name'                   => __( 'From name; empty keeps WordPress\'s.', 'smtp-port-helper' ),
			'force_from_email'            => __( 'Use the From address for every message, even when a plugin sets its own.', 'smtp-port-helper' ),
			'force_from_name'             => __( 'Use the From name for every message, even when a plugin sets its own.', 'smtp-port-helper' ),
			'return_path'                 => __( 'Set the envelope sender (Return-Path) to the From address.', 'smtp-port-helper' ),
			'ca_file'                     => __( 'Absolute path of a CA bundle to trust for a private relay; empty uses the system\'s.', 'smtp-port-helper' ),
			'timeout'                     => __( 'Connection timeout in seconds.', 'smtp-port-helper' ),
			'send_time_limit'             => __( 'Time limit in seconds for one message across every port; what cannot be handed over by then waits in the outbox.', 'smtp-port-helper' ),
			'fallback'                    => __( 'Try the fallback ports when the main port cannot connect.', 'smtp-port-helper' ),
			'fallback_ports'              => __( 'Ports tried in order after the main port when fallback is on.', 'smtp-port-helper' ),
			'self_heal'                   => __( 'When the daily self-check finds that the saved port fails and another port works, switch to that port.', 'smtp-port-helper' ),
			'dkim_signing'                => __( 'Sign mail with the site\'s own DKIM key (generated on the DKIM key route) when the From domain is the key\'s domain or under it.', 'smtp-port-helper' ),
			'password'                    => __( 'New SMTP password (write-only); omit it to keep the stored one.', 'smtp-port-helper' ),
			'clear_password'              => __( 'Remove the stored password.', 'smtp-port-helper' ),
			'oauth_client_secret'         => __( 'New OAuth 2.0 client secret (write-only); omit it to keep the stored one.', 'smtp-port-helper' ),
			'clear_oauth_client_secret'   => __( 'Remove the stored OAuth 2.0 client secret.', 'smtp-port-helper' ),
			'transport'                   => __( 'How mail leaves: "smtp" (the SMTP server and port above), or the id of a provider whose HTTPS API sends it over port 443.', 'smtp-port-helper' ),
			'api_account'                 => __( 'HTTPS API: the account value the provider needs beside the key (for example the sending domain or the access key ID); empty when it needs none.', 'smtp-port-helper' ),
			'api_region'                  => __( 'HTTPS API: the provider\'s region (for example "eu"); empty for its default.', 'smtp-port-helper' ),
			'api_key'                     => __( 'New HTTPS API key (write-only); omit it to keep the stored one. It is only ever sent to the chosen provider\'s API.', 'smtp-port-helper' ),
			'clear_api_key'               => __( 'Remove the stored HTTPS API key.', 'smtp-port-helper' ),
		);
	}
}
