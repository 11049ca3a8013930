<?php
/**
 * Tests for Auth_Exchange.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe\Session;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Session\Auth_Exchange;

/**
 * Mechanism choice and the lines of each exchange.
 */
class Auth_Exchange_Test extends TestCase {

	/**
	 * PLAIN is preferred and sends everything in one line.
	 */
	public function test_plain(): void {
		$auth = Auth_Exchange::choose( array( 'LOGIN', 'PLAIN' ), 'user', 'secret' );
		$this->assertNotNull( $auth );
		$this->assertSame( 'AUTH PLAIN ' . base64_encode( "\0user\0secret" ), $auth->first_command() ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$this->assertSame( 'PLAIN', $auth->mechanism() );
		$this->assertSame( '*', $auth->answer_challenge() );
	}

	/**
	 * LOGIN: user name, password, then cancel.
	 */
	public function test_login(): void {
		$auth = Auth_Exchange::choose( array( 'LOGIN', 'XOAUTH2' ), 'user', 'secret' );
		$this->assertNotNull( $auth );
		$this->assertSame( 'AUTH LOGIN', $auth->first_command() );
		$this->assertSame( 'dXNlcg==', $auth->answer_challenge() );
		$this->assertSame( 'c2VjcmV0', $auth->answer_challenge() );
		$this->assertSame( '*', $auth->answer_challenge() );
		$this->assertSame( 'LOGIN', $auth->mechanism() );
	}

	/**
	 * Neither offered.
	 */
	public function test_none(): void {
		$this->assertNull( Auth_Exchange::choose( array( 'CRAM-MD5' ), 'user', 'secret' ) );
		$this->assertNull( Auth_Exchange::choose( array(), 'user', 'secret' ) );
	}
}
