<?php
/**
 * From follows the mailbox: a server whose login is a mailbox address (the real smtp-server on a
 * free port, with the stack's certificate and `shop@contoso.example` as its user name). What
 * arrives there is read back: the From header and the envelope sender.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Outbox\Recovery_Notice;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';
require_once __DIR__ . '/Smtp_Mailbox.php';

final class From_Mailbox_Test extends Integration_Test_Case {

	private const MAILBOX  = 'shop@contoso.example';
	private const PASSWORD = 'mailbox-pass-4';

	private static ?Server_Process $server = null;

	private static string $dir = '';

	private static int $port = 0;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$port   = Server_Process::free_ports( 1 )[0];
		self::$dir    = sys_get_temp_dir() . '/sph-mailbox-' . getmypid() . '-' . bin2hex( random_bytes( 4 ) );
		$cert_dir     = defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) : dirname( __DIR__, 3 ) . '/.run/smtp';
		self::$server = new Server_Process();
		self::$server->start(
			array( 'node', dirname( __DIR__ ) . '/servers/smtp-server-watchdog.js', self::$dir . '/mails' ),
			array(
				'SMTP_PORTS'       => (string) self::$port,
				'SMTP_TLS_PORTS'   => '1',
				'SMTP_RELAY_PORT'  => '1',
				'SMTP_CERT_DIR'    => $cert_dir,
				'SMTP_HOST'        => '127.0.0.1',
				'SMTP_USER'        => self::MAILBOX,
				'SMTP_PASS'        => self::PASSWORD,
				'WATCHDOG_SECONDS' => '120',
			),
			1,
			self::$dir . '.log'
		);
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$server ) {
			self::$server->stop();
			self::$server = null;
		}
		foreach ( (array) glob( self::$dir . '/mails/*' ) as $file ) {
			@unlink( (string) $file ); // phpcs:ignore
		}
		@rmdir( self::$dir . '/mails' ); // phpcs:ignore
		@rmdir( self::$dir ); // phpcs:ignore
		@unlink( self::$dir . '.log' ); // phpcs:ignore
		parent::tearDownAfterClass();
	}

	/**
	 * Sends one message with wp_mail() and returns what arrived.
	 *
	 * @param array<string, string> $headers Headers of the message.
	 * @return array{envelope: array<string, mixed>, raw: string, file: string}
	 */
	private function send( array $headers = array() ): array {
		$subject = 'from-mailbox ' . wp_generate_password( 10, false, false );
		$this->assertTrue( wp_mail( 'customer@example.com', $subject, 'Your order', $headers ), 'the message was handed over' );
		$found = ( new Smtp_Mailbox( self::$dir . '/mails' ) )->find( $subject );
		$this->assertCount( 1, $found );
		return $found[0];
	}

	private static function from_header( string $raw ): string {
		preg_match( '/^From: (.*)$/mi', $raw, $match );
		return trim( $match[1] ?? '' );
	}

	private function save_mailbox_login( array $changes = array() ): void {
		$this->save_smtp(
			'localhost',
			self::$port,
			array_merge(
				array(
					'username' => self::MAILBOX,
					'password' => self::PASSWORD,
				),
				$changes
			)
		);
	}

	public function test_wordpress_default_from_becomes_the_mailbox_the_login_uses(): void {
		$this->save_mailbox_login();
		$arrived = $this->send();
		$this->assertStringContainsString( '<' . self::MAILBOX . '>', self::from_header( $arrived['raw'] ), 'not wordpress@ the site' );
		$this->assertSame( self::MAILBOX, $arrived['envelope']['mailFrom'] );
		$this->assertSame( self::MAILBOX, $arrived['envelope']['user'] );
	}

	public function test_the_from_setting_and_a_plugins_own_from_are_kept(): void {
		$this->save_mailbox_login( array( 'from_email' => 'orders@contoso.example' ) );
		$this->assertStringContainsString( '<orders@contoso.example>', self::from_header( $this->send()['raw'] ) );

		$this->save_mailbox_login( array( 'from_email' => '' ) );
		$own = $this->send( array( 'From: Forms <forms@contoso.example>' ) );
		$this->assertStringContainsString( '<forms@contoso.example>', self::from_header( $own['raw'] ), 'a From a plugin chose is not the default' );
	}

	public function test_the_outbox_recovery_notice_leaves_from_the_mailbox_too(): void {
		update_option( 'admin_email', 'owner@example.com' );
		$this->save_mailbox_login();
		$stats   = array(
			'delivered' => 1,
			'waiting'   => 0,
			'failed'    => 0,
			'held'      => 0,
		);
		$message = ( new Recovery_Notice( new Settings_Store() ) )->message( time() - 600, $stats, array() );
		$this->assertNotNull( $message );
		$this->assertSame( self::MAILBOX, $message['from'], 'the envelope sender' );
		$this->assertStringContainsString( '<' . self::MAILBOX . '>', self::from_header( $message['data'] ) );
	}

	public function test_the_settings_answer_says_which_from_and_why(): void {
		$this->log_in_as( 'administrator' );
		$this->save_mailbox_login();
		$data = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data();
		$this->assertSame(
			array(
				'email'  => self::MAILBOX,
				'reason' => 'login_mailbox',
			),
			$data['from_address']
		);

		$this->save_smtp( 'localhost', self::$port, array( 'username' => 'test' ) );
		$data = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data();
		$this->assertSame( 'wordpress_default', $data['from_address']['reason'], 'a user name that is no address is no mailbox' );
		$this->assertStringStartsWith( 'wordpress@', $data['from_address']['email'] );

		$this->save_smtp( 'localhost', self::$port, array( 'from_email' => 'news@contoso.example' ) );
		$data = $this->rest( 'GET', '/smtp-port-helper/v1/settings' )->get_data();
		$this->assertSame( array( 'email' => 'news@contoso.example', 'reason' => 'from_setting' ), $data['from_address'] );
	}
}
