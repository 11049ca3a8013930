<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Secrets;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Secrets\Key_Material;

final class Key_Material_Test extends TestCase {

	private const GOOD = array(
		'AUTH_KEY'         => 'a-unique-phrase-1',
		'SECURE_AUTH_KEY'  => 'a-unique-phrase-2',
		'LOGGED_IN_KEY'    => 'a-unique-phrase-3',
		'NONCE_KEY'        => 'a-unique-phrase-4',
		'AUTH_SALT'        => 'a-unique-phrase-5',
		'SECURE_AUTH_SALT' => 'a-unique-phrase-6',
		'LOGGED_IN_SALT'   => 'a-unique-phrase-7',
		'NONCE_SALT'       => 'a-unique-phrase-8',
	);

	public function test_unique_salts_are_fit(): void {
		$key = new Key_Material( self::GOOD );
		$this->assertNull( $key->problem() );
		$this->assertSame( 'salts|a-unique-phrase-1|a-unique-phrase-2', $key->current() );
		$this->assertSame( $key->current(), $key->previous(), 'before a key constant, the salts sealed' );
	}

	/**
	 * @return array<string, array{0: array<string, string>, 1: string}>
	 */
	public function unfit(): array {
		$without = self::GOOD;
		unset( $without['SECURE_AUTH_KEY'] );
		return array(
			'secure auth key missing'          => array( $without, Key_Material::PROBLEM_MISSING ),
			'no salts at all'                  => array( array(), Key_Material::PROBLEM_MISSING ),
			'auth key is the placeholder'      => array( array( 'AUTH_KEY' => 'put your unique phrase here' ) + self::GOOD, Key_Material::PROBLEM_PLACEHOLDER ),
			'every salt is the placeholder'    => array( array_fill_keys( array_keys( self::GOOD ), 'put your unique phrase here' ), Key_Material::PROBLEM_PLACEHOLDER ),
			'auth key equals secure auth key'  => array( array( 'SECURE_AUTH_KEY' => 'a-unique-phrase-1' ) + self::GOOD, Key_Material::PROBLEM_DUPLICATED ),
			'auth key copied to another salt'  => array( array( 'NONCE_SALT' => 'a-unique-phrase-1' ) + self::GOOD, Key_Material::PROBLEM_DUPLICATED ),
			'secure key copied to another one' => array( array( 'LOGGED_IN_KEY' => 'a-unique-phrase-2' ) + self::GOOD, Key_Material::PROBLEM_DUPLICATED ),
		);
	}

	/**
	 * @dataProvider unfit
	 * @param array<string, string> $salts   Salts.
	 * @param string                $problem Expected code.
	 */
	public function test_unfit_salts_are_named( array $salts, string $problem ): void {
		$key = new Key_Material( $salts );
		$this->assertSame( $problem, $key->problem() );
		$this->assertNull( $key->current(), 'never used as key material' );
		$this->assertNull( $key->previous() );
		$defined = new Key_Material( array( 'SMTP_PORT_HELPER_KEY' => 'a long random phrase' ) + $salts );
		$this->assertNull( $defined->problem(), 'SMTP_PORT_HELPER_KEY makes the salts irrelevant' );
		$this->assertSame( 'constant|a long random phrase', $defined->current() );
	}

	public function test_the_unit_suite_defines_no_key_and_no_salts(): void {
		$key = Key_Material::from_wp_config();
		$this->assertSame( Key_Material::PROBLEM_MISSING, $key->problem() );
		$this->assertNull( $key->current(), 'no salts: no key material (never a salt from the database)' );
	}

	public function test_the_old_key_opens_what_the_former_constant_sealed(): void {
		$key = new Key_Material( array( 'SMTP_PORT_HELPER_KEY' => 'new phrase', 'SMTP_PORT_HELPER_OLD_KEY' => 'old phrase' ) + self::GOOD );
		$this->assertSame( 'constant|new phrase', $key->current() );
		$this->assertSame( 'constant|old phrase', $key->previous() );
	}

	public function test_empty_and_non_string_constants_count_as_undefined(): void {
		$key = new Key_Material( array( 'SMTP_PORT_HELPER_KEY' => '  ', 'LOGGED_IN_KEY' => 1 ) + self::GOOD );
		$this->assertNull( $key->problem() );
		$this->assertStringStartsWith( 'salts|', (string) $key->current() );
	}
}
