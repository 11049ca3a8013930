<?php
/**
 * Every route of the plugin refuses logged-out visitors (401) and non-administrators (403).
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Settings\Settings_Store;

final class Rest_Permissions_Test extends Integration_Test_Case {

	/**
	 * @return list<array{0: string, 1: string, 2: array<string, mixed>}>
	 */
	private function requests(): array {
		return array(
			array( 'GET', '/smtp-port-helper/v1/settings', array() ),
			array( 'POST', '/smtp-port-helper/v1/settings', array( 'port' => 2525 ) ),
			array( 'POST', '/smtp-port-helper/v1/test-email', array( 'to' => 'someone@example.com' ) ),
			array( 'GET', '/smtp-port-helper/v1/site-health/port-check', array() ),
			array( 'GET', '/smtp-port-helper/v1/domain-check', array() ),
			array( 'GET', '/smtp-port-helper/v1/dkim-key', array() ),
			array( 'POST', '/smtp-port-helper/v1/dkim-key', array( 'action' => 'generate' ) ),
			array( 'DELETE', '/smtp-port-helper/v1/dkim-key', array() ),
		);
	}

	/**
	 * @return array<string, array{0: string|null, 1: int}>
	 */
	public function users(): array {
		return array(
			'logged out'  => array( null, 401 ),
			'subscriber'  => array( 'subscriber', 403 ),
			'contributor' => array( 'contributor', 403 ),
			'editor'      => array( 'editor', 403 ),
		);
	}

	/**
	 * @dataProvider users
	 */
	public function test_every_route_is_refused( ?string $role, int $status ): void {
		$this->save_smtp( '127.0.0.1', Smtp_Mailbox::port( 2 ) );
		if ( null !== $role ) {
			$this->log_in_as( $role );
		}
		$before  = $this->raw_option( Settings_Store::OPTION );
		$mailbox = new Smtp_Mailbox();
		$marker  = 'someone@example.com';
		$count   = count( $mailbox->find( $marker ) );
		foreach ( $this->requests() as $request ) {
			$response = $this->rest( $request[0], $request[1], $request[2] );
			$this->assertSame( $status, $response->get_status(), $request[0] . ' ' . $request[1] );
		}
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
		$this->assertCount( $count, $mailbox->find( $marker ), 'no message was sent' );
	}
}
