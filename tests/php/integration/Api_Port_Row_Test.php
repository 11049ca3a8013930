<?php
/**
 * The port test's row "HTTPS API (port 443)" and its recommendation, through POST /port-tests in
 * the real WordPress: SendGrid's local API server stands for api.sendgrid.com and `localhost`
 * (where the stack's SMTP servers listen) for smtp.sendgrid.net.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\CLI\Command_Runner;
use SmtpPortHelper\Health\Port_Check;
use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Api_Port_Test;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;
use SmtpPortHelper\Transport\Providers\Sendgrid_Transport;

require_once __DIR__ . '/Serves_Provider_Apis.php';

/**
 * @group database
 */
final class Api_Port_Row_Test extends Integration_Test_Case {

	use Serves_Provider_Apis;

	private const ROUTE = '/smtp-port-helper/v1/port-tests';

	protected function setUp(): void {
		parent::setUp();
		self::$servers->forget_received();
		$this->serve_locally( 'sendgrid', Sendgrid_Transport::class );
		Local_Endpoint_Transport::$smtp_hosts = array( 'localhost' );
		$this->log_in_as( 'administrator' );
	}

	protected function tearDown(): void {
		$this->stop_serving_locally();
		Local_Endpoint_Transport::$smtp_hosts = array();
		parent::tearDown();
	}

	/**
	 * @param list<int>            $ports Ports to test on localhost.
	 * @param array<string, mixed> $extra More parameters.
	 * @return array<string, mixed>
	 */
	private function port_test( array $ports, array $extra = array() ): array {
		$response = $this->rest( 'POST', self::ROUTE, array( 'host' => 'localhost', 'ports' => $ports, 'alternates' => array( $ports[1] ?? $ports[0] ) ) + $extra );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return $response->get_data();
	}

	/** @return list<int> Three loopback ports nothing listens on: every SMTP port is refused. */
	private static function closed_ports(): array {
		return Server_Process::free_ports( 3 );
	}

	private function save_sendgrid( string $key ): void {
		$result = ( new Settings_Store() )->update(
			array(
				'host'      => 'localhost',
				'transport' => 'sendgrid',
				'api_key'   => $key,
			)
		);
		$this->assertFalse( is_wp_error( $result ), is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}

	public function test_with_every_smtp_port_closed_the_reachable_api_is_recommended_and_its_key_asked_for(): void {
		$report = $this->port_test( self::closed_ports() );

		$this->assertNotNull( $report['api'], 'the provider of the tested host has an HTTPS API' );
		$row = $report['api'];
		$this->assertSame( 'sendgrid', $row['transport'] );
		$this->assertFalse( $row['key_saved'] );
		$this->assertTrue( $row['usable'], $row['message'] . self::$servers->log() );
		$this->assertSame( 443, $row['result']['port'] );
		$this->assertSame( array( 'dns', 'connect', 'tls', 'api' ), array_column( $row['result']['stages'], 'name' ) );
		foreach ( $row['result']['stages'] as $stage ) {
			$this->assertTrue( $stage['ok'], $stage['name'] . ': ' . $stage['detail'] );
			$this->assertIsInt( $stage['ms'] );
		}
		$this->assertStringContainsString( 'No API key is saved yet', $row['message'] );

		$recommendation = $report['recommendation'];
		$this->assertSame( 'sendgrid', $recommendation['transport'] ?? null, (string) wp_json_encode( $report ) );
		$this->assertTrue( $recommendation['key_needed'] );
		$this->assertSame( 443, $recommendation['port'] );
		$this->assertStringContainsString( 'No SMTP port works from this server', $recommendation['reason'] );
		$this->assertStringContainsString( 'Enter the SendGrid API key', $recommendation['reason'] );
		$this->assertSame( array(), self::$servers->received( 'sendgrid' ), 'the test sends nothing' );
		$this->assertStringNotContainsString( 'Authorization', (string) wp_json_encode( $report ) );
	}

	public function test_a_saved_key_is_tested_and_a_wrong_one_leaves_nothing_to_recommend(): void {
		$this->save_sendgrid( Provider_Api_Servers::KEYS['sendgrid'] );
		$report = $this->port_test( self::closed_ports() );
		$this->assertTrue( $report['api']['key_saved'] );
		$this->assertTrue( $report['api']['usable'], $report['api']['message'] );
		$this->assertTrue( $report['api']['result']['stages'][3]['ok'] );
		$this->assertFalse( $report['recommendation']['key_needed'] );
		$this->assertStringContainsString( 'The saved API key was accepted', $report['recommendation']['reason'] );

		$this->save_sendgrid( 'SG.not-the-right-key' );
		$report = $this->port_test( self::closed_ports() );
		$this->assertFalse( $report['api']['usable'] );
		$this->assertSame( 'auth_failed', $report['api']['result']['verdict'] );
		$this->assertNull( $report['recommendation'], 'neither SMTP nor the API works' );
		$this->assertStringNotContainsString( 'SG.not-the-right-key', (string) wp_json_encode( $report ) );
	}

	public function test_a_working_smtp_port_stays_the_recommendation_and_the_api_row_is_shown_beside_it(): void {
		$submit = Smtp_Mailbox::port( 2 );
		$report = $this->port_test( array( $submit ) );
		$this->assertSame( $submit, $report['recommendation']['port'], (string) wp_json_encode( $report ) );
		$this->assertArrayNotHasKey( 'transport', $report['recommendation'] );
		$this->assertTrue( $report['api']['usable'] );
	}

	public function test_smtp_login_switched_off_by_the_provider_recommends_the_api(): void {
		$port    = Server_Process::free_ports( 1 )[0];
		$process = new Server_Process();
		$process->start(
			array( 'node', dirname( __DIR__ ) . '/servers/hostile-smtp.js', '--cert-dir', dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ), '--max-seconds', '120', 'm365_auth_off:' . $port ),
			array(),
			1,
			sys_get_temp_dir() . '/sph-api-row-hostile-' . getmypid() . '.log'
		);
		try {
			$report = $this->port_test(
				array( $port ),
				array(
					'auth' => array(
						'username' => 'someone@example.com',
						'password' => 'secret',
					),
				)
			);
		} finally {
			$process->stop();
		}
		$this->assertSame( 'auth_failed', $report['results'][0]['verdict'], (string) wp_json_encode( $report['results'][0] ) );
		$this->assertSame( 'sendgrid', $report['recommendation']['transport'] ?? null, (string) wp_json_encode( $report ) );
		$this->assertStringContainsString( '(5.7.139), on every port', $report['recommendation']['reason'] );
	}

	public function test_a_host_whose_provider_has_no_api_gets_no_row(): void {
		Local_Endpoint_Transport::$smtp_hosts = array( 'smtp.sendgrid.net' );
		$report                               = $this->port_test( self::closed_ports() );
		$this->assertNull( $report['api'] );
		$this->assertNull( $report['recommendation'] );
	}

	public function test_wp_cli_prints_the_api_row_and_why_it_is_recommended(): void {
		$settings = new Settings_Store();
		$runner   = new Command_Runner( new Port_Prober(), new Probe_Options_Factory( $settings ), new Test_Email( $settings, new Mailer_Hook( $settings ) ), $settings, new Send_Path_Report( $settings ), null, null, new Api_Port_Test( $settings ) );
		$run      = $runner->run_test( 'localhost', array( 'ports' => implode( ',', self::closed_ports() ) ) );
		$this->assertNull( $run['error'] );
		$this->assertSame( 0, $run['exit'], 'mail can go: over the API' );
		$api = array_values( array_filter( $run['rows'], static fn( array $row ): bool => 'https' === $row['mode'] ) );
		$this->assertCount( 1, $api );
		$this->assertSame( 443, $api[0]['port'] );
		$this->assertStringContainsString( 'No API key is saved yet', $api[0]['message'] );
		$this->assertStringContainsString( 'Send over SendGrid\'s HTTPS API instead', $run['report']['recommendation']['reason'] );
		$this->assertStringContainsString( '| 443 (HTTPS API, SendGrid) | `ok` |', $run['markdown'] );
	}

	public function test_site_health_checks_the_api_transport_instead_of_the_smtp_port_and_explains_the_choice(): void {
		$this->save_sendgrid( Provider_Api_Servers::KEYS['sendgrid'] );
		( new Settings_Store() )->update(
			array(
				'enabled' => true,
				'port'    => self::closed_ports()[0],
			)
		);
		$settings = new Settings_Store();
		$check    = new Port_Check( $settings, new Port_Prober(), new Probe_Options_Factory( $settings ) );
		$result   = $check->test();
		$this->assertSame( 'good', $result['status'], (string) wp_json_encode( $result ) );
		$this->assertStringContainsString( 'through the HTTPS API of SendGrid (port 443)', $result['label'] );
		$this->assertStringContainsString( 'after SMTP ports 587, 2525 and 465', $result['description'] );
		$this->assertSame( array(), self::$servers->received( 'sendgrid' ), 'the check sends nothing' );

		$this->save_sendgrid( 'SG.not-the-right-key' );
		$result = ( new Port_Check( new Settings_Store(), new Port_Prober(), new Probe_Options_Factory( new Settings_Store() ) ) )->test();
		$this->assertSame( 'critical', $result['status'] );
		$this->assertStringContainsString( 'the HTTPS API of SendGrid does not work', $result['label'] );
		$this->assertStringNotContainsString( 'SG.not-the-right-key', (string) wp_json_encode( $result ) );
	}
}
