<?php
/**
 * Each failure's advice goes to the party that can fix it, through the real REST port test:
 * a name not found → the host name; a certificate → the mail provider or the CA file option;
 * a refused or unanswered connection → the web host or a firewall. And the details never
 * contradict the verdict: no "connected to" address where no connection was made.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Test_Servers;

require_once dirname( __DIR__ ) . '/probe/support/Test_Servers.php';

final class Failure_Advice_Test extends Integration_Test_Case {

	private const ROUTE = '/smtp-port-helper/v1/port-tests';

	private static ?Test_Servers $servers = null;

	/**
	 * The last port test's whole answer.
	 *
	 * @var array<string, mixed>
	 */
	private array $report = array();

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$servers = new Test_Servers( array( 'selfsigned', 'closed', 'blackhole' ) );
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$servers ) {
			self::$servers->stop();
			self::$servers = null;
		}
		parent::tearDownAfterClass();
	}

	/**
	 * The port test's results by port.
	 *
	 * @param array<string, mixed> $body Request body.
	 * @return array<int, array<string, mixed>>
	 */
	private function results( array $body ): array {
		$this->log_in_as( 'administrator' );
		$response = $this->rest( 'POST', self::ROUTE, $body );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$this->report = $response->get_data();
		return array_column( $response->get_data()['results'], null, 'port' );
	}

	public function test_a_name_not_found_points_to_the_host_name_not_to_a_firewall(): void {
		$results = $this->results(
			array(
				'host'  => 'smtp.gmial.invalid',
				'ports' => array( 587, 465 ),
			)
		);
		foreach ( $results as $port => $result ) {
			$this->assertSame( 'dns_failed', $result['verdict'], (string) $port );
			$this->assertSame( 'host_name', $result['cause'] );
			$this->assertStringContainsString( 'smtp.gmial.invalid', $result['message'] );
			$this->assertStringContainsString( 'spelling', $result['message'] );
			$this->assertStringNotContainsString( 'firewall', $result['message'] );
			$this->assertStringNotContainsString( 'web host', $result['message'] );
			$this->assertArrayNotHasKey( 'address', $result );
		}
	}

	public function test_a_self_signed_certificate_points_to_the_mail_provider_and_the_ca_file_option(): void {
		$this->assertNotNull( self::$servers );
		$port    = self::$servers->port['selfsigned_starttls'];
		$result  = $this->results(
			array(
				'host'  => 'localhost',
				'ports' => array( $port ),
			)
		)[ $port ];
		$message = $result['message'];
		$this->assertSame( 'cert_invalid', $result['verdict'], $message );
		$this->assertSame( 'certificate', $result['cause'] );
		$this->assertStringContainsString( 'self-signed', $message );
		$this->assertStringContainsString( 'Advanced settings → "CA certificate file"', $message );
		$this->assertStringContainsString( 'mail provider', $message );
		$this->assertStringNotContainsString( 'web host', $message );
		$this->assertSame( '127.0.0.1', $result['address'], 'connected: the address is part of the details' );
		// What to do, once per cause, from the PHP side (the page shows it as it comes).
		$this->assertSame(
			array(
				array(
					'cause' => 'certificate',
					'ports' => array( $port ),
					'text'  => "The certificate on port $port cannot be trusted. This is for your mail provider to fix; for a private mail server with its own certificate authority, set the CA certificate file under Advanced settings.",
				),
			),
			$this->report['causes']
		);
	}

	public function test_a_connection_that_fails_points_to_the_web_host_and_never_reads_as_connected(): void {
		$this->assertNotNull( self::$servers );
		$closed    = self::$servers->port['closed'];
		$blackhole = self::$servers->port['blackhole'];
		$results   = $this->results(
			array(
				'host'    => '127.0.0.1',
				'ports'   => array( $closed, $blackhole ),
				'timeout' => 2,
			)
		);
		$this->assertSame( 'refused', $results[ $closed ]['verdict'], $results[ $closed ]['message'] );
		$this->assertSame( 'timeout', $results[ $blackhole ]['verdict'], $results[ $blackhole ]['message'] );
		foreach ( array( $closed, $blackhole ) as $port ) {
			$this->assertSame( 'network', $results[ $port ]['cause'] );
			$this->assertStringContainsString( 'web host', $results[ $port ]['message'], (string) $port );
			$this->assertArrayNotHasKey( 'address', $results[ $port ], 'no connection was made, so there is no address "connected to"' );
		}
	}
}
