<?php
/**
 * wp_mail() through the phpmailer_init hook, delivered to the real local SMTP test servers.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Settings\Settings_Store;

final class Mail_Delivery_Test extends Integration_Test_Case {

	private Smtp_Mailbox $mailbox;

	/** @var list<string> */
	private array $failures = array();

	protected function setUp(): void {
		parent::setUp();
		$this->mailbox  = new Smtp_Mailbox();
		$this->failures = array();
		add_action( 'wp_mail_failed', array( $this, 'record_failure' ) );
	}

	protected function tearDown(): void {
		remove_action( 'wp_mail_failed', array( $this, 'record_failure' ) );
		parent::tearDown();
	}

	public function record_failure( \WP_Error $error ): void {
		$this->failures[] = $error->get_error_message();
	}

	/**
	 * @return array<string, array{0: int, 1: string}>
	 */
	public function submission_ports(): array {
		return array(
			'587, STARTTLS'     => array( 2, '127.0.0.1' ),
			'2525, STARTTLS'    => array( 3, 'localhost' ),
			'465, implicit TLS' => array( 1, 'localhost' ),
		);
	}

	/**
	 * @dataProvider submission_ports
	 */
	public function test_wp_mail_is_delivered_through_the_saved_host_and_port( int $port_index, string $host ): void {
		$port = Smtp_Mailbox::port( $port_index );
		$this->save( $host, $port );
		$subject = 'round trip ' . wp_generate_password( 16, false );

		$sent = wp_mail( 'someone@example.com', $subject, "Hello from the integration test.\n" );

		$this->assertSame( array(), $this->failures );
		$this->assertTrue( $sent );
		$messages = $this->mailbox->find( $subject );
		$this->assertCount( 1, $messages, 'exactly one message arrives at the SMTP server' );
		$envelope = $messages[0]['envelope'];
		$this->assertSame( $port, $envelope['port'] );
		$this->assertTrue( $envelope['tls'], 'the message travelled over TLS' );
		$this->assertSame( 'test', $envelope['user'], 'the client authenticated' );
		$this->assertSame( array( 'someone@example.com' ), $envelope['rcptTo'] );
		$this->assertStringContainsString( "Subject: $subject", $messages[0]['raw'] );
	}

	public function test_closed_port_fails_quickly_through_wp_mail_failed(): void {
		$this->save( '127.0.0.1', 1 );
		$subject = 'closed port ' . wp_generate_password( 16, false );
		$started = microtime( true );

		$sent = wp_mail( 'someone@example.com', $subject, 'x' );

		$this->assertFalse( $sent );
		$this->assertNotEmpty( $this->failures );
		$this->assertStringContainsString( 'SMTP', $this->failures[0] );
		$this->assertSame( array(), $this->mailbox->find( $subject ) );
		$this->assertLessThan( 10.0, microtime( true ) - $started, 'the send gives up within its connection timeout' );
	}

	public function test_without_a_host_wordpress_keeps_its_own_transport(): void {
		delete_option( Settings_Store::OPTION );
		$seen = null;
		$spy  = static function ( $phpmailer ) use ( &$seen ): void {
			$seen = $phpmailer->Mailer; // phpcs:ignore WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
		};
		add_action( 'phpmailer_init', $spy, 99 );
		wp_mail( 'someone@example.com', 'no smtp ' . wp_generate_password( 8, false ), 'x' );
		remove_action( 'phpmailer_init', $spy, 99 );
		$this->assertSame( 'mail', $seen );
	}

	private function save( string $host, int $port ): void {
		$result = ( new Settings_Store() )->update(
			array(
				'host' => $host,
				'port' => $port,
			)
		);
		$this->assertIsArray( $result );
	}
}
