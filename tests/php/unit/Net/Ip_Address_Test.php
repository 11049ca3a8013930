<?php
/**
 * Tests for Ip_Address: each address class, and the IPv6 forms that carry an IPv4 address.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Net;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Ip_Address;

/**
 * Address classes.
 */
class Ip_Address_Test extends TestCase {

	/**
	 * Addresses no mail server uses, and metadata services.
	 *
	 * @return array<string, array{string}>
	 */
	public function never_addresses(): array {
		return array(
			'unspecified IPv4'         => array( '0.0.0.0' ),
			'this network'             => array( '0.1.2.3' ),
			'unspecified IPv6'         => array( '::' ),
			'link-local metadata'      => array( '169.254.169.254' ),
			'link-local IPv4'          => array( '169.254.0.1' ),
			'link-local IPv6'          => array( 'fe80::1' ),
			'link-local IPv6 upper'    => array( 'febf::1' ),
			'multicast IPv4'           => array( '224.0.0.1' ),
			'multicast IPv4 top'       => array( '239.255.255.250' ),
			'multicast IPv6'           => array( 'ff02::1' ),
			'reserved 240/4'           => array( '240.0.0.1' ),
			'broadcast'                => array( '255.255.255.255' ),
			'Alibaba metadata'         => array( '100.100.100.200' ),
			'AWS metadata IPv6'        => array( 'fd00:ec2::254' ),
			'AWS metadata IPv6 long'   => array( 'fd00:0ec2:0000:0000:0000:0000:0000:0254' ),
			'IPv4-mapped metadata'     => array( '::ffff:169.254.169.254' ),
			'IPv4-mapped hex metadata' => array( '::ffff:a9fe:a9fe' ),
			'IPv4-compatible metadata' => array( '::169.254.169.254' ),
			'NAT64 metadata'           => array( '64:ff9b::169.254.169.254' ),
			'NAT64 hex metadata'       => array( '64:ff9b::a9fe:a9fe' ),
			'6to4 metadata'            => array( '2002:a9fe:a9fe::1' ),
			'6to4 unspecified'         => array( '2002::' ),
			'IPv4-mapped Alibaba'      => array( '::ffff:100.100.100.200' ),
			'not an address'           => array( 'smtp.example.com' ),
			'empty'                    => array( '' ),
		);
	}

	/**
	 * Never.
	 *
	 * @dataProvider never_addresses
	 * @param string $address Address.
	 */
	public function test_never( string $address ): void {
		$this->assertSame( Ip_Address::NEVER, Ip_Address::classify( $address ) );
	}

	/**
	 * This machine and private networks.
	 *
	 * @return array<string, array{string}>
	 */
	public function internal_addresses(): array {
		return array(
			'loopback'                 => array( '127.0.0.1' ),
			'loopback /8'              => array( '127.255.0.9' ),
			'loopback IPv6'            => array( '::1' ),
			'10/8'                     => array( '10.1.2.3' ),
			'172.16/12 low'            => array( '172.16.0.1' ),
			'172.16/12 high'           => array( '172.31.255.254' ),
			'192.168/16'               => array( '192.168.1.10' ),
			'CGNAT 100.64/10'          => array( '100.64.0.1' ),
			'CGNAT top'                => array( '100.127.255.254' ),
			'next to Alibaba metadata' => array( '100.100.100.201' ),
			'unique local fc00'        => array( 'fc00::1' ),
			'unique local fd'          => array( 'fd12:3456::1' ),
			'IPv4-mapped loopback'     => array( '::ffff:127.0.0.1' ),
			'IPv4-mapped private'      => array( '::ffff:10.0.0.1' ),
			'NAT64 private'            => array( '64:ff9b::192.168.0.1' ),
			'6to4 loopback'            => array( '2002:7f00:1::' ),
			'6to4 private'             => array( '2002:c0a8:0101::1' ),
		);
	}

	/**
	 * Internal.
	 *
	 * @dataProvider internal_addresses
	 * @param string $address Address.
	 */
	public function test_internal( string $address ): void {
		$this->assertSame( Ip_Address::INTERNAL, Ip_Address::classify( $address ) );
	}

	/**
	 * Public addresses, also right next to the refused blocks.
	 *
	 * @return array<string, array{string}>
	 */
	public function public_addresses(): array {
		return array(
			'public IPv4'        => array( '93.184.216.34' ),
			'next to 172.16/12'  => array( '172.32.0.1' ),
			'below 172.16/12'    => array( '172.15.255.255' ),
			'next to CGNAT'      => array( '100.128.0.1' ),
			'next to link-local' => array( '169.255.0.1' ),
			'below multicast'    => array( '223.255.255.254' ),
			'below CGNAT'        => array( '100.63.255.255' ),
			'public IPv6'        => array( '2a00:1450:4001:80b::200e' ),
			'IPv4-mapped public' => array( '::ffff:93.184.216.34' ),
			'NAT64 public'       => array( '64:ff9b::5db8:d822' ),
			'6to4 public'        => array( '2002:5db8:d822::1' ),
			'documentation IPv4' => array( '192.0.2.7' ),
		);
	}

	/**
	 * Public.
	 *
	 * @dataProvider public_addresses
	 * @param string $address Address.
	 */
	public function test_public( string $address ): void {
		$this->assertSame( Ip_Address::PUBLIC_ADDRESS, Ip_Address::classify( $address ) );
	}

	/**
	 * The carried IPv4 address comes out; other IPv6 addresses stay (canonical).
	 */
	public function test_unwrap(): void {
		$this->assertSame( '169.254.169.254', Ip_Address::unwrap( '::ffff:169.254.169.254' ) );
		$this->assertSame( '169.254.169.254', Ip_Address::unwrap( '0:0:0:0:0:ffff:a9fe:a9fe' ) );
		$this->assertSame( '127.0.0.1', Ip_Address::unwrap( '64:ff9b::7f00:1' ) );
		$this->assertSame( '10.0.0.1', Ip_Address::unwrap( '2002:0a00:0001:abcd::1' ) );
		$this->assertSame( '::1', Ip_Address::unwrap( '0:0:0:0:0:0:0:1' ) );
		$this->assertSame( '::', Ip_Address::unwrap( '::' ) );
		$this->assertSame( '2001:db8::1', Ip_Address::unwrap( '2001:0db8:0000::0001' ) );
		$this->assertSame( '192.0.2.1', Ip_Address::unwrap( '192.0.2.1' ) );
	}
}
