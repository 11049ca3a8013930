<?php
/**
 * The plugin's HTTPS requests (an API transport's Https_Client, OAuth's Token_Client) never go
 * through a proxy: a proxy looks the name up itself, so the address the plugin checked against
 * its address policy and pinned (CURLOPT_RESOLVE) would no longer be the one reached, and the
 * proxy would see every API host and token endpoint. WordPress's WP_HTTP_PROXY and cURL's own
 * `https_proxy` environment variable both set cURL's proxy; a recording proxy shows where the
 * requests went. Decision and wording: docs/security.md, README.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\OAuth\Token_Client;
use SmtpPortHelper\OAuth\Token_Error;
use SmtpPortHelper\Tests\Probe\Server_Process;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Transport_Registry;

require_once __DIR__ . '/Serves_Provider_Apis.php';

/**
 * @group database
 */
final class No_Proxy_Test extends Integration_Test_Case {

	use Serves_Provider_Apis;

	private ?Server_Process $proxy = null;

	private string $proxy_log = '';

	protected function setUp(): void {
		parent::setUp();
		self::$servers->forget_received();
		$port            = Server_Process::free_ports( 1 )[0];
		$this->proxy_log = sys_get_temp_dir() . '/sph-connect-proxy-' . getmypid() . '-' . wp_generate_password( 6, false ) . '.log';
		touch( $this->proxy_log );
		$this->proxy = new Server_Process();
		$this->proxy->start( array( 'node', dirname( __DIR__ ) . '/servers/connect-proxy.js', '--port', (string) $port, '--out', $this->proxy_log ), array(), 1, $this->proxy_log . '.err' );
		// What a host with an outbound proxy sets for every process (cURL reads it for each transfer).
		putenv( 'https_proxy=http://127.0.0.1:' . $port );
		putenv( 'http_proxy=http://127.0.0.1:' . $port );
	}

	protected function tearDown(): void {
		putenv( 'https_proxy' );
		putenv( 'http_proxy' );
		if ( null !== $this->proxy ) {
			$this->proxy->stop();
		}
		@unlink( $this->proxy_log ); // phpcs:ignore
		@unlink( $this->proxy_log . '.err' ); // phpcs:ignore
		parent::tearDown();
	}

	private function proxied(): string {
		return (string) file_get_contents( $this->proxy_log ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
	}

	public function test_an_api_send_goes_straight_to_the_checked_address_never_through_the_proxy(): void {
		$transport = Transport_Registry::api_transport(
			'resend',
			new Api_Credentials( Provider_Api_Servers::KEYS['resend'], '', '', self::$servers->base_url( 'resend' ) ),
			new Https_Client( Address_Policy::administrator(), true, (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) )
		);
		$this->assertNotNull( $transport );
		$message = new Outgoing_Message( 'blog@example.org', array( 'reader@example.com' ), "From: blog@example.org\r\nTo: reader@example.com\r\nSubject: direct\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nx\r\n", bin2hex( random_bytes( 16 ) ) );

		$outcome = $transport->send( $message, Deadline::in( 20 ) );

		$this->assertSame( '', $this->proxied(), 'the proxy was not asked' );
		$this->assertTrue( $outcome->is_delivered(), null === $outcome->failure ? '' : $outcome->failure->error );
		$this->assertCount( 1, self::$servers->received( 'resend' ) );
	}

	public function test_a_token_request_goes_straight_to_the_checked_address_never_through_the_proxy(): void {
		$client = new Token_Client( Address_Policy::administrator() );
		try {
			$client->refresh( new Provider_Profile( 'generic', '', self::$servers->base_url( 'resend' ) . '/oauth2/token', '', '' ), 'client', null, 'refresh-token', '' );
		} catch ( Token_Error $answered ) {
			// The provider server has no token endpoint: what matters is where the request went.
			unset( $answered );
		}
		$this->assertSame( '', $this->proxied(), 'the proxy was not asked' );
	}
}
