<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\OAuth;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\OAuth\Token_Error;

/**
 * Each provider error in plain words with the one action that fixes it.
 */
final class Token_Error_Test extends TestCase {

	/**
	 * A connection record as Token_Store keeps it.
	 *
	 * @param string $provider     microsoft, google or generic.
	 * @param int    $connected    Seconds since the sign-in.
	 * @param string $expires_at   refresh_expires_at.
	 * @return array<string, string>
	 */
	private static function record( string $provider, int $connected, string $expires_at = '' ): array {
		return array(
			'provider'           => $provider,
			'connected_at'       => gmdate( 'Y-m-d\TH:i:s\Z', time() - $connected ),
			'refresh_expires_at' => $expires_at,
		);
	}

	public function test_microsoft_inactivity_asks_to_connect_again(): void {
		foreach ( array( 'AADSTS70008', 'AADSTS700082' ) as $code ) {
			$text = ( new Token_Error( 'invalid_grant', $code . ': The refresh token has expired due to inactivity.' ) )->plain( self::record( 'microsoft', 100 * 86400 ) );
			$this->assertStringContainsString( 'not used for 90 days (invalid_grant, ' . $code . ')', $text );
			$this->assertStringContainsString( 'Click "Connect"', $text );
		}
	}

	public function test_an_expired_client_secret_asks_for_a_new_secret(): void {
		$error = new Token_Error( 'invalid_client', 'AADSTS7000222: The provided client secret keys for app are expired.' );
		$this->assertSame( 'AADSTS7000222', $error->cause() );
		$this->assertStringContainsString( 'Certificates & secrets, create a new client secret', $error->plain() );
	}

	public function test_google_expired_or_revoked_asks_to_connect_again(): void {
		$error = new Token_Error( 'invalid_grant', 'Token has been expired or revoked.' );
		$text  = $error->plain( self::record( 'google', 60 * 86400 ) );
		$this->assertStringContainsString( 'Google no longer accepts the saved sign-in', $text );
		$this->assertStringNotContainsString( 'Testing', $text );
	}

	public function test_a_google_app_in_testing_is_told_to_publish_the_app(): void {
		$error = new Token_Error( 'invalid_grant', 'Token has been expired or revoked.' );
		$this->assertStringContainsString( 'Publish the app in the Google Cloud console', $error->plain( self::record( 'google', 7 * 86400 ) ), 'dead 7 days after the sign-in' );
		$this->assertStringContainsString( 'Publish the app in the Google Cloud console', $error->plain( self::record( 'google', 30 * 86400, (string) time() ) ), 'the token answer carried refresh_token_expires_in' );
		$this->assertStringNotContainsString( 'Google Cloud', $error->plain( self::record( 'microsoft', 7 * 86400 ) ) );
		$revoked = $error->plain( self::record( 'google', 2 * 86400 ) );
		$this->assertStringContainsString( 'Google no longer accepts the saved sign-in', $revoked, 'refused 2 days after the sign-in: revoked, not a Testing app (its sign-in lasts 7 days)' );
		$this->assertStringNotContainsString( 'Testing', $revoked );
	}

	public function test_a_plain_invalid_grant_keeps_its_words(): void {
		$this->assertStringContainsString( 'consent was withdrawn', ( new Token_Error( 'invalid_grant', 'grant request is invalid' ) )->plain() );
	}
}
