<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\OAuth;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings_Validator;

/**
 * The OAuth rows of the settings table: each bad value is refused with a message for its field.
 */
final class OAuth_Settings_Test extends TestCase {

	/**
	 * @return array<string, array{string, mixed, mixed}>
	 */
	public function values(): array {
		return array(
			'oauth2'                 => array( 'auth_method', 'oauth2', 'oauth2' ),
			'an unknown method'      => array( 'auth_method', 'xoauth2', null ),
			'google'                 => array( 'oauth_provider', 'google', 'google' ),
			'an unknown provider'    => array( 'oauth_provider', 'yahoo', null ),
			'a tenant id'            => array( 'oauth_tenant', ' 72f988bf-86f1-41af-91ab-2d7cd011db47 ', '72f988bf-86f1-41af-91ab-2d7cd011db47' ),
			'an empty tenant'        => array( 'oauth_tenant', '', 'organizations' ),
			'a tenant with a slash'  => array( 'oauth_tenant', 'common/../x', null ),
			'a client id'            => array( 'oauth_client_id', ' abc-123 ', 'abc-123' ),
			'a client id with CRLF'  => array( 'oauth_client_id', "abc\r\nX: y", null ),
			'an https endpoint'      => array( 'oauth_token_url', 'https://id.example/token', 'https://id.example/token' ),
			'an http endpoint'       => array( 'oauth_token_url', 'http://id.example/token', null ),
			'no endpoint'            => array( 'oauth_authorize_url', '', '' ),
			'a scope'                => array( 'oauth_scope', ' smtp   offline_access ', 'smtp offline_access' ),
			'a secret kept as typed' => array( 'oauth_client_secret', ' s3cr~t ', ' s3cr~t ' ),
			'a secret with a NUL'    => array( 'oauth_client_secret', "a\0b", null ),
		);
	}

	/**
	 * @dataProvider values
	 *
	 * @param string $field    Field.
	 * @param mixed  $value    Submitted value.
	 * @param mixed  $expected Normalised value, null when refused.
	 */
	public function test_each_oauth_field_follows_its_rule( string $field, $value, $expected ): void {
		list( $normalised, $error ) = ( new Settings_Validator() )->field( $field, $value );
		$this->assertSame( $expected, $normalised );
		$this->assertSame( null === $expected, null !== $error );
	}

	public function test_with_oauth_the_user_name_may_be_empty_with_a_password_not(): void {
		$validator = new Settings_Validator();
		$settings  = array(
			'auth'           => true,
			'username'       => '',
			'port'           => 587,
			'fallback_ports' => array(),
		);
		$this->assertArrayHasKey( 'username', $validator->validate_combination( $settings + array( 'auth_method' => 'password' ) ) );
		$this->assertSame( array(), $validator->validate_combination( $settings + array( 'auth_method' => 'oauth2' ) ) );
	}
}
