<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\OAuth;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\OAuth\Endpoint_Url;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\OAuth\Token_Error;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Schema;

final class Provider_Profile_Test extends TestCase {

	/**
	 * Settings with some values changed.
	 *
	 * @param array<string, mixed> $values Changed values.
	 */
	private static function settings( array $values ): Settings {
		return new Settings( array_merge( Settings_Schema::defaults(), $values ) );
	}

	public function test_microsoft_endpoints_carry_the_tenant(): void {
		$profile = Provider_Profile::of( self::settings( array( 'oauth_tenant' => 'contoso.onmicrosoft.com' ) ) );
		$this->assertSame( 'microsoft', $profile->provider );
		$this->assertSame( 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/authorize', $profile->authorize_url );
		$this->assertSame( 'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token', $profile->token_url );
		$this->assertSame( 'https://outlook.office.com/SMTP.Send offline_access', $profile->scope );
		$this->assertSame( '', $profile->revoke_url, 'Microsoft has no revocation endpoint for one token' );
		$this->assertSame( 'https://login.microsoftonline.com/organizations/oauth2/v2.0/token', Provider_Profile::of( self::settings( array() ) )->token_url, 'the default tenant' );
	}

	public function test_google_and_generic_profiles(): void {
		$google = Provider_Profile::of( self::settings( array( 'oauth_provider' => 'google' ) ) );
		$this->assertSame( 'https://oauth2.googleapis.com/token', $google->token_url );
		$this->assertSame( 'https://oauth2.googleapis.com/revoke', $google->revoke_url );
		$this->assertSame( 'https://mail.google.com/', $google->scope );

		$generic = Provider_Profile::of(
			self::settings(
				array(
					'oauth_provider'      => 'generic',
					'oauth_authorize_url' => 'https://id.example/authorize',
					'oauth_token_url'     => 'https://id.example/token',
					'oauth_scope'         => 'smtp offline',
				)
			)
		);
		$this->assertSame( array( 'https://id.example/authorize', 'https://id.example/token', 'smtp offline' ), array( $generic->authorize_url, $generic->token_url, $generic->scope ) );
		$this->assertNull( $generic->missing_field( self::settings( array( 'oauth_client_id' => 'abc' ) ) ) );
		$this->assertSame( 'oauth_client_id', $generic->missing_field( self::settings( array() ) ) );
		$this->assertSame(
			'oauth_token_url',
			Provider_Profile::of(
				self::settings(
					array(
						'oauth_provider'      => 'generic',
						'oauth_authorize_url' => 'https://id.example/a',
					)
				)
			)->missing_field( self::settings( array( 'oauth_client_id' => 'abc' ) ) )
		);
	}

	public function test_the_page_gets_every_profile_with_its_smtp_server(): void {
		$profiles = Provider_Profile::for_page();
		$this->assertSame( Provider_Profile::ALL, array_keys( $profiles ) );
		$this->assertSame( array( 'smtp.office365.com', 587 ), array( $profiles['microsoft']['host'], $profiles['microsoft']['port'] ) );
		$this->assertSame( 'smtp.gmail.com', $profiles['google']['host'] );
		$this->assertStringContainsString( '{tenant}', $profiles['microsoft']['authorize_url'] );
		$this->assertSame( '', $profiles['generic']['token_url'] );
	}

	/**
	 * @return array<string, array{string, bool}>
	 */
	public function endpoints(): array {
		return array(
			'https'                 => array( 'https://login.example.com/token', true ),
			'http on 127.0.0.1'     => array( 'http://127.0.0.1:9100/token', true ),
			'http on localhost'     => array( 'http://localhost/token', true ),
			'http on ::1'           => array( 'http://[::1]:9100/token', true ),
			'http elsewhere'        => array( 'http://login.example.com/token', false ),
			'http on a private net' => array( 'http://10.0.0.1/token', false ),
			'no scheme'             => array( 'login.example.com/token', false ),
			'another scheme'        => array( 'ftp://login.example.com/token', false ),
			'user info'             => array( 'https://me:pw@login.example.com/token', false ),
			'a line break'          => array( "https://login.example.com/token\r\nX: y", false ),
		);
	}

	/**
	 * @dataProvider endpoints
	 *
	 * @param string $url Endpoint.
	 * @param bool   $ok  Whether it is accepted.
	 */
	public function test_endpoints_must_be_https_except_on_this_machine( string $url, bool $ok ): void {
		$this->assertSame( $ok, null === Endpoint_Url::error( $url ), $url );
	}

	public function test_provider_errors_in_plain_words(): void {
		$grant = new Token_Error( 'invalid_grant', 'AADSTS70008: The refresh token has expired due to inactivity.' );
		$this->assertTrue( $grant->is_permanent() );
		$this->assertStringContainsString( 'invalid_grant', $grant->plain() );
		$this->assertStringContainsString( 'Connect', $grant->plain() );
		$this->assertStringContainsString( 'AADSTS70008', $grant->plain() );
		$client = new Token_Error( 'invalid_client', '' );
		$this->assertStringContainsString( 'client secret', $client->plain() );
		$this->assertFalse( ( new Token_Error( Token_Error::NETWORK, 'timed out' ) )->is_permanent() );
		$this->assertStringNotContainsString( "\n", ( new Token_Error( 'x', "line\nbreak" ) )->plain() );
	}
}
