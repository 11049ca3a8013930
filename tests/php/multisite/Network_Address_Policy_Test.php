<?php
/**
 * The address policy on a network: a sub-site administrator may not reach the network's internal
 * addresses or non-submission ports (and learns nothing of what answers there); a super admin
 * may; the network option and the filter open internal addresses for sites. Real sending follows
 * the settings' owner.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Smtp_Mailbox;

require_once dirname( __DIR__ ) . '/integration/Smtp_Mailbox.php';

final class Network_Address_Policy_Test extends Multisite_Test_Case {

	private const PORT_TESTS = '/smtp-port-helper/v1/port-tests';

	private int $submit = 0;

	protected function setUp(): void {
		parent::setUp();
		$this->submit = Smtp_Mailbox::port( 2 );
		delete_site_option( Address_Policy_Source::ALLOW_INTERNAL_OPTION );
	}

	private function log_in_as_site_administrator(): void {
		switch_to_blog( $this->second_site );
		$this->log_in_as( 'administrator' );
		$this->assertFalse( is_super_admin() );
	}

	/**
	 * @param array<string, mixed> $body
	 * @return array{0: int, 1: array<string, mixed>}
	 */
	private function port_test( array $body ): array {
		$response = $this->rest( 'POST', self::PORT_TESTS, $body + array( 'timeout' => 3 ) );
		return array( $response->get_status(), (array) $response->get_data() );
	}

	public function test_a_sub_site_admin_gets_400_naming_host_for_an_internal_ip_literal(): void {
		$this->log_in_as_site_administrator();
		foreach ( array( '127.0.0.1', '[::1]', '[::ffff:127.0.0.1]', '10.0.0.25', '192.168.1.1', '100.64.0.1' ) as $host ) {
			list( $status, $data ) = $this->port_test(
				array(
					'host'  => $host,
					'ports' => array( $this->submit ),
				)
			);
			$this->assertSame( 400, $status, $host . ' ' . wp_json_encode( $data ) );
			$this->assertSame( array( 'host' ), array_keys( $data['data']['params'] ), $host );
			$this->assertStringContainsString( 'network administrator', $data['data']['params']['host'] );
		}
	}

	public function test_a_name_resolving_to_loopback_gives_address_refused_without_the_address_or_banner(): void {
		$this->log_in_as_site_administrator();
		list( $status, $data ) = $this->port_test(
			array(
				'host'  => 'localhost',
				'ports' => array( $this->submit, 465 ),
			)
		);
		$this->assertSame( 200, $status, (string) wp_json_encode( $data ) );
		$json = (string) wp_json_encode( $data );
		foreach ( $data['results'] as $result ) {
			$this->assertSame( 'address_refused', $result['verdict'], $json );
			$this->assertSame( 'host_name', $result['cause'] );
			$this->assertFalse( $result['ok'] );
			$this->assertArrayNotHasKey( 'address', $result );
			$this->assertStringContainsString( 'internal network', $result['message'] );
		}
		// The Markdown report names the site it was run from (this stack's URL is 127.0.0.1): that
		// line is the site's own address, not what the name resolved to.
		$scanned             = $data;
		$scanned['markdown'] = preg_replace( '/^- Tested .* from the web server of .*$/m', '', (string) $data['markdown'] );
		foreach ( array( '127.0.0.1', '::1', 'ESMTP', '220 ', 'STARTTLS', 'PIPELINING' ) as $leak ) {
			$this->assertStringNotContainsString( $leak, (string) wp_json_encode( $scanned ), 'nothing about what listens there' );
		}
		$this->assertNull( $data['recommendation']['port'] ?? null );
	}

	public function test_a_sub_site_admin_may_not_test_a_non_submission_port(): void {
		$this->log_in_as_site_administrator();
		foreach ( array( 22, 3306, 6379, 8080 ) as $port ) {
			list( $status, $data ) = $this->port_test(
				array(
					'host'  => 'smtp.example.com',
					'ports' => array( 587, $port ),
				)
			);
			$this->assertSame( 400, $status, (string) wp_json_encode( $data ) );
			$this->assertSame( array( 'ports' ), array_keys( $data['data']['params'] ) );
			$this->assertStringContainsString( (string) $port, $data['data']['params']['ports'] );
		}
	}

	public function test_a_super_admin_may_test_internal_addresses_and_any_port(): void {
		switch_to_blog( $this->second_site );
		$this->log_in_as_super_admin();
		list( $status, $data ) = $this->port_test(
			array(
				'host'  => '127.0.0.1',
				'ports' => array( $this->submit, 3307 ),
			)
		);
		$this->assertSame( 200, $status, (string) wp_json_encode( $data ) );
		$results = array_column( $data['results'], null, 'port' );
		$this->assertSame( 'ok', $results[ $this->submit ]['verdict'] );
		$this->assertNotSame( 'address_refused', $results[3307]['verdict'] );
	}

	public function test_the_network_option_and_the_filter_let_sites_use_internal_addresses(): void {
		update_site_option( Address_Policy_Source::ALLOW_INTERNAL_OPTION, true );
		$this->log_in_as_site_administrator();
		list( $status, $data ) = $this->port_test(
			array(
				'host'  => 'localhost',
				'ports' => array( $this->submit ),
			)
		);
		$this->assertSame( 200, $status );
		$this->assertSame( 'ok', $data['results'][0]['verdict'], (string) wp_json_encode( $data ) );

		$deny = static function (): bool {
			return false;
		};
		add_filter( 'smtp_port_helper_sites_may_use_internal_addresses', $deny );
		try {
			list( $status, $data ) = $this->port_test(
				array(
					'host'  => 'localhost',
					'ports' => array( $this->submit ),
				)
			);
		} finally {
			remove_filter( 'smtp_port_helper_sites_may_use_internal_addresses', $deny );
		}
		$this->assertSame( 'address_refused', $data['results'][0]['verdict'] );

		$ports = static function ( array $ports ): array {
			return array_merge( $ports, array( 2626 ) );
		};
		add_filter( 'smtp_port_helper_site_administrator_ports', $ports );
		try {
			list( $status ) = $this->port_test(
				array(
					'host'  => 'localhost',
					'ports' => array( 2626 ),
				)
			);
		} finally {
			remove_filter( 'smtp_port_helper_site_administrator_ports', $ports );
		}
		$this->assertSame( 200, $status, 'the filter adds a port' );
	}

	public function test_sending_follows_the_settings_owner(): void {
		$mailbox = new Smtp_Mailbox();
		// The network's own relay on loopback: every site sends through it.
		$saved = Settings_Store::for_network()->update(
			array(
				'enabled'  => true,
				'host'     => 'localhost',
				'port'     => $this->submit,
				'auth'     => true,
				'username' => 'test',
				'password' => 'secret',
			)
		);
		$this->assertFalse( is_wp_error( $saved ), (string) wp_json_encode( $saved ) );
		$this->log_in_as_site_administrator();
		$to = 'owner-' . strtolower( wp_generate_password( 8, false ) ) . '@example.com';
		$this->assertTrue( wp_mail( $to, 'network relay', 'body' ), 'a site inheriting the network relay sends' );
		$this->assertCount( 1, $mailbox->find( $to ) );

		// The site points its own settings at an internal address: refused at send time.
		$own = ( new Settings_Store() )->update(
			array(
				'host'     => '127.0.0.1',
				'username' => 'test',
				'password' => 'secret',
			)
		);
		$this->assertFalse( is_wp_error( $own ), (string) wp_json_encode( $own ) );
		$mail = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'site-' . $to ) );
		$this->assertSame( 502, $mail->get_status(), (string) wp_json_encode( $mail->get_data() ) );
		$this->assertSame( 'address_refused', $mail->get_data()['data']['verdict'] );
		$this->assertStringNotContainsString( '220 ', (string) wp_json_encode( $mail->get_data() ) );
		$this->assertCount( 0, $mailbox->find( 'site-' . $to ) );

		$tests  = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		$health = call_user_func( $tests['async']['smtp_port_helper_port_check']['async_direct_test'] );
		$this->assertSame( 'critical', $health['status'], (string) wp_json_encode( $health ) );
		$this->assertStringContainsString( 'network administrator', $health['description'] );
	}
}
