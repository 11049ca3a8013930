<?php
/**
 * Tests for Address_List.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Probe\Session\Address_List;

/**
 * Order of addresses and the DNS stage detail.
 */
class Address_List_Test extends TestCase {

	/**
	 * IPv4 first, then IPv6, one after the other.
	 */
	public function test_order(): void {
		$list = new Address_List(
			array(
				'a'         => array( '192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4', '192.0.2.5' ),
				'aaaa'      => array( '2001:db8::1' ),
				'error'     => '',
				'no_answer' => false,
				'ms'        => 12.5,
			),
			Address_Policy::administrator()
		);
		$this->assertFalse( $list->is_empty() );
		$this->assertSame( 12.5, $list->lookup_ms() );
		$this->assertSame( 'A: 192.0.2.1, 192.0.2.2, 192.0.2.3, 192.0.2.4; AAAA: 2001:db8::1; using 192.0.2.1', $list->stage_detail( false ) );
		$this->assertSame( 'IP literal, no lookup', $list->stage_detail( true ) );
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertTrue( $list->has_next() );
			$list->advance();
		}
		$this->assertSame( '2001:db8::1', $list->current() );
		$this->assertFalse( $list->has_next() );
	}

	/**
	 * A failed lookup, or one without addresses, leaves nothing to connect to.
	 */
	public function test_empty(): void {
		$failed = new Address_List(
			array(
				'a'         => array( '192.0.2.1' ),
				'aaaa'      => array(),
				'error'     => 'NXDOMAIN',
				'no_answer' => false,
				'ms'        => 3.0,
			),
			Address_Policy::administrator()
		);
		$this->assertTrue( $failed->is_empty() );
		$this->assertSame( 'NXDOMAIN', $failed->error() );
		$none = new Address_List(
			array(
				'a'         => array(),
				'aaaa'      => array( '2001:db8::1' ),
				'error'     => '',
				'no_answer' => false,
				'ms'        => 3.0,
			),
			Address_Policy::administrator()
		);
		$this->assertFalse( $none->is_empty() );
		$this->assertSame( 'A: -; AAAA: 2001:db8::1; using 2001:db8::1', $none->stage_detail( false ) );
	}
}
