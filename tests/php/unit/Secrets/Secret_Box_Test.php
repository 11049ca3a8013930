<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Secrets;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Secrets\Secret_Box;

final class Secret_Box_Test extends TestCase {

	private const HERE = 'binding of site:1, smtp.example.com, user';

	/**
	 * A value sealed the way versions before the binding did (secretbox, no associated data).
	 *
	 * @param string $key_material Key material.
	 * @param string $plain        Secret.
	 */
	public static function legacy_seal( string $key_material, string $plain ): string {
		$key   = sodium_crypto_generichash( 'smtp-port-helper/secret-box/v1|' . $key_material, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		return 'v1:' . base64_encode( $nonce . sodium_crypto_secretbox( $plain, $nonce, $key ) );
	}

	public function test_round_trip(): void {
		$box = new Secret_Box( 'key material' );
		foreach ( array( 'secret', '', 'pässwörd with spaces', str_repeat( 'x', 1024 ), "\0binary\xff" ) as $plain ) {
			$this->assertSame( $plain, $box->open( $box->seal( $plain, self::HERE ), self::HERE ) );
		}
	}

	public function test_format_is_versioned_base64_and_never_contains_the_secret(): void {
		$sealed = ( new Secret_Box( 'k' ) )->seal( 'hunter2-secret', self::HERE );
		$this->assertStringStartsWith( 'v2:', $sealed );
		$this->assertTrue( Secret_Box::is_sealed( $sealed ) );
		$this->assertFalse( Secret_Box::is_legacy( $sealed ) );
		$this->assertStringNotContainsString( 'hunter2', $sealed );
		$this->assertStringNotContainsString( base64_encode( 'hunter2-secret' ), $sealed );
		$this->assertStringNotContainsString( 'smtp.example.com', $sealed, 'the binding is authenticated, not stored' );
		$raw = base64_decode( substr( $sealed, 3 ), true );
		$this->assertSame( SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_NPUBBYTES + SODIUM_CRYPTO_AEAD_XCHACHA20POLY1305_IETF_ABYTES + strlen( 'hunter2-secret' ), strlen( (string) $raw ) );
	}

	public function test_a_fresh_nonce_each_time(): void {
		$box = new Secret_Box( 'k' );
		$this->assertNotSame( $box->seal( 'same', self::HERE ), $box->seal( 'same', self::HERE ) );
	}

	public function test_another_key_cannot_open_and_nothing_warns(): void {
		$sealed = ( new Secret_Box( 'old salts' ) )->seal( 'secret', self::HERE );
		$this->assertNull( ( new Secret_Box( 'new salts' ) )->open( $sealed, self::HERE ) );
	}

	public function test_a_value_bound_elsewhere_does_not_open(): void {
		$box    = new Secret_Box( 'k' );
		$sealed = $box->seal( 'secret', Secret_Box::binding( 'site:2', 'smtp.example.com', 'user' ) );
		$this->assertSame( 'secret', $box->open( $sealed, Secret_Box::binding( 'site:2', 'smtp.example.com', ' user ' ) ), 'user names are trimmed' );
		$elsewhere = array(
			'another site'            => Secret_Box::binding( 'site:3', 'smtp.example.com', 'user' ),
			'the network'             => Secret_Box::binding( 'network:1', 'smtp.example.com', 'user' ),
			'another host'            => Secret_Box::binding( 'site:2', 'evil.example', 'user' ),
			'another user'            => Secret_Box::binding( 'site:2', 'smtp.example.com', 'admin' ),
			'parts shifted'           => Secret_Box::binding( 'site:2', 'smtp.example.comuser', '' ),
			'no binding'              => '',
			'separator in a part'     => Secret_Box::binding( 'site:2;', 'smtp.example.com', 'user' ),
		);
		foreach ( $elsewhere as $case => $binding ) {
			$this->assertNull( $box->open( $sealed, $binding ), $case );
		}
	}

	public function test_bindings_are_unambiguous(): void {
		$this->assertNotSame( Secret_Box::binding( 'a', 'bc', 'd' ), Secret_Box::binding( 'a', 'b', 'cd' ) );
		$this->assertNotSame( Secret_Box::binding( 'a:1;', 'b', 'c' ), Secret_Box::binding( 'a', '1;b', 'c' ) );
	}

	public function test_every_tampered_byte_is_detected(): void {
		$box    = new Secret_Box( 'k' );
		$sealed = $box->seal( 'secret', self::HERE );
		$raw    = (string) base64_decode( substr( $sealed, 3 ), true );
		for ( $i = 0; $i < strlen( $raw ); $i++ ) {
			$tampered      = $raw;
			$tampered[ $i ] = chr( ord( $tampered[ $i ] ) ^ 0x01 );
			$this->assertNull( $box->open( 'v2:' . base64_encode( $tampered ), self::HERE ), "byte $i flipped" );
		}
	}

	public function test_a_v1_value_opens_for_no_binding_only_unbound_for_a_caller_that_checked_where_it_belongs(): void {
		$legacy = self::legacy_seal( 'k', 'old secret' );
		$this->assertTrue( Secret_Box::is_sealed( $legacy ) );
		$this->assertTrue( Secret_Box::is_legacy( $legacy ) );
		$this->assertNull( ( new Secret_Box( 'k' ) )->open( $legacy, self::HERE ), 'no binding: refused for every one' );
		$this->assertNull( ( new Secret_Box( 'k' ) )->open( $legacy, '' ) );
		$this->assertSame( 'old secret', ( new Secret_Box( 'k' ) )->open_unbound( $legacy ) );
		$this->assertNull( ( new Secret_Box( 'other' ) )->open_unbound( $legacy ) );
		$this->assertNull( ( new Secret_Box( 'k' ) )->open_unbound( ( new Secret_Box( 'k' ) )->seal( 'secret', '' ) ), 'a v2 value is never opened unbound' );
	}

	public function test_a_value_cannot_change_format(): void {
		$box    = new Secret_Box( 'k' );
		$v2     = $box->seal( 'secret', '' );
		$legacy = self::legacy_seal( 'k', 'secret' );
		$this->assertNull( $box->open( 'v1:' . substr( $v2, 3 ), '' ), 'a v2 value relabelled v1' );
		$this->assertNull( $box->open( 'v2:' . substr( $legacy, 3 ), '' ), 'a v1 value relabelled v2 (escaping its binding)' );
	}

	/**
	 * @return array<string, array{0: mixed}>
	 */
	public function garbage(): array {
		$valid = ( new Secret_Box( 'k' ) )->seal( 'secret', self::HERE );
		return array(
			'null'          => array( null ),
			'array'         => array( array( 'v2:abc' ) ),
			'empty'         => array( '' ),
			'no prefix'     => array( substr( $valid, 3 ) ),
			'other version' => array( 'v3:' . substr( $valid, 3 ) ),
			'bad base64'    => array( 'v2:!!!' ),
			'too short'     => array( 'v2:' . base64_encode( 'short' ) ),
			'v1 too short'  => array( 'v1:' . base64_encode( 'short' ) ),
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
		$this->assertNull( ( new Secret_Box( 'k' ) )->open( $value, self::HERE ) );
	}

	public function test_empty_key_material_is_refused(): void {
		$this->expectException( \InvalidArgumentException::class );
		new Secret_Box( '' );
	}

	public function test_a_fingerprint_is_a_keyed_hash_per_purpose(): void {
		$box = new Secret_Box( 'k' );
		$this->assertSame( $box->fingerprint( 'outbox-recipient', 'hn@example.com' ), ( new Secret_Box( 'k' ) )->fingerprint( 'outbox-recipient', 'hn@example.com' ), 'the same value and key give the same fingerprint' );
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{64}$/', $box->fingerprint( 'outbox-recipient', 'hn@example.com' ) );
		$this->assertNotSame( $box->fingerprint( 'outbox-recipient', 'hn@example.com' ), $box->fingerprint( 'outbox-recipient', 'john@example.com' ) );
		$this->assertNotSame( $box->fingerprint( 'outbox-recipient', 'hn@example.com' ), ( new Secret_Box( 'other' ) )->fingerprint( 'outbox-recipient', 'hn@example.com' ), 'another key, another fingerprint' );
		$this->assertNotSame( $box->fingerprint( 'outbox-recipient', 'hn@example.com' ), $box->fingerprint( 'other-purpose', 'hn@example.com' ) );
		$this->assertNotSame( hash( 'sha256', 'hn@example.com' ), $box->fingerprint( 'outbox-recipient', 'hn@example.com' ), 'not a plain hash anyone can compute' );
	}
}
