<?php
/**
 * A provider that allows login only on some ports (the g-like server: the first port refuses the
 * login the second accepts), seen through the REST port test and Site Health: the same engine,
 * the same verdict, the port that works named in both.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

require_once __DIR__ . '/G_Like_Server.php';

final class Login_Per_Port_Test extends Integration_Test_Case {

	private const ROUTE  = '/smtp-port-helper/v1/port-tests';
	private const HEALTH = '/smtp-port-helper/v1/site-health/port-check';

	private static ?G_Like_Server $server = null;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$server = new G_Like_Server();
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$server ) {
			self::$server->stop();
			self::$server = null;
		}
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		rest_get_server(); // Fires rest_api_init, where the plugin hooks Site Health outside wp-admin.
	}

	private function server(): G_Like_Server {
		$this->assertNotNull( self::$server );
		return self::$server;
	}

	public function test_the_port_that_refused_the_login_names_the_port_that_accepted_it(): void {
		$server = $this->server();
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'       => 'localhost',
				'ports'      => array( $server->refusing, $server->accepting ),
				'alternates' => array( $server->refusing, $server->accepting ),
				'auth'       => array(
					'username' => G_Like_Server::USER,
					'password' => G_Like_Server::PASSWORD,
				),
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report  = $response->get_data();
		$results = array_column( $report['results'], null, 'port' );

		$refused = $results[ $server->refusing ];
		$this->assertSame( 'auth_failed', $refused['verdict'], $refused['message'] );
		$this->assertSame( 'login', $refused['cause'] );
		$this->assertStringContainsString( 'accepted on port ' . $server->accepting, $refused['message'] );
		$this->assertStringNotContainsString( 'Check them', $refused['message'], 'the password is right: it worked on the other port' );
		$this->assertSame( 'ok', $results[ $server->accepting ]['verdict'], $results[ $server->accepting ]['message'] );

		$this->assertSame( $server->accepting, $report['recommendation']['port'] );
		$reason = $report['recommendation']['reason'];
		$this->assertStringContainsString( sprintf( 'Port %d refused the login that port %d accepted', $server->refusing, $server->accepting ), $reason );
		$this->assertStringNotContainsString( 'did not work from this web server', $reason, 'a refused login is not a firewall block' );
	}

	public function test_site_health_fails_when_the_saved_port_refuses_the_login_and_names_the_port_that_accepts_it(): void {
		$server = $this->server();
		$this->log_in_as( 'administrator' );
		$this->save_smtp(
			'localhost',
			$server->refusing,
			array(
				'encryption'     => 'starttls',
				'username'       => G_Like_Server::USER,
				'password'       => G_Like_Server::PASSWORD,
				'fallback_ports' => array( $server->accepting ),
			)
		);

		$started = microtime( true );
		$data    = $this->rest( 'GET', self::HEALTH )->get_data();
		$this->assertLessThan( 11.0, microtime( true ) - $started, 'the saved port, then the others, each run bounded' );
		$this->assertSame( 'critical', $data['status'], (string) wp_json_encode( $data ) );
		$this->assertSame( 'WordPress cannot send: the server refused the login', $data['label'] );
		$this->assertStringContainsString( 'accepted on port ' . $server->accepting, $data['description'] );
		$this->assertStringContainsString( sprintf( 'set the port to %d and the encryption to STARTTLS', $server->accepting ), $data['description'] );
		$this->assertStringNotContainsString( G_Like_Server::PASSWORD, (string) wp_json_encode( $data ) );
		$this->assertStringContainsString( 'options-general.php?page=smtp-port-helper', $data['actions'] );

		$direct = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) )['direct']['smtp_port_helper_configured'];
		$label  = call_user_func( $direct['test'] )['label'];
		$this->assertStringNotContainsString( 'sends email', $label, 'the configuration check does not claim that email gets through' );
	}

	public function test_site_health_passes_on_the_port_that_accepts_the_login_without_advising_what_is_set(): void {
		$server = $this->server();
		$this->save_smtp(
			'localhost',
			$server->accepting,
			array(
				'encryption' => 'starttls',
				'username'   => G_Like_Server::USER,
				'password'   => G_Like_Server::PASSWORD,
			)
		);
		$tests  = apply_filters( 'site_status_tests', array( 'direct' => array(), 'async' => array() ) );
		$result = call_user_func( $tests['async']['smtp_port_helper_port_check']['async_direct_test'] );
		$this->assertSame( 'good', $result['status'], (string) wp_json_encode( $result ) );
		$this->assertStringContainsString( 'accepts the saved user name and password', $result['description'] );
		$this->assertStringNotContainsString( 'Set the encryption', $result['description'], 'a passing check does not advise what is already set' );
	}
}
