<?php
/**
 * Tests for Spf_Evaluator: RFC 7208's results, qualifiers, limits and the provider sender.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Deliverability\Spf_Evaluator;
use SmtpPortHelper\Net\Dns_Packet;

require_once __DIR__ . '/Zone_Records.php';

/**
 * check_host() on zones in memory.
 */
class Spf_Evaluator_Test extends TestCase {

	private const TXT  = Dns_Packet::TYPE_TXT;
	private const A    = Dns_Packet::TYPE_A;
	private const AAAA = Dns_Packet::TYPE_AAAA;
	private const MX   = Dns_Packet::TYPE_MX;

	/**
	 * @param array<string, list<array{0: int, 1: string}>> $zone Zone.
	 */
	private static function spf( array $zone, string $domain, string $ip ): array {
		return ( new Spf_Evaluator( new Zone_Records( $zone ) ) )->for_address( $domain, $ip );
	}

	public function test_each_qualifier_gives_its_result(): void {
		$expected = array(
			'+' => 'pass',
			''  => 'pass',
			'-' => 'fail',
			'~' => 'softfail',
			'?' => 'neutral',
		);
		foreach ( $expected as $qualifier => $result ) {
			$zone = array( 'q.test' => array( array( self::TXT, 'v=spf1 ' . $qualifier . 'all' ) ) );
			$this->assertSame( $result, self::spf( $zone, 'q.test', '192.0.2.1' )['result'], $qualifier );
		}
	}

	public function test_ip4_and_ip6_with_prefixes(): void {
		$zone = array( 'ip.test' => array( array( self::TXT, 'v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 -all' ) ) );
		$this->assertSame( 'pass', self::spf( $zone, 'ip.test', '192.0.2.77' )['result'] );
		$this->assertSame( 'fail', self::spf( $zone, 'ip.test', '192.0.3.1' )['result'] );
		$this->assertSame( 'pass', self::spf( $zone, 'ip.test', '2001:db8:1::5' )['result'] );
		$this->assertSame( 'fail', self::spf( $zone, 'ip.test', '2001:db9::5' )['result'] );
	}

	public function test_a_and_mx_mechanisms_resolve_the_names(): void {
		$zone = array(
			'amx.test'      => array( array( self::TXT, 'v=spf1 a:web.amx.test/30 mx -all' ), array( self::MX, '10 mail.amx.test' ) ),
			'web.amx.test'  => array( array( self::A, '198.51.100.4' ) ),
			'mail.amx.test' => array( array( self::A, '203.0.113.9' ), array( self::AAAA, '2001:db8::25' ) ),
		);
		$this->assertSame( 'pass', self::spf( $zone, 'amx.test', '198.51.100.6' )['result'] );
		$this->assertSame( 'pass', self::spf( $zone, 'amx.test', '203.0.113.9' )['result'] );
		$this->assertSame( 'pass', self::spf( $zone, 'amx.test', '2001:db8::25' )['result'] );
		$this->assertSame( 'fail', self::spf( $zone, 'amx.test', '198.51.100.8' )['result'] );
	}

	public function test_include_passes_only_on_the_included_pass(): void {
		$zone = array(
			'inc.test'      => array( array( self::TXT, 'v=spf1 include:other.inc.test ~all' ) ),
			'other.inc.test' => array( array( self::TXT, 'v=spf1 ip4:192.0.2.1 -all' ) ),
		);
		$this->assertSame( 'pass', self::spf( $zone, 'inc.test', '192.0.2.1' )['result'] );
		$this->assertSame( 'softfail', self::spf( $zone, 'inc.test', '192.0.2.2' )['result'], 'the included -all does not end the outer record' );
	}

	public function test_include_of_a_domain_without_spf_is_a_permerror(): void {
		$zone = array( 'inc.test' => array( array( self::TXT, 'v=spf1 include:gone.test -all' ) ) );
		$this->assertSame( 'permerror', self::spf( $zone, 'inc.test', '192.0.2.1' )['result'] );
	}

	public function test_redirect_chain_is_followed_and_counted(): void {
		$zone   = array(
			'r.test'      => array( array( self::TXT, 'v=spf1 redirect=_spf.r.test' ) ),
			'_spf.r.test' => array( array( self::TXT, 'v=spf1 redirect=_s2.r.test' ) ),
			'_s2.r.test'  => array( array( self::TXT, 'v=spf1 ip4:192.0.2.9 -all' ) ),
		);
		$result = self::spf( $zone, 'r.test', '192.0.2.9' );
		$this->assertSame( 'pass', $result['result'] );
		$this->assertSame( 2, $result['lookups'] );
		$this->assertSame( 'fail', self::spf( $zone, 'r.test', '192.0.2.10' )['result'] );
	}

	public function test_redirect_is_ignored_when_all_is_present(): void {
		$zone = array(
			'r.test'   => array( array( self::TXT, 'v=spf1 -all redirect=ok.test' ) ),
			'ok.test'  => array( array( self::TXT, 'v=spf1 +all' ) ),
		);
		$this->assertSame( 'fail', self::spf( $zone, 'r.test', '192.0.2.9' )['result'] );
	}

	public function test_more_than_ten_lookups_is_a_permerror_and_ten_is_not(): void {
		$ten    = array();
		$eleven = array();
		for ( $i = 1; $i <= 11; $i++ ) {
			$ten[ 'n' . $i . '.test' ] = array( array( self::TXT, 'v=spf1 -all' ) );
		}
		$eleven                = $ten;
		$ten['ten.test']       = array( array( self::TXT, 'v=spf1 ' . implode( ' ', array_map( static fn( int $i ): string => 'include:n' . $i . '.test', range( 1, 10 ) ) ) . ' ip4:192.0.2.1 -all' ) );
		$eleven['eleven.test'] = array( array( self::TXT, 'v=spf1 ' . implode( ' ', array_map( static fn( int $i ): string => 'include:n' . $i . '.test', range( 1, 11 ) ) ) . ' ip4:192.0.2.1 -all' ) );
		$this->assertSame( 'pass', self::spf( $ten, 'ten.test', '192.0.2.1' )['result'] );
		$result = self::spf( $eleven, 'eleven.test', '192.0.2.1' );
		$this->assertSame( 'permerror', $result['result'] );
		$this->assertSame( 11, $result['lookups'] );
	}

	public function test_a_third_void_lookup_is_a_permerror_and_two_are_not(): void {
		$two   = array( 'v.test' => array( array( self::TXT, 'v=spf1 a:gone1.test a:gone2.test ip4:192.0.2.1 -all' ) ) );
		$three = array( 'v.test' => array( array( self::TXT, 'v=spf1 a:gone1.test a:gone2.test a:gone3.test ip4:192.0.2.1 -all' ) ) );
		$this->assertSame( 'pass', self::spf( $two, 'v.test', '192.0.2.1' )['result'] );
		$result = self::spf( $three, 'v.test', '192.0.2.1' );
		$this->assertSame( 'permerror', $result['result'] );
		$this->assertSame( 3, $result['voids'] );
	}

	public function test_none_two_records_and_syntax_errors(): void {
		$this->assertSame( 'none', self::spf( array( 'n.test' => array( array( self::TXT, 'google-site-verification=x' ) ) ), 'n.test', '192.0.2.1' )['result'] );
		$this->assertSame( 'permerror', self::spf( array( 'n.test' => array( array( self::TXT, 'v=spf1 -all' ), array( self::TXT, 'v=spf1 +all' ) ) ), 'n.test', '192.0.2.1' )['result'] );
		$this->assertSame( 'permerror', self::spf( array( 'n.test' => array( array( self::TXT, 'v=spf1 ip4:300.1.1.1 -all' ) ) ), 'n.test', '192.0.2.1' )['result'] );
		$this->assertSame( 'permerror', self::spf( array( 'n.test' => array( array( self::TXT, 'v=spf1 frob -all' ) ) ), 'n.test', '192.0.2.1' )['result'] );
		$this->assertSame( 'neutral', self::spf( array( 'n.test' => array( array( self::TXT, 'v=spf1 ip4:192.0.2.2' ) ) ), 'n.test', '192.0.2.1' )['result'] );
	}

	public function test_a_failed_lookup_is_a_temperror(): void {
		$evaluator = new Spf_Evaluator( new Zone_Records( array( 't.test' => array( array( self::TXT, 'v=spf1 include:slow.test -all' ) ) ), array( 'slow.test' ) ) );
		$this->assertSame( 'temperror', $evaluator->for_address( 't.test', '192.0.2.1' )['result'] );
	}

	public function test_exists_with_the_ip_macro(): void {
		$zone = array(
			'x.test'                => array( array( self::TXT, 'v=spf1 exists:%{ir}.allow.x.test -all' ) ),
			'1.2.0.192.allow.x.test' => array( array( self::A, '127.0.0.2' ) ),
		);
		$this->assertSame( 'pass', self::spf( $zone, 'x.test', '192.0.2.1' )['result'] );
		$this->assertSame( 'fail', self::spf( $zone, 'x.test', '192.0.2.3' )['result'] );
	}

	public function test_provider_matches_its_documented_include_without_looking_it_up(): void {
		$zone      = array(
			'p.test'     => array( array( self::TXT, 'v=spf1 include:_spf.p.test -all' ) ),
			'_spf.p.test' => array( array( self::TXT, 'v=spf1 ip4:192.0.2.1 include:sendgrid.net ~all' ) ),
			'sendgrid.net' => array( array( self::TXT, 'v=spf1 ip4:203.0.113.0/24 -all' ) ),
		);
		$dns       = new Zone_Records( $zone );
		$evaluator = new Spf_Evaluator( $dns );
		$this->assertSame( 'pass', $evaluator->for_provider( 'p.test', array( 'sendgrid.net' ) )['result'] );
		$this->assertNotContains( Dns_Packet::TYPE_TXT . ' sendgrid.net', $dns->asked );
		$this->assertSame( 'fail', $evaluator->for_provider( 'p.test', array( 'spf.protection.outlook.com' ) )['result'] );
	}
}
