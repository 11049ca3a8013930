<?php
/**
 * The `state` of one authorization request: random, single use, bound to a user, 10 minutes.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\OAuth;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The state sent to the provider is `<random>.<nonce>`: the random part names a transient (with
 * an expiry, so never autoloaded) that holds the PKCE verifier and the user who started the
 * flow; the nonce is a WordPress nonce of that user's session. The callback checks both, and
 * the transient is deleted on first use, so a state works once, for its user, for 10 minutes.
 */
final class Authorization_State {

	public const LIFETIME     = 600;
	public const NONCE_ACTION = 'smtp_port_helper_oauth_callback';

	private const PREFIX = \SmtpPortHelper\Stored_Names::OAUTH_STATE_PREFIX;

	/**
	 * Starts a request: keeps the verifier for the user and returns the state to send.
	 *
	 * @param int    $user_id  The user who starts the flow.
	 * @param string $verifier PKCE verifier.
	 * @param string $scope    Where the flow was started (`site` or `network`).
	 */
	public function create( int $user_id, string $verifier, string $scope ): string {
		$random = Pkce::base64url( random_bytes( 24 ) );
		set_transient(
			self::PREFIX . hash( 'sha256', $random ),
			array(
				'user'     => $user_id,
				'verifier' => $verifier,
				'scope'    => $scope,
				'expires'  => time() + self::LIFETIME,
			),
			self::LIFETIME
		);
		return $random . '.' . wp_create_nonce( self::NONCE_ACTION );
	}

	/**
	 * Uses a state once: its verifier when it is known, unexpired, the current user's and its
	 * nonce checks out; null otherwise. A known state is forgotten even when it is refused.
	 *
	 * @param mixed $state   The `state` of the callback (unchecked input).
	 * @param int   $user_id The current user.
	 * @return array{verifier: string, scope: string}|null
	 */
	public function consume( $state, int $user_id ): ?array {
		if ( ! is_string( $state ) || 1 !== preg_match( '/^([A-Za-z0-9_-]{32})\.([a-f0-9]{10})$/', $state, $parts ) ) {
			return null;
		}
		$key    = self::PREFIX . hash( 'sha256', $parts[1] );
		$stored = get_transient( $key );
		if ( ! is_array( $stored ) || ! delete_transient( $key ) ) {
			// Unknown, expired, or another request used it a moment ago.
			return null;
		}
		if ( ! isset( $stored['user'], $stored['verifier'], $stored['expires'] ) || $user_id <= 0 || $stored['user'] !== $user_id || $stored['expires'] < time() ) {
			return null;
		}
		if ( false === wp_verify_nonce( $parts[2], self::NONCE_ACTION ) ) {
			return null;
		}
		return array(
			'verifier' => (string) $stored['verifier'],
			'scope'    => isset( $stored['scope'] ) ? (string) $stored['scope'] : 'site',
		);
	}
}
