<?php
/**
 * A site uses the network's SMTP password only while it takes both the host and the user name
 * from the network: a sub-site administrator who points the host elsewhere gets no password.
 * The attacker is a real SMTP server that records every login (Credential_Recorder).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Credential_Recorder;

require_once dirname( __DIR__ ) . '/integration/Credential_Recorder.php';

final class Network_Password_Scope_Test extends Multisite_Test_Case {

	private Credential_Recorder $attacker;

	protected function setUp(): void {
		parent::setUp();
		$this->attacker = new Credential_Recorder();
		$this->log_in_as_super_admin();
		$saved = $this->rest(
			'POST',
			self::NETWORK_ROUTE,
			array(
				'enabled'  => true,
				'host'     => 'localhost',
				'port'     => $this->attacker->port(),
				'auth'     => true,
				'username' => 'network-user',
				'password' => 'network secret',
			)
		);
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
	}

	protected function tearDown(): void {
		$this->attacker->stop();
		parent::tearDown();
	}

	public function test_a_site_inheriting_host_and_user_uses_the_network_password(): void {
		switch_to_blog( $this->second_site );
		$this->assertSame( 'network secret', ( new Settings_Store() )->password() );
	}

	public function test_a_v1_network_password_read_by_a_site_is_sealed_as_v2_for_the_network_and_its_host(): void {
		$key    = sodium_crypto_generichash( 'smtp-port-helper/secret-box/v1|' . (string) Key_Material::from_wp_config()->current(), '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES );
		$nonce  = random_bytes( SODIUM_CRYPTO_SECRETBOX_NONCEBYTES );
		$option = get_site_option( Settings_Store::OPTION );
		$option['password'] = 'v1:' . base64_encode( $nonce . sodium_crypto_secretbox( 'network secret', $nonce, $key ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		update_site_option( Settings_Store::OPTION, $option );
		$this->assertStringStartsWith( 'v1:', (string) get_site_option( Settings_Store::OPTION )['password'] );

		switch_to_blog( $this->second_site );
		$this->assertSame( 'network secret', ( new Settings_Store() )->password(), 'the site inherits host and user name' );
		restore_current_blog();
		wp_cache_delete( get_current_network_id() . ':' . Settings_Store::OPTION, 'site-options' );
		$sealed = (string) get_site_option( Settings_Store::OPTION )['password'];
		$this->assertStringStartsWith( 'v2:', $sealed, 'the network option holds it bound now' );
		$box = Secret_Box::for_site();
		$this->assertNotNull( $box );
		$this->assertSame( 'network secret', $box->open( $sealed, Secret_Box::binding( 'network:' . get_current_network_id(), 'localhost', 'network-user' ) ) );
		$this->assertNull( $box->open( $sealed, Secret_Box::binding( 'site:' . $this->second_site, 'localhost', 'network-user' ) ), 'for the network, not a site' );
	}

	/**
	 * @return array<string, array{array<string, string>}>
	 */
	public function own_logins(): array {
		return array(
			'own host'      => array( array( 'host' => '127.0.0.1' ) ),
			'own user name' => array( array( 'username' => 'site-user' ) ),
			'same host set' => array( array( 'host' => 'localhost' ) ),
		);
	}

	/**
	 * @dataProvider own_logins
	 * @param array<string, string> $override
	 */
	public function test_a_sub_site_admin_who_overrides_the_login_gets_no_network_password( array $override ): void {
		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin() );

		$saved = $this->rest( 'POST', self::SITE_ROUTE, $override );
		$this->assertSame( 200, $saved->get_status(), (string) wp_json_encode( $saved->get_data() ) );
		$this->assertFalse( $saved->get_data()['password_set'] );
		$this->assertTrue( $saved->get_data()['password_forgotten'] );
		$this->assertNull( ( new Settings_Store() )->password() );

		$test = $this->rest(
			'POST',
			'/smtp-port-helper/v1/port-tests',
			array(
				'host'  => '127.0.0.1',
				'ports' => array( $this->attacker->port() ),
				'auth'  => array( 'username' => $override['username'] ?? 'network-user' ),
			)
		);
		$this->assertSame( 400, $test->get_status(), (string) wp_json_encode( $test->get_data() ) );

		$mail = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@example.com' ) );
		$this->assertNotSame( 200, $mail->get_status(), (string) wp_json_encode( $mail->get_data() ) );
		$this->assertStringNotContainsString( 'network secret', (string) wp_json_encode( $this->attacker->logins() ), 'the attacker received no network password' );

		restore_current_blog();
		$this->assertSame( 'network secret', Settings_Store::for_network()->password(), 'the network keeps its password' );
	}
}
