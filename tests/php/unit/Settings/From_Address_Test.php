<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\From_Address;
use SmtpPortHelper\Settings\Settings;

final class From_Address_Test extends TestCase {

	private const DEFAULT_FROM = 'wordpress@shop.example';

	public function test_a_mailbox_login_replaces_wordpress_default_only(): void {
		$settings = new Settings( array() );
		$this->assertSame(
			array(
				'email'  => 'orders@contoso.example',
				'reason' => From_Address::LOGIN_MAILBOX,
			),
			From_Address::choose( $settings, self::DEFAULT_FROM, 'orders@contoso.example' )
		);
		$this->assertSame( 'forms@shop.example', From_Address::choose( $settings, 'forms@shop.example', 'orders@contoso.example' )['email'], 'a From a plugin set is kept' );
		$this->assertSame( From_Address::MESSAGE, From_Address::choose( $settings, 'forms@shop.example', 'orders@contoso.example' )['reason'] );
	}

	public function test_a_user_name_that_is_no_address_keeps_wordpress_default(): void {
		$choice = From_Address::choose( new Settings( array() ), self::DEFAULT_FROM, 'apikey' );
		$this->assertSame( self::DEFAULT_FROM, $choice['email'] );
		$this->assertSame( From_Address::WORDPRESS_DEFAULT, $choice['reason'] );
		$this->assertSame( From_Address::WORDPRESS_DEFAULT, From_Address::choose( new Settings( array() ), self::DEFAULT_FROM, '' )['reason'], 'no login' );
	}

	public function test_the_from_setting_wins_and_forced_it_replaces_a_plugins_from(): void {
		$set = new Settings( array( 'from_email' => 'news@shop.example' ) );
		$this->assertSame( 'news@shop.example', From_Address::choose( $set, self::DEFAULT_FROM, 'orders@contoso.example' )['email'] );
		$this->assertSame( From_Address::FROM_SETTING, From_Address::choose( $set, self::DEFAULT_FROM, 'orders@contoso.example' )['reason'] );
		$this->assertSame( 'forms@shop.example', From_Address::choose( $set, 'forms@shop.example', '' )['email'], 'not forced: a plugin\'s From stays' );
		$forced = new Settings(
			array(
				'from_email'       => 'news@shop.example',
				'force_from_email' => true,
			)
		);
		$this->assertSame( 'news@shop.example', From_Address::choose( $forced, 'forms@shop.example', '' )['email'] );
	}

	public function test_the_password_login_is_the_user_name_only_with_login_on(): void {
		$this->assertSame( 'me@shop.example', From_Address::password_login( new Settings( array( 'auth' => true, 'username' => 'me@shop.example' ) ) ) );
		$this->assertSame( '', From_Address::password_login( new Settings( array( 'auth' => false, 'username' => 'me@shop.example' ) ) ) );
	}
}
