<?php
/**
 * Tests for Dns_Resolver (cases that never query DNS).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Net;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Host_Name;

/**
 * Special names and IP literals.
 */
class Dns_Resolver_Test extends TestCase {

	/**
	 * IP literals are not looked up.
	 */
	public function test_ip_literals(): void {
		$resolver = new Dns_Resolver();
		$this->assertSame( array( '192.0.2.7' ), $resolver->resolve( Host_Name::parse( '192.0.2.7' ) )['a'] );
		$v6 = $resolver->resolve( Host_Name::parse( '[2001:db8::1]' ) );
		$this->assertSame( array(), $v6['a'] );
		$this->assertSame( array( '2001:db8::1' ), $v6['aaaa'] );
		$this->assertSame( '', $v6['error'] );
	}

	/**
	 * RFC 6761 names.
	 */
	public function test_special_names(): void {
		$resolver = new Dns_Resolver();
		$local    = $resolver->resolve( Host_Name::parse( 'mail.localhost' ) );
		$this->assertSame( array( '127.0.0.1' ), $local['a'] );
		$this->assertSame( array( '::1' ), $local['aaaa'] );
		$invalid = $resolver->resolve( Host_Name::parse( 'smtp.example.invalid' ) );
		$this->assertSame( array(), $invalid['a'] );
		$this->assertNotSame( '', $invalid['error'] );
	}
}
