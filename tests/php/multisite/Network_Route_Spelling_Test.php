<?php
/**
 * The network budget of sub-site administrators holds however a request spells the route:
 * once it is spent, every connecting route a sub-site administrator may call answers 429 under
 * three spellings.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Multisite;

use SmtpPortHelper\REST\Rate_Limiter;
use SmtpPortHelper\REST\Route_Guard;

final class Network_Route_Spelling_Test extends Multisite_Test_Case {

	private const NS = '/smtp-port-helper/v1';

	/**
	 * Spends a network budget of this minute (what other sub-site administrators did).
	 */
	private static function spend_network_budget( string $budget, int $limit ): void {
		$counter = Rate_Limiter::on_main_site( $budget, $limit, MINUTE_IN_SECONDS );
		for ( $i = 0; $i < $limit; $i++ ) {
			$counter->hit( 0 );
		}
	}

	/**
	 * A path in lower, upper and mixed case.
	 *
	 * @return list<string>
	 */
	private static function spellings( string $path ): array {
		return array( strtolower( $path ), strtoupper( $path ), str_replace( array( 'smtp-port-helper', 'port', 'oauth', 'health', 'outbox', 'email' ), array( 'Smtp-Port-Helper', 'Port', 'OAuth', 'Health', 'OutBox', 'Email' ), $path ) );
	}

	public function test_a_spent_network_budget_refuses_every_connecting_route_under_every_spelling_and_head(): void {
		$into_minute = time() % 60;
		if ( $into_minute > 50 ) {
			sleep( 61 - $into_minute );
		}
		self::spend_network_budget( 'port_tests', Route_Guard::NETWORK_PROBES_PER_MINUTE );
		self::spend_network_budget( 'test_email', Route_Guard::NETWORK_EMAILS_PER_MINUTE );
		self::spend_network_budget( 'oauth', Route_Guard::NETWORK_OAUTH_PER_MINUTE );
		self::spend_network_budget( 'outbox_retry', Route_Guard::NETWORK_RETRIES_PER_MINUTE );

		switch_to_blog( $this->second_site );
		$this->assertFalse( is_super_admin( $this->log_in_as( 'administrator' ) ) );
		// Site Health is for super admins only on a network (view_site_health_checks): 403 before any budget.
		foreach ( array( 'GET', 'HEAD' ) as $method ) {
			$this->assertSame( 403, $this->rest( $method, self::NS . '/Site-Health/Port-Check' )->get_status() );
		}
		$routes = array(
			array(
				'POST',
				self::NS . '/port-tests',
				array(
					'host'  => '127.0.0.1',
					'ports' => array( 1 ),
				),
			),
			array( 'POST', self::NS . '/test-email', array( 'to' => 'someone@example.com' ) ),
			array( 'POST', self::NS . '/oauth/authorize', array() ),
			array( 'POST', self::NS . '/oauth/disconnect', array() ),
			array( 'POST', self::NS . '/outbox/999999/retry', array() ),
		);
		foreach ( $routes as list( $method, $path, $body ) ) {
			foreach ( self::spellings( $path ) as $spelled ) {
				$refused = $this->rest( $method, $spelled, $body );
				$this->assertSame( 429, $refused->get_status(), "$method $spelled ran on a spent network budget" );
				$this->assertStringContainsString( 'network', $refused->get_data()['message'], "$method $spelled" );
			}
		}
		restore_current_blog();
	}
}
