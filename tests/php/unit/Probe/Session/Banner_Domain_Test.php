<?php
/**
 * Tests for Banner_Domain.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Probe\Session\Banner_Domain;

/**
 * A greeting's name against the host asked for.
 */
class Banner_Domain_Test extends TestCase {

	/**
	 * Interception detection compares registrable domains only.
	 */
	public function test_names_other_domain(): void {
		$host = Host_Name::parse( 'smtp.gmail.com' );
		$this->assertFalse( Banner_Domain::names_other_domain( $host, 'smtp.gmail.com' ) );
		$this->assertFalse( Banner_Domain::names_other_domain( $host, 'eu-smtp-1.gmail.com' ) );
		$this->assertFalse( Banner_Domain::names_other_domain( $host, 'localhost' ) );
		$this->assertFalse( Banner_Domain::names_other_domain( $host, 'ESMTP' ) );
		$this->assertTrue( Banner_Domain::names_other_domain( $host, 'p3plcpnl0123.prod.phx3.secureserver.net' ) );
		$this->assertFalse( Banner_Domain::names_other_domain( Host_Name::parse( '192.0.2.1' ), 'mail.example.com' ) );
		$this->assertSame( 'example.co.uk', Banner_Domain::base_domain( 'smtp.mail.example.co.uk' ) );
		$this->assertSame( 'example.com', Banner_Domain::base_domain( 'a.b.example.com' ) );
	}
}
