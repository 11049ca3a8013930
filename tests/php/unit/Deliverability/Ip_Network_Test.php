<?php
/**
 * Tests for Ip_Network: prefix lengths on byte and bit boundaries, both families.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Deliverability\Ip_Network;

/**
 * contains().
 */
class Ip_Network_Test extends TestCase {

	public function test_prefixes(): void {
		$this->assertTrue( Ip_Network::contains( '192.0.2.3', '192.0.2.3', 32 ) );
		$this->assertFalse( Ip_Network::contains( '192.0.2.4', '192.0.2.3', 32 ) );
		$this->assertTrue( Ip_Network::contains( '192.0.2.200', '192.0.2.0', 24 ) );
		$this->assertTrue( Ip_Network::contains( '192.0.2.127', '192.0.2.0', 25 ) );
		$this->assertFalse( Ip_Network::contains( '192.0.2.128', '192.0.2.0', 25 ), 'a bit inside the byte' );
		$this->assertTrue( Ip_Network::contains( '10.1.2.3', '0.0.0.0', 0 ) );
		$this->assertTrue( Ip_Network::contains( '2001:db8::1', '2001:db8::', 32 ) );
		$this->assertFalse( Ip_Network::contains( '2001:db9::1', '2001:db8::', 32 ) );
	}

	public function test_families_and_garbage_never_match(): void {
		$this->assertFalse( Ip_Network::contains( '192.0.2.3', '::ffff:192.0.2.3', 128 ) );
		$this->assertFalse( Ip_Network::contains( 'not an address', '192.0.2.0', 24 ) );
	}
}
