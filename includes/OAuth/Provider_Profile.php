<?php
/**
 * The OAuth 2.0 providers the plugin knows: their endpoints, scope and SMTP server.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Providers\Provider_Table;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One provider profile as the flow uses it: the effective authorization, token and revocation
 * endpoints and scope. Microsoft 365 and Google have fixed endpoints (Microsoft's hold the tenant);
 * the generic profile takes them from the settings. The constants SMTP_PORT_HELPER_OAUTH_AUTHORIZE_URL,
 * _TOKEN_URL, _SCOPE and _REVOKE_URL override them for every profile, which is how tests point the
 * Microsoft and Google profiles at a local authorization server.
 */
final class Provider_Profile {

	public const MICROSOFT = 'microsoft';
	public const GOOGLE    = 'google';
	public const GENERIC   = 'generic';

	public const ALL = array( self::MICROSOFT, self::GOOGLE, self::GENERIC );

	public const AUTHORIZE_URL_CONSTANT = 'SMTP_PORT_HELPER_OAUTH_AUTHORIZE_URL';
	public const TOKEN_URL_CONSTANT     = 'SMTP_PORT_HELPER_OAUTH_TOKEN_URL';
	public const SCOPE_CONSTANT         = 'SMTP_PORT_HELPER_OAUTH_SCOPE';
	public const REVOKE_URL_CONSTANT    = 'SMTP_PORT_HELPER_OAUTH_REVOKE_URL';

	/** Microsoft's tenant placeholder in its endpoint templates. */
	private const TENANT = '{tenant}';

	/**
	 * Fixed data of the named profiles: endpoints (Microsoft's with the tenant placeholder) and
	 * scope; their SMTP server is the provider's row in Provider_Table. The generic profile has
	 * none of its own.
	 *
	 * @var array<string, array{authorize_url: string, token_url: string, revoke_url: string, scope: string}>
	 */
	private const KNOWN = array(
		self::MICROSOFT => array(
			'authorize_url' => 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/authorize',
			'token_url'     => 'https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token',
			// Microsoft's identity platform has no endpoint that revokes one refresh token.
			'revoke_url'    => '',
			'scope'         => 'https://outlook.office.com/SMTP.Send offline_access',
		),
		self::GOOGLE    => array(
			'authorize_url' => 'https://accounts.google.com/o/oauth2/v2/auth',
			'token_url'     => 'https://oauth2.googleapis.com/token',
			'revoke_url'    => 'https://oauth2.googleapis.com/revoke',
			'scope'         => 'https://mail.google.com/',
		),
	);

	/**
	 * The profile's name (ALL).
	 *
	 * @var string
	 */
	public string $provider;

	/**
	 * Where the user signs in and consents.
	 *
	 * @var string
	 */
	public string $authorize_url;

	/**
	 * Where the code and refresh tokens are exchanged.
	 *
	 * @var string
	 */
	public string $token_url;

	/**
	 * Where a refresh token is revoked; '' when the provider has no such endpoint.
	 *
	 * @var string
	 */
	public string $revoke_url;

	/**
	 * Space-separated scopes asked for.
	 *
	 * @var string
	 */
	public string $scope;

	/**
	 * Sets every part.
	 *
	 * @param string $provider      Profile name.
	 * @param string $authorize_url Authorization endpoint.
	 * @param string $token_url     Token endpoint.
	 * @param string $revoke_url    Revocation endpoint or ''.
	 * @param string $scope         Scope.
	 */
	public function __construct( string $provider, string $authorize_url, string $token_url, string $revoke_url, string $scope ) {
		$this->provider      = $provider;
		$this->authorize_url = $authorize_url;
		$this->token_url     = $token_url;
		$this->revoke_url    = $revoke_url;
		$this->scope         = $scope;
	}

	/**
	 * The effective profile of the settings, the constants' endpoints and scope winning.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public static function of( Settings $settings ): self {
		$provider = in_array( $settings->oauth_provider, self::ALL, true ) ? $settings->oauth_provider : self::MICROSOFT;
		if ( self::GENERIC === $provider ) {
			$authorize = $settings->oauth_authorize_url;
			$token     = $settings->oauth_token_url;
			$revoke    = '';
			$scope     = $settings->oauth_scope;
		} else {
			$known     = self::KNOWN[ $provider ];
			$tenant    = rawurlencode( '' !== $settings->oauth_tenant ? $settings->oauth_tenant : 'organizations' );
			$authorize = str_replace( self::TENANT, $tenant, $known['authorize_url'] );
			$token     = str_replace( self::TENANT, $tenant, $known['token_url'] );
			$revoke    = $known['revoke_url'];
			$scope     = self::api_scope( $settings, $provider ) ?? $known['scope'];
		}
		return new self(
			$provider,
			self::constant_or( self::AUTHORIZE_URL_CONSTANT, $authorize ),
			self::constant_or( self::TOKEN_URL_CONSTANT, $token ),
			self::constant_or( self::REVOKE_URL_CONSTANT, $revoke ),
			self::constant_or( self::SCOPE_CONSTANT, $scope )
		);
	}

	/**
	 * The scope an HTTPS API transport of this profile's provider needs (Microsoft Graph's
	 * Mail.Send is another resource than SMTP.Send, so the consent asks for what the chosen
	 * transport needs); null when the settings send over SMTP or another provider's API.
	 *
	 * @param Settings $settings Effective settings.
	 * @param string   $provider The profile's name.
	 */
	private static function api_scope( Settings $settings, string $provider ): ?string {
		$class = Transport_Registry::oauth_class( $settings->transport );
		return null !== $class && $class::oauth_provider() === $provider ? $class::oauth_scope( $settings->api_account ) : null;
	}

	/**
	 * The first setting the flow needs that is missing, as a field name; null when it can start.
	 *
	 * @param Settings $settings Effective settings.
	 */
	public function missing_field( Settings $settings ): ?string {
		if ( '' === $settings->oauth_client_id ) {
			return 'oauth_client_id';
		}
		if ( '' === $this->authorize_url ) {
			return 'oauth_authorize_url';
		}
		if ( '' === $this->token_url ) {
			return 'oauth_token_url';
		}
		return '' === $this->scope ? 'oauth_scope' : null;
	}

	/**
	 * The profiles for the page (boot data `oauthProfiles`): label, endpoints (Microsoft's with
	 * `{tenant}`), scope and SMTP server; the generic profile's are empty.
	 *
	 * @return array<string, array{label: string, authorize_url: string, token_url: string, scope: string, host: string, port: int}>
	 */
	public static function for_page(): array {
		$labels   = self::labels();
		$profiles = array();
		foreach ( self::ALL as $provider ) {
			$known                 = self::KNOWN[ $provider ] ?? array(
				'authorize_url' => '',
				'token_url'     => '',
				'scope'         => '',
			);
			$smtp                  = Provider_Table::for_oauth( $provider );
			$profiles[ $provider ] = array(
				'label'         => $labels[ $provider ],
				'authorize_url' => $known['authorize_url'],
				'token_url'     => $known['token_url'],
				'scope'         => $known['scope'],
				'host'          => null !== $smtp ? $smtp['host'] : '',
				'port'          => null !== $smtp ? ( $smtp['ports'][0] ?? Submission_Ports::SUBMISSION ) : Submission_Ports::SUBMISSION,
			);
		}
		return $profiles;
	}

	/**
	 * JSON schema of for_page() (BootData `oauthProfiles`).
	 *
	 * @return array<string, mixed>
	 */
	public static function page_schema(): array {
		$profile = array(
			'title'                => 'OAuthProfile',
			'type'                 => 'object',
			'properties'           => array(
				'label'         => array( 'type' => 'string' ),
				'authorize_url' => array(
					'description' => 'Authorization endpoint; Microsoft\'s contains {tenant}; empty for the generic profile.',
					'type'        => 'string',
				),
				'token_url'     => array( 'type' => 'string' ),
				'scope'         => array( 'type' => 'string' ),
				'host'          => array(
					'description' => 'The provider\'s SMTP server; empty for the generic profile.',
					'type'        => 'string',
				),
				'port'          => array( 'type' => 'integer' ),
			),
			'required'             => array( 'label', 'authorize_url', 'token_url', 'scope', 'host', 'port' ),
			'additionalProperties' => false,
		);
		return array(
			'description'          => 'The OAuth 2.0 provider profiles (PHP owns the vocabulary).',
			'type'                 => 'object',
			'properties'           => array_fill_keys( self::ALL, $profile ),
			'required'             => self::ALL,
			'additionalProperties' => false,
		);
	}

	/**
	 * The translated name of each profile.
	 *
	 * @return array<string, string>
	 */
	public static function labels(): array {
		return array(
			self::MICROSOFT => __( 'Microsoft 365 (Exchange Online)', 'smtp-port-helper' ),
			self::GOOGLE    => __( 'Google Workspace / Gmail', 'smtp-port-helper' ),
			self::GENERIC   => __( 'Other OAuth 2.0 provider', 'smtp-port-helper' ),
		);
	}

	/**
	 * A constant's value when it is a non-empty string, else the fallback.
	 *
	 * @param string $constant Constant name.
	 * @param string $fallback Value without the constant.
	 */
	private static function constant_or( string $constant, string $fallback ): string {
		if ( defined( $constant ) ) {
			$value = constant( $constant );
			if ( is_string( $value ) && '' !== trim( $value ) ) {
				return trim( $value );
			}
		}
		return $fallback;
	}
}
