<?php
/**
 * The OAuth 2.0 connection of a site: start, finish, use and forget it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use WP_Error;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One engine for every front door: the REST routes start and end a connection, the page's
 * callback finishes it, and the sending, the port test, the test email, Site Health and WP-CLI
 * all take their access token from access_token(). Tokens are used only for the SMTP server and
 * mailbox they were connected for (Token_Store binds them), like the saved password.
 */
class OAuth_Connection {

	/** Refresh this long before the access token expires. */
	public const REFRESH_MARGIN = 300;

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The states of started flows.
	 *
	 * @var Authorization_State
	 */
	private Authorization_State $states;

	/**
	 * Builds the HTTP client for an address policy.
	 *
	 * @var callable(Address_Policy): Token_Client
	 */
	private $client_factory;

	/**
	 * One refresh at a time.
	 *
	 * @var Refresh_Lock
	 */
	private Refresh_Lock $lock;

	/**
	 * Takes the settings (site scope) and, for tests, the parts.
	 *
	 * @param Settings_Store           $settings       Site settings.
	 * @param Authorization_State|null $states         States.
	 * @param callable|null            $client_factory Address_Policy => Token_Client.
	 */
	public function __construct( Settings_Store $settings, ?Authorization_State $states = null, ?callable $client_factory = null ) {
		$this->settings       = $settings;
		$this->states         = $states ?? new Authorization_State();
		$this->lock           = new Refresh_Lock();
		$this->client_factory = $client_factory ?? static function ( Address_Policy $policy ): Token_Client {
			return new Token_Client( $policy );
		};
	}

	/**
	 * The token store of this site.
	 */
	public function tokens(): Token_Store {
		return new Token_Store( Secret_Box::for_site(), 'site:' . get_current_blog_id() );
	}

	/**
	 * The redirect URI to register with the provider: the settings page.
	 */
	public static function redirect_uri(): string {
		return admin_url( 'options-general.php?page=' . \SmtpPortHelper\Plugin::SETTINGS_PAGE_SLUG );
	}

	/**
	 * The provider's sign-in address for the current user, from the saved settings; a 400
	 * naming the first missing field when the flow cannot start.
	 *
	 * @param int $user_id The user starting the flow.
	 * @return string|WP_Error
	 */
	public function authorize_url( int $user_id ) {
		$settings = $this->settings->get();
		$profile  = Provider_Profile::of( $settings );
		$missing  = $profile->missing_field( $settings );
		if ( null !== $missing ) {
			return self::bad_field( $missing, __( 'Save this setting first: the sign-in needs it.', 'smtp-port-helper' ) );
		}
		foreach ( array(
			'oauth_authorize_url' => $profile->authorize_url,
			'oauth_token_url'     => $profile->token_url,
		) as $field => $url ) {
			$error = Endpoint_Url::error( $url );
			if ( null !== $error ) {
				return self::bad_field( $field, $error );
			}
		}
		if ( ! $this->tokens()->can_store() ) {
			return self::bad_field( 'oauth_client_id', __( 'The sign-in cannot be stored safely: the salts in wp-config.php are missing, placeholders or duplicated. Define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase) first.', 'smtp-port-helper' ) );
		}
		$verifier = Pkce::verifier();
		$query    = array(
			'response_type'         => 'code',
			'client_id'             => $settings->oauth_client_id,
			'redirect_uri'          => self::redirect_uri(),
			'scope'                 => self::request_scope( $profile ),
			'state'                 => $this->states->create( $user_id, $verifier, 'site' ),
			'code_challenge'        => Pkce::challenge( $verifier ),
			'code_challenge_method' => Pkce::METHOD,
		);
		if ( Provider_Profile::GOOGLE === $profile->provider ) {
			// Google gives a refresh token only with offline access, and again only with consent.
			$query['access_type'] = 'offline';
			$query['prompt']      = 'consent';
		}
		if ( '' !== $settings->username ) {
			$query['login_hint'] = $settings->username;
		}
		$separator = false === strpos( $profile->authorize_url, '?' ) ? '?' : '&';
		return $profile->authorize_url . $separator . http_build_query( $query, '', '&', PHP_QUERY_RFC3986 );
	}

	/**
	 * The scope of the authorization request: the profile's, plus `openid email` for the named
	 * profiles so that the ID token names the account.
	 *
	 * @param Provider_Profile $profile Profile.
	 */
	private static function request_scope( Provider_Profile $profile ): string {
		$scopes = preg_split( '/\s+/', trim( $profile->scope ) );
		$scopes = false === $scopes ? array() : $scopes;
		if ( Provider_Profile::GENERIC !== $profile->provider ) {
			$scopes = array_merge( $scopes, array( 'openid', 'email' ) );
		}
		return implode( ' ', array_values( array_unique( array_filter( $scopes ) ) ) );
	}

	/**
	 * Finishes a flow from the callback's query (`code` and `state`, or `error`): checks the
	 * state for the user, exchanges the code with the verifier and stores the tokens.
	 *
	 * @param array<string, mixed> $query   The callback's query arguments (unchecked).
	 * @param int                  $user_id The current user.
	 * @param Address_Policy       $policy  Address policy of the current user.
	 * @return array{ok: bool, code: string, message: string}
	 */
	public function complete( array $query, int $user_id, Address_Policy $policy ): array {
		$state = $this->states->consume( $query['state'] ?? null, $user_id );
		if ( null === $state ) {
			return self::outcome( 'oauth_state_invalid', __( 'The sign-in answer did not belong to a sign-in started here by you in the last 10 minutes, so it was ignored. Click "Connect" again.', 'smtp-port-helper' ) );
		}
		if ( isset( $query['error'] ) ) {
			$error = new Token_Error( is_string( $query['error'] ) ? $query['error'] : 'access_denied', isset( $query['error_description'] ) && is_string( $query['error_description'] ) ? $query['error_description'] : '' );
			return self::outcome(
				'oauth_denied',
				sprintf(
					/* translators: %s: the provider's error code and description */
					__( 'The provider did not grant access (%s). Click "Connect" again and accept the permissions asked for, or ask the tenant\'s administrator to grant consent.', 'smtp-port-helper' ),
					$error->getMessage()
				)
			);
		}
		$code = $query['code'] ?? null;
		if ( ! is_string( $code ) || '' === $code || strlen( $code ) > 4096 ) {
			return self::outcome( 'oauth_state_invalid', __( 'The sign-in answer carried no authorization code. Click "Connect" again.', 'smtp-port-helper' ) );
		}
		$settings = $this->settings->get();
		$profile  = Provider_Profile::of( $settings );
		try {
			$tokens = $this->client( $policy )->exchange_code( $profile, $settings->oauth_client_id, $this->settings->oauth_client_secret(), $code, $state['verifier'], self::redirect_uri() );
		} catch ( Token_Error $error ) {
			return self::outcome( Verdict::OAUTH_REFRESH_FAILED, $error->plain() );
		}
		if ( '' === $tokens['refresh_token'] ) {
			return self::outcome( Verdict::OAUTH_REFRESH_FAILED, __( 'The provider gave no refresh token, so mail could only be sent for an hour. Make sure the scope includes offline access (Microsoft: offline_access), then click "Connect" again.', 'smtp-port-helper' ) );
		}
		$account = self::account( $tokens['id_token'], $settings );
		$this->tokens()->connect( $settings, $account, $tokens['refresh_token'], $tokens['access_token'], time() + $tokens['expires_in'], $tokens['scope'], $tokens['refresh_token_expires_in'] );
		return self::outcome( '', '' );
	}

	/**
	 * A usable access token for the saved settings, refreshed when it expires within
	 * REFRESH_MARGIN; one refresh at a time. A refused refresh marks the connection failed.
	 *
	 * With `$refused` (a token the SMTP server just refused before the expiry the plugin computed:
	 * password changed, sessions revoked, continuous access evaluation, a clock off), the cached
	 * token is not used while it is that one: the token is refreshed at once — unless another
	 * request already did (then its new token is used), so many refused sends refresh once.
	 *
	 * @param Address_Policy $policy  Address policy for the token endpoint.
	 * @param string         $refused The access token the server refused, or ''.
	 */
	public function access_token( Address_Policy $policy, string $refused = '' ): Token_Result {
		$settings = $this->settings->get();
		$tokens   = $this->tokens();
		$record   = $tokens->record_for( $settings );
		if ( null === $record ) {
			return Token_Result::failure( $settings->username, Verdict::OAUTH_NOT_CONNECTED, self::not_connected_message() );
		}
		$user = Token_Store::mailbox( $settings, $record['account'] );
		if ( Token_Store::STATE_FAILED === $record['state'] ) {
			return Token_Result::failure( $user, '' !== $record['code'] ? $record['code'] : Verdict::OAUTH_REFRESH_FAILED, $record['message'] );
		}
		$cached = self::usable( $tokens->access_token( $record, self::REFRESH_MARGIN ), $refused );
		if ( null !== $cached ) {
			return Token_Result::token( $cached, $user );
		}
		if ( ! $this->lock->take() ) {
			// Another request refreshes right now: use what it gets.
			$waited = $this->lock->wait(
				static function () use ( $tokens, $record, $refused ): ?string {
					return self::usable( $tokens->access_token( $record, 0 ), $refused );
				}
			);
			return null !== $waited ? Token_Result::token( $waited, $user ) : Token_Result::failure( $user, Verdict::OAUTH_REFRESH_FAILED, ( new Token_Error( Token_Error::NETWORK, 'another refresh did not finish' ) )->plain(), true );
		}
		try {
			// A refresh that finished between the look above and the lock: its token serves.
			wp_cache_delete( Token_Store::ACCESS_OPTION, 'options' );
			wp_cache_delete( Token_Store::OPTION, 'options' );
			$fresh = self::usable( $tokens->access_token( $record, self::REFRESH_MARGIN ), $refused );
			if ( null !== $fresh ) {
				return Token_Result::token( $fresh, $user );
			}
			return $this->refresh( $policy, $settings, $tokens, $record, $user );
		} finally {
			$this->lock->release();
		}
	}

	/**
	 * Renews the sign-in now, whatever the cached token (the weekly keep-alive: a refresh token
	 * that is used does not expire for inactivity — Microsoft's after 90 days). One refresh at a
	 * time; a refresh that another request just did counts.
	 *
	 * @param Address_Policy $policy Address policy for the token endpoint.
	 */
	public function keep_alive( Address_Policy $policy ): Token_Result {
		$settings = $this->settings->get();
		$tokens   = $this->tokens();
		$record   = $tokens->record_for( $settings );
		if ( null === $record || Token_Store::STATE_FAILED === $record['state'] ) {
			return $this->access_token( $policy );
		}
		$user = Token_Store::mailbox( $settings, $record['account'] );
		if ( ! $this->lock->take() ) {
			return Token_Result::failure( $user, Verdict::OAUTH_REFRESH_FAILED, ( new Token_Error( Token_Error::NETWORK, 'another refresh is running' ) )->plain(), true );
		}
		try {
			return $this->refresh( $policy, $settings, $tokens, $record, $user );
		} finally {
			$this->lock->release();
		}
	}

	/**
	 * Refreshes under the lock: stores the new token, or fails the connection when the provider
	 * refuses (a network error or a busy provider is not stored: the next use tries again).
	 *
	 * @param Address_Policy        $policy   Address policy for the token endpoint.
	 * @param Settings              $settings Effective settings.
	 * @param Token_Store           $tokens   Token store.
	 * @param array<string, string> $record   The connection record.
	 * @param string                $user     XOAUTH2 user.
	 */
	private function refresh( Address_Policy $policy, Settings $settings, Token_Store $tokens, array $record, string $user ): Token_Result {
		$refresh = $tokens->refresh_token( $record );
		if ( null === $refresh ) {
			$message = __( 'The saved sign-in cannot be decrypted any more (the security keys of this site changed). Click "Connect" in Settings → SMTP Port Helper and sign in again.', 'smtp-port-helper' );
			$tokens->fail( Verdict::OAUTH_REFRESH_FAILED, $message );
			return Token_Result::failure( $user, Verdict::OAUTH_REFRESH_FAILED, $message );
		}
		try {
			// Ask for what was granted: the profile's scope plus `openid email` may be more than the refresh token carries.
			$profile = Provider_Profile::of( $settings );
			$answer  = $this->client( $policy )->refresh( $profile, $settings->oauth_client_id, $this->settings->oauth_client_secret(), $refresh, $record['scope'] );
			$tokens->refreshed( $record, $answer['access_token'], time() + $answer['expires_in'], '' !== $answer['refresh_token'] ? $answer['refresh_token'] : null, $answer['refresh_token_expires_in'] );
			return Token_Result::token( $answer['access_token'], $user );
		} catch ( Token_Error $error ) {
			if ( $error->is_permanent() ) {
				$tokens->fail( Verdict::OAUTH_REFRESH_FAILED, $error->plain( $record ) );
				/**
				 * The provider refused to renew the OAuth sign-in: mail is held until it is connected again.
				 *
				 * @param string $error   The provider's error code (invalid_grant…).
				 * @param string $message Plain words.
				 */
				do_action( 'smtp_port_helper_oauth_refresh_failed', $error->error(), $error->plain( $record ) );
			}
			return Token_Result::failure( $user, Verdict::OAUTH_REFRESH_FAILED, $error->plain( $record ), ! $error->is_permanent() );
		}
	}

	/**
	 * A cached token unless it is the one the server refused.
	 *
	 * @param string|null $cached  Cached token or null.
	 * @param string      $refused Refused token or ''.
	 */
	private static function usable( ?string $cached, string $refused ): ?string {
		return null !== $cached && ( '' === $refused || ! hash_equals( $refused, $cached ) ) ? $cached : null;
	}

	/**
	 * Forgets the connection, revoking the refresh token first where the provider can.
	 *
	 * @param Address_Policy $policy Address policy for the revocation endpoint.
	 * @return bool Whether the provider confirmed the revocation.
	 */
	public function disconnect( Address_Policy $policy ): bool {
		$tokens  = $this->tokens();
		$record  = $tokens->record();
		$revoked = false;
		if ( null !== $record ) {
			$settings = $this->settings->get();
			$refresh  = null !== $tokens->record_for( $settings ) ? $tokens->refresh_token( $record ) : null;
			if ( null !== $refresh ) {
				$revoked = $this->client( $policy )->revoke( Provider_Profile::of( $settings ), $settings->oauth_client_id, $this->settings->oauth_client_secret(), $refresh );
			}
		}
		$tokens->forget();
		return $revoked;
	}

	/**
	 * Why there is no token: nothing connected for these settings.
	 */
	public static function not_connected_message(): string {
		return __( 'OAuth 2.0 is chosen, but no account is connected for this server and user name. Click "Connect" in Settings → SMTP Port Helper and sign in with the mailbox.', 'smtp-port-helper' );
	}

	/**
	 * The account the tokens are for: the ID token's e-mail (it came straight from the token
	 * endpoint over TLS, so its signature need not be checked, OpenID Connect Core §3.1.3.7),
	 * else the saved user name.
	 *
	 * @param string   $id_token ID token or ''.
	 * @param Settings $settings Effective settings.
	 */
	public static function account( string $id_token, Settings $settings ): string {
		$parts = explode( '.', $id_token );
		if ( 3 === count( $parts ) ) {
			$claims = json_decode( (string) base64_decode( strtr( $parts[1], '-_', '+/' ), true ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- a JWT's payload.
			if ( is_array( $claims ) ) {
				foreach ( array( 'email', 'preferred_username', 'upn' ) as $claim ) {
					if ( isset( $claims[ $claim ] ) && is_string( $claims[ $claim ] ) && false !== strpos( $claims[ $claim ], '@' ) && strlen( $claims[ $claim ] ) <= 254 && 1 !== preg_match( '/[\x00-\x20\x7f]/', $claims[ $claim ] ) ) {
						return $claims[ $claim ];
					}
				}
			}
		}
		return $settings->username;
	}

	/**
	 * The HTTP client for a policy.
	 *
	 * @param Address_Policy $policy Address policy.
	 */
	private function client( Address_Policy $policy ): Token_Client {
		return ( $this->client_factory )( $policy );
	}

	/**
	 * The outcome of complete().
	 *
	 * @param string $code    '' on success, else a code.
	 * @param string $message Plain words.
	 * @return array{ok: bool, code: string, message: string}
	 */
	private static function outcome( string $code, string $message ): array {
		return array(
			'ok'      => '' === $code,
			'code'    => $code,
			'message' => $message,
		);
	}

	/**
	 * A 400 naming a field.
	 *
	 * @param string $field   Field name.
	 * @param string $message Why.
	 */
	private static function bad_field( string $field, string $message ): WP_Error {
		return new WP_Error(
			'rest_invalid_param',
			/* translators: %s: a setting name */
			sprintf( __( 'Invalid setting(s): %s', 'smtp-port-helper' ), $field ),
			array(
				'status' => 400,
				'params' => array( $field => $message ),
			)
		);
	}
}
