<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Saved_Login;

final class Saved_Login_Test extends TestCase {

	/**
	 * @return array<string, array{mixed, mixed, bool}>
	 */
	public function asked_logins(): array {
		return array(
			'the saved login'             => array( 'smtp.example.com', 'me@example.com', true ),
			'host in capitals'            => array( 'SMTP.Example.COM', 'me@example.com', true ),
			'host with a trailing dot'    => array( 'smtp.example.com.', 'me@example.com', true ),
			'host with spaces'            => array( '  smtp.example.com ', 'me@example.com', true ),
			'user name with spaces'       => array( 'smtp.example.com', ' me@example.com ', true ),
			'another host'                => array( 'evil.example', 'me@example.com', false ),
			'a sub-domain of the host'    => array( 'evil.smtp.example.com', 'me@example.com', false ),
			'the address of another name' => array( '127.0.0.1', 'me@example.com', false ),
			'another user name'           => array( 'smtp.example.com', 'other@example.com', false ),
			'user name in capitals'       => array( 'smtp.example.com', 'ME@example.com', false ),
			'no user name'                => array( 'smtp.example.com', '', false ),
			'not a host'                  => array( "smtp.example.com\r\n", 'me@example.com', false ),
			'not a string'                => array( null, 'me@example.com', false ),
		);
	}

	/**
	 * @dataProvider asked_logins
	 * @param mixed $host
	 * @param mixed $username
	 */
	public function test_the_saved_password_goes_only_to_the_saved_host_and_user( $host, $username, bool $allowed ): void {
		$this->assertSame( $allowed, ( new Saved_Login( 'smtp.example.com', 'me@example.com' ) )->allows( $host, $username ) );
	}

	public function test_no_saved_host_allows_nothing(): void {
		$this->assertFalse( ( new Saved_Login( '', '' ) )->allows( '', '' ) );
	}

	public function test_the_refusal_names_the_saved_login(): void {
		$this->assertSame(
			'Enter the password for this server: the saved password is only sent to smtp.example.com as me@example.com.',
			( new Saved_Login( 'smtp.example.com', 'me@example.com' ) )->refusal()
		);
	}
}
