<?php
/**
 * Tests for Probe_Mode.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Session\Probe_Mode;

/**
 * How connections open, and how that changes as the server shows which way it talks.
 */
class Probe_Mode_Test extends TestCase {

	/**
	 * First connections: TLS first on implicit ports, else a greeting with TLS on silence.
	 */
	public function test_first_connection(): void {
		$implicit = Probe_Mode::first_connection( true );
		$this->assertSame( Probe_Mode::TLS_FIRST, $implicit->opening() );
		$this->assertTrue( $implicit->starts_with_tls() );
		$this->assertFalse( $implicit->may_try_tls_on_silence() );

		$plain = Probe_Mode::first_connection( false );
		$this->assertSame( Probe_Mode::GREETING_OR_TLS, $plain->opening() );
		$this->assertFalse( $plain->starts_with_tls() );
		$this->assertTrue( $plain->may_try_tls_on_silence() );
		$this->assertFalse( $plain->reads_certificate() );
	}

	/**
	 * Silence, then a working handshake: implicit TLS; the value itself never changes.
	 */
	public function test_tls_on_silence(): void {
		$plain   = Probe_Mode::first_connection( false );
		$silence = $plain->with_tls_on_silence();
		$this->assertTrue( $silence->starts_with_tls() );
		$this->assertTrue( $silence->is_tls_on_silence() );
		$this->assertSame( Probe_Mode::GREETING_OR_TLS, $plain->opening() );

		$confirmed = $silence->with_tls_confirmed();
		$this->assertSame( Probe_Mode::TLS_FIRST, $confirmed->opening() );
		$this->assertFalse( $confirmed->is_tls_on_silence() );
		$this->assertSame( $plain, $plain->with_tls_confirmed() );
	}

	/**
	 * Reconnects never try TLS on silence again.
	 */
	public function test_reconnect(): void {
		$plain = Probe_Mode::first_connection( true )->reconnect( false );
		$this->assertSame( Probe_Mode::GREETING, $plain->opening() );
		$this->assertFalse( $plain->may_try_tls_on_silence() );
		$this->assertSame( Probe_Mode::TLS_FIRST, Probe_Mode::first_connection( false )->reconnect( true )->opening() );
	}

	/**
	 * The certificate-reading connection opens the way the failed one did, and stays so.
	 */
	public function test_certificate_reading(): void {
		$after_silence = Probe_Mode::first_connection( false )->with_tls_on_silence()->for_certificate_reading();
		$this->assertSame( Probe_Mode::TLS_FIRST, $after_silence->opening() );
		$this->assertTrue( $after_silence->reads_certificate() );

		$starttls = Probe_Mode::first_connection( false )->for_certificate_reading();
		$this->assertSame( Probe_Mode::GREETING, $starttls->opening() );
		$this->assertTrue( $starttls->reconnect( true )->reads_certificate() );
	}
}
