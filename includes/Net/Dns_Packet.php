<?php
/**
 * DNS messages of an A or AAAA query: the query's bytes, the answer's addresses (RFC 1035).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Net;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Builds a recursive query for one name and type, and reads an answer to it: the response code
 * and the addresses of that type in the answer section (a CNAME chain's target addresses
 * included). Anything malformed or not answering this query reads as null.
 */
final class Dns_Packet {

	public const TYPE_A    = 1;
	public const TYPE_AAAA = 28;

	public const RCODE_OK       = 0;
	public const RCODE_NXDOMAIN = 3;

	/**
	 * A query with the recursion-desired flag.
	 *
	 * @param int    $id   Query id (0..65535).
	 * @param string $name Host name, ASCII, without a trailing dot.
	 * @param int    $type TYPE_A or TYPE_AAAA.
	 */
	public static function query( int $id, string $name, int $type ): string {
		$packet = pack( 'nnnnnn', $id, 0x0100, 1, 0, 0, 0 );
		foreach ( explode( '.', rtrim( $name, '.' ) ) as $label ) {
			$packet .= chr( strlen( $label ) ) . $label;
		}
		return $packet . "\0" . pack( 'nn', $type, 1 );
	}

	/**
	 * Reads an answer: its id, response code and the addresses of the type asked for.
	 *
	 * @param string $packet The datagram.
	 * @param int    $type   TYPE_A or TYPE_AAAA.
	 * @return array{id: int, rcode: int, addresses: string[]}|null Null when it is no answer.
	 */
	public static function parse( string $packet, int $type ): ?array {
		if ( strlen( $packet ) < 12 ) {
			return null;
		}
		$header = unpack( 'nid/nflags/nqd/nan', substr( $packet, 0, 8 ) );
		if ( false === $header || 0 === ( $header['flags'] & 0x8000 ) ) {
			return null;
		}
		$offset = 12;
		for ( $i = 0; $i < $header['qd']; $i++ ) {
			$offset = self::skip_name( $packet, $offset );
			if ( null === $offset ) {
				return null;
			}
			$offset += 4;
		}
		$addresses = array();
		$length    = 4 === self::length_of( $type ) ? 4 : 16;
		for ( $i = 0; $i < $header['an']; $i++ ) {
			$offset = self::skip_name( $packet, $offset );
			if ( null === $offset || $offset + 10 > strlen( $packet ) ) {
				return null;
			}
			$record = unpack( 'ntype/nclass/Nttl/nlength', substr( $packet, $offset, 10 ) );
			if ( false === $record ) {
				return null;
			}
			$offset += 10;
			if ( $offset + $record['length'] > strlen( $packet ) ) {
				return null;
			}
			if ( $type === $record['type'] && 1 === $record['class'] && $length === $record['length'] ) {
				$address = inet_ntop( substr( $packet, $offset, $length ) );
				if ( false !== $address ) {
					$addresses[] = $address;
				}
			}
			$offset += $record['length'];
		}
		return array(
			'id'        => $header['id'],
			'rcode'     => $header['flags'] & 0x000f,
			'addresses' => array_values( array_unique( $addresses ) ),
		);
	}

	/**
	 * Bytes of an address of a type.
	 *
	 * @param int $type TYPE_A or TYPE_AAAA.
	 */
	private static function length_of( int $type ): int {
		return self::TYPE_A === $type ? 4 : 16;
	}

	/**
	 * The offset after a (possibly compressed) name, or null when it runs off the end.
	 *
	 * @param string $packet Packet.
	 * @param int    $offset Where the name starts.
	 */
	private static function skip_name( string $packet, int $offset ): ?int {
		$size = strlen( $packet );
		while ( $offset < $size ) {
			$length = ord( $packet[ $offset ] );
			if ( 0 === $length ) {
				return $offset + 1;
			}
			if ( 0xc0 === ( $length & 0xc0 ) ) {
				return $offset + 2 <= $size ? $offset + 2 : null;
			}
			$offset += $length + 1;
		}
		return null;
	}
}
