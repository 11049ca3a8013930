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
}
