<?php
/**
 * What kind of address an IP is, after unwrapping the IPv6 forms that carry an IPv4 address.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Classifies an address as public, internal (this machine or its private network) or never
 * (no mail server lives there, or cloud metadata does). IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and 6to4 (2002::/16) addresses are unwrapped
 * first, so `::ffff:169.254.169.254` is the metadata address it reaches.
 */
final class Ip_Address {

	public const PUBLIC_ADDRESS = 'public';
	public const INTERNAL       = 'internal';
	public const NEVER          = 'never';

	/** Blocks no mail server uses: unspecified ("this network"), link-local, multicast, reserved and broadcast. */
	private const NEVER_RANGES = array(
		'0.0.0.0/8',
		'169.254.0.0/16',
		'224.0.0.0/4',
		'240.0.0.0/4',
		'::/128',
		'fe80::/10',
		'ff00::/8',
	);

	/** Cloud metadata services outside the link-local blocks (Alibaba, AWS over IPv6). */
	private const METADATA = array( '100.100.100.200', 'fd00:ec2::254' );

	/** This machine and private networks. */
	private const INTERNAL_RANGES = array(
		'127.0.0.0/8',
		'10.0.0.0/8',
		'172.16.0.0/12',
		'192.168.0.0/16',
		'100.64.0.0/10',
		'::1/128',
		'fc00::/7',
		'fec0::/10',
	);

	/**
	 * The class of an address: one of the constants; NEVER for anything that is not an IP.
	 *
	 * @param string $address IPv4 or IPv6 address (IPv6 without brackets).
	 */
	public static function classify( string $address ): string {
		$address = self::unwrap( $address );
		$binary  = self::binary( $address );
		if ( null === $binary ) {
			return self::NEVER;
		}
		foreach ( self::METADATA as $metadata ) {
			if ( self::binary( $metadata ) === $binary ) {
				return self::NEVER;
			}
		}
		foreach ( self::NEVER_RANGES as $range ) {
			if ( self::in_range( $binary, $range ) ) {
				return self::NEVER;
			}
		}
		foreach ( self::INTERNAL_RANGES as $range ) {
			if ( self::in_range( $binary, $range ) ) {
				return self::INTERNAL;
			}
		}
		return self::PUBLIC_ADDRESS;
	}

	/**
	 * The IPv4 address inside an IPv6 address that carries one, else the address itself
	 * (IPv6 in its canonical form).
	 *
	 * @param string $address IP address.
	 */
	public static function unwrap( string $address ): string {
		$binary = self::binary( $address );
		if ( null === $binary || 4 === strlen( $binary ) ) {
			return $address;
		}
		$prefix = array(
			'mapped'     => str_repeat( "\0", 10 ) . "\xff\xff",
			'compatible' => str_repeat( "\0", 12 ),
			'nat64'      => "\x00\x64\xff\x9b" . str_repeat( "\0", 8 ),
		);
		foreach ( $prefix as $kind => $bytes ) {
			// `::` and `::1` are not IPv4-compatible addresses.
			if ( substr( $binary, 0, 12 ) === $bytes && ( 'compatible' !== $kind || substr( $binary, 12, 3 ) !== "\0\0\0" ) ) {
				return (string) inet_ntop( substr( $binary, 12, 4 ) );
			}
		}
		if ( "\x20\x02" === substr( $binary, 0, 2 ) ) {
			return (string) inet_ntop( substr( $binary, 2, 4 ) );
		}
		return (string) inet_ntop( $binary );
	}

	/**
	 * The packed form of an IP address, or null.
	 *
	 * @param string $address Address.
	 */
	private static function binary( string $address ): ?string {
		if ( false === filter_var( $address, FILTER_VALIDATE_IP ) ) {
			return null;
		}
		$binary = inet_pton( $address );
		return false === $binary ? null : $binary;
	}

	/**
	 * Whether a packed address lies in a CIDR block of its own family.
	 *
	 * @param string $binary Packed address.
	 * @param string $range  CIDR block.
	 */
	private static function in_range( string $binary, string $range ): bool {
		list( $network, $bits ) = explode( '/', $range );
		$network                = (string) inet_pton( $network );
		if ( strlen( $network ) !== strlen( $binary ) ) {
			return false;
		}
		$bits  = (int) $bits;
		$whole = intdiv( $bits, 8 );
		if ( substr( $binary, 0, $whole ) !== substr( $network, 0, $whole ) ) {
			return false;
		}
		$rest = $bits % 8;
		if ( 0 === $rest ) {
			return true;
		}
		$mask = ( 0xff << ( 8 - $rest ) ) & 0xff;
		return ( ord( $binary[ $whole ] ) & $mask ) === ( ord( $network[ $whole ] ) & $mask );
	}
}
