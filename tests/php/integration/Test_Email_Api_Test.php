<?php
/**
 * POST /smtp-port-helper/v1/test-email with an HTTPS API as the transport: the answer names the
 * API's endpoint and provider, not the SMTP host and port the settings still hold — on success
 * and on a refusal.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\REST\Test_Email_Schema;
use SmtpPortHelper\Transport\Providers\Mailgun_Transport;

require_once __DIR__ . '/Serves_Provider_Apis.php';

/**
 * @group database
 */
final class Test_Email_Api_Test extends Integration_Test_Case {

	use Serves_Provider_Apis;

	private const ROUTE = '/smtp-port-helper/v1/test-email';

	protected function setUp(): void {
		parent::setUp();
		self::$servers->forget_received();
		$this->serve_locally( 'mailgun', Mailgun_Transport::class );
		// An SMTP host and port stay saved from before the API was chosen.
		$this->save_smtp(
			'smtp.mailgun.org',
			587,
			array(
				'transport'   => 'mailgun',
				'api_key'     => Provider_Api_Servers::KEYS['mailgun'],
				'api_account' => Provider_Api_Servers::MAILGUN_DOMAIN,
				'api_region'  => 'eu',
			)
		);
		$this->log_in_as( 'administrator' );
	}

	protected function tearDown(): void {
		$this->stop_serving_locally();
		parent::tearDown();
	}

	public function test_the_answer_names_the_api_endpoint_that_took_the_message(): void {
		$endpoint = self::$servers->base_url( 'mailgun' );

		$response = $this->rest( 'POST', self::ROUTE, array( 'to' => 'reader@example.com' ) );

		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$data = $response->get_data();
		$this->assertSame( 'Mailgun', $data['api'] );
		$this->assertSame( $endpoint, $data['endpoint'] );
		$this->assertSame( (string) wp_parse_url( $endpoint, PHP_URL_HOST ), $data['host'], 'the API host, not smtp.mailgun.org' );
		$this->assertSame( (int) wp_parse_url( $endpoint, PHP_URL_PORT ), $data['port'], 'the API port, not 587' );
		$this->assertTrue( rest_validate_value_from_schema( $data, Test_Email_Schema::response(), 'response' ) );
		$this->assertCount( 1, self::$servers->received( 'mailgun' ) );
	}

	public function test_a_refused_api_key_is_diagnosed_as_the_apis_not_an_smtp_servers(): void {
		$this->save_smtp( 'smtp.mailgun.org', 587, array( 'api_key' => 'key-refused-by-mailgun' ) );

		$response = $this->rest( 'POST', self::ROUTE, array( 'to' => 'reader@example.com' ) );

		$this->assertSame( 502, $response->get_status() );
		$data = $response->get_data()['data'];
		$this->assertSame( 'auth_failed', $data['verdict'] );
		$this->assertStringStartsWith( 'The HTTPS API of Mailgun (' . self::$servers->base_url( 'mailgun' ) . ') did not take the test message', $data['diagnosis'] );
		$this->assertStringContainsString( 'Mailgun refused the API key', $data['diagnosis'] );
		$this->assertStringNotContainsString( 'smtp.mailgun.org', $data['diagnosis'] );
		$this->assertStringNotContainsString( '587', $data['diagnosis'] );
		$this->assertSame( array(), self::$servers->received( 'mailgun' ) );
	}
}
