<?php
/**
 * Tests for Domain_Check on zones in memory: what the integration tests against NSD cannot reach
 * (a local relay, an IP literal as host, a domain that does not exist, a name server that times out).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Deliverability\Domain_Check;
use SmtpPortHelper\Deliverability\Send_Path;
use SmtpPortHelper\Net\Dns_Packet;

require_once __DIR__ . '/Zone_Records.php';

/**
 * The findings.
 */
class Domain_Check_Test extends TestCase {

	/**
	 * Findings by check (the first of each).
	 *
	 * @param array<string, list<array{0: int, 1: string}>> $zone    Zone.
	 * @param string                                        $domain  From domain.
	 * @param string                                        $host    SMTP host.
	 * @param string[]                                      $failing Names whose look-ups fail.
	 * @return array<string, \SmtpPortHelper\Deliverability\Finding>
	 */
	private static function check( array $zone, string $domain, string $host, array $failing = array() ): array {
		$report = ( new Domain_Check( new Zone_Records( $zone, $failing ) ) )->run( new Send_Path( $domain, $host ) );
		$first  = array();
		foreach ( $report['findings'] as $finding ) {
			$first[ $finding->check ] = $first[ $finding->check ] ?? $finding;
		}
		return $first;
	}

	public function test_a_relay_on_loopback_or_a_private_network_is_not_judged_by_its_address(): void {
		$zone = array(
			'site.test'       => array( array( Dns_Packet::TYPE_TXT, 'v=spf1 -all' ), array( Dns_Packet::TYPE_MX, '10 mx.site.test' ) ),
			'relay.site.test' => array( array( Dns_Packet::TYPE_A, '10.0.0.5' ) ),
		);
		foreach ( array( '127.0.0.1', 'relay.site.test' ) as $host ) {
			$spf = self::check( $zone, 'site.test', $host )['spf'];
			$this->assertSame( array( 'warn', 'local_relay' ), array( $spf->status, $spf->result ), $host );
			$this->assertNull( $spf->record, $host );
		}
	}

	public function test_a_public_ip_literal_is_checked_as_the_sending_address(): void {
		$zone = array( 'site.test' => array( array( Dns_Packet::TYPE_TXT, 'v=spf1 ip4:198.51.100.7 -all' ) ) );
		$this->assertSame( 'pass', self::check( $zone, 'site.test', '198.51.100.7' )['spf']->result );
		$spf = self::check( $zone, 'site.test', '198.51.100.8' )['spf'];
		$this->assertSame( 'fail', $spf->result );
		$this->assertSame( 'v=spf1 ip4:198.51.100.8 ip4:198.51.100.7 -all', $spf->record['value'] ?? '' );
	}

	public function test_a_from_domain_that_does_not_exist_fails(): void {
		$findings = self::check( array(), 'gone.test', 'smtp.gmail.com' );
		$this->assertSame( array( 'fail', 'nxdomain' ), array( $findings['mx']->status, $findings['mx']->result ) );
		$this->assertSame( 'none', $findings['spf']->result );
	}

	public function test_a_name_server_that_does_not_answer_gives_temperror_not_a_verdict(): void {
		$zone     = array( 'google._domainkey.slow.test' => array( array( Dns_Packet::TYPE_TXT, 'v=DKIM1; p=' ) ) );
		$findings = self::check( $zone, 'slow.test', 'smtp.gmail.com', array( 'slow.test', '_dmarc.slow.test' ) );
		$this->assertSame( array( 'warn', 'temperror' ), array( $findings['spf']->status, $findings['spf']->result ) );
		$this->assertSame( 'invalid', $findings['dkim']->result, 'the one name that answered is judged' );
		$this->assertSame( 'temperror', $findings['dmarc']->result );
		$this->assertSame( 'temperror', $findings['mx']->result );
		$this->assertNull( $findings['spf']->record, 'no record is proposed from an unanswered question' );
	}

	public function test_no_name_server_at_all_is_said_once_and_plainly(): void {
		$report = ( new Domain_Check( new Zone_Records( array(), array( 'off.test', '_dmarc.off.test', 's1._domainkey.off.test', 's2._domainkey.off.test' ) ) ) )->run( new Send_Path( 'off.test', 'smtp.sendgrid.net' ) );
		$this->assertCount( 1, $report['findings'] );
		$finding = $report['findings'][0];
		$this->assertSame( array( 'dns', 'warn', 'no_name_server' ), array( $finding->check, $finding->status, $finding->result ) );
		$this->assertStringContainsString( 'Playground', $finding->meaning );
		$this->assertSame( 'warn', $report['status'] );
		$this->assertNull( $finding->record );
	}
}
