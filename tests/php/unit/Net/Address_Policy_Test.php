<?php
/**
 * Tests for Address_Policy: who may reach which address class and port; names resolving to
 * mixed addresses.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Net;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\Net\Ip_Address;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Session\Address_List;
use SmtpPortHelper\Probe\Submission_Ports;

/**
 * Address policy.
 */
class Address_Policy_Test extends TestCase {

	/**
	 * A sub-site administrator's policy without the network's permission.
	 */
	private static function site_administrator(): Address_Policy {
		return new Address_Policy( false, Submission_Ports::for_site_administrators() );
	}

	/**
	 * Administrators: internal addresses and any port, never the addresses no mail server uses.
	 */
	public function test_administrator(): void {
		$policy = Address_Policy::administrator();
		foreach ( array( '127.0.0.1', '::1', '10.0.0.5', '192.168.1.1', '100.64.0.1', 'fd00::25', '::ffff:127.0.0.1', '93.184.216.34' ) as $address ) {
			$this->assertTrue( $policy->allows_address( $address ), $address );
		}
		foreach ( array( '0.0.0.0', '::', '169.254.169.254', '::ffff:169.254.169.254', '64:ff9b::a9fe:a9fe', '2002:a9fe:a9fe::', 'fe80::1', '224.0.0.1', 'ff02::1', '240.0.0.1', '255.255.255.255', '100.100.100.200', 'fd00:ec2::254' ) as $address ) {
			$this->assertSame( Ip_Address::NEVER, $policy->refusal( $address ), $address );
		}
		$this->assertTrue( $policy->allows_port( 22 ) );
		$this->assertTrue( $policy->allows_port( 3306 ) );
		$this->assertTrue( $policy->refuses_name( 'metadata.google.internal' ) );
		$this->assertTrue( $policy->refuses_name( 'METADATA.google.internal.' ) );
		$this->assertFalse( $policy->refuses_name( 'smtp.google.com' ) );
	}

	/**
	 * A sub-site administrator: no internal address in any encoding, only submission ports.
	 */
	public function test_site_administrator(): void {
		$policy = self::site_administrator();
		foreach ( array( '127.0.0.1', '::1', '10.0.0.5', '172.20.0.1', '192.168.1.1', '100.64.0.1', 'fd00::25', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::7f00:1', '2002:7f00:1::', '2002:c0a8:101::' ) as $address ) {
			$this->assertSame( Ip_Address::INTERNAL, $policy->refusal( $address ), $address );
		}
		$this->assertSame( Ip_Address::NEVER, $policy->refusal( '169.254.169.254' ) );
		$this->assertTrue( $policy->allows_address( '93.184.216.34' ) );
		$this->assertTrue( $policy->allows_address( '2a00:1450:4001:80b::200e' ) );
		foreach ( array( 25, 465, 587, 2525, 2587, 2465 ) as $port ) {
			$this->assertTrue( $policy->allows_port( $port ), (string) $port );
		}
		foreach ( array( 22, 80, 3306, 6379, 8080, 11211 ) as $port ) {
			$this->assertFalse( $policy->allows_port( $port ), (string) $port );
		}
		$this->assertStringContainsString( '22', $policy->port_message( 22 ) );
		$this->assertStringContainsString( '2587', $policy->port_message( 22 ) );
	}

	/**
	 * The network's permission lets sub-site administrators use internal addresses, not the never class.
	 */
	public function test_site_administrator_allowed_internal(): void {
		$policy = new Address_Policy( true, Submission_Ports::for_site_administrators() );
		$this->assertTrue( $policy->allows_address( '10.0.0.5' ) );
		$this->assertFalse( $policy->allows_address( '169.254.169.254' ) );
		$this->assertFalse( $policy->allows_port( 22 ) );
	}

	/**
	 * The constant opens everything.
	 */
	public function test_open(): void {
		$policy = Address_Policy::open();
		foreach ( array( '169.254.169.254', '0.0.0.0', '127.0.0.1', 'fd00:ec2::254' ) as $address ) {
			$this->assertTrue( $policy->allows_address( $address ), $address );
		}
		$this->assertTrue( $policy->allows_port( 22 ) );
		$this->assertFalse( $policy->refuses_name( 'metadata.google.internal' ) );
	}

	/**
	 * A name resolving to mixed A and AAAA records: only the allowed ones stay, in order, and
	 * refused ones are never shown.
	 */
	public function test_mixed_answers(): void {
		$dns  = array(
			'a'         => array( '127.0.0.1', '93.184.216.34', '169.254.169.254' ),
			'aaaa'      => array( '::ffff:10.0.0.1', '2a00:1450:4001:80b::200e', 'fe80::1' ),
			'error'     => '',
			'no_answer' => false,
			'ms'        => 1.0,
		);
		$site = new Address_List( $dns, self::site_administrator() );
		$this->assertFalse( $site->is_empty() );
		$this->assertFalse( $site->all_refused() );
		$this->assertSame( Ip_Address::INTERNAL, $site->refusal() );
		$this->assertSame( '93.184.216.34', $site->current() );
		$this->assertTrue( $site->has_next() );
		$site->advance();
		$this->assertSame( '2a00:1450:4001:80b::200e', $site->current() );
		$this->assertFalse( $site->has_next() );
		$detail = $site->stage_detail( false );
		foreach ( array( '127.0.0.1', '169.254', '10.0.0.1', 'fe80' ) as $refused ) {
			$this->assertStringNotContainsString( $refused, $detail );
		}

		$admin = new Address_List( $dns, Address_Policy::administrator() );
		$this->assertSame( '127.0.0.1', $admin->current() );
		$this->assertSame( Ip_Address::NEVER, $admin->refusal() );
		$this->assertStringNotContainsString( '169.254', $admin->stage_detail( false ) );

		$only_internal = new Address_List(
			array(
				'a'         => array( '127.0.0.1' ),
				'aaaa'      => array( '::1', 'fe80::1' ),
				'error'     => '',
				'no_answer' => false,
				'ms'        => 1.0,
			),
			self::site_administrator()
		);
		$this->assertTrue( $only_internal->all_refused() );
		$this->assertSame( Ip_Address::INTERNAL, $only_internal->refusal() );

		$only_never = new Address_List(
			array(
				'a'         => array( '169.254.169.254' ),
				'aaaa'      => array( 'fd00:ec2::254' ),
				'error'     => '',
				'no_answer' => false,
				'ms'        => 1.0,
			),
			Address_Policy::administrator()
		);
		$this->assertTrue( $only_never->all_refused() );
		$this->assertSame( Ip_Address::NEVER, $only_never->refusal() );
	}

	/**
	 * Refused IP literals, metadata names and ports are refused before any look-up, naming the field.
	 */
	public function test_options_refuse_before_lookup(): void {
		$cases = array(
			array( array( 'host' => '127.0.0.1' ), self::site_administrator(), 'host' ),
			array( array( 'host' => '[::ffff:127.0.0.1]' ), self::site_administrator(), 'host' ),
			array( array( 'host' => '169.254.169.254' ), Address_Policy::administrator(), 'host' ),
			array( array( 'host' => '[64:ff9b::a9fe:a9fe]' ), Address_Policy::administrator(), 'host' ),
			array( array( 'host' => 'metadata.google.internal' ), Address_Policy::administrator(), 'host' ),
			array( array( 'host' => '0.0.0.0' ), Address_Policy::administrator(), 'host' ),
			array(
				array(
					'host'  => 'smtp.example.com',
					'ports' => array( 587, 22 ),
				),
				self::site_administrator(),
				'ports',
			),
		);
		foreach ( $cases as list( $options, $policy, $field ) ) {
			try {
				Probe_Options::from_array( $options + array( 'policy' => $policy ) );
				$this->fail( 'accepted: ' . (string) $options['host'] );
			} catch ( Invalid_Input_Exception $error ) {
				$this->assertSame( $field, $error->field() );
				$this->assertStringNotContainsString( '127.0.0.1', $error->getMessage() );
			}
		}
		$allowed = Probe_Options::from_array(
			array(
				'host'   => '127.0.0.1',
				'ports'  => array( 22 ),
				'policy' => Address_Policy::administrator(),
			)
		);
		$this->assertSame( array( 22 ), $allowed->ports );
	}
}
