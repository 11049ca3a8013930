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

	/**
	 * The XOAUTH2 line carries the access token: the line is masked, and the token (known only
	 * once the message is set up) is hidden anywhere else, in every form.
	 */
	public function test_the_xoauth2_line_and_the_access_token_are_hidden(): void {
		$redactor = new Transcript_Redactor( 'me@example.com', null );
		$redactor->add_secret( 'me@example.com', 'eyJ.access-token.sig' );
		$wire = base64_encode( "user=me@example.com\x01auth=Bearer eyJ.access-token.sig\x01\x01" ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$this->assertSame( '2026-11-29 CLIENT -> SERVER: AUTH XOAUTH2 [redacted]', $redactor->line( '2026-11-29 CLIENT -> SERVER: AUTH XOAUTH2 ' . $wire ) );
		$this->assertSame( 'SMTP Error: [redacted] refused', $redactor->scrub( 'SMTP Error: ' . $wire . ' refused' ) );
		$this->assertSame( 'token [redacted] expired', $redactor->scrub( 'token eyJ.access-token.sig expired' ) );
		$this->assertSame( 'token [redacted]', $redactor->scrub( 'token ' . rawurlencode( 'eyJ.access-token.sig' ) ) );
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

	public function test_the_password_anywhere_else_is_replaced_the_user_name_kept(): void {
		$redactor = new Transcript_Redactor( self::USER, self::PASS );
		$this->assertSame( 'error for ' . self::USER . ' with [redacted]', $redactor->scrub( 'error for ' . self::USER . ' with ' . self::PASS ) );
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

	/**
	 * A PHPMailer conversation (SMTPDebug 3) as the login `$user` / `$pass` produces it, through
	 * the redactor; AUTH LOGIN on port 587, then AUTH PLAIN in one line on 2525.
	 *
	 * @return list<string>
	 */
	private function conversation( string $user, string $pass, string $host ): array {
		$redactor = new Transcript_Redactor( $user, $pass );
		$chunks   = array(
			"Connection: opening to {$host}:587, timeout=10, options=array()",
			'Connection: opened',
			"SERVER -> CLIENT: 220 {$host} ESMTP ready",
			"CLIENT -> SERVER: EHLO wp.{$user}.example",
			"SERVER -> CLIENT: 250-{$host} Hello wp.{$user}.example\r\n250-AUTH PLAIN LOGIN\r\n250 OK",
			'CLIENT -> SERVER: AUTH LOGIN',
			'SERVER -> CLIENT: 334 VXNlcm5hbWU6',
			'CLIENT -> SERVER: ' . base64_encode( $user ),
			'SERVER -> CLIENT: 334 UGFzc3dvcmQ6',
			'CLIENT -> SERVER: ' . base64_encode( $pass ),
			'SERVER -> CLIENT: 535 5.7.8 Error: authentication failed',
			'SMTP ERROR: Password command failed: 535 5.7.8 Error: authentication failed',
			"Connection: opening to {$host}:2525, timeout=10, options=array()",
			'CLIENT -> SERVER: AUTH PLAIN ' . base64_encode( "\0" . $user . "\0" . $pass ),
			'SERVER -> CLIENT: 235 2.7.0 Authentication successful',
			"CLIENT -> SERVER: MAIL FROM:<wordpress@{$user}.example>",
		);
		$out      = array();
		foreach ( $chunks as $chunk ) {
			$out = array_merge( $out, $redactor->chunk( $chunk ) );
		}
		return $out;
	}

	/**
	 * @return array<string, array{string, string, string}>
	 */
	public function short_and_common_user_names(): array {
		return array(
			'zoo, inside the host name' => array( 'zoo', 'Wx9!long-pass', 'i.zoo.test' ),
			'two letters'               => array( 'ab', 'Wx9!long-pass', 'smtp.lab.example' ),
			'one letter'                => array( 'e', 'Wx9!long-pass', 'mail.example.test' ),
			'a common word'             => array( 'mail', 'Wx9!long-pass', 'mail.example.test' ),
			'a short password'          => array( 'test', 'pw', 'smtp.test.example' ),
		);
	}

	/**
	 * @dataProvider short_and_common_user_names
	 */
	public function test_only_credentials_are_hidden_whatever_the_user_name( string $user, string $pass, string $host ): void {
		$lines = $this->conversation( $user, $pass, $host );
		$text  = implode( "\n", $lines );

		$this->assertSame( "Connection: opening to {$host}:587, timeout=10, options=array()", $lines[0], 'the user name inside the host name is kept' );
		$this->assertContains( "CLIENT -> SERVER: EHLO wp.{$user}.example", $lines );
		$this->assertContains( "Connection: opening to {$host}:2525, timeout=10, options=array()", $lines );
		$this->assertContains( "CLIENT -> SERVER: MAIL FROM:<wordpress@{$user}.example>", $lines );
		$this->assertContains( 'SERVER -> CLIENT: 334 VXNlcm5hbWU6', $lines, 'the server\'s prompts are not credentials' );

		$this->assertSame( 'CLIENT -> SERVER: [redacted]', $lines[9], 'the user name sent as a credential (AUTH LOGIN) is hidden' );
		$this->assertSame( 'CLIENT -> SERVER: [redacted]', $lines[11], 'the password (AUTH LOGIN) is hidden' );
		$this->assertContains( 'CLIENT -> SERVER: AUTH PLAIN [redacted]', $lines );
		foreach ( array( base64_encode( $user ), base64_encode( $pass ), rtrim( base64_encode( $pass ), '=' ), base64_encode( "\0" . $user . "\0" . $pass ) ) as $credential ) {
			$this->assertStringNotContainsString( $credential, $text );
		}
		$this->assertStringNotContainsString( $pass, $text, 'the password never appears' );
	}
}
