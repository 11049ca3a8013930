<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Constants;
use SmtpPortHelper\Settings\Settings_Json_Schema;
use SmtpPortHelper\Settings\Settings_Schema;
use SmtpPortHelper\Settings\Settings_Validator;

require_once __DIR__ . '/wp-email-shim.php';

final class Settings_Schema_Test extends TestCase {

	public function test_every_field_has_a_default_of_its_type(): void {
		$php_types = array(
			'boolean' => 'boolean',
			'string'  => 'string',
			'integer' => 'integer',
			'array'   => 'array',
		);
		foreach ( Settings_Schema::FIELDS as $field => $row ) {
			$this->assertSame( $php_types[ $row['type'] ], gettype( $row['default'] ), $field );
		}
	}

	public function test_the_defaults_pass_their_rules_except_the_empty_host(): void {
		$result = ( new Settings_Validator() )->validate( Settings_Schema::defaults() );
		$this->assertSame( array( 'host' ), array_keys( $result['errors'] ), 'a host must be entered; every other default is a valid value' );
		$this->assertSame( array_diff_key( Settings_Schema::defaults(), array( 'host' => true ) ), $result['values'] );
	}

	public function test_every_field_and_write_only_field_has_a_rule_the_validator_knows(): void {
		$validator = new Settings_Validator();
		foreach ( array_keys( Settings_Schema::FIELDS + Settings_Schema::WRITE_ONLY ) as $field ) {
			$this->assertNotNull( Settings_Schema::rule( $field ), $field );
			// An unknown rule would throw; a known one answers with a value or a message.
			$this->assertCount( 2, $validator->field( $field, null ), $field );
		}
		$this->assertNull( Settings_Schema::rule( 'hots' ) );
	}

	public function test_the_constants_are_named_after_the_plugin_and_unique(): void {
		$names = Settings_Constants::names();
		$this->assertSame( array_merge( array_keys( Settings_Schema::FIELDS ), array( 'password', 'oauth_client_secret', 'api_key' ) ), array_keys( $names ) );
		$this->assertSame( array_values( array_unique( $names ) ), array_values( $names ) );
		foreach ( $names as $field => $constant ) {
			$this->assertStringStartsWith( 'SMTP_PORT_HELPER_', $constant, $field );
		}
		$this->assertSame( 'SMTP_PORT_HELPER_PASS', $names['password'] );
		$this->assertSame( 'SMTP_PORT_HELPER_USER', $names['username'] );
	}

	public function test_the_rest_schemas_come_from_the_table(): void {
		$fields = Settings_Json_Schema::fields();
		$this->assertSame( array_keys( Settings_Schema::FIELDS ), array_keys( $fields ) );
		foreach ( Settings_Schema::FIELDS as $field => $row ) {
			$this->assertSame( $row['type'], $fields[ $field ]['type'], $field );
			$this->assertSame( $row['default'], $fields[ $field ]['default'], $field );
			$this->assertNotSame( '', $fields[ $field ]['description'], $field );
		}
		$this->assertSame( array( 'none', 'starttls', 'implicit_tls' ), $fields['encryption']['enum'] );
		$this->assertSame( 65535, $fields['fallback_ports']['items']['maximum'] );

		$option = Settings_Json_Schema::option();
		$this->assertFalse( $option['additionalProperties'] );
		$this->assertArrayHasKey( 'password', $option['properties'] );
		$this->assertArrayNotHasKey( 'clear_password', $option['properties'] );
	}

	public function test_the_typed_settings_have_one_property_per_field(): void {
		$this->assertSame( Settings_Schema::defaults(), ( new Settings( array() ) )->to_array() );
		$this->assertSame( array_keys( Settings_Schema::FIELDS ), array_keys( get_class_vars( Settings::class ) ) );
	}
}
