<?php
/**
 * SMTP's DATA sent in blocks (issue #21, Performance): the same wire text as PHPMailer's own
 * SMTP::data() for every shape of line, a 10 MB attachment sent in at most three times the
 * message's size, and the message arriving at a real SMTP server byte for byte.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Smtp_Data_Chunks;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Outgoing_Message;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';
require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
require_once ABSPATH . WPINC . '/PHPMailer/SMTP.php';
require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
require_once __DIR__ . '/support/Recording_Smtp_Data.php';

/**
 * @group database
 */
final class Smtp_Data_Test extends Integration_Test_Case {

	private ?Server_Process $server = null;

	private string $mail_dir = '';

	protected function setUp(): void {
		parent::setUp();
		$this->mail_dir = dirname( __DIR__, 3 ) . '/.run/smtp-data-test/' . wp_generate_password( 10, false );
	}

	protected function tearDown(): void {
		if ( null !== $this->server ) {
			$this->server->stop();
		}
		array_map( 'unlink', (array) glob( $this->mail_dir . '/*' ) );
		@rmdir( $this->mail_dir ); // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
		parent::tearDown();
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public static function line_shapes(): array {
		$long_words = trim( str_repeat( 'word ', 450 ) );
		return array(
			'headers and body, CRLF, ends with a line end' => array( "From: a@example.com\r\nSubject: Hi\r\n\r\nBody\r\n" ),
			'no line end at the end'                       => array( "Subject: Hi\r\n\r\nlast line" ),
			'two line ends at the end'                     => array( "Subject: Hi\r\n\r\nBody\r\n\r\n" ),
			'LF only, lone CR, CR CR LF'                   => array( "Subject: Hi\n\nline\rnext\r\r\nafter\n\r\nend\r" ),
			'dots: a lone dot, two dots, a dot first'      => array( "Subject: dots\r\n\r\n.\r\n..\r\n.hidden\r\nmid.dle\r\n.\r\n" ),
			'a long header folded with a tab'              => array( 'X-Long: ' . $long_words . "\r\nSubject: Hi\r\n\r\nBody\r\n" ),
			'a long header without a space'                => array( 'X-Long: ' . str_repeat( 'x', 2500 ) . "\r\n\r\nBody\r\n" ),
			'a long body line at spaces'                   => array( "Subject: Hi\r\n\r\n" . $long_words . "\r\n" ),
			'a long body line without a space, a dot at a break' => array( "Subject: Hi\r\n\r\n" . str_repeat( 'y', 997 ) . '.' . str_repeat( 'z', 1200 ) . "\r\n" ),
			'a long line whose only space is first'        => array( "Subject: Hi\r\n\r\n " . str_repeat( 'q', 1500 ) . "\r\n" ),
			'not a header first (a space before the colon)' => array( 'Dear reader: ' . $long_words . "\r\n\r\nmore\r\n" ),
			'a body only, empty lines first'               => array( "\r\n\r\nonly body\r\n" ),
			'one line break'                               => array( "\r\n" ),
		);
	}

	/**
	 * @dataProvider line_shapes
	 */
	public function test_the_wire_text_is_phpmailers_for_every_line_shape_and_block_size( string $message ): void {
		foreach ( array( 1, 2, 3, 7, 64, 1000, Smtp_Data_Chunks::BLOCK_BYTES ) as $block_bytes ) {
			$this->assertSame( self::phpmailer_wire( $message ), self::chunked_wire( $message, $block_bytes ), "blocks of $block_bytes bytes" );
		}
	}

	public function test_the_wire_text_is_phpmailers_for_random_messages(): void {
		mt_srand( 20261206 );
		$pieces = array( 'a', 'b', ' ', '.', ':', "\r", "\n", "\r\n", 'Subject: x', str_repeat( 'w', 400 ), str_repeat( 'v ', 300 ) );
		for ( $round = 0; $round < 300; $round++ ) {
			$message = '';
			for ( $piece = mt_rand( 0, 60 ); $piece > 0; $piece-- ) {
				$message .= $pieces[ mt_rand( 0, count( $pieces ) - 1 ) ];
			}
			$block_bytes = mt_rand( 1, 3000 );
			$this->assertSame( self::phpmailer_wire( $message ), self::chunked_wire( $message, $block_bytes ), sprintf( 'round %d, blocks of %d bytes: %s', $round, $block_bytes, wp_json_encode( $message ) ) );
		}
	}

	public function test_the_message_arrives_byte_for_byte_its_dot_lines_stuffed_on_the_wire_only(): void {
		$this->start_server();
		$subject = 'dots ' . wp_generate_password( 10, false );
		$message = self::message_with_attachment( $subject, random_bytes( 300000 ) );
		$store   = new Settings_Store();

		$transport = ( new Transport_Factory( new Mailer_Hook( $store ) ) )->for_store( $store );
		$outcome   = $transport->send( $message, Deadline::in( 30 ) );
		$transport->close();

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		$arrived = $this->received( $subject );
		$this->assertCount( 1, $arrived, 'delivered once' );
		$this->assertStringContainsString( "\r\n.\r\n..twice\r\n.a dot first\r\n", $arrived[0], 'dot-stuffed on the wire, unstuffed by the server: a lone dot did not end the message' );
		$this->assertSame( $message->data, $arrived[0], 'the server keeps exactly the bytes that were built, no empty line added' );
	}

	public function test_a_10_mb_attachment_is_sent_in_at_most_three_times_its_size_and_arrives_byte_for_byte(): void {
		if ( ! function_exists( 'memory_reset_peak_usage' ) ) {
			$this->markTestSkipped( 'memory_reset_peak_usage() needs PHP 8.2.' );
		}
		$this->start_server();
		$subject = 'large ' . wp_generate_password( 10, false );
		$message = self::message_with_attachment( $subject, random_bytes( 10 * 1048576 ) );
		$size    = strlen( $message->data );
		$store   = new Settings_Store();

		$transport = ( new Transport_Factory( new Mailer_Hook( $store ) ) )->for_store( $store );
		gc_collect_cycles();
		$before = memory_get_usage();
		memory_reset_peak_usage();
		$started = microtime( true );
		$outcome = $transport->send( $message, Deadline::in( 120 ) );
		$elapsed = microtime( true ) - $started;
		$peak    = memory_get_peak_usage() - $before + $size;
		$transport->close();

		$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		fwrite( STDERR, sprintf( "\n[smtp-data] %.1f MB message: peak %.1f MB while sending, %.2f × its size; sent in %.2f s\n", $size / 1048576, $peak / 1048576, $peak / $size, $elapsed ) );
		$this->assertLessThanOrEqual( 3 * $size, $peak, sprintf( 'peak memory %.2f × the message (the message itself counted once); the target is 3 ×', $peak / $size ) );
		$arrived = $this->received( $subject );
		$this->assertCount( 1, $arrived, 'delivered once' );
		$this->assertSame( md5( $message->data ), md5( $arrived[0] ), 'the server keeps exactly the bytes that were built' );
	}

	public function test_a_connection_broken_in_the_middle_of_data_fails_the_attempt_at_once_and_is_not_used_again(): void {
		$this->start_plain_server( 'data-abort-smtp.js', array( '--after', '1048576' ) );
		$message   = self::message_with_attachment( 'broken ' . wp_generate_password( 10, false ), random_bytes( 10 * 1048576 ) );
		$store     = new Settings_Store();
		$transport = ( new Transport_Factory( new Mailer_Hook( $store ) ) )->for_store( $store );

		$started = microtime( true );
		$outcome = $transport->send( $message, Deadline::in( 60 ) );
		$elapsed = microtime( true ) - $started;

		$this->assertFalse( $outcome->is_delivered() );
		$this->assertNotNull( $outcome->failure );
		$this->assertSame( 'data', $outcome->failure->stage, $outcome->failure->error );
		$this->assertSame( 0, $outcome->failure->code, 'no answer from the server' );
		$this->assertFalse( $outcome->failure->is_permanent(), 'the message is tried again later' );
		$this->assertStringContainsString( 'The connection broke while the message was being sent', $outcome->failure->error );
		$this->assertFalse( $transport->is_open(), 'a session cut in the middle of DATA is not used for the next message' );
		$this->assertLessThan( 20.0, $elapsed, 'the broken connection ends the attempt, it does not wait out the time limit' );
	}

	/**
	 * The `.` that ends DATA follows the message's last block in a second write. With Nagle's
	 * algorithm on the socket it waited for the server's ACK of that block, which a server that
	 * answers only after the `.` delays (40 ms on Linux): about a quarter of a message's time on
	 * loopback, every message. The server measures, per message, how long the `.` came after the
	 * message; the median of seven stays far below the 40 ms that a held-back `.` cannot beat.
	 */
	public function test_the_end_of_data_follows_the_message_without_waiting_for_the_servers_ack(): void {
		$this->start_plain_server( 'data-end-timing-smtp.js' );
		$store     = new Settings_Store();
		$transport = ( new Transport_Factory( new Mailer_Hook( $store ) ) )->for_store( $store );
		for ( $i = 1; $i <= 7; $i++ ) {
			$outcome = $transport->send( new Outgoing_Message( 'blog@example.org', array( 'reader@example.com' ), "Subject: timing $i\r\n\r\nmessage $i\r\n", '' ), Deadline::in( 30 ) );
			$this->assertTrue( $outcome->is_delivered(), null !== $outcome->failure ? $outcome->failure->error : '' );
		}
		$transport->close();

		$waits = $this->data_end_waits( 7 );
		sort( $waits );
		$this->assertLessThan( 20.0, $waits[3], sprintf( 'the `.` came after the message by a median %.1f ms (each: %s ms): it waited for the ACK of the message', $waits[3], implode( ', ', $waits ) ) );
	}

	/**
	 * The data-end timing server's wait of each message. It logs a message before it answers
	 * it (and Node writes to a pipe synchronously), so every accepted message is logged by now.
	 *
	 * @param int $count How many messages it should have logged.
	 * @return list<float> Milliseconds.
	 */
	private function data_end_waits( int $count ): array {
		$output = null !== $this->server ? $this->server->read_output() : '';
		$waits  = array();
		foreach ( explode( "\n", $output ) as $line ) {
			$event = json_decode( $line, true );
			if ( is_array( $event ) && 'data-end' === ( $event['event'] ?? '' ) ) {
				$waits[] = (float) $event['wait_ms'];
			}
		}
		$this->assertCount( $count, $waits, 'the server measured every message: ' . $output );
		return $waits;
	}

	/**
	 * A test server of tests/php/servers that speaks plain SMTP without a login, on a free port,
	 * saved as the site's server.
	 *
	 * @param string   $script    The server's script.
	 * @param string[] $arguments Its arguments after the port.
	 */
	private function start_plain_server( string $script, array $arguments = array() ): void {
		$port         = Server_Process::free_ports( 1 )[0];
		$this->server = new Server_Process();
		$this->server->start(
			array_merge( array( 'node', dirname( __DIR__ ) . '/servers/' . $script, '--port', (string) $port ), $arguments ),
			array(),
			1,
			dirname( __DIR__, 3 ) . '/.run/logs/smtp-data-test.log'
		);
		$this->save_smtp(
			'127.0.0.1',
			$port,
			array(
				'encryption' => 'none',
				'auth'       => false,
				'fallback'   => false,
			)
		);
	}

	/**
	 * A private SMTP server (STARTTLS, AUTH test/secret) that keeps each message as it received
	 * it, saved as the site's server.
	 */
	private function start_server(): void {
		$port         = Server_Process::free_ports( 1 )[0];
		$this->server = new Server_Process();
		$this->server->start(
			array( 'node', dirname( __DIR__ ) . '/servers/outbox-smtp.js', '--port', (string) $port, '--out', $this->mail_dir, '--cert-dir', dirname( __DIR__, 3 ) . '/.run/smtp' ),
			array(),
			1,
			dirname( __DIR__, 3 ) . '/.run/logs/smtp-data-test.log'
		);
		$this->save_smtp( '127.0.0.1', $port, array( 'fallback' => false ) );
	}

	/**
	 * The message as PHPMailer builds it for SMTP: lines that start with a dot in its text, the
	 * attachment's bytes base64-encoded.
	 *
	 * @param string $subject    Subject.
	 * @param string $attachment The attached file's bytes.
	 */
	private static function message_with_attachment( string $subject, string $attachment ): Outgoing_Message {
		$mailer = new \PHPMailer\PHPMailer\PHPMailer( true );
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$mailer->CharSet  = 'UTF-8';
		$mailer->Encoding = '8bit';
		$mailer->setFrom( 'blog@example.org', 'Südsee-Blog' );
		$mailer->addAddress( 'reader@example.com' );
		$mailer->Subject = $subject;
		$mailer->Body    = "The report is attached.\r\n.\r\n..twice\r\n.a dot first\r\nGrüße\r\n";
		// phpcs:enable
		$mailer->addStringAttachment( $attachment, 'report.bin' );
		$mailer->isSMTP();
		$mailer->preSend();
		return new Outgoing_Message( 'blog@example.org', array( 'reader@example.com' ), $mailer->getSentMIMEMessage(), '' );
	}

	/**
	 * What PHPMailer's SMTP::data() writes, less the empty line it adds to a message that
	 * already ends with a line end (the plugin sends the message as it was built).
	 *
	 * @param string $message The message.
	 */
	private static function phpmailer_wire( string $message ): string {
		$smtp = new Recording_Smtp_Data();
		$smtp->data( $message );
		$ends_with_line_end = '' !== $message && in_array( substr( $message, -1 ), array( "\r", "\n" ), true );
		return $ends_with_line_end || '' === $message ? substr( $smtp->wire, 0, -2 ) : $smtp->wire;
	}

	/**
	 * The blocks joined.
	 *
	 * @param string $message     The message.
	 * @param int    $block_bytes Block size.
	 */
	private static function chunked_wire( string $message, int $block_bytes ): string {
		$wire = '';
		foreach ( new Smtp_Data_Chunks( $message, $block_bytes ) as $block ) {
			$wire .= $block;
		}
		return $wire;
	}

	/**
	 * The messages the server kept whose text contains the needle, without the envelope line.
	 *
	 * @param string $needle Text.
	 * @return list<string>
	 */
	private function received( string $needle ): array {
		$found = array();
		foreach ( (array) glob( $this->mail_dir . '/*.eml' ) as $file ) {
			$raw = (string) file_get_contents( (string) $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
			if ( false !== strpos( $raw, $needle ) ) {
				$found[] = substr( $raw, strpos( $raw, "\r\n" ) + 2 );
			}
		}
		return $found;
	}
}
