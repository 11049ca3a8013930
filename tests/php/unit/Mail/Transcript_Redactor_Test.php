<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Mail;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Mail\Transcript_Redactor;

final class Transcript_Redactor_Test extends TestCase {

	private const USER = 'mailer@example.com';
	private const PASS = 'S3cr3t!pass';

	/**
	 * @param list<string> $lines
	 */
	private function assert_clean( array $lines ): void {
		$text = implode( "\n", $lines );
		foreach ( array( self::PASS, base64_encode( self::PASS ), rtrim( base64_encode( self::PASS ), '=' ), rawurlencode( self::PASS ), self::USER, base64_encode( self::USER ), base64_encode( "\0" . self::USER . "\0" . self::PASS ) ) as $form ) {
			$this->assertStringNotContainsString( $form, $text );
		}
	}

	/**
	 * @param list<string> $chunks
	 * @return list<string>
	 */
	private function run_redactor( array $chunks ): array {
		$redactor = new Transcript_Redactor( self::USER, self::PASS );
		$out      = array();
		foreach ( $chunks as $chunk ) {
			$out = array_merge( $out, $redactor->chunk( $chunk ) );
		}
		return $out;
	}

	public function test_auth_plain_payload_is_redacted(): void {
		$lines = $this->run_redactor(
			array(
				"SERVER -> CLIENT: 250-localhost\r\n250-AUTH PLAIN LOGIN\r\n250 OK\r\n",
				"CLIENT -> SERVER: AUTH PLAIN\r\n",
				"SERVER -> CLIENT: 334\r\n",
				'CLIENT -> SERVER: ' . base64_encode( "\0" . self::USER . "\0" . self::PASS ) . "\r\n",
				"SERVER -> CLIENT: 235 Authentication successful\r\n",
				"CLIENT -> SERVER: MAIL FROM:<wordpress@example.org>\r\n",
			)
		);
		$this->assert_clean( $lines );
		$this->assertContains( 'CLIENT -> SERVER: AUTH PLAIN', $lines );
		$this->assertContains( 'CLIENT -> SERVER: [redacted]', $lines );
		$this->assertContains( 'CLIENT -> SERVER: MAIL FROM:<wordpress@example.org>', $lines, 'lines after AUTH are kept' );
		$this->assertContains( '250-AUTH PLAIN LOGIN', $lines );
	}

	public function test_auth_plain_initial_response_on_the_same_line(): void {
		$lines = $this->run_redactor( array( 'CLIENT -> SERVER: AUTH PLAIN ' . base64_encode( "\0" . self::USER . "\0" . self::PASS ) ) );
		$this->assertSame( array( 'CLIENT -> SERVER: AUTH PLAIN [redacted]' ), $lines );
	}

	public function test_auth_login_user_and_password_lines(): void {
		$lines = $this->run_redactor(
			array(
				'CLIENT -> SERVER: AUTH LOGIN',
				'SERVER -> CLIENT: 334 VXNlcm5hbWU6',
				'CLIENT -> SERVER: ' . base64_encode( self::USER ),
				'SERVER -> CLIENT: 334 UGFzc3dvcmQ6',
				'CLIENT -> SERVER: ' . base64_encode( self::PASS ),
				'SERVER -> CLIENT: 535 5.7.8 Error: authentication failed',
				'SMTP ERROR: Password command failed: 535 5.7.8 Error: authentication failed',
			)
		);
		$this->assert_clean( $lines );
		$this->assertSame( 'CLIENT -> SERVER: [redacted]', $lines[2] );
		$this->assertSame( 'CLIENT -> SERVER: [redacted]', $lines[4] );
		$this->assertStringContainsString( '535', $lines[5] );
	}

	public function test_secrets_anywhere_else_are_replaced(): void {
		$redactor = new Transcript_Redactor( self::USER, self::PASS );
		$this->assertSame( 'error for [redacted] with [redacted]', $redactor->scrub( 'error for ' . self::USER . ' with ' . self::PASS ) );
		$this->assertSame( 'x [redacted] y', $redactor->line( 'x ' . rawurlencode( self::PASS ) . ' y' ) );
		$this->assertSame( 'x [redacted] y', $redactor->line( 'x ' . base64_encode( self::PASS ) . ' y' ) );
	}

	public function test_short_user_names_are_not_replaced_everywhere(): void {
		$redactor = new Transcript_Redactor( 'ab', 'pw-long-enough' );
		$this->assertSame( 'SERVER -> CLIENT: 220 about', $redactor->line( 'SERVER -> CLIENT: 220 about' ) );
	}

	public function test_without_credentials_nothing_changes_and_long_lines_are_cut(): void {
		$redactor = new Transcript_Redactor( null, null );
		$this->assertSame( 'SERVER -> CLIENT: 220 ready', $redactor->line( 'SERVER -> CLIENT: 220 ready' ) );
		$this->assertLessThanOrEqual( Transcript_Redactor::MAX_LINE_LENGTH + 3, strlen( $redactor->line( str_repeat( 'a', 5000 ) ) ) );
	}
}
