<?php
/**
 * Tests for Ehlo_Name.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Session\Ehlo_Name;

/**
 * Configured name, host name, address literal.
 */
class Ehlo_Name_Test extends TestCase {

	/**
	 * The order of preference.
	 */
	public function test_choose(): void {
		$this->assertSame( 'client.example.org', Ehlo_Name::choose( 'client.example.org', 'web1.example.com', '10.0.0.1:4000' ) );
		$this->assertSame( 'web1.example.com', Ehlo_Name::choose( null, 'Web1.Example.com', '10.0.0.1:4000' ) );
		$this->assertSame( '[10.0.0.1]', Ehlo_Name::choose( null, 'web1', '10.0.0.1:4000' ) );
		$this->assertSame( '[IPv6:2001:db8::5]', Ehlo_Name::choose( null, 'web1', '[2001:db8::5]:4000' ) );
		$this->assertSame( 'localhost.localdomain', Ehlo_Name::choose( null, 'web1', '' ) );
	}
}
