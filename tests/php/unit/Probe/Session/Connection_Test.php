<?php
/**
 * Tests for Connection.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Session\Connection;
use SmtpPortHelper\Probe\Session\Probe_Mode;
use SmtpPortHelper\Probe\Session\State;
use SmtpPortHelper\Probe\Verdict;

/**
 * What one connection has seen, without a socket: bytes fed in, failures out.
 */
class Connection_Test extends TestCase {

	/**
	 * Replies are parsed from the bytes received; a TLS record counts as such only before any byte.
	 */
	public function test_replies_and_tls_before_greeting(): void {
		$connection = new Connection( '192.0.2.1', Probe_Mode::first_connection( false ) );
		$this->assertTrue( $connection->is_tls_before_greeting( "\x16\x03\x01" ) );
		$this->assertFalse( $connection->is_tls_before_greeting( '220 ' ) );

		$connection->receive( "220 mx.example.com ESMTP\r\n250" );
		$reply = $connection->next_reply();
		$this->assertNotNull( $reply );
		$this->assertSame( 220, $reply->code );
		$this->assertNull( $connection->next_reply() );
		$this->assertSame( '', $connection->reply_error() );
		$this->assertFalse( $connection->is_tls_before_greeting( "\x16\x03\x01" ) );
		$this->assertFalse( $connection->tls_active() );
	}

	/**
	 * The deadline and a close read the bytes this connection saw.
	 */
	public function test_failures_use_the_bytes_seen(): void {
		$silent = new Connection( '192.0.2.1', Probe_Mode::first_connection( false ) );
		$this->assertSame( Verdict::NO_BANNER, $silent->deadline_failure( State::BANNER )->verdict() );
		$this->assertSame( 'connected, but the server sent nothing', $silent->deadline_failure( State::BANNER )->detail() );
		$this->assertSame( 'closed by the server without a greeting', $silent->closed_failure( State::BANNER )->detail() );
		$this->assertSame( 'no answer to the connection attempt (192.0.2.1)', $silent->deadline_failure( State::CONNECTING )->detail() );

		$partial = new Connection( '192.0.2.1', Probe_Mode::first_connection( false ) );
		$partial->receive( '220 mx' );
		$this->assertSame( 'incomplete greeting (6 bytes) before the time limit', $partial->deadline_failure( State::BANNER )->detail() );
		$this->assertSame( 'closed by the server in the middle of the greeting', $partial->closed_failure( State::BANNER )->detail() );
	}

	/**
	 * The silent-greeting timer runs only where the mode allows TLS on silence, and fires once.
	 */
	public function test_greeting_timer(): void {
		$server = stream_socket_server( 'tcp://127.0.0.1:0' );
		$this->assertNotFalse( $server );
		$port    = (int) substr( (string) strrchr( (string) stream_socket_get_name( $server, false ), ':' ), 1 );
		$options = Probe_Options::from_array( array( 'host' => '127.0.0.1' ) );

		$connection = new Connection( '127.0.0.1', Probe_Mode::first_connection( false ) );
		$this->assertFalse( $connection->has_banner_timer() );
		$this->assertTrue( $connection->open( $port, $options ) );
		$this->assertTrue( self::wait_writable( $connection ) );
		$this->assertTrue( $connection->complete_connect( 10.0, 2.0 ) );
		$this->assertSame( 12.0, $connection->banner_timer() );
		$this->assertFalse( $connection->greeting_overdue( 11.9 ) );
		$this->assertTrue( $connection->greeting_overdue( 12.0 ) );
		$this->assertFalse( $connection->has_banner_timer() );
		$this->assertFalse( $connection->greeting_overdue( 13.0 ) );
		$connection->socket()->close();

		$tls_first = new Connection( '127.0.0.1', Probe_Mode::first_connection( true ) );
		$this->assertTrue( $tls_first->open( $port, $options ) );
		$this->assertTrue( self::wait_writable( $tls_first ) );
		$this->assertTrue( $tls_first->complete_connect( 10.0, 2.0 ) );
		$this->assertFalse( $tls_first->has_banner_timer() );
		$this->assertSame( INF, $tls_first->banner_timer() );
		$tls_first->socket()->close();
		fclose( $server );
	}

	/**
	 * Waits up to two seconds for a connection's stream to become writable.
	 *
	 * @param Connection $connection Connection.
	 * @return bool
	 */
	private static function wait_writable( Connection $connection ): bool {
		$stream = $connection->socket()->stream();
		if ( null === $stream ) {
			return false;
		}
		$read   = null;
		$write  = array( $stream );
		$except = null;
		return 1 === stream_select( $read, $write, $except, 2 );
	}

	/**
	 * A line with a control character is never sent.
	 */
	public function test_refuses_control_characters(): void {
		$connection = new Connection( '192.0.2.1', Probe_Mode::first_connection( false ) );
		$this->expectException( \LogicException::class );
		$connection->send( "EHLO x\r\nMAIL FROM:<a@b>" );
	}
}
