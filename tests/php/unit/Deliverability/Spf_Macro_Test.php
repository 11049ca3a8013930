<?php
/**
 * Tests for Spf_Macro: RFC 7208 section 7's expansions, and what a provider cannot expand.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Deliverability;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Deliverability\Spf_Macro;

/**
 * Expansions.
 */
class Spf_Macro_Test extends TestCase {

	public function test_the_rfc_examples_expand(): void {
		// RFC 7208 7.4, sender strong-bad@email.example.com, IP 192.0.2.3.
		$sender = 'strong-bad@email.example.com';
		$cases  = array(
			'%{s}'                       => 'strong-bad@email.example.com',
			'%{o}'                       => 'email.example.com',
			'%{d}'                       => 'email.example.com',
			'%{d4}'                      => 'email.example.com',
			'%{d3}'                      => 'email.example.com',
			'%{d2}'                      => 'example.com',
			'%{d1}'                      => 'com',
			'%{dr}'                      => 'com.example.email',
			'%{d2r}'                     => 'example.email',
			'%{l}'                       => 'strong-bad',
			'%{l-}'                      => 'strong.bad',
			'%{lr}'                      => 'strong-bad',
			'%{lr-}'                     => 'bad.strong',
			'%{l1r-}'                    => 'strong',
			'%{ir}.%{v}._spf.%{d2}'      => '3.2.0.192.in-addr._spf.example.com',
			'%{lr-}.lp._spf.%{d2}'       => 'bad.strong.lp._spf.example.com',
			'%{d2}.trusted-domains.test' => 'example.com.trusted-domains.test',
		);
		foreach ( $cases as $spec => $expected ) {
			$this->assertSame( $expected, Spf_Macro::expand( $spec, 'email.example.com', $sender, '192.0.2.3' ), $spec );
		}
	}

	public function test_an_ipv6_address_expands_nibble_by_nibble(): void {
		$this->assertSame(
			'1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com',
			Spf_Macro::expand( '%{ir}.%{v}._spf.%{d2}', 'email.example.com', 'a@email.example.com', '2001:db8::cb01' )
		);
	}

	public function test_what_needs_the_sending_address_does_not_expand_for_a_provider(): void {
		$this->assertNull( Spf_Macro::expand( '%{i}._spf.example.com', 'example.com', 'postmaster@example.com', '' ) );
		$this->assertNull( Spf_Macro::expand( '%{p}.example.com', 'example.com', 'postmaster@example.com', '192.0.2.3' ), 'p is not evaluated' );
		$this->assertSame( 'example.com', Spf_Macro::expand( 'Example.COM.', 'example.com', '', '' ), 'no macro: lower case, no trailing dot' );
	}
}
