<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Secret_Box;

final class Secret_Box_Test extends TestCase {

	public function test_round_trip(): void {
		$box = new Secret_Box( 'key material' );
		foreach ( array( 'secret', '', 'pässwörd with spaces', str_repeat( 'x', 1024 ), "\0binary\xff" ) as $plain ) {
			$this->assertSame( $plain, $box->open( $box->seal( $plain ) ) );
		}
	}

	public function test_format_is_versioned_base64_and_never_contains_the_secret(): void {
		$sealed = ( new Secret_Box( 'k' ) )->seal( 'hunter2-secret' );
		$this->assertStringStartsWith( 'v1:', $sealed );
		$this->assertTrue( Secret_Box::is_sealed( $sealed ) );
		$this->assertStringNotContainsString( 'hunter2', $sealed );
		$this->assertStringNotContainsString( base64_encode( 'hunter2-secret' ), $sealed );
		$raw = base64_decode( substr( $sealed, 3 ), true );
		$this->assertSame( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES + strlen( 'hunter2-secret' ), strlen( (string) $raw ) );
	}

	public function test_a_fresh_nonce_each_time(): void {
		$box = new Secret_Box( 'k' );
		$this->assertNotSame( $box->seal( 'same' ), $box->seal( 'same' ) );
	}

	public function test_another_key_cannot_open_and_nothing_warns(): void {
		$sealed = ( new Secret_Box( 'old salts' ) )->seal( 'secret' );
		$this->assertNull( ( new Secret_Box( 'new salts' ) )->open( $sealed ) );
	}

	/**
	 * @return array<string, array{0: mixed}>
	 */
	public function garbage(): array {
		$valid = ( new Secret_Box( 'k' ) )->seal( 'secret' );
		return array(
			'null'          => array( null ),
			'array'         => array( array( 'v1:abc' ) ),
			'empty'         => array( '' ),
			'no prefix'     => array( substr( $valid, 3 ) ),
			'other version' => array( 'v2:' . substr( $valid, 3 ) ),
			'bad base64'    => array( 'v1:!!!' ),
			'too short'     => array( 'v1:' . base64_encode( 'short' ) ),
			'truncated'     => array( substr( $valid, 0, -8 ) ),
			'tampered'      => array( substr( $valid, 0, -4 ) . ( 'AAAA' === substr( $valid, -4 ) ? 'BBBB' : 'AAAA' ) ),
			'plain text'    => array( 'secret' ),
		);
	}

	/**
	 * @dataProvider garbage
	 * @param mixed $value
	 */
	public function test_garbage_gives_null( $value ): void {
		$this->assertNull( ( new Secret_Box( 'k' ) )->open( $value ) );
	}

	public function test_empty_key_material_is_refused(): void {
		$this->expectException( \InvalidArgumentException::class );
		new Secret_Box( '' );
	}
}
