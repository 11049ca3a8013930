<?php
/**
 * Where the OAuth tokens of a site are kept: sealed, never autoloaded.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Plugin;

use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Saved_Login;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Two options, both with autoload off, so that no page load reads them unless it sends mail:
 * `smtp_port_helper_oauth` holds the connection (the refresh token sealed by Secret_Box, the
 * account, the server and mailbox it is for, its state) and `smtp_port_helper_oauth_access` the
 * access token (sealed too) and its expiry. Both tokens are bound to the site, the token
 * endpoint, the client ID, the SMTP server and the mailbox: a token copied to another site, or
 * read after any of these changed, does not open, so it is never sent to another server.
 */
final class Token_Store {

	public const OPTION        = Plugin::OAUTH_TOKENS_OPTION;
	public const ACCESS_OPTION = \SmtpPortHelper\Stored_Names::OAUTH_ACCESS;

	public const STATE_NONE      = 'none';
	public const STATE_CONNECTED = 'connected';
	public const STATE_FAILED    = 'failed';

	/**
	 * Encryption; null when there is no key material (nothing can be stored then).
	 *
	 * @var Secret_Box|null
	 */
	private ?Secret_Box $box;

	/**
	 * `site:<blog id>`: the scope the tokens are bound to.
	 *
	 * @var string
	 */
	private string $scope;

	/**
	 * Takes the encryption and the scope.
	 *
	 * @param Secret_Box|null $box   Encryption.
	 * @param string          $scope Settings_Layers::binding_scope().
	 */
	public function __construct( ?Secret_Box $box, string $scope ) {
		$this->box   = $box;
		$this->scope = $scope;
	}

	/**
	 * The XOAUTH2 user name for the settings: the saved user name, or the connected account.
	 *
	 * @param Settings $settings Effective settings.
	 * @param string   $account  Connected account.
	 */
	public static function mailbox( Settings $settings, string $account ): string {
		return '' !== $settings->username ? $settings->username : $account;
	}

	/**
	 * Whether tokens can be stored (the key material is usable).
	 */
	public function can_store(): bool {
		return null !== $this->box;
	}

	/**
	 * Keeps a new connection: the refresh token sealed, and the first access token.
	 *
	 * @param Settings $settings      Effective settings it was made with.
	 * @param string   $account       Account (e-mail address), '' when unknown.
	 * @param string   $refresh_token Refresh token.
	 * @param string   $access_token  Access token.
	 * @param int      $expires_at    When the access token expires (Unix time).
	 * @param string   $scope         The scope granted ('' when the answer did not say).
	 * @param int      $refresh_life  The answer's refresh_token_expires_in (seconds), 0 when it had none.
	 * @return bool Whether it was stored.
	 */
	public function connect( Settings $settings, string $account, string $refresh_token, string $access_token, int $expires_at, string $scope = '', int $refresh_life = 0 ): bool {
		if ( null === $this->box ) {
			return false;
		}
		$record = array(
			'account'            => $account,
			'host'               => Saved_Login::host_key( $settings->host ),
			'mailbox'            => self::mailbox( $settings, $account ),
			'token_url'          => Provider_Profile::of( $settings )->token_url,
			'requested_scope'    => Provider_Profile::of( $settings )->scope,
			'client_id'          => $settings->oauth_client_id,
			'provider'           => Provider_Profile::of( $settings )->provider,
			'connected_at'       => gmdate( 'Y-m-d\TH:i:s\Z' ),
			'scope'              => $scope,
			'state'              => self::STATE_CONNECTED,
			'code'               => '',
			'message'            => '',
			'refreshed_at'       => (string) time(),
			'failed_at'          => '',
			'refresh_expires_at' => $refresh_life > 0 ? (string) ( time() + $refresh_life ) : '',
		);

		$record['refresh'] = $this->box->seal( $refresh_token, $this->binding( 'oauth-refresh-token', $record ) );
		delete_option( self::OPTION );
		add_option( self::OPTION, $record, '', false );
		$this->keep_access_token( $record, $access_token, $expires_at );
		return true;
	}

	/**
	 * The connection record when it is for these settings (same server, mailbox, token endpoint
	 * and client ID); null otherwise.
	 *
	 * @param Settings $settings Effective settings.
	 * @return array<string, string>|null
	 */
	public function record_for( Settings $settings ): ?array {
		$record = $this->record();
		if ( null === $record ) {
			return null;
		}
		$same = Saved_Login::same_host( $record['host'], $settings->host )
			&& self::mailbox( $settings, $record['account'] ) === $record['mailbox']
			&& Provider_Profile::of( $settings )->token_url === $record['token_url']
			&& $settings->oauth_client_id === $record['client_id']
			&& self::same_resource( $record, $settings );
		return $same ? $record : null;
	}

	/**
	 * Whether a connection was made with the scope the settings ask for now: a token for SMTP
	 * (outlook.office.com) is refused by Microsoft Graph and the other way round, so switching the
	 * transport needs a new consent. A record from before this binding was made for SMTP.
	 *
	 * @param array<string, string> $record   The connection record.
	 * @param Settings              $settings Effective settings.
	 */
	private static function same_resource( array $record, Settings $settings ): bool {
		if ( ! isset( $record['requested_scope'] ) ) {
			return null === \SmtpPortHelper\Transport\Transport_Registry::oauth_class( $settings->transport );
		}
		return Provider_Profile::of( $settings )->scope === $record['requested_scope'];
	}

	/**
	 * The stored record, whatever it was made for; null when there is none.
	 *
	 * @return array<string, string>|null
	 */
	public function record(): ?array {
		$record = get_option( self::OPTION, null );
		if ( ! is_array( $record ) ) {
			return null;
		}
		$keys  = array( 'account', 'host', 'mailbox', 'token_url', 'client_id', 'provider', 'connected_at', 'scope', 'state', 'code', 'message', 'refresh', 'refreshed_at', 'failed_at', 'refresh_expires_at' );
		$clean = array();
		foreach ( $keys as $key ) {
			$clean[ $key ] = isset( $record[ $key ] ) && is_string( $record[ $key ] ) ? $record[ $key ] : '';
		}
		if ( isset( $record['requested_scope'] ) && is_string( $record['requested_scope'] ) ) {
			$clean['requested_scope'] = $record['requested_scope'];
		}
		return $clean;
	}

	/**
	 * The refresh token of the record; null when it does not open.
	 *
	 * @param array<string, string> $record A record of record_for().
	 */
	public function refresh_token( array $record ): ?string {
		return null === $this->box ? null : $this->box->open( $record['refresh'], $this->binding( 'oauth-refresh-token', $record ) );
	}

	/**
	 * The cached access token when it is valid for at least `$margin` more seconds.
	 *
	 * @param array<string, string> $record A record of record_for().
	 * @param int                   $margin Seconds it must still be valid.
	 */
	public function access_token( array $record, int $margin ): ?string {
		$cached = get_option( self::ACCESS_OPTION, null );
		if ( null === $this->box || ! is_array( $cached ) || ! isset( $cached['token'], $cached['expires'] ) || ! is_int( $cached['expires'] ) ) {
			return null;
		}
		if ( $cached['expires'] - $margin <= time() ) {
			return null;
		}
		return $this->box->open( $cached['token'], $this->binding( 'oauth-access-token', $record ) );
	}

	/**
	 * Keeps a refreshed access token (and a rotated refresh token) and marks the connection working.
	 *
	 * @param array<string, string> $record        A record of record_for().
	 * @param string                $access_token  New access token.
	 * @param int                   $expires_at    When it expires (Unix time).
	 * @param string|null           $refresh_token A new refresh token when the provider rotated it.
	 * @param int                   $refresh_life  The answer's refresh_token_expires_in, 0 when it had none.
	 */
	public function refreshed( array $record, string $access_token, int $expires_at, ?string $refresh_token, int $refresh_life = 0 ): void {
		if ( null === $this->box ) {
			return;
		}
		$record['refreshed_at'] = (string) time();
		$record['failed_at']    = '';
		if ( $refresh_life > 0 ) {
			$record['refresh_expires_at'] = (string) ( time() + $refresh_life );
		}
		if ( null !== $refresh_token && '' !== $refresh_token ) {
			$record['refresh'] = $this->box->seal( $refresh_token, $this->binding( 'oauth-refresh-token', $record ) );
		}
		$record['state']   = self::STATE_CONNECTED;
		$record['code']    = '';
		$record['message'] = '';
		update_option( self::OPTION, $record, false );
		$this->keep_access_token( $record, $access_token, $expires_at );
	}

	/**
	 * Marks the connection failed (a refused refresh): the verdict and what to do.
	 *
	 * @param string $code    Verdict code.
	 * @param string $message Plain words.
	 */
	public function fail( string $code, string $message ): void {
		$record = $this->record();
		if ( null === $record ) {
			return;
		}
		$record['state']     = self::STATE_FAILED;
		$record['code']      = $code;
		$record['message']   = $message;
		$record['failed_at'] = (string) time();
		update_option( self::OPTION, $record, false );
		delete_option( self::ACCESS_OPTION );
	}

	/**
	 * Seals both tokens again under this store's key (`wp smtp-port-helper rekey`), opening them
	 * with the former key, for the same site, endpoint, client ID, server and mailbox. An access
	 * token neither key opens is dropped (the next use refreshes it). A connection marked failed
	 * is marked connected again: the next use tries the refresh once more (a refused grant fails
	 * it again, with the provider's words).
	 *
	 * @param Secret_Box|null $old The box of the former key material (null: none is usable).
	 * @return string Resealed::*: what happened to the refresh token.
	 */
	public function rekey( ?Secret_Box $old ): string {
		$record = $this->record();
		if ( null === $record || null === $this->box || '' === $record['refresh'] ) {
			return Resealed::NONE;
		}
		$refresh = $this->box->reseal( $record['refresh'], $this->binding( 'oauth-refresh-token', $record ), $old );
		if ( null === $refresh->sealed ) {
			return $refresh->outcome;
		}
		$record['refresh'] = $refresh->sealed;
		if ( self::STATE_FAILED === $record['state'] ) {
			// A use between the key change and this command could not open the token and failed the connection; try it again.
			$record['state']   = self::STATE_CONNECTED;
			$record['code']    = '';
			$record['message'] = '';
		}
		update_option( self::OPTION, $record, false );
		$cached = get_option( self::ACCESS_OPTION, null );
		if ( ! is_array( $cached ) || ! isset( $cached['token'], $cached['expires'] ) || ! is_string( $cached['token'] ) || ! is_int( $cached['expires'] ) ) {
			return $refresh->outcome;
		}
		$access = $this->box->reseal( $cached['token'], $this->binding( 'oauth-access-token', $record ), $old );
		if ( null !== $access->sealed ) {
			$this->store_access_token( $access->sealed, $cached['expires'] );
		} elseif ( Resealed::UNREADABLE === $access->outcome ) {
			delete_option( self::ACCESS_OPTION );
		}
		return $refresh->outcome;
	}

	/**
	 * Forgets both tokens and the connection.
	 */
	public function forget(): void {
		delete_option( self::OPTION );
		delete_option( self::ACCESS_OPTION );
	}

	/**
	 * The `oauth_connection` of the settings answer. Never a token.
	 *
	 * @param Settings $settings Effective settings.
	 * @return array{state: string, account: string, connected_at: string, code: string, message: string}
	 */
	public function connection( Settings $settings ): array {
		$record = $this->record();
		if ( null === $record ) {
			return self::status( self::STATE_NONE, '', '', '', '' );
		}
		if ( null === $this->record_for( $settings ) ) {
			return self::status(
				self::STATE_NONE,
				'',
				'',
				Verdict::OAUTH_NOT_CONNECTED,
				__( 'The account was connected for another server, user name, provider or client ID. Connect again to use the current settings.', 'smtp-port-helper' )
			);
		}
		if ( self::STATE_FAILED === $record['state'] ) {
			return self::status( self::STATE_FAILED, $record['account'], $record['connected_at'], $record['code'], $record['message'] );
		}
		return self::status( self::STATE_CONNECTED, $record['account'], $record['connected_at'], '', '' );
	}

	/**
	 * The `oauth_connection` where no connection can be (the network defaults).
	 *
	 * @return array{state: string, account: string, connected_at: string, code: string, message: string}
	 */
	public static function no_connection(): array {
		return self::status( self::STATE_NONE, '', '', '', '' );
	}

	/**
	 * One `oauth_connection` value.
	 *
	 * @param string $state        STATE_*.
	 * @param string $account      Account.
	 * @param string $connected_at ISO 8601 or ''.
	 * @param string $code         Verdict code or ''.
	 * @param string $message      Plain words or ''.
	 * @return array{state: string, account: string, connected_at: string, code: string, message: string}
	 */
	private static function status( string $state, string $account, string $connected_at, string $code, string $message ): array {
		return array(
			'state'        => $state,
			'account'      => $account,
			'connected_at' => $connected_at,
			'code'         => $code,
			'message'      => $message,
		);
	}

	/**
	 * Caches an access token without autoload.
	 *
	 * @param array<string, string> $record       The record it belongs to.
	 * @param string                $access_token Access token.
	 * @param int                   $expires_at   Unix time.
	 */
	private function keep_access_token( array $record, string $access_token, int $expires_at ): void {
		if ( null === $this->box ) {
			return;
		}
		$this->store_access_token( $this->box->seal( $access_token, $this->binding( 'oauth-access-token', $record ) ), $expires_at );
	}

	/**
	 * Writes the sealed access token and its expiry, without autoload.
	 *
	 * @param string $sealed     The sealed access token.
	 * @param int    $expires_at Unix time.
	 */
	private function store_access_token( string $sealed, int $expires_at ): void {
		delete_option( self::ACCESS_OPTION );
		add_option(
			self::ACCESS_OPTION,
			array(
				'token'   => $sealed,
				'expires' => $expires_at,
			),
			'',
			false
		);
	}

	/**
	 * What a token of a record is bound to.
	 *
	 * @param string                $purpose `oauth-refresh-token` or `oauth-access-token`.
	 * @param array<string, string> $record  The record.
	 */
	private function binding( string $purpose, array $record ): string {
		return self::context( $purpose, $this->scope, $record );
	}

	/**
	 * The context a token is sealed for: the site, the token endpoint, the client ID, the SMTP
	 * server, the mailbox and the account of its record.
	 *
	 * @param string                $purpose `oauth-refresh-token` or `oauth-access-token`.
	 * @param string                $scope   `site:<blog id>`.
	 * @param array<string, string> $record  The record (token_url, client_id, host, mailbox, account).
	 */
	public static function context( string $purpose, string $scope, array $record ): string {
		return Secret_Box::context( $purpose, array( $scope, $record['token_url'], $record['client_id'], $record['host'], $record['mailbox'], $record['account'] ) );
	}
}
