<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\REST;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\REST\Settings_Route_Schema;
use SmtpPortHelper\Settings\Settings_Constants;
use SmtpPortHelper\Settings\Settings_Json_Schema;

final class Settings_Route_Schema_Test extends TestCase {

	public function test_a_save_takes_the_fields_then_the_write_only_secrets_without_defaults(): void {
		$input = Settings_Route_Schema::input_schema();
		$this->assertSame( array_merge( array_keys( Settings_Json_Schema::fields() ), array( 'password', 'clear_password', 'oauth_client_secret', 'clear_oauth_client_secret', 'api_key', 'clear_api_key' ) ), array_keys( $input ) );
		$this->assertArrayNotHasKey( 'default', $input['api_key'] );
		$this->assertSame( 'SMTP_PORT_HELPER_API_KEY', Settings_Constants::names()['api_key'] );
		$this->assertArrayNotHasKey( 'default', $input['password'] );
		$this->assertNotSame( '', $input['password']['description'] );
	}
}
