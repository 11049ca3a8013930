<?php
/**
 * The site's own DKIM key on a network: each site's administrator manages that site's key and no
 * other, and someone else's mail (a super admin's password reset) never leaves signed with it.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Deliverability\Dkim_Key_Store;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Smtp_Mailbox;

require_once dirname( __DIR__ ) . '/integration/Smtp_Mailbox.php';

final class Network_Dkim_Key_Test extends Multisite_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/dkim-key';

	protected function setUp(): void {
		parent::setUp();
		foreach ( get_sites( array( 'fields' => 'ids' ) ) as $site_id ) {
			switch_to_blog( (int) $site_id );
			delete_option( Dkim_Key_Store::OPTION );
			restore_current_blog();
		}
	}

	/**
	 * Generates a key on the current site as the logged-in user.
	 *
	 * @return array<string, mixed> The key.
	 */
	private function generate( string $domain ): array {
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'action' => 'generate',
				'domain' => $domain,
			)
		);
		$this->assertSame( 201, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return $response->get_data()['key'];
	}

	/**
	 * The raw key option of a site.
	 */
	private function key_option_of( int $site_id ): ?string {
		switch_to_blog( $site_id );
		$raw = $this->raw_option( Dkim_Key_Store::OPTION );
		restore_current_blog();
		return $raw;
	}

	public function test_a_sub_site_administrator_manages_only_the_sites_own_key(): void {
		$main = get_main_site_id();
		switch_to_blog( $main );
		$this->log_in_as_super_admin();
		$main_key = $this->generate( 'main.test' );
		restore_current_blog();
		$main_raw = $this->key_option_of( $main );

		switch_to_blog( $this->second_site );
		$admin = $this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin( $admin ) );
		$this->assertNull( $this->rest( 'GET', self::ROUTE )->get_data()['key'], 'the main site\'s key is not the sub-site\'s' );
		$own = $this->generate( 'second.test' );
		$this->assertNotSame( $main_key['record']['value'], $own['record']['value'] );
		$this->assertSame( 200, $this->rest( 'DELETE', self::ROUTE )->get_status() );
		$this->assertNull( $this->raw_option( Dkim_Key_Store::OPTION ) );
		restore_current_blog();
		$this->assertSame( $main_raw, $this->key_option_of( $main ), 'the main site\'s key is untouched' );

		// The same administrator on the main site, where they are nobody: refused, nothing changes.
		switch_to_blog( $main );
		wp_set_current_user( $admin );
		foreach ( array( 'GET', 'POST', 'DELETE' ) as $method ) {
			$response = $this->rest( $method, self::ROUTE, 'POST' === $method ? array( 'action' => 'rotate' ) : array() );
			$this->assertSame( 403, $response->get_status(), $method );
		}
		restore_current_blog();
		$this->assertSame( $main_raw, $this->key_option_of( $main ) );
	}

	public function test_someone_elses_mail_is_never_signed_with_the_sub_sites_key(): void {
		$saved = Settings_Store::for_network()->update(
			array(
				'enabled'      => true,
				'host'         => '127.0.0.1',
				'port'         => Smtp_Mailbox::port( 2 ),
				'encryption'   => 'starttls',
				'auth'         => true,
				'username'     => getenv( 'SMTP_USER' ) ?: 'test',
				'password'     => getenv( 'SMTP_PASS' ) ?: 'secret',
				'timeout'      => 3,
				// The network signs too, and sends as network.test.
				'from_email'   => 'wordpress@network.test',
				'dkim_signing' => true,
			)
		);
		$this->assertFalse( is_wp_error( $saved ), (string) wp_json_encode( $saved ) );
		$super = $this->log_in_as_super_admin();
		$login = get_userdata( $super )->user_login;

		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		// A sub-site administrator may choose any signing domain — also the network's.
		$this->generate( 'network.test' );
		$response = $this->rest(
			'POST',
			self::SITE_ROUTE,
			array(
				'from_email'       => 'wordpress@network.test',
				'force_from_email' => true,
				'dkim_signing'     => true,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );

		$subject = 'Own mail ' . wp_generate_password( 10, false );
		$this->assertTrue( wp_mail( 'someone@receiver.test', $subject, 'The site\'s own mail.' ) );
		$own = ( new Smtp_Mailbox() )->find( $subject );
		$this->assertCount( 1, $own );
		$this->assertMatchesRegularExpression( '/^DKIM-Signature: v=1; d=network\.test;/mi', $own[0]['raw'], 'the site\'s own mail is signed' );

		wp_set_current_user( 0 );
		$_SERVER['REMOTE_ADDR'] = '127.0.0.1';
		$this->assertTrue( retrieve_password( $login ) );
		$reset = ( new Smtp_Mailbox() )->find( 'login=' . rawurlencode( $login ) );
		$this->assertCount( 1, $reset );
		$this->assertStringNotContainsStringIgnoringCase( 'DKIM-Signature', $reset[0]['raw'], 'the super admin\'s reset is not signed with the sub-site\'s key' );
		restore_current_blog();
	}
}
