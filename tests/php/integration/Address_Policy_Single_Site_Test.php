<?php
/**
 * The address policy for a single site's administrator, on the real stack: internal addresses
 * (a local Postfix, a LAN relay) work, the addresses no mail server uses are refused at every
 * front door — port test, test email, Site Health, real sending.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Outbox\Outbox;

final class Address_Policy_Single_Site_Test extends Integration_Test_Case {

	private const PORT_TESTS = '/smtp-port-helper/v1/port-tests';

	private Smtp_Mailbox $mailbox;

	protected function setUp(): void {
		parent::setUp();
		$this->mailbox = new Smtp_Mailbox();
	}

	public function test_internal_addresses_and_any_port_work_for_a_single_site_administrator(): void {
		$this->log_in_as( 'administrator' );
		$submit   = Smtp_Mailbox::port( 2 );
		$response = $this->rest(
			'POST',
			self::PORT_TESTS,
			array(
				'host'    => '127.0.0.1',
				'ports'   => array( $submit, 3307 ),
				'timeout' => 3,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$results = array_column( $response->get_data()['results'], null, 'port' );
		$this->assertSame( 'ok', $results[ $submit ]['verdict'] );
		$this->assertSame( '127.0.0.1', $results[ $submit ]['address'] );
		$this->assertNotSame( 'address_refused', $results[3307]['verdict'], 'any port for a single site administrator' );

		$named = $this->rest(
			'POST',
			self::PORT_TESTS,
			array(
				'host'  => 'localhost',
				'ports' => array( $submit ),
			)
		);
		$this->assertSame( 'ok', $named->get_data()['results'][0]['verdict'], (string) wp_json_encode( $named->get_data() ) );
	}

	/**
	 * @return array<string, array{string}>
	 */
	public function never_hosts(): array {
		return array(
			'cloud metadata'             => array( '169.254.169.254' ),
			'IPv4-mapped metadata'       => array( '[::ffff:169.254.169.254]' ),
			'NAT64 metadata'             => array( '[64:ff9b::a9fe:a9fe]' ),
			'6to4 metadata'              => array( '[2002:a9fe:a9fe::1]' ),
			'unspecified'                => array( '0.0.0.0' ),
			'unspecified IPv6'           => array( '[::]' ),
			'link-local IPv6'            => array( '[fe80::1]' ),
			'multicast'                  => array( '224.0.0.1' ),
			'reserved'                   => array( '240.0.0.1' ),
			'broadcast'                  => array( '255.255.255.255' ),
			'Alibaba metadata'           => array( '100.100.100.200' ),
			'AWS metadata over IPv6'     => array( '[fd00:ec2::254]' ),
			'Google metadata by name'    => array( 'metadata.google.internal' ),
		);
	}

	/**
	 * @dataProvider never_hosts
	 */
	public function test_addresses_no_mail_server_uses_answer_400_naming_host( string $host ): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::PORT_TESTS,
			array(
				'host'  => $host,
				'ports' => array( 587 ),
			)
		);
		$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( array( 'host' ), array_keys( $response->get_data()['data']['params'] ) );
	}

	public function test_sending_to_a_metadata_address_is_refused_before_connecting(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( '169.254.169.254', 587 );
		$started  = microtime( true );
		$response = $this->rest( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'nobody@example.com' ) );
		$this->assertLessThan( 1.0, microtime( true ) - $started, 'refused before any connection attempt' );
		$this->assertSame( 502, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data()['data'];
		$this->assertSame( 'address_refused', $data['verdict'], (string) wp_json_encode( $data ) );
		$this->assertStringContainsString( 'never used by mail servers', $data['diagnosis'] );

		// Real sending never connects either: the message is kept, held until the settings change.
		$queued = array();
		$keep   = static function ( $id, $recipients, $failure ) use ( &$queued ): void {
			$queued[] = $failure;
		};
		add_action( 'smtp_port_helper_mail_queued', $keep, 10, 3 );
		try {
			$this->assertTrue( wp_mail( 'nobody@example.com', 'refused', 'body' ), 'accepted into the outbox, not lost' );
		} finally {
			remove_action( 'smtp_port_helper_mail_queued', $keep, 10 );
		}
		$this->assertCount( 1, $queued );
		$this->assertSame( 'policy', $queued[0]['stage'] );
		$this->assertTrue( Outbox::holds_queue( $queued[0] ), 'held until the host is corrected' );

		$health = $this->rest( 'GET', '/smtp-port-helper/v1/site-health/port-check' )->get_data();
		$this->assertSame( 'critical', $health['status'] );
		$this->assertStringContainsString( 'never used by mail servers', $health['description'] );
	}

	public function test_sending_connects_to_the_vetted_address_and_checks_the_certificate_for_the_name(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'localhost', Smtp_Mailbox::port( 2 ) );
		$to    = 'vetted-' . strtolower( wp_generate_password( 8, false ) ) . '@example.com';
		$lines = array();
		$debug = static function ( $phpmailer ) use ( &$lines ): void {
			// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
			$phpmailer->SMTPDebug   = 3;
			$phpmailer->Debugoutput = static function ( $line ) use ( &$lines ): void {
				$lines[] = (string) $line;
			};
			// phpcs:enable
		};
		add_action( 'phpmailer_init', $debug, PHP_INT_MAX );
		try {
			$this->assertTrue( wp_mail( $to, 'vetted', 'body' ) );
		} finally {
			remove_action( 'phpmailer_init', $debug, PHP_INT_MAX );
			$GLOBALS['phpmailer']->SMTPDebug = 0; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		}
		$this->assertCount( 1, $this->mailbox->find( $to ) );
		$opening = implode( "\n", preg_grep( '/Connection: opening to/', $lines ) );
		$this->assertMatchesRegularExpression( '/opening to (127\.0\.0\.1|\[::1\]):' . Smtp_Mailbox::port( 2 ) . '/', $opening, 'the connection goes to the vetted address; TLS still verified the certificate for localhost' );
	}
}
