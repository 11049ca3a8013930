<?php
/**
 * POST /smtp-port-helper/v1/port-tests in the real WordPress, probing the real SMTP test servers.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\REST\Port_Tests_Schema;

require_once __DIR__ . '/Own_Smtp_Servers.php';

/**
 * The mail counted by the test that sends none goes to servers of its own (Own_Smtp_Servers), not
 * to the stack's, where the other suites' mail arrives: it runs beside them.
 */
final class Port_Tests_Rest_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/port-tests';

	/** @var array<string, int> */
	private array $ports;

	protected function setUp(): void {
		parent::setUp();
		$this->ports = array(
			'relay'    => Smtp_Mailbox::port( 0 ),
			'implicit' => Smtp_Mailbox::port( 1 ),
			'submit'   => Smtp_Mailbox::port( 2 ),
			'alt'      => Smtp_Mailbox::port( 3 ),
		);
	}

	public function test_route_has_a_bounded_args_schema(): void {
		$routes = rest_get_server()->get_routes();
		$this->assertArrayHasKey( self::ROUTE, $routes );
		$args = $routes[ self::ROUTE ][0]['args'];
		$this->assertTrue( $args['host']['required'] );
		$this->assertSame( 6, $args['ports']['maxItems'] );
		$this->assertSame( array( 587, 2525, 465, 25 ), $args['ports']['default'] );
		$this->assertSame( 30, $args['timeout']['maximum'] );
		$this->assertSame( 5, $args['timeout']['default'] );
	}

	public function test_route_describes_its_response(): void {
		$this->log_in_as( 'administrator' );
		$schema = $this->rest( 'OPTIONS', self::ROUTE )->get_data()['schema'];
		$this->assertSame( Port_Tests_Schema::response(), $schema );
	}

	public function test_all_ports_are_diagnosed_and_the_submission_port_is_recommended(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'       => 'localhost',
				'ports'      => array_values( $this->ports ),
				'alternates' => array( $this->ports['alt'] ),
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report  = $response->get_data();
		$results = array_column( $report['results'], null, 'port' );

		$this->assertSame( 'localhost', $report['host'] );
		$this->assertLessThan( 5000, $report['elapsed_ms'], 'all ports within the default 5 s deadline' );

		$submit = $results[ $this->ports['submit'] ];
		$this->assertSame( 'ok', $submit['verdict'], $submit['message'] );
		$this->assertSame( 'starttls', $submit['mode'] );
		$this->assertTrue( $submit['tls']['chain_verified'] );
		$this->assertTrue( $submit['tls']['host_matched'] );
		$this->assertContains( 'PLAIN', $submit['auth_mechanisms'] );
		$names = array_column( $submit['stages'], 'name' );
		foreach ( array( 'dns', 'connect', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo_tls', 'quit' ) as $stage ) {
			$this->assertContains( $stage, $names );
		}
		foreach ( $submit['stages'] as $stage ) {
			$this->assertIsInt( $stage['ms'] );
		}

		$this->assertSame( 'implicit_tls', $results[ $this->ports['implicit'] ]['mode'] );
		$this->assertSame( 'ok', $results[ $this->ports['implicit'] ]['verdict'] );
		$this->assertNotSame( '', $results[ $this->ports['relay'] ]['message'] );

		// 587 first; a normal user cannot open 587, and then the alternate asked for comes next.
		$best = Submission_Ports::SUBMISSION === $this->ports['submit'] ? $this->ports['submit'] : $this->ports['alt'];
		$this->assertSame( $best, $report['recommendation']['port'] );
		$this->assertSame( 'starttls', $report['recommendation']['encryption'] );
		$this->assertNotSame( '', $report['recommendation']['reason'] );

		$this->assertTrue( rest_validate_value_from_schema( $report, Port_Tests_Schema::response(), 'report' ), 'the report has the shape the route declares' );
	}

	public function test_without_a_password_the_saved_one_is_tried(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'localhost', $this->ports['submit'] );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'  => 'localhost',
				'ports' => array( $this->ports['submit'] ),
				'auth'  => array( 'username' => 'test' ),
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->assertSame( 'ok', $response->get_data()['results'][0]['verdict'] );
		$this->assertTrue( rest_validate_value_from_schema( $response->get_data(), Port_Tests_Schema::response(), 'report' ) );
	}

	public function test_given_credentials_are_tried_without_sending_mail(): void {
		$this->log_in_as( 'administrator' );
		$servers = new Own_Smtp_Servers( 'probe-login', 'probe-login-pass-3', 1 );
		try {
			$good = $this->probe_with_auth( $servers->ports[0], 'probe-login', 'probe-login-pass-3' );
			$this->assertSame( 'ok', $good['verdict'], $good['message'] );
			$auth = array_values( array_filter( $good['stages'], static fn( $s ) => 'auth' === $s['name'] ) );
			$this->assertCount( 1, $auth );
			$this->assertTrue( $auth[0]['ok'] );

			$bad = $this->probe_with_auth( $servers->ports[0], 'probe-login', 'wrong-password' );
			$this->assertSame( 'auth_failed', $bad['verdict'] );
			$this->assertStringNotContainsString( 'wrong-password', (string) wp_json_encode( $bad ) );
			$this->assertSame( array(), $servers->mailbox()->find( '' ), 'no mail is sent' );
		} finally {
			$servers->stop();
		}
	}

	public function test_the_answer_carries_a_markdown_report_without_the_login(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'  => 'localhost',
				'ports' => array( $this->ports['submit'], 1 ),
				'auth'  => array(
					'username' => 'someone@example.com',
					'password' => 'Report-Pa55word',
				),
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$markdown = $response->get_data()['markdown'];
		$this->assertStringContainsString( '## SMTP port test of localhost', $markdown );
		$this->assertMatchesRegularExpression( '/^\| ' . $this->ports['submit'] . ' \| `auth_failed` \|/m', $markdown );
		$this->assertMatchesRegularExpression( '/^\| 1 \| `refused` \|/m', $markdown );
		$this->assertStringContainsString( 'Login tested as `so…`', $markdown );
		$this->assertStringNotContainsString( 'someone@example.com', $markdown );
		$this->assertStringNotContainsString( 'Report-Pa55word', $markdown );
	}

	public function test_a_closed_port_is_reported_as_refused(): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'  => '127.0.0.1',
				'ports' => array( 1 ),
			)
		);
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'refused', $response->get_data()['results'][0]['verdict'] );
		$this->assertNull( $response->get_data()['recommendation'] );
	}

	/**
	 * @return array<string, array{0: array<string, mixed>, 1: string}>
	 */
	public function bad_requests(): array {
		return array(
			'no host'           => array( array( 'ports' => array( 587 ) ), 'host' ),
			'empty host'        => array( array( 'host' => '' ), 'host' ),
			'CRLF in host'      => array( array( 'host' => "127.0.0.1\r\nEHLO evil" ), 'host' ),
			'URL as host'       => array( array( 'host' => 'smtp://127.0.0.1' ), 'host' ),
			'seven ports'       => array(
				array(
					'host'  => '127.0.0.1',
					'ports' => array( 1, 2, 3, 4, 5, 6, 7 ),
				),
				'ports',
			),
			'port out of range' => array(
				array(
					'host'  => '127.0.0.1',
					'ports' => array( 70000 ),
				),
				'ports',
			),
			'duplicate ports'   => array(
				array(
					'host'  => '127.0.0.1',
					'ports' => array( 587, 587 ),
				),
				'ports',
			),
			'timeout too long'  => array(
				array(
					'host'    => '127.0.0.1',
					'timeout' => 31,
				),
				'timeout',
			),
			'no password given or saved' => array(
				array(
					'host' => '127.0.0.1',
					'auth' => array( 'username' => 'test' ),
				),
				'auth',
			),
			'CRLF in username'  => array(
				array(
					'host' => '127.0.0.1',
					'auth' => array(
						'username' => "test\r\nMAIL FROM:<x@y>",
						'password' => 'x',
					),
				),
				'auth',
			),
		);
	}

	/**
	 * @dataProvider bad_requests
	 * @param array<string, mixed> $body
	 */
	public function test_bad_requests_get_400_naming_the_field( array $body, string $field ): void {
		$this->log_in_as( 'administrator' );
		$response = $this->rest( 'POST', self::ROUTE, $body );
		$this->assertSame( 400, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertArrayHasKey( 'params', $data['data'], (string) wp_json_encode( $data ) );
		// A missing required field is listed by name; an invalid one maps the name to a message.
		$named = 'rest_missing_callback_param' === $data['code'] ? $data['data']['params'] : array_keys( $data['data']['params'] );
		$this->assertContains( $field, $named );
	}

	public function test_the_rate_limit_answers_429_with_retry_after(): void {
		$this->log_in_as( 'administrator' );
		$body = array(
			'host'  => '127.0.0.1',
			'ports' => array( 1 ),
		);
		for ( $i = 0; $i < 10; $i++ ) {
			$this->assertSame( 200, $this->rest( 'POST', self::ROUTE, $body )->get_status(), "request $i" );
		}
		$limited = $this->rest( 'POST', self::ROUTE, $body );
		$this->assertSame( 429, $limited->get_status() );
		$retry = (int) $limited->get_headers()['Retry-After'];
		$this->assertGreaterThanOrEqual( 1, $retry );
		$this->assertLessThanOrEqual( 60, $retry );

		// Another administrator has a budget of their own.
		$this->log_in_as( 'administrator' );
		$this->assertSame( 200, $this->rest( 'POST', self::ROUTE, $body )->get_status() );
	}

	/**
	 * @return array<string, array{0: string}>
	 */
	public function non_admin_roles(): array {
		return array(
			'subscriber' => array( 'subscriber' ),
			'editor'     => array( 'editor' ),
		);
	}

	/**
	 * @dataProvider non_admin_roles
	 */
	public function test_non_admins_get_403( string $role ): void {
		$this->log_in_as( $role );
		$this->assertSame( 403, $this->rest( 'POST', self::ROUTE, array( 'host' => '127.0.0.1' ) )->get_status() );
	}

	public function test_logged_out_gets_401(): void {
		$this->assertSame( 401, $this->rest( 'POST', self::ROUTE, array( 'host' => '127.0.0.1' ) )->get_status() );
	}

	/**
	 * @return array<string, mixed> The port's result.
	 */
	private function probe_with_auth( int $port, string $username, string $password ): array {
		$response = $this->rest(
			'POST',
			self::ROUTE,
			array(
				'host'  => 'localhost',
				'ports' => array( $port ),
				'auth'  => array(
					'username' => $username,
					'password' => $password,
				),
			)
		);
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		return $response->get_data()['results'][0];
	}
}
