<?php
/**
 * The MIME reader: what an API without raw MIME gets of the message PHPMailer built.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Transport\Mime\Mime_Message;

require_once __DIR__ . '/Mime_Fixture.php';

final class Mime_Message_Test extends TestCase {

	public function test_addresses_keep_their_decoded_names_even_with_a_comma(): void {
		$mime = new Mime_Message( Mime_Fixture::message() );
		$to   = $mime->addresses( 'to' );
		$this->assertCount( 2, $to );
		$this->assertSame( 'juergen@example.com', $to[0]->address );
		$this->assertSame( 'Müller, Jürgen', $to[0]->name );
		$this->assertSame( 'plain@example.com', $to[1]->address );
		$this->assertSame( 'Südsee-Blog', $mime->addresses( 'from' )[0]->name );
		$this->assertSame( 'Cc Person', $mime->addresses( 'cc' )[0]->name );
		$this->assertSame( 'reply@example.com', $mime->addresses( 'reply-to' )[0]->address );
	}

	public function test_the_envelope_recipients_no_header_names_are_bcc(): void {
		$split = ( new Mime_Message( Mime_Fixture::message() ) )->recipients( array( 'Juergen@example.com', 'plain@example.com', 'cc@example.com', 'hidden@example.com' ) );
		$this->assertSame( array( 'juergen@example.com', 'plain@example.com' ), array_column( $split['to'], 'address' ) );
		$this->assertSame( array( 'cc@example.com' ), array_column( $split['cc'], 'address' ) );
		$this->assertSame( array( 'hidden@example.com' ), array_column( $split['bcc'], 'address' ) );
	}

	public function test_a_retry_for_fewer_recipients_names_only_those(): void {
		$split = ( new Mime_Message( Mime_Fixture::message() ) )->recipients( array( 'plain@example.com' ) );
		$this->assertSame( array( 'plain@example.com' ), array_column( $split['to'], 'address' ) );
		$this->assertSame( array(), $split['cc'] );
		$this->assertSame( array(), $split['bcc'] );
	}

	public function test_subject_bodies_and_files_are_decoded(): void {
		$mime = new Mime_Message( Mime_Fixture::message() );
		$this->assertSame( 'Grüße aus Köln', $mime->subject() );
		$this->assertSame( "Grüße, Jürgen!\r\n", $mime->text() );
		$this->assertStringContainsString( '<b>Jürgen</b>', $mime->html() );
		$files = $mime->files();
		$this->assertCount( 2, $files );
		$this->assertSame( 'logo.png', $files[0]->filename() );
		$this->assertSame( 'inline', $files[0]->disposition() );
		$this->assertSame( 'logo@blog', $files[0]->content_id() );
		$this->assertSame( Mime_Fixture::PNG, $files[0]->bytes() );
		$this->assertSame( 'Rechnung März.pdf', $files[1]->filename() );
		$this->assertSame( 'application/pdf', $files[1]->content_type() );
		$this->assertSame( 'attachment', $files[1]->disposition() );
		$this->assertSame( Mime_Fixture::PDF, $files[1]->bytes() );
	}

	public function test_other_headers_leave_out_what_an_api_sets_itself(): void {
		$headers = ( new Mime_Message( Mime_Fixture::message() ) )->other_headers();
		$this->assertSame( array( 'X-Mailer', 'X-Custom-Tag' ), array_keys( $headers ) );
		$this->assertSame( 'süß', $headers['X-Custom-Tag'] );
	}

	public function test_an_rfc_2231_file_name_and_a_latin_1_body_are_read_as_utf_8(): void {
		$data = "From: a@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nK=F6ln\r\n--x\r\nContent-Type: text/plain\r\nContent-Disposition: attachment;\r\n filename*=utf-8''%C3%BCbersicht.txt\r\n\r\nfile\r\n--x--\r\n";
		$mime = new Mime_Message( $data );
		$this->assertSame( 'Köln', $mime->text() );
		$this->assertSame( 'übersicht.txt', $mime->files()[0]->filename() );
	}

	public function test_a_bcc_header_is_taken_out_of_raw_mime_and_nothing_else(): void {
		$data    = "To: a@example.com\r\nBcc: hidden@example.com,\r\n other@example.com\r\nSubject: Bcc: not a header\r\n\r\nBcc: in the body stays\r\n";
		$cleaned = Mime_Message::without_bcc_header( $data );
		$this->assertSame( "To: a@example.com\r\nSubject: Bcc: not a header\r\n\r\nBcc: in the body stays\r\n", $cleaned );
		$this->assertSame( Mime_Fixture::message(), Mime_Message::without_bcc_header( Mime_Fixture::message() ) );
	}

	public function test_for_an_api_that_reads_the_headers_to_and_cc_name_only_the_envelope(): void {
		$data = "From: me@example.com\r\nTo: =?UTF-8?Q?M=C3=BCller=2C_J=C3=BCrgen?= <juergen@example.com>,\r\n \"Already, Reached\" <reached@example.com>\r\nCc: reached-cc@example.com\r\nSubject: To: in the subject\r\n\r\nTo: reached@example.com in the body stays\r\n";

		$cut = Mime_Message::addressed_to_envelope( $data, array( 'Juergen@example.com', 'hidden@example.com' ) );

		$this->assertSame( "Bcc: hidden@example.com\r\nFrom: me@example.com\r\nTo: =?UTF-8?Q?M=C3=BCller=2C_J=C3=BCrgen?= <juergen@example.com>\r\nSubject: To: in the subject\r\n\r\nTo: reached@example.com in the body stays\r\n", $cut, 'the reached ones out of To, the Cc of reached ones gone, the body untouched' );
		$this->assertSame( 'Müller, Jürgen', ( new Mime_Message( $cut ) )->addresses( 'to' )[0]->name );
	}

	public function test_for_an_api_that_reads_the_headers_a_message_for_all_its_recipients_keeps_its_bytes(): void {
		$this->assertSame( Mime_Fixture::message(), Mime_Message::addressed_to_envelope( Mime_Fixture::message(), array( 'juergen@example.com', 'plain@example.com', 'cc@example.com' ) ) );
	}
}
