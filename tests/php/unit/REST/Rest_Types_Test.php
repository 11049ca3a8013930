<?php
/**
 * The page's generated types start from the PHP schemas as they are now.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\REST;

use PHPUnit\Framework\TestCase;
use ReflectionClass;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\REST\Port_Tests_Schema;
use SmtpPortHelper\Settings\Settings_Constants;
use SmtpPortHelper\Settings\Settings_Schema;

/**
 * src/generated/rest-schemas.json (from which src/generated/rest-types.ts is generated) equals
 * what env/rest-types/schemas.php builds from the PHP classes: `npm run rest-types` updates both.
 */
final class Rest_Types_Test extends TestCase {

	public function test_the_committed_schemas_match_the_php_side(): void {
		$file      = dirname( __DIR__, 4 ) . '/src/generated/rest-schemas.json';
		$committed = json_decode( (string) file_get_contents( $file ), true );
		$current   = require dirname( __DIR__, 4 ) . '/env/rest-types/schemas.php';
		$this->assertSame(
			json_encode( $current, JSON_PRETTY_PRINT ),
			json_encode( $committed, JSON_PRETTY_PRINT ),
			'src/generated/rest-schemas.json is stale: run `npm run rest-types`.'
		);
	}

	public function test_the_enums_are_the_php_vocabulary(): void {
		$result = Port_Tests_Schema::port_result()['properties'];
		$this->assertSame( Verdict::all(), $result['verdict']['enum'] );
		foreach ( ( new ReflectionClass( Port_Result::class ) )->getConstants() as $name => $value ) {
			if ( 0 === strpos( $name, 'MODE_' ) ) {
				$this->assertContains( $value, $result['mode']['enum'], $name );
			}
		}
		$this->assertCount( 4, $result['mode']['enum'] );
	}

	public function test_the_settings_payloads_are_generated_from_the_settings_table(): void {
		$schemas = ( require dirname( __DIR__, 4 ) . '/env/rest-types/schemas.php' )['schemas'];
		$fields  = array_keys( Settings_Schema::FIELDS );

		$this->assertSame( $fields, array_keys( $schemas['EditableSettings']['properties'] ) );
		$this->assertSame( $fields, $schemas['EditableSettings']['required'] );

		$response = $schemas['SettingsResponse'];
		$this->assertSame( array_merge( $fields, Settings_Schema::READ_ONLY, array( 'inherited' ) ), array_keys( $response['properties'] ) );
		$this->assertSame( array_merge( $fields, Settings_Schema::READ_ONLY ), $response['required'], 'only `inherited` may be missing' );
		$this->assertFalse( $response['additionalProperties'] );
		$this->assertSame( $fields, $response['properties']['inherited']['items']['enum'] );
		$this->assertSame(
			array_merge( array_keys( Settings_Constants::names() ), array( 'verify_tls' ) ),
			array_keys( $response['properties']['locked']['properties'] )
		);
		foreach ( Settings_Schema::FIELDS as $field => $row ) {
			$this->assertSame( $row['type'], $response['properties'][ $field ]['type'], $field );
		}

		$input = $schemas['SettingsInput'];
		$this->assertSame( array_keys( Settings_Schema::input_schema() ), array_keys( $input['properties'] ) );
		$this->assertSame( array(), $input['required'], 'a save sends any subset of the fields' );
		$this->assertArrayNotHasKey( 'password', $response['properties'], 'the password is never sent' );
	}

	public function test_the_site_answer_schema_lists_inherited_fields_only_on_a_network(): void {
		$this->assertArrayNotHasKey( 'inherited', Settings_Schema::response_schema( false )['properties'] );
		$this->assertArrayHasKey( 'inherited', Settings_Schema::response_schema( true )['properties'] );
	}
}
