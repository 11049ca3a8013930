<?php
/**
 * DNS messages (RFC 1035): a query's bytes; an answer's addresses, or its records of any type
 * the plugin reads (A, AAAA, CNAME, MX, TXT).
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

	public const TYPE_A     = 1;
	public const TYPE_CNAME = 5;
	public const TYPE_MX    = 15;
	public const TYPE_TXT   = 16;
	public const TYPE_AAAA  = 28;

	/** The header flag of an answer cut short to fit a datagram (RFC 1035 4.1.1): ask again over TCP. */
	private const FLAG_TRUNCATED = 0x0200;

	public const RCODE_OK       = 0;
	public const RCODE_NXDOMAIN = 3;

	/**
	 * A query with the recursion-desired flag.
	 *
	 * @param int    $id   Query id (0..65535).
	 * @param string $name Host name, ASCII, without a trailing dot.
	 * @param int    $type One of the TYPE_ constants.
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
	 * Reads an answer to any query: its id, response code, whether it was truncated, the question
	 * it answers and every record of its answer section (CNAME chains included, in order).
	 *
	 * Record data: A/AAAA the address, CNAME the target name, MX "preference exchange" (exchange
	 * "." for a null MX), TXT its character-strings joined without a separator (RFC 7208 3.3).
	 *
	 * @param string $packet The message.
	 * @return array{id: int, rcode: int, truncated: bool, question: string, question_type: int, records: list<array{name: string, type: int, ttl: int, data: string}>}|null
	 *         Null when it is no answer or malformed.
	 */
	public static function parse_records( string $packet ): ?array {
		if ( strlen( $packet ) < 12 ) {
			return null;
		}
		$header = unpack( 'nid/nflags/nqd/nan', substr( $packet, 0, 8 ) );
		if ( false === $header || 0 === ( $header['flags'] & 0x8000 ) || 1 !== $header['qd'] ) {
			return null;
		}
		$question = self::read_name( $packet, 12 );
		if ( null === $question || $question[1] + 4 > strlen( $packet ) ) {
			return null;
		}
		$question_type = self::u16( $packet, $question[1] );
		$offset        = $question[1] + 4;
		$truncated     = 0 !== ( $header['flags'] & self::FLAG_TRUNCATED );
		$records       = array();
		for ( $i = 0; $i < $header['an']; $i++ ) {
			$owner = self::read_name( $packet, $offset );
			if ( null === $owner || $owner[1] + 10 > strlen( $packet ) ) {
				if ( $truncated ) {
					break; // A truncated answer may end inside a record; what came whole is kept.
				}
				return null;
			}
			$record = unpack( 'ntype/nclass/Nttl/nlength', substr( $packet, $owner[1], 10 ) );
			$offset = $owner[1] + 10;
			if ( false === $record || $offset + $record['length'] > strlen( $packet ) ) {
				if ( $truncated ) {
					break;
				}
				return null;
			}
			$data = 1 === $record['class'] ? self::record_data( $packet, $offset, $record['type'], $record['length'] ) : null;
			if ( null !== $data ) {
				$records[] = array(
					'name' => strtolower( $owner[0] ),
					'type' => $record['type'],
					'ttl'  => $record['ttl'],
					'data' => $data,
				);
			}
			$offset += $record['length'];
		}
		return array(
			'id'            => $header['id'],
			'rcode'         => $header['flags'] & 0x000f,
			'truncated'     => $truncated,
			'question'      => strtolower( $question[0] ),
			'question_type' => $question_type,
			'records'       => $records,
		);
	}

	/**
	 * The data of one record as text, or null for a type the plugin does not read or bad data.
	 *
	 * @param string $packet Message.
	 * @param int    $offset Where the data starts.
	 * @param int    $type   Record type.
	 * @param int    $length Data length.
	 */
	private static function record_data( string $packet, int $offset, int $type, int $length ): ?string {
		switch ( $type ) {
			case self::TYPE_A:
			case self::TYPE_AAAA:
				if ( ( self::TYPE_A === $type ? 4 : 16 ) !== $length ) {
					return null;
				}
				$address = inet_ntop( substr( $packet, $offset, $length ) );
				return false === $address ? null : $address;
			case self::TYPE_CNAME:
				$target = self::read_name( $packet, $offset );
				return null === $target ? null : strtolower( $target[0] );
			case self::TYPE_MX:
				if ( $length < 3 ) {
					return null;
				}
				$exchange = self::read_name( $packet, $offset + 2 );
				if ( null === $exchange ) {
					return null;
				}
				return self::u16( $packet, $offset ) . ' ' . ( '' === $exchange[0] ? '.' : strtolower( $exchange[0] ) );
			case self::TYPE_TXT:
				$text = '';
				$end  = $offset + $length;
				while ( $offset < $end ) {
					$size = ord( $packet[ $offset ] );
					if ( $offset + 1 + $size > $end ) {
						return null;
					}
					$text   .= substr( $packet, $offset + 1, $size );
					$offset += 1 + $size;
				}
				return $text;
		}
		return null;
	}

	/**
	 * The 16-bit number in network order at an offset (0 past the end).
	 *
	 * @param string $bytes  Bytes.
	 * @param int    $offset Offset.
	 */
	public static function u16( string $bytes, int $offset ): int {
		return strlen( $bytes ) >= $offset + 2 ? ( ord( $bytes[ $offset ] ) << 8 ) | ord( $bytes[ $offset + 1 ] ) : 0;
	}

	/**
	 * A (possibly compressed) name and the offset after it where it starts, or null when it is
	 * malformed (runs off the end, or its pointers loop).
	 *
	 * @param string $packet Packet.
	 * @param int    $offset Where the name starts.
	 * @return array{0: string, 1: int}|null The name without a trailing dot ('' for the root).
	 */
	public static function read_name( string $packet, int $offset ): ?array {
		$size   = strlen( $packet );
		$labels = array();
		$after  = null;
		$jumps  = 0;
		while ( $offset < $size ) {
			$length = ord( $packet[ $offset ] );
			if ( 0 === $length ) {
				return array( implode( '.', $labels ), $after ?? $offset + 1 );
			}
			if ( 0xc0 === ( $length & 0xc0 ) ) {
				if ( $offset + 2 > $size || ++$jumps > 32 ) {
					return null;
				}
				$after  = $after ?? $offset + 2;
				$offset = ( ( $length & 0x3f ) << 8 ) | ord( $packet[ $offset + 1 ] );
				continue;
			}
			if ( 0 !== ( $length & 0xc0 ) || $offset + 1 + $length > $size ) {
				return null;
			}
			$labels[] = substr( $packet, $offset + 1, $length );
			$offset  += 1 + $length;
		}
		return null;
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
