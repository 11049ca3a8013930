<?php
/**
 * Tests for Dns_Packet::parse_records(): TXT, CNAME, MX (and null MX), A/AAAA, compressed names,
 * truncation and malformed messages, on answers built byte by byte here.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Net;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Net\Dns_Packet;

/**
 * Records of every type the domain check reads.
 */
class Dns_Packet_Test extends TestCase {

	/**
	 * An answer to a query for `example.test` of a type, with records whose owner is a pointer to
	 * the question's name (offset 12), as real servers compress them.
	 *
	 * @param int                          $type    Question type.
	 * @param list<array{0: int, 1: string}> $records Type and raw data.
	 * @param int                          $flags   Header flags.
	 */
	private static function answer( int $type, array $records, int $flags = 0x8180 ): string {
		$packet = pack( 'nnnnnn', 0x1234, $flags, 1, count( $records ), 0, 0 ) . "\x07example\x04test\0" . pack( 'nn', $type, 1 );
		foreach ( $records as $record ) {
			$packet .= "\xc0\x0c" . pack( 'nnNn', $record[0], 1, 300, strlen( $record[1] ) ) . $record[1];
		}
		return $packet;
	}

	public function test_txt_character_strings_are_joined_without_a_separator(): void {
		$data   = "\x0fv=spf1 include:" . "\x1c_spf.provider.test ~all     ";
		$parsed = Dns_Packet::parse_records( self::answer( Dns_Packet::TYPE_TXT, array( array( Dns_Packet::TYPE_TXT, $data ) ) ) );
		$this->assertNotNull( $parsed );
		$this->assertSame( 'example.test', $parsed['question'] );
		$this->assertSame( Dns_Packet::TYPE_TXT, $parsed['question_type'] );
		$this->assertSame( 'v=spf1 include:_spf.provider.test ~all     ', $parsed['records'][0]['data'] );
		$this->assertSame( 0x1234, $parsed['id'] );
		$this->assertFalse( $parsed['truncated'] );
	}

	public function test_mx_and_null_mx(): void {
		$mx     = pack( 'n', 10 ) . "\x02mx\xc0\x0c";
		$null   = pack( 'n', 0 ) . "\0";
		$parsed = Dns_Packet::parse_records( self::answer( Dns_Packet::TYPE_MX, array( array( Dns_Packet::TYPE_MX, $mx ), array( Dns_Packet::TYPE_MX, $null ) ) ) );
		$this->assertNotNull( $parsed );
		$this->assertSame( array( '10 mx.example.test', '0 .' ), array_column( $parsed['records'], 'data' ) );
	}

	public function test_cname_chain_and_addresses_are_kept_in_order(): void {
		$cname  = "\x05other\xc0\x0c";
		$parsed = Dns_Packet::parse_records(
			self::answer(
				Dns_Packet::TYPE_A,
				array(
					array( Dns_Packet::TYPE_CNAME, $cname ),
					array( Dns_Packet::TYPE_A, "\xc0\x00\x02\x01" ),
					array( Dns_Packet::TYPE_AAAA, str_repeat( "\0", 15 ) . "\x01" ),
				)
			)
		);
		$this->assertNotNull( $parsed );
		$this->assertSame( array( 'other.example.test', '192.0.2.1', '::1' ), array_column( $parsed['records'], 'data' ) );
		$this->assertSame( array( Dns_Packet::TYPE_CNAME, Dns_Packet::TYPE_A, Dns_Packet::TYPE_AAAA ), array_column( $parsed['records'], 'type' ) );
	}

	public function test_truncated_answer_keeps_the_whole_records_and_says_so(): void {
		$packet = self::answer( Dns_Packet::TYPE_TXT, array( array( Dns_Packet::TYPE_TXT, "\x03one" ), array( Dns_Packet::TYPE_TXT, "\x03two" ) ), 0x8380 );
		$parsed = Dns_Packet::parse_records( substr( $packet, 0, -3 ) );
		$this->assertNotNull( $parsed );
		$this->assertTrue( $parsed['truncated'] );
		$this->assertSame( array( 'one' ), array_column( $parsed['records'], 'data' ) );
	}

	public function test_cut_answer_without_the_truncation_flag_is_malformed(): void {
		$packet = self::answer( Dns_Packet::TYPE_TXT, array( array( Dns_Packet::TYPE_TXT, "\x03one" ) ) );
		$this->assertNull( Dns_Packet::parse_records( substr( $packet, 0, -2 ) ) );
	}

	public function test_txt_string_running_past_its_record_is_dropped(): void {
		$parsed = Dns_Packet::parse_records( self::answer( Dns_Packet::TYPE_TXT, array( array( Dns_Packet::TYPE_TXT, "\x09short" ) ) ) );
		$this->assertNotNull( $parsed );
		$this->assertSame( array(), $parsed['records'] );
	}

	public function test_pointer_loop_and_queries_are_refused(): void {
		$this->assertNull( Dns_Packet::read_name( "\xc0\x00", 0 ) );
		$this->assertNull( Dns_Packet::parse_records( Dns_Packet::query( 1, 'example.test', Dns_Packet::TYPE_TXT ) ) );
		$this->assertNull( Dns_Packet::parse_records( 'short' ) );
	}

	public function test_response_code_is_read(): void {
		$parsed = Dns_Packet::parse_records( self::answer( Dns_Packet::TYPE_TXT, array(), 0x8183 ) );
		$this->assertNotNull( $parsed );
		$this->assertSame( Dns_Packet::RCODE_NXDOMAIN, $parsed['rcode'] );
		$this->assertSame( array(), $parsed['records'] );
	}
}
