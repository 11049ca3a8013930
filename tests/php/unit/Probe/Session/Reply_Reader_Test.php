<?php
/**
 * Tests for Reply_Reader and Smtp_Reply.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Session\Reply_Reader;
use SmtpPortHelper\Probe\Text;

/**
 * Reply parsing.
 */
class Reply_Reader_Test extends TestCase {

	/**
	 * Multi-line replies split across chunks.
	 */
	public function test_multiline_reply_in_pieces(): void {
		$reader = new Reply_Reader();
		$data   = "220 mx.example.com ESMTP ready\r\n250-mx.example.com Hello\r\n250-PIPELINING\r\n250-AUTH PLAIN LOGIN XOAUTH2\r\n250-AUTH=LOGIN\r\n250-STARTTLS\r\n250 SIZE 35882577\r\n";
		foreach ( str_split( $data, 3 ) as $piece ) {
			$reader->feed( $piece );
		}
		$banner = $reader->next_reply();
		$this->assertSame( 220, $banner->code );
		$this->assertSame( 'mx.example.com', $banner->first_word() );
		$ehlo = $reader->next_reply();
		$this->assertSame( 250, $ehlo->code );
		$this->assertCount( 6, $ehlo->lines );
		$this->assertSame( array( 'PLAIN', 'LOGIN', 'XOAUTH2' ), $ehlo->auth_mechanisms() );
		$this->assertArrayHasKey( 'STARTTLS', $ehlo->ehlo_keywords() );
		$this->assertSame( '35882577', $ehlo->ehlo_keywords()['SIZE'] );
		$this->assertNull( $reader->next_reply() );
		$this->assertSame( '', $reader->get_error() );
	}

	/**
	 * A bare code and LF-only line ends are accepted.
	 */
	public function test_bare_code_and_lf(): void {
		$reader = new Reply_Reader();
		$reader->feed( "250\n221 bye\n" );
		$this->assertSame( 250, $reader->next_reply()->code );
		$this->assertSame( 221, $reader->next_reply()->code );
	}

	/**
	 * HTTP is not SMTP, detected before a full line arrives.
	 */
	public function test_http_is_not_smtp(): void {
		$reader = new Reply_Reader();
		$reader->feed( 'HTTP/1.1 400' );
		$this->assertSame( Reply_Reader::ERROR_NOT_SMTP, $reader->get_error() );
		$this->assertStringContainsString( 'HTTP/1.1', $reader->get_error_line() );
		$this->assertSame( $reader->get_error_line(), $reader->describe_error() );
	}

	/**
	 * Line and reply limits bound memory.
	 */
	public function test_limits(): void {
		$reader = new Reply_Reader();
		$reader->feed( '220 ' . str_repeat( 'x', Reply_Reader::LINE_LIMIT ) );
		$this->assertSame( Reply_Reader::ERROR_LINE_LONG, $reader->get_error() );
		$this->assertSame( 0, $reader->pending_bytes() );
		$this->assertStringStartsWith( 'reply line longer than 2048 bytes: 220 xxx', $reader->describe_error() );

		$reader = new Reply_Reader();
		$line   = '220-' . str_repeat( 'y', 1000 ) . "\r\n";
		for ( $i = 0; $i < 100 && '' === $reader->get_error(); $i++ ) {
			$reader->feed( $line );
		}
		$this->assertSame( Reply_Reader::ERROR_REPLY_LONG, $reader->get_error() );
		$this->assertLessThan( 70, $i );
		$this->assertSame( 'reply longer than 65536 bytes', $reader->describe_error() );
	}

	/**
	 * Codes may not change inside a multi-line reply.
	 */
	public function test_mixed_codes(): void {
		$reader = new Reply_Reader();
		$reader->feed( "250-a\r\n220 b\r\n" );
		$this->assertSame( Reply_Reader::ERROR_MIXED_CODES, $reader->get_error() );
	}

	/**
	 * Partial reply starts are not errors yet.
	 */
	public function test_partial_start(): void {
		$reader = new Reply_Reader();
		$reader->feed( '2' );
		$this->assertSame( '', $reader->get_error() );
		$reader->feed( '2' );
		$reader->feed( '0' );
		$this->assertSame( '', $reader->get_error() );
		$this->assertSame( 3, $reader->pending_bytes() );
	}

	/**
	 * Sanitising of server text.
	 */
	public function test_sanitize(): void {
		$this->assertSame( '220 a?b?c', Text::sanitize( "220 a\x00b\x1bc" ) );
		$this->assertSame( 10, strlen( Text::sanitize( str_repeat( 'z', 50 ), 10 ) ) );
	}
}
