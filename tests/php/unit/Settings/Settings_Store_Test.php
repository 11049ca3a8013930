<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Settings;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Tests\Unit\Secrets\Secret_Box_Test;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Settings\Wp_Options_Shim;

require_once __DIR__ . '/wp-options-shim.php';
require_once dirname( __DIR__ ) . '/Secrets/Secret_Box_Test.php';

/**
 * The store over in-memory options: layers, derived encryption, and how often a rule runs.
 * The integration and multisite suites cover the same store inside WordPress.
 */
final class Settings_Store_Test extends TestCase {

	protected function setUp(): void {
		Wp_Options_Shim::reset();
	}

	public function test_defaults_then_the_saved_values_typed(): void {
		$store = new Settings_Store();
		$this->assertSame( 587, $store->get()->port );
		$this->assertFalse( $store->is_active() );
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array(
			'host'    => 'SMTP.Example.com',
			'port'    => 465,
			'timeout' => 'not a number',
			'bogus'   => 1,
		);
		$settings = $store->get();
		$this->assertSame( 'smtp.example.com', $settings->host, 'normalised by its rule' );
		$this->assertSame( 465, $settings->port );
		$this->assertSame( 'implicit_tls', $settings->encryption, 'derived from the port when not saved' );
		$this->assertSame( 10, $settings->timeout, 'an invalid stored value is ignored' );
		$this->assertTrue( $store->is_active() );
	}

	public function test_a_stored_layer_is_validated_once_until_it_changes(): void {
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array(
			'host'       => 'smtp.example.com',
			'from_email' => 'site@example.com',
		);
		$store = new Settings_Store();
		for ( $message = 0; $message < 6; $message++ ) {
			$this->assertSame( 'site@example.com', $store->get()->from_email );
		}
		$this->assertSame( 1, Wp_Options_Shim::$email_checks, 'six reads, one check' );
		$this->assertSame( $store->get(), $store->get(), 'the same object until something changes' );

		Wp_Options_Shim::$options[ Settings_Store::OPTION ]['from_email'] = 'other@example.com';
		$this->assertSame( 'other@example.com', $store->get()->from_email );
		$this->assertSame( 2, Wp_Options_Shim::$email_checks, 'a changed option is checked again' );
	}

	public function test_a_save_checks_each_value_once(): void {
		$store                      = new Settings_Store();
		Wp_Options_Shim::$sanitizer = array( $store->sanitizer(), 'sanitize_option' );
		// The REST route checks each field, then saves: the same value is not checked again.
		$this->assertNull( $store->field_error( 'from_email', 'site@example.com' ) );
		$result = $store->update(
			array(
				'host'       => 'smtp.example.com',
				'from_email' => 'site@example.com',
			)
		);
		$this->assertInstanceOf( Settings::class, $result );
		$this->assertSame( 'site@example.com', $result->from_email );
		$this->assertSame( 1, Wp_Options_Shim::$sanitized, 'the option went through its sanitizer' );
		$this->assertSame( 1, Wp_Options_Shim::$email_checks, 'route, save, sanitizer and the read after it: one check' );
		$this->assertSame(
			array(
				'host'       => 'smtp.example.com',
				'from_email' => 'site@example.com',
			),
			Wp_Options_Shim::$options[ Settings_Store::OPTION ]
		);
	}

	public function test_the_sanitizer_still_refuses_a_bad_write_from_elsewhere(): void {
		$store                                              = new Settings_Store();
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array( 'host' => 'smtp.example.com' );
		$this->assertSame( array( 'host' => 'smtp.example.com' ), $store->sanitizer()->sanitize_option( array( 'from_email' => 'not an address' ) ) );
		$this->assertSame( array( 'port' => 2525 ), $store->sanitizer()->sanitize_option( array( 'port' => '2525' ) ) );
	}

	public function test_a_site_overrides_the_network_defaults_field_by_field(): void {
		Wp_Options_Shim::$multisite                              = true;
		Wp_Options_Shim::$site_options[ Settings_Store::OPTION ] = array(
			'host'      => 'smtp.network.example',
			'from_name' => 'Network',
		);
		Wp_Options_Shim::$options[ Settings_Store::OPTION ]      = array( 'from_name' => 'Site' );
		$site = new Settings_Store();
		$this->assertSame( 'smtp.network.example', $site->get()->host );
		$this->assertSame( 'Site', $site->get()->from_name );
		$this->assertSame( array( 'host' ), $site->inherited() );
		$network = Settings_Store::for_network();
		$this->assertSame( 'Network', $network->get()->from_name );
		$this->assertSame( array(), $network->inherited() );
	}

	public function test_a_saved_password_is_sealed_for_its_site_host_and_user(): void {
		$store = new Settings_Store( null, new Secret_Box( 'k' ) );
		$store->update(
			array(
				'host'     => 'smtp.example.com',
				'auth'     => true,
				'username' => 'user',
				'password' => 'secret',
			)
		);
		$sealed = Wp_Options_Shim::$options[ Settings_Store::OPTION ]['password'];
		$this->assertStringStartsWith( 'v2:', $sealed );
		$this->assertSame( 'secret', ( new Settings_Store( null, new Secret_Box( 'k' ) ) )->password() );

		// The option written elsewhere with another host (as a host constant added later would).
		Wp_Options_Shim::$options[ Settings_Store::OPTION ]['host'] = 'evil.example';
		$moved = new Settings_Store( null, new Secret_Box( 'k' ) );
		$this->assertNull( $moved->password(), 'bound to the host it was saved for' );
		$this->assertTrue( $moved->password_unreadable() );

		Wp_Options_Shim::$options[ Settings_Store::OPTION ]['host'] = 'smtp.example.com';
		Wp_Options_Shim::$options[ Settings_Store::OPTION ]['username'] = 'admin';
		$this->assertNull( ( new Settings_Store( null, new Secret_Box( 'k' ) ) )->password(), 'bound to the user name' );

		Wp_Options_Shim::$options[ Settings_Store::OPTION ]['username'] = 'user';
		Wp_Options_Shim::$blog_id = 2;
		$this->assertNull( ( new Settings_Store( null, new Secret_Box( 'k' ) ) )->password(), 'copied to another site' );
		Wp_Options_Shim::$blog_id = 1;
		$this->assertSame( 'secret', ( new Settings_Store( null, new Secret_Box( 'k' ) ) )->password() );
	}

	public function test_a_v1_password_opens_for_its_login_and_is_sealed_as_v2_on_the_next_save(): void {
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array(
			'host'     => 'smtp.example.com',
			'auth'     => true,
			'username' => 'user',
			'password' => Secret_Box_Test::legacy_seal( 'k', 'old secret' ),
		);
		$store = new Settings_Store( null, new Secret_Box( 'k' ) );
		$this->assertSame( 'old secret', $store->password() );
		$this->assertFalse( $store->password_unreadable() );

		$store->update( array( 'from_name' => 'Site' ) );
		$sealed = Wp_Options_Shim::$options[ Settings_Store::OPTION ]['password'];
		$this->assertStringStartsWith( 'v2:', $sealed, 're-sealed by a save that keeps the login' );
		$this->assertSame( 'old secret', ( new Settings_Store( null, new Secret_Box( 'k' ) ) )->password() );
		$this->assertNull( ( new Secret_Box( 'k' ) )->open( $sealed, Secret_Box::binding( 'site:1', 'evil.example', 'user' ) ) );
		$this->assertSame( 'old secret', ( new Secret_Box( 'k' ) )->open( $sealed, Secret_Box::binding( 'site:1', 'smtp.example.com', 'user' ) ) );
	}

	public function test_a_v1_password_is_sealed_as_v2_for_its_host_on_the_first_read(): void {
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array(
			'host'     => 'SMTP.example.com.',
			'auth'     => true,
			'username' => 'user',
			'password' => Secret_Box_Test::legacy_seal( 'k', 'old secret' ),
		);
		$this->assertSame( 'old secret', ( new Settings_Store( null, new Secret_Box( 'k' ) ) )->password() );
		$sealed = Wp_Options_Shim::$options[ Settings_Store::OPTION ]['password'];
		$this->assertStringStartsWith( 'v2:', $sealed, 'sealed again by the read itself, no save needed' );
		$this->assertSame( 'old secret', ( new Secret_Box( 'k' ) )->open( $sealed, Secret_Box::binding( 'site:1', 'smtp.example.com', 'user' ) ) );
		$this->assertNull( ( new Secret_Box( 'k' ) )->open( $sealed, Secret_Box::binding( 'site:1', 'evil.example', 'user' ) ) );
		$this->assertSame( 'user', Wp_Options_Shim::$options[ Settings_Store::OPTION ]['username'], 'the rest of the option kept' );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public function v1_password_without_its_login(): array {
		$legacy = Secret_Box_Test::legacy_seal( 'k', 'old secret' );
		return array(
			'option without host' => array(
				array(
					'username' => 'user',
					'password' => $legacy,
				),
			),
			'option without user' => array(
				array(
					'host'     => 'smtp.example.com',
					'password' => $legacy,
				),
			),
		);
	}

	/**
	 * @dataProvider v1_password_without_its_login
	 * @param array<string, mixed> $option The stored option.
	 */
	public function test_a_v1_password_does_not_open_where_its_option_names_no_login( array $option ): void {
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = $option + array( 'auth' => true );
		$store = new Settings_Store( null, new Secret_Box( 'k' ) );
		$this->assertNull( $store->password() );
		$this->assertTrue( $store->password_unreadable() );
		$this->assertStringStartsWith( 'v1:', Wp_Options_Shim::$options[ Settings_Store::OPTION ]['password'], 'kept, not re-sealed' );
	}

	/**
	 * A wp-config constant now names another host than the one saved beside the v1 value: the
	 * password is not sent there (nor sealed for it).
	 *
	 * @runInSeparateProcess
	 * @preserveGlobalState disabled
	 */
	public function test_a_v1_password_does_not_open_for_another_host_than_the_one_saved_beside_it(): void {
		define( 'SMTP_PORT_HELPER_HOST', 'other.example' );
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array(
			'host'     => 'smtp.example.com',
			'auth'     => true,
			'username' => 'user',
			'password' => Secret_Box_Test::legacy_seal( 'k', 'old secret' ),
		);
		$store = new Settings_Store( null, new Secret_Box( 'k' ) );
		$this->assertSame( 'other.example', $store->get()->host );
		$this->assertNull( $store->password() );
		$this->assertTrue( $store->password_unreadable() );
		$this->assertStringStartsWith( 'v1:', Wp_Options_Shim::$options[ Settings_Store::OPTION ]['password'], 'not sealed for the other host' );
	}

	public function test_a_v1_password_of_another_key_is_kept_unreadable_not_lost(): void {
		$legacy = Secret_Box_Test::legacy_seal( 'old salts', 'old secret' );
		Wp_Options_Shim::$options[ Settings_Store::OPTION ] = array(
			'host'     => 'smtp.example.com',
			'username' => 'user',
			'password' => $legacy,
		);
		$store = new Settings_Store( null, new Secret_Box( 'k' ) );
		$store->update( array( 'from_name' => 'Site' ) );
		$this->assertSame( $legacy, Wp_Options_Shim::$options[ Settings_Store::OPTION ]['password'] );
		$this->assertTrue( $store->password_unreadable() );
	}

	public function test_without_key_material_no_password_is_stored(): void {
		$store  = new Settings_Store();
		$result = $store->update(
			array(
				'host'     => 'smtp.example.com',
				'password' => 'secret',
			)
		);
		$this->assertInstanceOf( \WP_Error::class, $result );
		$this->assertSame( array( 'password' ), array_keys( $result->get_error_data()['params'] ) );
		$this->assertStringContainsString( 'SMTP_PORT_HELPER_KEY', $result->get_error_data()['params']['password'] );
		$this->assertArrayNotHasKey( Settings_Store::OPTION, Wp_Options_Shim::$options, 'nothing saved' );
	}
}
