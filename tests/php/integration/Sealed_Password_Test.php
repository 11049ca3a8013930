<?php
/**
 * The sealed password on the real site: v1 values from before the binding keep working for the
 * host and user name saved beside them and are sealed again as v2 by their first read; unusable
 * salts are a critical Site Health issue.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Key_Material_Check;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;

final class Sealed_Password_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/settings';

	/**
	 * A value sealed the way versions before the binding did (secretbox, no associated data).
	 */
	private static function legacy_seal( string $key_material, string $plain ): string {
		$key   = sodium_crypto_generichash( 'smtp-port-helper/secret-box/v1|' . $key_material, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
		$nonce = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		return 'v1:' . base64_encode( $nonce . sodium_crypto_secretbox( $plain, $nonce, $key ) );
	}

	public function test_a_v1_password_keeps_sending_and_its_first_read_seals_it_as_v2(): void {
		$this->log_in_as( 'administrator' );
		$port = Smtp_Mailbox::port( 2 );
		update_option(
			Settings_Store::OPTION,
			array(
				'enabled'  => true,
				'host'     => '127.0.0.1',
				'port'     => $port,
				'auth'     => true,
				'username' => getenv( 'SMTP_USER' ) ?: 'test',
				'password' => self::legacy_seal( (string) Key_Material::from_wp_config()->current(), getenv( 'SMTP_PASS' ) ?: 'secret' ),
			)
		);
		$this->assertStringStartsWith( 'v1:', get_option( Settings_Store::OPTION )['password'], 'the sanitizer keeps a v1 value' );
		$before = $this->rest( 'GET', self::ROUTE )->get_data();
		$this->assertTrue( $before['password_set'] );
		$this->assertFalse( $before['password_unreadable'] );
		$to = 'v1-' . strtolower( wp_generate_password( 10, false ) ) . '@example.com';
		$this->assertSame( 200, $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => $to ) )->get_status() );
		$this->assertStringStartsWith( 'v2:', maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'], 'sealed again by its first read, before any save' );

		$saved = $this->rest( 'POST', self::ROUTE, array( 'from_name' => 'After the upgrade' ) );
		$this->assertSame( 200, $saved->get_status() );
		$sealed = maybe_unserialize( (string) $this->raw_option( Settings_Store::OPTION ) )['password'];
		$this->assertStringStartsWith( 'v2:', $sealed );
		$this->assertSame( getenv( 'SMTP_PASS' ) ?: 'secret', ( new Settings_Store() )->password() );
		$box = Secret_Box::for_site();
		$this->assertNotNull( $box );
		$this->assertNull( $box->open( $sealed, Secret_Box::binding( 'site:' . get_current_blog_id(), 'evil.example', getenv( 'SMTP_USER' ) ?: 'test' ) ), 'bound to its host' );

		$to = 'v2-' . strtolower( wp_generate_password( 10, false ) ) . '@example.com';
		$this->assertSame( 200, $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => $to ) )->get_status() );
		$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $to ) );
	}

	public function test_a_sealed_value_moved_to_another_host_opens_nowhere(): void {
		$this->save_smtp( 'localhost', 587 );
		$option         = get_option( Settings_Store::OPTION );
		$option['host'] = '127.0.0.1';
		update_option( Settings_Store::OPTION, $option );
		$store = new Settings_Store();
		$this->assertNull( $store->password() );
		$this->assertTrue( $store->password_unreadable() );
	}

	/**
	 * @return array<string, array{0: array<string, string>}>
	 */
	public function unfit_salts(): array {
		$salts = array();
		foreach ( array( 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $i => $name ) {
			$salts[ $name ] = 'unique-' . $i;
		}
		return array(
			'placeholder' => array( array_fill_keys( array_keys( $salts ), 'put your unique phrase here' ) ),
			'duplicated'  => array( array( 'SECURE_AUTH_KEY' => 'unique-0' ) + $salts ),
			'missing'     => array( array() ),
		);
	}

	/**
	 * @dataProvider unfit_salts
	 * @param array<string, string> $salts Salts of the wp-config.php under test.
	 */
	public function test_unfit_salts_are_a_critical_site_health_issue( array $salts ): void {
		$health = new Key_Material_Check();
		$tests  = $health->add_test( array() );
		$this->assertSame( array( $health, 'test' ), $tests['direct']['smtp_port_helper_key']['test'] );

		$result = $health->test( new Key_Material( $salts ) );
		$this->assertSame( 'critical', $result['status'] );
		$this->assertStringContainsString( 'SMTP_PORT_HELPER_KEY', $result['description'] );
		$this->assertSame( 'good', $health->test( new Key_Material( array( 'SMTP_PORT_HELPER_KEY' => 'a long random phrase' ) + $salts ) )['status'] );
		$this->assertSame( 'good', $health->test()['status'], 'the stack has unique salts' );
	}
}
