<?php
/**
 * The OAuth token endpoint follows the address policy of whoever set it: a sub-site that
 * inherits the network's SMTP host and port but sets its own token URL is held to a sub-site
 * administrator's rules when a visitor's wp_mail() refreshes the token — no internal address, and
 * no other port than https's.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\OAuth\Token_Store;
use SmtpPortHelper\Secrets\Secret_Box;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Integration\Smtp_Mailbox;

require_once dirname( __DIR__ ) . '/integration/Smtp_Mailbox.php';

final class Network_Token_Endpoint_Policy_Test extends Multisite_Test_Case {

	/** An internal address's port where a token endpoint answers (and counts who asked). */
	private const ENDPOINT_PORT = 9427;

	/**
	 * The endpoint's process and its output.
	 *
	 * @var array{0: resource, 1: resource}|null
	 */
	private ?array $endpoint = null;

	protected function setUp(): void {
		parent::setUp();
		delete_site_option( Address_Policy_Source::ALLOW_INTERNAL_OPTION );
		$script = 'require( "http" ).createServer( ( q, r ) => { console.log( "request " + q.url ); r.writeHead( 400, { "Content-Type": "application/json" } ); r.end( JSON.stringify( { error: "invalid_grant" } ) ); } ).listen( ' . self::ENDPOINT_PORT . ', "127.0.0.1", () => console.log( "listening" ) );';
		$process = proc_open( array( 'node', '-e', $script ), array( 1 => array( 'pipe', 'w' ) ), $pipes );
		$this->assertIsResource( $process );
		$this->assertSame( "listening\n", fgets( $pipes[1] ) );
		stream_set_blocking( $pipes[1], false );
		$this->endpoint = array( $process, $pipes[1] );
	}

	protected function tearDown(): void {
		if ( null !== $this->endpoint ) {
			proc_terminate( $this->endpoint[0] );
			proc_close( $this->endpoint[0] );
		}
		parent::tearDown();
	}

	/**
	 * The requests the internal endpoint received so far.
	 *
	 * @return string[]
	 */
	private function endpoint_requests(): array {
		usleep( 200000 );
		$lines = array();
		while ( null !== $this->endpoint && false !== ( $line = fgets( $this->endpoint[1] ) ) ) { // phpcs:ignore Generic.CodeAnalysis.AssignmentInCondition
			$lines[] = trim( $line );
		}
		return $lines;
	}

	/**
	 * A connected sign-in on the second site whose access token has run out, so the next message
	 * refreshes it at the token endpoint.
	 */
	private function connect_second_site(): void {
		$settings = ( new Settings_Store() )->get();
		$this->assertInstanceOf( Settings::class, $settings );
		$tokens = new Token_Store( Secret_Box::for_site(), 'site:' . get_current_blog_id() );
		$this->assertTrue( $tokens->connect( $settings, 'owner@example.com', 'refresh-token', 'expired-access-token', time() - 60 ) );
	}

	/**
	 * The network's SMTP server, with OAuth 2.0 on the network or not.
	 *
	 * @param array<string, mixed> $oauth Network OAuth fields.
	 */
	private function network_defaults( array $oauth ): void {
		$saved = Settings_Store::for_network()->update(
			array(
				'enabled'  => true,
				'host'     => '127.0.0.1',
				'port'     => Smtp_Mailbox::port( 2 ),
				'auth'     => true,
				'username' => 'owner@example.com',
			) + $oauth
		);
		$this->assertInstanceOf( Settings::class, $saved, is_wp_error( $saved ) ? (string) wp_json_encode( $saved->get_error_data() ) : '' );
	}

	/**
	 * Saves settings on the second site.
	 *
	 * @param array<string, mixed> $values Site fields.
	 */
	private function site_settings( array $values ): void {
		$saved = ( new Settings_Store() )->update( $values );
		$this->assertInstanceOf( Settings::class, $saved, is_wp_error( $saved ) ? (string) wp_json_encode( $saved->get_error_data() ) : '' );
	}

	public function test_a_token_url_a_sub_site_set_is_refused_at_an_internal_address_when_a_visitor_sends_mail(): void {
		$this->network_defaults( array() );
		switch_to_blog( $this->second_site );
		// Host and port inherited from the network; only the sign-in is the site's own.
		$this->site_settings(
			array(
				'auth_method'         => 'oauth2',
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => 'https://login.example.com/authorize',
				'oauth_token_url'     => 'http://127.0.0.1:' . self::ENDPOINT_PORT . '/token',
				'oauth_client_id'     => 'site-client',
			)
		);
		$this->assertContains( 'host', ( new Settings_Store() )->inherited() );
		$this->connect_second_site();

		wp_set_current_user( 0 );
		wp_mail( 'someone@example.com', 'Token endpoint policy', 'Body' );

		$this->assertSame( array(), $this->endpoint_requests(), 'the token request never reached the internal address' );
		$record = ( new Token_Store( Secret_Box::for_site(), 'site:' . get_current_blog_id() ) )->record();
		$this->assertSame( Token_Store::STATE_FAILED, $record['state'] ?? null );
		$this->assertStringContainsString( 'not allowed for this site', $record['message'] ?? '' );
	}

	public function test_a_super_admins_port_test_on_the_site_does_not_carry_the_sites_token_request_to_an_internal_address(): void {
		$this->network_defaults( array() );
		switch_to_blog( $this->second_site );
		$this->site_settings(
			array(
				'auth_method'         => 'oauth2',
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => 'https://login.example.com/authorize',
				'oauth_token_url'     => 'http://127.0.0.1:' . self::ENDPOINT_PORT . '/token',
				'oauth_client_id'     => 'site-client',
			)
		);
		$this->connect_second_site();
		$this->log_in_as_super_admin();

		$response = $this->rest(
			'POST',
			'/smtp-port-helper/v1/port-tests',
			array(
				'host'    => '127.0.0.1',
				'ports'   => array( Smtp_Mailbox::port( 2 ) ),
				'timeout' => 3,
				'auth'    => array( 'username' => 'owner@example.com' ),
			)
		);

		$this->assertSame( array(), $this->endpoint_requests(), 'the super admin\'s own policy does not lend itself to the site\'s token URL: ' . wp_json_encode( $response->get_data() ) );
	}

	public function test_a_token_url_a_sub_site_set_must_use_the_https_port_even_where_internal_addresses_are_allowed(): void {
		add_filter( 'smtp_port_helper_sites_may_use_internal_addresses', '__return_true' );
		$this->network_defaults( array() );
		switch_to_blog( $this->second_site );
		$this->site_settings(
			array(
				'auth_method'         => 'oauth2',
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => 'https://login.example.com/authorize',
				'oauth_token_url'     => 'http://127.0.0.1:' . self::ENDPOINT_PORT . '/token',
				'oauth_client_id'     => 'site-client',
			)
		);
		$this->connect_second_site();

		wp_set_current_user( 0 );
		wp_mail( 'someone@example.com', 'Token endpoint port', 'Body' );

		$this->assertSame( array(), $this->endpoint_requests(), 'no request to another port than 443: the token request is no port scanner' );
		$record = ( new Token_Store( Secret_Box::for_site(), 'site:' . get_current_blog_id() ) )->record();
		$this->assertSame( Token_Store::STATE_FAILED, $record['state'] ?? null );
		$this->assertStringContainsString( 'must use the https port, 443', $record['message'] ?? '' );
	}

	public function test_the_same_internal_token_url_from_the_network_defaults_is_the_network_administrators_to_allow(): void {
		$this->network_defaults(
			array(
				'auth_method'         => 'oauth2',
				'oauth_provider'      => 'generic',
				'oauth_authorize_url' => 'https://login.example.com/authorize',
				'oauth_token_url'     => 'http://127.0.0.1:' . self::ENDPOINT_PORT . '/token',
				'oauth_client_id'     => 'network-client',
			)
		);
		switch_to_blog( $this->second_site );
		$this->connect_second_site();

		wp_set_current_user( 0 );
		wp_mail( 'someone@example.com', 'Token endpoint policy', 'Body' );

		$this->assertSame( array( 'request /token' ), $this->endpoint_requests(), 'the network administrator may use an internal token endpoint' );
	}
}
