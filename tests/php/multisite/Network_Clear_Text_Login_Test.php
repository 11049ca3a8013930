<?php
/**
 * The network's SMTP password never leaves without TLS: a sub-site that logs in with the
 * network's user name and password cannot choose `encryption: none` (400 naming `encryption`), and
 * when it ends up with `none` anyway (the network added its login later) no message logs in with
 * the network's password. The server is a recording server that offers AUTH without STARTTLS.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Credential_Recorder;

require_once dirname( __DIR__ ) . '/integration/Credential_Recorder.php';

final class Network_Clear_Text_Login_Test extends Multisite_Test_Case {

	private Credential_Recorder $recorder;

	protected function setUp(): void {
		parent::setUp();
		switch_to_blog( $this->second_site );
		Outbox_Table::install(); // Commits (DDL): before this test writes anything.
		restore_current_blog();
		$this->recorder = new Credential_Recorder( true );
	}

	protected function tearDown(): void {
		$this->recorder->stop();
		parent::tearDown();
	}

	/**
	 * The network's defaults: the recording server, STARTTLS, with or without the network's login.
	 */
	private function save_network_defaults( bool $with_login ): void {
		$changes = array(
			'enabled'    => true,
			'host'       => 'localhost',
			'port'       => $this->recorder->port(),
			'encryption' => 'starttls',
			'auth'       => $with_login,
			'timeout'    => 3,
		);
		if ( $with_login ) {
			$changes += array(
				'username' => 'network-user',
				'password' => 'network secret',
			);
		}
		$saved = Settings_Store::for_network()->update( $changes );
		$this->assertFalse( is_wp_error( $saved ), (string) wp_json_encode( $saved ) );
	}

	private function log_in_as_sub_site_admin(): void {
		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin() );
	}

	private function assert_the_network_password_was_never_sent(): void {
		$this->assertNotContains( 'network secret', array_column( $this->recorder->logins(), 'password' ), 'the recording server received the network\'s password' );
		$this->assertNotContains( 'network-user', array_column( $this->recorder->logins(), 'user' ) );
	}

	public function test_a_sub_site_that_logs_in_as_the_network_cannot_choose_no_encryption(): void {
		$this->save_network_defaults( true );
		$this->log_in_as_sub_site_admin();

		$refused = $this->rest( 'POST', self::SITE_ROUTE, array( 'encryption' => 'none' ) );

		$this->assertSame( 400, $refused->get_status(), (string) wp_json_encode( $refused->get_data() ) );
		$this->assertSame( array( 'encryption' ), array_keys( $refused->get_data()['data']['params'] ) );
		$this->assertStringContainsString( 'encrypted connection', $refused->get_data()['data']['params']['encryption'] );
		$this->assertNull( $this->raw_option( Settings_Store::OPTION ), 'nothing stored' );

		$this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@example.com' ) );
		$this->assert_the_network_password_was_never_sent();

		// With a login of its own, the site may choose (its own password, its own risk).
		$own = $this->rest(
			'POST',
			self::SITE_ROUTE,
			array(
				'encryption' => 'none',
				'username'   => 'site-user',
				'password'   => 'site password',
			)
		);
		$this->assertSame( 200, $own->get_status(), (string) wp_json_encode( $own->get_data() ) );
	}

	public function test_a_sub_site_left_with_no_encryption_never_sends_the_network_password_in_clear_text(): void {
		// No network login yet: the site may choose `none`.
		$this->save_network_defaults( false );
		$this->log_in_as_sub_site_admin();
		$chosen = $this->rest( 'POST', self::SITE_ROUTE, array( 'encryption' => 'none' ) );
		$this->assertSame( 200, $chosen->get_status(), (string) wp_json_encode( $chosen->get_data() ) );

		// The super admin adds the network's login later; the site now inherits it with `none`.
		restore_current_blog();
		$this->save_network_defaults( true );
		switch_to_blog( $this->second_site );
		$this->assertSame( 'none', ( new Settings_Store() )->get()->encryption );
		$this->assertSame( 'network-user', ( new Settings_Store() )->get()->username );

		$response = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@example.com' ) );

		$this->assert_the_network_password_was_never_sent();
		$this->assertNotSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertStringContainsString( 'encrypted connection', (string) wp_json_encode( $response->get_data() ) );
		$this->assertNull( ( new Settings_Store() )->password(), 'the network\'s password is not given out for a clear-text connection' );

		// Queued mail is held for the same reason rather than logging in.
		$this->assertTrue( wp_mail( 'someone@example.com', 'Queued in clear text', 'x' ) );
		$this->assert_the_network_password_was_never_sent();
	}
}
