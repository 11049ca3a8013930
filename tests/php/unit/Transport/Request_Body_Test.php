<?php
/**
 * A request body of pieces: the bytes it produces in chunks are those of the string an API's
 * request was joined into before, its length is known before the first byte, and a message's
 * attachment goes from the MIME into the API's base64 field without a decoded copy.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Transport\Https\Request_Body;
use SmtpPortHelper\Transport\Mime\Mime_Message;

require_once __DIR__ . '/Mime_Fixture.php';

final class Request_Body_Test extends TestCase {

	/**
	 * Reads a body in chunks of a size.
	 */
	private function read_all( Request_Body $body, int $chunk ): string {
		$body->rewind();
		$out = '';
		while ( '' !== ( $piece = $body->read( $chunk ) ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition.FoundInWhileCondition
			$this->assertLessThanOrEqual( $chunk, strlen( $piece ) );
			$out .= $piece;
		}
		return $out;
	}

	public function test_text_ranges_and_the_base64_of_them_read_in_any_chunk_size_give_the_joined_string(): void {
		$source = random_bytes( 100003 );
		$inner  = ( new Request_Body() )->text( 'ab' )->range( $source, 17, 50000 )->text( "\x00\xff" );
		$body   = ( new Request_Body() )->text( '{"x":"' )->base64( $inner )->text( '"}' )->range( $source, 99990, 13 );
		$joined = '{"x":"' . base64_encode( 'ab' . substr( $source, 17, 50000 ) . "\x00\xff" ) . '"}' . substr( $source, 99990, 13 );

		$this->assertSame( strlen( $joined ), $body->length(), 'the length is known before reading' );
		foreach ( array( 4, 5, 64, 1000, Request_Body::CHUNK ) as $chunk ) {
			$this->assertSame( $joined, $this->read_all( $body, $chunk ), "chunks of $chunk bytes" );
		}
		$this->assertSame( $joined, $body->contents() );
		$this->assertSame( hash( 'sha256', $joined ), $body->hash( 'sha256' ) );
	}

	public function test_base64url_is_base64_with_the_url_safe_letters(): void {
		$bytes = random_bytes( 70001 ) . "\xfb\xff\xfe";
		$body  = ( new Request_Body() )->base64( ( new Request_Body() )->range( $bytes, 0, strlen( $bytes ) ), true );

		$this->assertSame( strtr( base64_encode( $bytes ), '+/', '-_' ), $this->read_all( $body, 1000 ) );
		$this->assertSame( strlen( base64_encode( $bytes ) ), $body->length() );
	}

	public function test_a_json_document_with_bodies_in_it_is_the_document_wp_json_encode_gives(): void {
		$file    = random_bytes( 3001 );
		$encoded = chunk_split( base64_encode( $file ), 76, "\r\n" );
		$payload = array(
			'subject'     => 'Grüße "aus" Köln / ' . "\u{1F600}",
			'attachments' => array(
				array(
					'content'  => ( new Request_Body() )->unwrapped_base64( $encoded, 0, strlen( $encoded ) ),
					'filename' => 'a.bin',
				),
				array( 'content' => ( new Request_Body() )->base64( ( new Request_Body() )->text( 'two' ) ) ),
			),
		);
		$expected = $payload;
		$expected['attachments'][0]['content'] = base64_encode( $file );
		$expected['attachments'][1]['content'] = base64_encode( 'two' );

		$body = Request_Body::json( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );

		$this->assertSame( wp_json_encode( $expected, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), $body->contents() );
		$this->assertSame( strlen( $body->contents() ), $body->length() );
	}

	public function test_base64_that_is_not_as_phpmailer_writes_it_is_decoded_and_encoded_again(): void {
		$file = random_bytes( 999 );
		foreach ( array(
			'spaces in the lines' => chunk_split( base64_encode( $file ), 76, " \r\n" ),
			'LF line ends'        => chunk_split( base64_encode( $file ), 64, "\n" ),
		) as $case => $encoded ) {
			$body = ( new Request_Body() )->unwrapped_base64( $encoded, 0, strlen( $encoded ) );
			$this->assertSame( $file, base64_decode( $body->contents(), true ), $case );
			$this->assertSame( strlen( $body->contents() ), $body->length(), $case );
		}
	}

	public function test_an_attachment_of_a_parsed_message_goes_to_base64_as_it_was_and_the_message_without_bcc_is_unchanged_but_that_line(): void {
		$file    = random_bytes( 2 * 1048576 + 1 );
		$message = "From: a@example.org\r\nTo: b@example.com\r\nBcc: hidden@example.com\r\nSubject: big\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\nContent-Type: application/octet-stream; name=big.bin\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=big.bin\r\n\r\n" . chunk_split( base64_encode( $file ), 76, "\r\n" ) . "\r\n--b1--\r\n";
		$mime    = new Mime_Message( $message );

		$this->assertSame( 'hello', $mime->text() );
		$this->assertSame( $file, $mime->files()[0]->bytes() );
		$this->assertSame( base64_encode( $file ), $mime->files()[0]->base64_body()->contents() );
		$this->assertSame( str_replace( "Bcc: hidden@example.com\r\n", '', $message ), Mime_Message::without_bcc_header_body( $message )->contents() );
		$this->assertSame( strlen( $message ) - strlen( "Bcc: hidden@example.com\r\n" ), Mime_Message::without_bcc_header_body( $message )->length() );
		$this->assertSame( Mime_Fixture::message(), Mime_Message::without_bcc_header_body( Mime_Fixture::message() )->contents() );
	}
}
