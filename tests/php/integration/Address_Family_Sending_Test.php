<?php
/**
 * IPv4 and IPv6 apart, from the port test to a real wp_mail(): `localhost` has 127.0.0.1 and ::1;
 * the SMTP test servers listen on 127.0.0.1 only, and ::1 on the submission port is black-holed
 * (a listening socket whose one backlog slot is taken: further connects get no answer, as behind
 * a firewall that drops packets). The REST port test shows both families, names IPv4 and
 * remembers it (Port_Memory); the next wp_mail() connects over IPv4 alone and is delivered.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Port_Memory;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Plugin;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

final class Address_Family_Sending_Test extends Integration_Test_Case {

	/** @var \Socket|null */
	private $hole = null;

	/** @var resource|null */
	private $filler = null;

	protected function setUp(): void {
		parent::setUp();
		$port   = Smtp_Mailbox::port( 2 );
		$socket = socket_create( AF_INET6, SOCK_STREAM, SOL_TCP );
		socket_set_option( $socket, SOL_SOCKET, SO_REUSEADDR, 1 );
		if ( ! @socket_bind( $socket, '::1', $port ) || ! socket_listen( $socket, 0 ) ) { // phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			$this->fail( "cannot listen on [::1]:$port (something else listens there?)" );
		}
		$this->hole   = $socket;
		$this->filler = stream_socket_client( "tcp://[::1]:$port", $errno, $errstr, 1, STREAM_CLIENT_CONNECT | STREAM_CLIENT_ASYNC_CONNECT );
		$read         = array();
		$write        = array( $this->filler );
		$except       = null;
		stream_select( $read, $write, $except, 1 );
	}

	protected function tearDown(): void {
		if ( is_resource( $this->filler ) ) {
			fclose( $this->filler );
		}
		if ( null !== $this->hole ) {
			socket_close( $this->hole );
		}
		parent::tearDown();
	}

	public function test_port_test_names_ipv4_and_wp_mail_is_delivered_over_it(): void {
		$submit = Smtp_Mailbox::port( 2 );
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			'/smtp-port-helper/v1/port-tests',
			array(
				'host'    => 'localhost',
				'ports'   => array( $submit ),
				'timeout' => 2,
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report   = $response->get_data();
		$result   = $report['results'][0];
		$families = array_column( $result['families'], null, 'family' );
		$this->assertSame( 'ok', $families['ipv4']['verdict'] );
		$this->assertSame( 'timeout', $families['ipv6']['verdict'] );
		$this->assertSame( 'ipv4', $result['only_family'] );
		$this->assertStringStartsWith( 'IPv6: no answer before the time limit (blocked) — IPv4: works.', $result['family_note'] );
		$this->assertSame( 'ipv4', $report['recommendation']['family'] );
		$this->assertStringContainsString( 'IPv6: no answer before the time limit (blocked) — IPv4: works.', $report['markdown'] );
		$this->assertSame( 'ipv4', ( new Port_Memory() )->family( 'localhost', $submit ), 'the port test remembers the family that works' );

		$this->save_smtp( 'localhost', $submit );
		$subject = 'over ipv4 ' . wp_generate_password( 12, false );
		$this->assertTrue( wp_mail( 'someone@example.com', $subject, 'x' ) );
		$this->assertCount( 1, ( new Smtp_Mailbox() )->find( $subject ) );
		$attempts = $this->mailer_hook()->last_connection()->attempts();
		$this->assertCount( 1, $attempts );
		$this->assertTrue( $attempts[0]['ok'] );
		$this->assertSame( 'ipv4', $attempts[0]['family'] );
	}

	public function test_a_remembered_family_is_the_only_one_connected_to(): void {
		$alternate = Smtp_Mailbox::port( 3 ); // Works on 127.0.0.1; nothing listens on [::1].
		( new Port_Memory() )->remember_family( 'localhost', $alternate, 'ipv6' );
		$this->save_smtp( 'localhost', $alternate, array( 'fallback' => false ) );
		$subject = 'pinned ipv6 ' . wp_generate_password( 12, false );
		wp_mail( 'someone@example.com', $subject, 'x' );
		$attempts = $this->mailer_hook()->last_connection()->attempts();
		$this->assertFalse( $attempts[0]['ok'], 'IPv4 would have worked: only ::1 was tried' );
		$this->assertTrue( $attempts[0]['socket_failure'] );
		$this->assertCount( 0, ( new Smtp_Mailbox() )->find( $subject ) );
	}

	public function test_site_health_and_the_cli_say_why_mail_goes_over_ipv4(): void {
		$alternate = Smtp_Mailbox::port( 3 ); // Works on 127.0.0.1; nothing listens on [::1]: refused.
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'localhost', $alternate );
		rest_get_server();
		$health = $this->rest( 'GET', '/smtp-port-helper/v1/site-health/port-check' )->get_data();
		$this->assertSame( 'good', $health['status'], (string) wp_json_encode( $health ) );
		$this->assertStringContainsString( 'IPv6: connection refused — IPv4: works.', $health['description'] );
		$this->assertStringContainsString( 'Mail is therefore sent over IPv4', $health['description'] );

		$settings = new Settings_Store();
		$runner   = new Command_Runner( new Port_Prober(), new Probe_Options_Factory( $settings ), new Test_Email( $settings, $this->mailer_hook() ), $settings, new Send_Path_Report( $settings ) );
		$run      = $runner->run_test( 'localhost', array( 'ports' => (string) $alternate, 'timeout' => '3' ) );
		$this->assertSame( 0, $run['exit'] );
		$this->assertStringContainsString( 'IPv6: connection refused — IPv4: works.', $run['rows'][0]['message'] );
		$this->assertMatchesRegularExpression( '/^\| ' . $alternate . ' \| `ok` at quit, \d+ ms \| `refused` at connect, \d+ ms \|$/m', $run['markdown'] );
	}

	/**
	 * The Mailer_Hook the plugin registered.
	 */
	private function mailer_hook(): Mailer_Hook {
		global $wp_filter;
		foreach ( $wp_filter['phpmailer_init']->callbacks as $callbacks ) {
			foreach ( $callbacks as $callback ) {
				if ( is_array( $callback['function'] ) && $callback['function'][0] instanceof Plugin ) {
					return $callback['function'][0]->mailer();
				}
			}
		}
		$this->fail( 'the plugin hooks phpmailer_init' );
	}
}
