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
use SmtpPortHelper\REST\Settings_Route_Schema;
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

		$editable = $schemas['EditableSettings'];
		$this->assertSame( $fields, array_keys( $editable['properties'] ) );
		$this->assertSame( $fields, $editable['required'] );

		// SettingsResponse = EditableSettings & the rest of the answer: together, the route's answer schema.
		$answer = Settings_Route_Schema::response_schema( true );
		list( $first, $rest ) = $schemas['SettingsResponse']['allOf'];
		$this->assertSame( $editable, $first );
		$this->assertSame( $answer['properties'], $editable['properties'] + $rest['properties'] );
		$this->assertSame( $answer['required'], array_merge( $editable['required'], $rest['required'] ) );

		$this->assertSame( array_merge( $fields, Settings_Schema::READ_ONLY, array( 'inherited', 'lock_site_destination', 'password_forgotten' ) ), array_keys( $answer['properties'] ) );
		$this->assertSame( array_merge( $fields, Settings_Schema::READ_ONLY ), $answer['required'], 'only `inherited`, `lock_site_destination` (the network\'s answer) and `password_forgotten` may be missing' );
		$this->assertFalse( $answer['additionalProperties'] );
		$this->assertArrayNotHasKey( 'password', $answer['properties'], 'the password is never sent' );
		$this->assertSame( $fields, $answer['properties']['inherited']['items']['enum'] );
		$this->assertSame(
			array_merge( array_keys( Settings_Constants::names() ), array( 'verify_tls' ) ),
			array_keys( $answer['properties']['locked']['properties'] )
		);
		foreach ( Settings_Schema::FIELDS as $field => $row ) {
			$this->assertSame( $row['type'], $answer['properties'][ $field ]['type'], $field );
		}

		$input = $schemas['SettingsInput'];
		$this->assertSame( array_keys( Settings_Route_Schema::input_schema() ), array_keys( $input['properties'] ) );
		$this->assertSame( array(), $input['required'], 'a save sends any subset of the fields' );
	}

	public function test_the_site_answer_schema_lists_inherited_fields_only_on_a_network(): void {
		$this->assertArrayNotHasKey( 'inherited', Settings_Route_Schema::response_schema( false )['properties'] );
		$this->assertArrayHasKey( 'inherited', Settings_Route_Schema::response_schema( true )['properties'] );
	}
}
