<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Settings\Settings;

final class Settings_Test extends TestCase {

	public function test_validated_values_are_kept_with_their_types(): void {
		$settings = new Settings(
			array(
				'enabled'        => false,
				'host'           => 'smtp.example.com',
				'port'           => 465,
				'encryption'     => 'implicit_tls',
				'auth'           => true,
				'username'       => 'me',
				'timeout'        => 30,
				'fallback'       => true,
				'fallback_ports' => array( 2525, 587 ),
			)
		);
		$this->assertFalse( $settings->enabled );
		$this->assertSame( 'smtp.example.com', $settings->host );
		$this->assertSame( 465, $settings->port );
		$this->assertSame( 'implicit_tls', $settings->encryption );
		$this->assertTrue( $settings->auth );
		$this->assertSame( 'me', $settings->username );
		$this->assertSame( 30, $settings->timeout );
		$this->assertSame( array( 2525, 587 ), $settings->fallback_ports );
		$this->assertSame( '', $settings->from_email, 'a missing field takes its default' );
		$this->assertTrue( ( new Settings( array() ) )->enabled, 'a missing switch takes its default' );
	}

	public function test_a_value_of_the_wrong_type_takes_the_default(): void {
		$settings = new Settings(
			array(
				'enabled'        => 'yes',
				'port'           => '25',
				'host'           => 42,
				'fallback_ports' => array( 2525, '587' ),
			)
		);
		$this->assertTrue( $settings->enabled );
		$this->assertSame( 587, $settings->port );
		$this->assertSame( '', $settings->host );
		$this->assertSame( array( 2525 ), $settings->fallback_ports );
	}

	public function test_active_needs_enabled_and_a_host(): void {
		$this->assertFalse( ( new Settings( array() ) )->is_active() );
		$this->assertTrue( ( new Settings( array( 'host' => 'smtp.example.com' ) ) )->is_active() );
		$this->assertFalse(
			( new Settings(
				array(
					'host'    => 'smtp.example.com',
					'enabled' => false,
				)
			) )->is_active()
		);
	}
}
