<?php
/**
 * The provider's return to the settings page.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Runs on the settings page's load hook: when the request carries `state` (with `code` or
 * `error`), it checks the capability, the state (single use, this user, 10 minutes) and its
 * nonce, lets OAuth_Connection exchange the code, then redirects to the page with
 * `&oauth=connected` or `&oauth=failed&oauth_code=<code>` — so the code never stays in the
 * address bar, the history or a Referer.
 */
final class OAuth_Callback {

	/**
	 * The OAuth engine.
	 *
	 * @var OAuth_Connection
	 */
	private OAuth_Connection $oauth;

	/**
	 * Takes the engine.
	 *
	 * @param OAuth_Connection $oauth OAuth engine.
	 */
	public function __construct( OAuth_Connection $oauth ) {
		$this->oauth = $oauth;
	}

	/**
	 * Handles the callback when the request is one; does nothing otherwise.
	 */
	public function maybe_handle(): void {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- the state carries the nonce; OAuth_Connection checks it.
		if ( ! isset( $_GET['state'] ) || ( ! isset( $_GET['code'] ) && ! isset( $_GET['error'] ) ) ) {
			return;
		}
		$query = array();
		foreach ( array( 'state', 'code', 'error', 'error_description' ) as $key ) {
			if ( ! isset( $_GET[ $key ] ) || ! is_string( $_GET[ $key ] ) ) {
				continue;
			}
			// phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- checked right here: sanitize_text_field() would drop parts of a code (e.g. %xx), and the code only goes to the token endpoint.
			$value = wp_unslash( $_GET[ $key ] );
			if ( 'code' === $key || 'state' === $key ) {
				// Codes and states are printable ASCII (RFC 6749 §4.1.2, VSCHAR); anything else is no code.
				$query[ $key ] = 1 === preg_match( '/^[\x20-\x7e]{1,4096}$/', $value ) ? $value : '';
			} else {
				$query[ $key ] = sanitize_text_field( $value );
			}
		}
		// phpcs:enable
		$outcome = $this->handle( $query );
		wp_safe_redirect( self::result_url( $outcome ) );
		exit;
	}

	/**
	 * Checks the capability and finishes the flow.
	 *
	 * @param array<string, string> $query The callback's arguments.
	 * @return array{ok: bool, code: string, message: string}
	 */
	public function handle( array $query ): array {
		if ( ! current_user_can( 'manage_options' ) ) {
			return array(
				'ok'      => false,
				'code'    => 'oauth_forbidden',
				'message' => __( 'Only an administrator of this site can connect its mailbox.', 'smtp-port-helper' ),
			);
		}
		$outcome = $this->oauth->complete( $query, get_current_user_id(), ( new Address_Policy_Source() )->for_token_endpoint( new Settings_Store() ) );
		if ( ! $outcome['ok'] ) {
			// The page shows it after the redirect (the code alone travels in the URL).
			set_transient( \SmtpPortHelper\Stored_Names::OAUTH_RESULT_PREFIX . get_current_user_id(), $outcome, 600 );
		}
		return $outcome;
	}

	/**
	 * Why the current user's last sign-in failed, once (boot data `oauthFailure`); empty strings
	 * when it did not, or when the page does not come from a failed callback.
	 *
	 * @return array{code: string, message: string}
	 */
	public static function last_failure(): array {
		$none = array(
			'code'    => '',
			'message' => '',
		);
		// phpcs:ignore WordPress.Security.NonceVerification.Recommended -- only selects what to show.
		if ( ! isset( $_GET['oauth'] ) || 'failed' !== $_GET['oauth'] || ! function_exists( 'get_current_user_id' ) ) {
			return $none;
		}
		$key     = \SmtpPortHelper\Stored_Names::OAUTH_RESULT_PREFIX . get_current_user_id();
		$outcome = get_transient( $key );
		delete_transient( $key );
		if ( ! is_array( $outcome ) || ! isset( $outcome['code'], $outcome['message'] ) ) {
			return $none;
		}
		return array(
			'code'    => (string) $outcome['code'],
			'message' => (string) $outcome['message'],
		);
	}

	/**
	 * The page's address after the callback.
	 *
	 * @param array{ok: bool, code: string, message: string} $outcome Outcome.
	 */
	public static function result_url( array $outcome ): string {
		$args = $outcome['ok'] ? array( 'oauth' => 'connected' ) : array(
			'oauth'      => 'failed',
			'oauth_code' => $outcome['code'],
		);
		return add_query_arg( $args, OAuth_Connection::redirect_uri() );
	}
}
