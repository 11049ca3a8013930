<?php
/**
 * The effective settings as a typed value.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Settings;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What the mailer, the REST routes, WP-CLI and Site Health read: one object per change of the
 * stored values, never modified (the properties are read-only by convention, PHP 7.4 has no
 * `readonly`). Never holds the password: Settings_Store::password() gives it to the code that
 * logs in.
 */
final class Settings {

	/**
	 * Send mail through the SMTP server.
	 *
	 * @readonly
	 * @var bool
	 */
	public bool $enabled;

	/**
	 * SMTP server, ASCII (IDN as punycode, IPv6 without brackets); '' when not set.
	 *
	 * @readonly
	 * @var string
	 */
	public string $host;

	/**
	 * Main port.
	 *
	 * @readonly
	 * @var int
	 */
	public int $port;

	/**
	 * Encryption: none, starttls or implicit_tls.
	 *
	 * @readonly
	 * @var string
	 */
	public string $encryption;

	/**
	 * Log in to the SMTP server.
	 *
	 * @readonly
	 * @var bool
	 */
	public bool $auth;

	/**
	 * SMTP user name.
	 *
	 * @readonly
	 * @var string
	 */
	public string $username;

	/**
	 * How to log in when `auth` is on: 'password' or 'oauth2'.
	 *
	 * @var string
	 */
	public string $auth_method;

	/**
	 * OAuth 2.0 provider profile (Provider_Profile::ALL).
	 *
	 * @var string
	 */
	public string $oauth_provider;

	/**
	 * Microsoft 365 tenant.
	 *
	 * @var string
	 */
	public string $oauth_tenant;

	/**
	 * OAuth 2.0 client ID.
	 *
	 * @var string
	 */
	public string $oauth_client_id;

	/**
	 * Authorization endpoint of the generic profile.
	 *
	 * @var string
	 */
	public string $oauth_authorize_url;

	/**
	 * Token endpoint of the generic profile.
	 *
	 * @var string
	 */
	public string $oauth_token_url;

	/**
	 * Scope of the generic profile.
	 *
	 * @var string
	 */
	public string $oauth_scope;

	/**
	 * When the OAuth client secret expires (YYYY-MM-DD), '' when unknown.
	 *
	 * @var string
	 */
	public string $oauth_client_secret_expires;

	/**
	 * From address; '' keeps WordPress's.
	 *
	 * @readonly
	 * @var string
	 */
	public string $from_email;

	/**
	 * From name; '' keeps WordPress's.
	 *
	 * @readonly
	 * @var string
	 */
	public string $from_name;

	/**
	 * Use the From address even when a plugin sets its own.
	 *
	 * @readonly
	 * @var bool
	 */
	public bool $force_from_email;

	/**
	 * Use the From name even when a plugin sets its own.
	 *
	 * @readonly
	 * @var bool
	 */
	public bool $force_from_name;

	/**
	 * Envelope sender = From address.
	 *
	 * @readonly
	 * @var bool
	 */
	public bool $return_path;

	/**
	 * Absolute path of a CA bundle; '' uses the system's.
	 *
	 * @readonly
	 * @var string
	 */
	public string $ca_file;

	/**
	 * Connection timeout in seconds.
	 *
	 * @readonly
	 * @var int
	 */
	public int $timeout;

	/**
	 * Time limit of one message across every port, in seconds.
	 *
	 * @readonly
	 * @var int
	 */
	public int $send_time_limit;

	/**
	 * Try the fallback ports when the main port cannot connect.
	 *
	 * @readonly
	 * @var bool
	 */
	public bool $fallback;

	/**
	 * Ports tried after the main port, in order.
	 *
	 * @readonly
	 * @var list<int>
	 */
	public array $fallback_ports;

	/**
	 * When the daily self-check finds the saved port failing and another working, switch to it.
	 *
	 * @var bool
	 */
	public bool $self_heal;

	/**
	 * Sign mail with the site's own DKIM key (Deliverability\Dkim_Key_Store).
	 *
	 * @var bool
	 */
	public bool $dkim_signing;

	/**
	 * How mail leaves: `smtp` or an API provider's id (Transport\Transport_Registry).
	 *
	 * @var string
	 */
	public string $transport;

	/**
	 * The account value an HTTPS API needs beside the key ('' for none).
	 *
	 * @var string
	 */
	public string $api_account;

	/**
	 * The HTTPS API's region ('' for the provider's default).
	 *
	 * @var string
	 */
	public string $api_region;

	/**
	 * Builds the settings from validated values; a missing or mistyped value takes the default
	 * of Settings_Schema.
	 *
	 * @param array<string, mixed> $values Field => validated value.
	 */
	public function __construct( array $values ) {
		$this->enabled         = self::boolean( $values, 'enabled' );
		$this->host            = self::text( $values, 'host' );
		$this->port            = self::integer( $values, 'port' );
		$this->encryption      = self::text( $values, 'encryption' );
		$this->auth            = self::boolean( $values, 'auth' );
		$this->username        = self::text( $values, 'username' );
		$this->auth_method     = self::text( $values, 'auth_method' );
		$this->oauth_provider  = self::text( $values, 'oauth_provider' );
		$this->oauth_tenant    = self::text( $values, 'oauth_tenant' );
		$this->oauth_client_id = self::text( $values, 'oauth_client_id' );
		// phpcs:ignore Generic.Formatting.MultipleStatementAlignment.NotSameWarning
		$this->oauth_authorize_url = self::text( $values, 'oauth_authorize_url' );
		$this->oauth_token_url     = self::text( $values, 'oauth_token_url' );
		$this->oauth_scope         = self::text( $values, 'oauth_scope' );
		// phpcs:ignore Generic.Formatting.MultipleStatementAlignment.NotSameWarning
		$this->oauth_client_secret_expires = self::text( $values, 'oauth_client_secret_expires' );
		$this->from_email                  = self::text( $values, 'from_email' );
		$this->from_name                   = self::text( $values, 'from_name' );
		$this->force_from_email            = self::boolean( $values, 'force_from_email' );
		$this->force_from_name             = self::boolean( $values, 'force_from_name' );
		$this->return_path                 = self::boolean( $values, 'return_path' );
		$this->ca_file                     = self::text( $values, 'ca_file' );
		$this->timeout                     = self::integer( $values, 'timeout' );
		$this->send_time_limit             = self::integer( $values, 'send_time_limit' );
		$this->fallback                    = self::boolean( $values, 'fallback' );
		$this->fallback_ports              = self::ports( $values, 'fallback_ports' );
		$this->self_heal                   = self::boolean( $values, 'self_heal' );
		$this->dkim_signing                = self::boolean( $values, 'dkim_signing' );
		$this->transport                   = self::text( $values, 'transport' );
		$this->api_account                 = self::text( $values, 'api_account' );
		$this->api_region                  = self::text( $values, 'api_region' );
	}

	/**
	 * Whether mail leaves through a provider's HTTPS API rather than SMTP.
	 */
	public function uses_api(): bool {
		return 'smtp' !== $this->transport;
	}

	/**
	 * Whether the login uses an OAuth 2.0 token rather than the password: SMTP's XOAUTH2, or an
	 * HTTPS API that signs in with OAuth (Microsoft Graph), whose keep-alive, notices and status
	 * are the sign-in's whatever the SMTP login fields say.
	 */
	public function uses_oauth(): bool {
		return ( $this->auth && 'oauth2' === $this->auth_method ) || null !== \SmtpPortHelper\Transport\Transport_Registry::oauth_class( $this->transport );
	}

	/**
	 * The shared mailbox an HTTPS API that signs in sends as (Microsoft Graph's account field naming
	 * one by its address), '' otherwise: WordPress's default From is then that mailbox.
	 */
	public function shared_mailbox(): string {
		$class = \SmtpPortHelper\Transport\Transport_Registry::oauth_class( $this->transport );
		return null === $class ? '' : $class::shared_mailbox( $this->api_account );
	}

	/**
	 * Whether wp_mail() goes through this plugin: enabled, and a host set or an HTTPS API chosen.
	 */
	public function is_active(): bool {
		return $this->enabled && ( '' !== $this->host || $this->uses_api() );
	}

	/**
	 * The settings as the REST answer and the validator's rules between fields see them, in the
	 * order of Settings_Schema::FIELDS.
	 *
	 * @return array<string, mixed>
	 */
	public function to_array(): array {
		return array(
			'enabled'                     => $this->enabled,
			'host'                        => $this->host,
			'port'                        => $this->port,
			'encryption'                  => $this->encryption,
			'auth'                        => $this->auth,
			'username'                    => $this->username,
			'auth_method'                 => $this->auth_method,
			'oauth_provider'              => $this->oauth_provider,
			'oauth_tenant'                => $this->oauth_tenant,
			'oauth_client_id'             => $this->oauth_client_id,
			'oauth_authorize_url'         => $this->oauth_authorize_url,
			'oauth_token_url'             => $this->oauth_token_url,
			'oauth_scope'                 => $this->oauth_scope,
			'oauth_client_secret_expires' => $this->oauth_client_secret_expires,
			'from_email'                  => $this->from_email,
			'from_name'                   => $this->from_name,
			'force_from_email'            => $this->force_from_email,
			'force_from_name'             => $this->force_from_name,
			'return_path'                 => $this->return_path,
			'ca_file'                     => $this->ca_file,
			'timeout'                     => $this->timeout,
			'send_time_limit'             => $this->send_time_limit,
			'fallback'                    => $this->fallback,
			'fallback_ports'              => $this->fallback_ports,
			'self_heal'                   => $this->self_heal,
			'dkim_signing'                => $this->dkim_signing,
			'transport'                   => $this->transport,
			'api_account'                 => $this->api_account,
			'api_region'                  => $this->api_region,
		);
	}

	/**
	 * A switch, or its default.
	 *
	 * @param array<string, mixed> $values Values.
	 * @param string               $field  Field name.
	 */
	private static function boolean( array $values, string $field ): bool {
		$value = $values[ $field ] ?? null;
		return is_bool( $value ) ? $value : true === Settings_Schema::FIELDS[ $field ]['default'];
	}

	/**
	 * A string, or its default.
	 *
	 * @param array<string, mixed> $values Values.
	 * @param string               $field  Field name.
	 */
	private static function text( array $values, string $field ): string {
		$value   = $values[ $field ] ?? null;
		$default = Settings_Schema::FIELDS[ $field ]['default'];
		return is_string( $value ) ? $value : ( is_string( $default ) ? $default : '' );
	}

	/**
	 * A whole number, or its default.
	 *
	 * @param array<string, mixed> $values Values.
	 * @param string               $field  Field name.
	 */
	private static function integer( array $values, string $field ): int {
		$value   = $values[ $field ] ?? null;
		$default = Settings_Schema::FIELDS[ $field ]['default'];
		return is_int( $value ) ? $value : ( is_int( $default ) ? $default : 0 );
	}

	/**
	 * A list of ports, or none.
	 *
	 * @param array<string, mixed> $values Values.
	 * @param string               $field  Field name.
	 * @return list<int>
	 */
	private static function ports( array $values, string $field ): array {
		$value = $values[ $field ] ?? null;
		return is_array( $value ) ? array_values( array_filter( $value, 'is_int' ) ) : array();
	}
}
