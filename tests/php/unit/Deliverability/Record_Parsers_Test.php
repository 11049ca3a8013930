<?php
/**
 * Tests for the DMARC and DKIM record parsers, alignment and the organisational domain.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Deliverability\Dkim_Key_Record;
use SmtpPortHelper\Deliverability\Dmarc_Record;
use SmtpPortHelper\Deliverability\Organizational_Domain;

/**
 * Pure parsing.
 */
class Record_Parsers_Test extends TestCase {

	public function test_dmarc_tags_and_defaults(): void {
		$record = Dmarc_Record::parse( 'v=DMARC1; p=reject; adkim=s; aspf=s; pct=50; rua=mailto:d@example.test' );
		$this->assertInstanceOf( Dmarc_Record::class, $record );
		$this->assertSame( array( 'reject', 'reject', 's', 's', 50, true ), array( $record->policy, $record->subdomain_policy, $record->adkim, $record->aspf, $record->pct, $record->reports ) );
		$record = Dmarc_Record::parse( 'v=DMARC1;p=quarantine;sp=none' );
		$this->assertInstanceOf( Dmarc_Record::class, $record );
		$this->assertSame( array( 'quarantine', 'none', 'r', 'r', 100 ), array( $record->policy, $record->subdomain_policy, $record->adkim, $record->aspf, $record->pct ) );
	}

	public function test_dmarc_invalid_records(): void {
		$this->assertIsString( Dmarc_Record::parse( 'v=DMARC1; p=block' ) );
		$this->assertIsString( Dmarc_Record::parse( 'p=reject; v=DMARC1' ) );
		$this->assertIsString( Dmarc_Record::parse( 'v=DMARC1' ) );
		$lenient = Dmarc_Record::parse( 'v=DMARC1; p=block; rua=mailto:d@example.test' );
		$this->assertInstanceOf( Dmarc_Record::class, $lenient, 'RFC 7489 6.6.3: an invalid p= with a rua= reads as none' );
		$this->assertSame( 'none', $lenient->policy );
	}

	public function test_alignment_relaxed_and_strict(): void {
		$this->assertTrue( Dmarc_Record::aligned( 'bounce.example.test', 'example.test', 'r' ) );
		$this->assertFalse( Dmarc_Record::aligned( 'bounce.example.test', 'example.test', 's' ) );
		$this->assertFalse( Dmarc_Record::aligned( 'sendgrid.net', 'example.test', 'r' ) );
		$this->assertTrue( Dmarc_Record::aligned( 'mail.shop.co.uk', 'news.shop.co.uk', 'r' ) );
		$this->assertFalse( Dmarc_Record::aligned( 'other.co.uk', 'shop.co.uk', 'r' ) );
	}

	public function test_organizational_domain(): void {
		$this->assertSame( 'example.test', Organizational_Domain::of( 'a.b.example.test' ) );
		$this->assertSame( 'shop.co.uk', Organizational_Domain::of( 'news.shop.co.uk' ) );
		$this->assertSame( 'example.test', Organizational_Domain::of( 'example.test.' ) );
	}

	public function test_dkim_rsa_key_length(): void {
		foreach ( array( 1024, 2048 ) as $bits ) {
			$key = openssl_pkey_new(
				array(
					'private_key_bits' => $bits,
					'private_key_type' => OPENSSL_KEYTYPE_RSA,
				)
			);
			$this->assertNotFalse( $key );
			$pem    = openssl_pkey_get_details( $key )['key'];
			$base64 = preg_replace( '/-----[^-]+-----|\s+/', '', $pem );
			$record = Dkim_Key_Record::parse( "v=DKIM1; k=rsa;\tp=" . substr( $base64, 0, 40 ) . ' ' . substr( $base64, 40 ) );
			$this->assertInstanceOf( Dkim_Key_Record::class, $record );
			$this->assertSame( $bits, $record->bits );
			$this->assertSame( 'rsa', $record->key_type );
		}
	}

	public function test_dkim_broken_revoked_and_ed25519(): void {
		$this->assertIsString( Dkim_Key_Record::parse( 'v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA' ) );
		$this->assertIsString( Dkim_Key_Record::parse( 'v=DKIM1; k=rsa; p=@@@' ) );
		$this->assertIsString( Dkim_Key_Record::parse( 'v=DKIM1; k=rsa' ) );
		$this->assertIsString( Dkim_Key_Record::parse( 'v=DKIM2; p=AAAA' ) );
		$revoked = Dkim_Key_Record::parse( 'v=DKIM1; p=' );
		$this->assertInstanceOf( Dkim_Key_Record::class, $revoked );
		$this->assertTrue( $revoked->revoked );
		$ed = Dkim_Key_Record::parse( 'v=DKIM1; k=ed25519; p=' . base64_encode( str_repeat( "\x01", 32 ) ) );
		$this->assertInstanceOf( Dkim_Key_Record::class, $ed );
		$this->assertSame( 256, $ed->bits );
	}
}
