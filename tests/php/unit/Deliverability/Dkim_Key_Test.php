<?php
/**
 * Tests for Dkim_Key (the record to publish, which From domains it signs for, whether a published
 * record holds it) and Own_Key_Check (the finding of the site's own key) on zones in memory.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Deliverability\Dkim_Key;
use SmtpPortHelper\Deliverability\Domain_Check;
use SmtpPortHelper\Deliverability\Own_Key_Check;
use SmtpPortHelper\Deliverability\Send_Path;
use SmtpPortHelper\Net\Dns_Packet;

require_once __DIR__ . '/Zone_Records.php';

/**
 * The key's record and its check.
 */
class Dkim_Key_Test extends TestCase {

	/**
	 * A key with a real 2048-bit public key.
	 */
	private static function key( string $domain = 'site.test' ): Dkim_Key {
		$pair   = openssl_pkey_new(
			array(
				'private_key_bits' => 2048,
				'private_key_type' => OPENSSL_KEYTYPE_RSA,
			)
		);
		$public = (string) preg_replace( '/-----[^-]+-----|\s+/', '', (string) openssl_pkey_get_details( $pair )['key'] );
		return new Dkim_Key( $domain, 'sph20261206-ab12', 'rsa', 2048, $public, 1796545200 );
	}

	public function test_the_record_to_publish(): void {
		$key = self::key();
		$this->assertSame( 'sph20261206-ab12._domainkey.site.test', $key->record_name() );
		$this->assertSame( 'v=DKIM1; k=rsa; p=' . $key->public_key, $key->record_value() );
		$this->assertSame(
			array(
				'type'  => 'TXT',
				'name'  => 'sph20261206-ab12._domainkey.site.test',
				'value' => $key->record_value(),
			),
			$key->to_array()['record']
		);
		$this->assertArrayNotHasKey( 'private', $key->to_array() );
		$this->assertMatchesRegularExpression( '/^sph\d{8}-[0-9a-f]{4}$/', Dkim_Key::new_selector( 1796545200 ) );
		$this->assertStringStartsWith( 'sph20261206-', Dkim_Key::new_selector( 1796545200 ) );
	}

	public function test_it_signs_for_its_domain_and_names_under_it_only(): void {
		$key = self::key( 'site.test' );
		$this->assertTrue( $key->signs_for( 'site.test' ) );
		$this->assertTrue( $key->signs_for( 'News.Site.Test.' ) );
		$this->assertFalse( $key->signs_for( 'othersite.test' ), 'a suffix is not a parent domain' );
		$this->assertFalse( $key->signs_for( 'test' ) );
		$this->assertFalse( $key->signs_for( 'other.test' ) );
	}

	public function test_a_published_record_matches_only_with_the_same_key(): void {
		$key = self::key();
		$this->assertTrue( $key->matches( $key->record_value() ) );
		$this->assertTrue( $key->matches( 'v=DKIM1;k=rsa;  p=' . chunk_split( $key->public_key, 255, ' ' ) ), 'spaces and string boundaries do not count' );
		$this->assertFalse( $key->matches( self::key()->record_value() ), 'another key' );
		$this->assertFalse( $key->matches( 'v=DKIM1; k=rsa; p=' ), 'revoked' );
		$this->assertFalse( $key->matches( 'v=DKIM1; k=ed25519; p=' . $key->public_key ), 'another key type' );
	}

	/**
	 * The own key's finding for a zone.
	 *
	 * @param array<string, list<array{0: int, 1: string}>> $zone Zone.
	 */
	private static function own( Dkim_Key $key, array $zone, bool $signs, array $failing = array() ): array {
		$found = ( new Own_Key_Check( new Zone_Records( $zone, $failing ) ) )->find( $key, $signs );
		return array( $found['aligned'], $found['finding']->status, $found['finding']->result, $found['finding']->record );
	}

	public function test_the_finding_of_the_own_key(): void {
		$key       = self::key();
		$published = array( $key->record_name() => array( array( Dns_Packet::TYPE_TXT, $key->record_value() ) ) );
		$this->assertSame( array( true, 'pass', 'pass', null ), self::own( $key, $published, true ) );
		$this->assertSame( array( false, 'warn', 'signing_off', null ), self::own( $key, $published, false ) );
		$this->assertSame( array( false, 'fail', 'missing', $key->record() ), self::own( $key, array(), true ) );
		$other = array( $key->record_name() => array( array( Dns_Packet::TYPE_TXT, self::key()->record_value() ) ) );
		$this->assertSame( array( false, 'fail', 'wrong_key', $key->record() ), self::own( $key, $other, true ) );
		$this->assertSame( array( false, 'warn', 'temperror', null ), self::own( $key, $published, true, array( $key->record_name() ) ) );
	}

	public function test_a_valid_own_signature_decides_dkim_and_dmarc_for_a_host_the_plugin_does_not_know(): void {
		$key  = self::key();
		$zone = array(
			'site.test'             => array( array( Dns_Packet::TYPE_TXT, 'v=spf1 -all' ), array( Dns_Packet::TYPE_MX, '10 mx.site.test' ) ),
			'_dmarc.site.test'      => array( array( Dns_Packet::TYPE_TXT, 'v=DMARC1; p=reject' ) ),
			'relay.site.test'       => array( array( Dns_Packet::TYPE_A, '192.0.2.77' ) ),
			$key->record_name()     => array( array( Dns_Packet::TYPE_TXT, $key->record_value() ) ),
		);
		$first = static function ( array $report ): array {
			$by = array();
			foreach ( $report['findings'] as $finding ) {
				$by[ $finding->check ] = $by[ $finding->check ] ?? array( $finding->status, $finding->result );
			}
			return $by;
		};
		$signed = $first( ( new Domain_Check( new Zone_Records( $zone ) ) )->run( new Send_Path( 'site.test', 'relay.site.test', $key, true ) ) );
		$this->assertSame( array( 'pass', 'pass' ), $signed['dkim'] );
		$this->assertSame( array( 'pass', 'aligned' ), $signed['dmarc'] );
		$unsigned = $first( ( new Domain_Check( new Zone_Records( $zone ) ) )->run( new Send_Path( 'site.test', 'relay.site.test', $key, false ) ) );
		$this->assertSame( array( 'warn', 'signing_off' ), $unsigned['dkim'] );
		$this->assertSame( 'fail', $unsigned['dmarc'][0] );
		$elsewhere = ( new Send_Path( 'other.test', 'relay.site.test', $key, true ) );
		$this->assertNull( $elsewhere->own_key, 'a key of another domain does not count' );
	}
}
