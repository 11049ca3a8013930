<?php
/**
 * Every limit of the connecting routes holds however a request spells the route: WordPress
 * matches routes case-insensitively and answers HEAD with the GET handler, so a budget keyed on
 * the path as requested could be spent once per spelling. Each route is called under three
 * spellings (lower, upper, mixed case) and, where it has a GET handler, with HEAD.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\REST\Concurrency_Limit;
use SmtpPortHelper\REST\Route_Guard;

/**
 * @group database
 */
final class Route_Spelling_Limits_Test extends Integration_Test_Case {

	private const NS = '/smtp-port-helper/v1';

	protected function setUp(): void {
		parent::setUp();
		// Every count of a test falls into one rate-limit window.
		$into_minute = time() % 60;
		if ( $into_minute > 45 ) {
			sleep( 61 - $into_minute );
		}
	}

	/**
	 * A route path in three spellings.
	 *
	 * @return list<string>
	 */
	private static function spellings( string $path ): array {
		$mixed = implode(
			'/',
			array_map(
				static function ( string $part ): string {
					return implode( '-', array_map( 'ucfirst', explode( '-', $part ) ) );
				},
				explode( '/', $path )
			)
		);
		return array( strtolower( $path ), strtoupper( $path ), $mixed );
	}

	/**
	 * Every connecting route: method, path, body.
	 *
	 * @return list<array{0: string, 1: string, 2: array<string, mixed>}>
	 */
	private function connecting_routes( int $outbox_id ): array {
		return array(
			array(
				'POST',
				self::NS . '/port-tests',
				array(
					'host'  => '127.0.0.1',
					'ports' => array( 1 ),
				),
			),
			array( 'POST', self::NS . '/test-email', array( 'to' => 'someone@example.com' ) ),
			array( 'GET', self::NS . '/site-health/port-check', array() ),
			array( 'HEAD', self::NS . '/site-health/port-check', array() ),
			array( 'GET', self::NS . '/domain-check', array() ),
			array( 'POST', self::NS . '/oauth/authorize', array() ),
			array( 'POST', self::NS . '/oauth/disconnect', array() ),
			array( 'POST', self::NS . "/outbox/{$outbox_id}/retry", array() ),
		);
	}

	public function test_the_spellings_reach_the_same_handler(): void {
		$this->log_in_as( 'administrator' );
		foreach ( self::spellings( self::NS . '/site-health/port-check' ) as $path ) {
			$this->assertSame( 200, $this->rest( 'GET', $path )->get_status(), $path );
		}
		$this->assertSame( 200, $this->rest( 'HEAD', self::NS . '/site-health/port-check' )->get_status(), 'HEAD runs the GET handler' );
	}

	public function test_when_every_slot_is_taken_each_connecting_route_is_refused_under_every_spelling_and_head(): void {
		$this->log_in_as( 'administrator' );
		$running = new Concurrency_Limit( 'connections', Route_Guard::SLOTS, Route_Guard::LEASE );
		$held    = array();
		for ( $i = 0; $i < Route_Guard::SLOTS; $i++ ) {
			$held[] = $running->acquire();
		}
		$this->assertNotContains( null, $held );
		foreach ( $this->connecting_routes( 999999 ) as list( $method, $path, $body ) ) {
			foreach ( self::spellings( $path ) as $spelled ) {
				$busy = $this->rest( $method, $spelled, $body );
				$this->assertSame( 429, $busy->get_status(), "$method $spelled ran while every slot was taken" );
				$this->assertSame( 'smtp_port_helper_busy', $busy->get_data()['code'], "$method $spelled" );
			}
		}
	}

	public function test_the_site_health_port_check_is_refused_under_every_spelling_and_head_once_the_budget_is_spent(): void {
		$this->save_smtp( '127.0.0.1', 1 );
		$this->log_in_as( 'administrator' );
		$path      = self::NS . '/site-health/port-check';
		$spellings = self::spellings( $path );
		// The budget is spent under all spellings and HEAD together: each one counts.
		for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE; $i++ ) {
			$method = 3 === $i % 4 ? 'HEAD' : 'GET';
			$this->assertSame( 200, $this->rest( $method, $spellings[ $i % 3 ] )->get_status(), "call $i" );
		}
		foreach ( array_merge( $spellings, array( 'HEAD' ) ) as $spelled ) {
			$response = 'HEAD' === $spelled ? $this->rest( 'HEAD', $path ) : $this->rest( 'GET', $spelled );
			$this->assertSame( 429, $response->get_status(), "$spelled after the budget" );
			$this->assertSame( 'smtp_port_helper_rate_limited', $response->get_data()['code'] );
		}
		$port_test = $this->rest(
			'POST',
			self::spellings( self::NS . '/port-tests' )[2],
			array(
				'host'  => '127.0.0.1',
				'ports' => array( 1 ),
			)
		);
		$this->assertSame( 429, $port_test->get_status(), 'the same budget as the port test, under any spelling' );
	}

	public function test_the_port_test_budget_holds_under_every_spelling(): void {
		$this->log_in_as( 'administrator' );
		$body      = array(
			'host'  => '127.0.0.1',
			'ports' => array( 1 ),
		);
		$spellings = self::spellings( self::NS . '/port-tests' );
		for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE; $i++ ) {
			$this->assertSame( 200, $this->rest( 'POST', $spellings[ $i % 3 ], $body )->get_status(), "test $i" );
		}
		foreach ( $spellings as $spelled ) {
			$this->assertSame( 429, $this->rest( 'POST', $spelled, $body )->get_status(), $spelled );
		}
		$this->assertSame( 429, $this->rest( 'GET', self::spellings( self::NS . '/site-health/port-check' )[2] )->get_status(), 'and the Site Health check shares it' );
	}

	public function test_the_test_email_budget_holds_under_every_spelling(): void {
		$this->save_smtp( '127.0.0.1', 1 );
		$this->log_in_as( 'administrator' );
		$spellings = self::spellings( self::NS . '/test-email' );
		for ( $i = 0; $i < 5; $i++ ) {
			$this->assertNotSame( 429, $this->rest( 'POST', $spellings[ $i % 3 ], array( 'to' => 'someone@example.com' ) )->get_status(), "message $i" );
		}
		foreach ( $spellings as $spelled ) {
			$this->assertSame( 429, $this->rest( 'POST', $spelled, array( 'to' => 'someone@example.com' ) )->get_status(), $spelled );
		}
	}

	public function test_the_oauth_routes_have_a_budget_that_holds_under_every_spelling(): void {
		$this->log_in_as( 'administrator' );
		$authorize  = self::spellings( self::NS . '/oauth/authorize' );
		$disconnect = self::spellings( self::NS . '/oauth/disconnect' );
		// Sign-ins and disconnects share one budget, spent under every spelling.
		for ( $i = 0; $i < Route_Guard::OAUTH_PER_MINUTE; $i++ ) {
			$path = 0 === $i % 2 ? $authorize[ $i % 3 ] : $disconnect[ $i % 3 ];
			$this->assertNotSame( 429, $this->rest( 'POST', $path )->get_status(), "call $i: $path" );
		}
		foreach ( array_merge( $authorize, $disconnect ) as $spelled ) {
			$response = $this->rest( 'POST', $spelled );
			$this->assertSame( 429, $response->get_status(), "$spelled after the budget" );
			$this->assertSame( 'smtp_port_helper_rate_limited', $response->get_data()['code'] );
		}
	}

	public function test_outbox_retries_have_a_budget_that_holds_under_every_spelling(): void {
		$this->log_in_as( 'administrator' );
		$spellings = self::spellings( self::NS . '/outbox/999999/retry' );
		for ( $i = 0; $i < Route_Guard::RETRIES_PER_MINUTE; $i++ ) {
			$this->assertSame( 404, $this->rest( 'POST', $spellings[ $i % 3 ] )->get_status(), "retry $i (no such message)" );
		}
		foreach ( $spellings as $spelled ) {
			$this->assertSame( 429, $this->rest( 'POST', $spelled )->get_status(), $spelled );
		}
	}

	public function test_a_route_that_does_not_connect_spends_nothing(): void {
		$this->log_in_as( 'administrator' );
		for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE + 2; $i++ ) {
			$this->assertSame( 200, $this->rest( 'GET', self::spellings( self::NS . '/settings' )[ $i % 3 ] )->get_status(), "read $i" );
		}
		$this->assertSame( 200, $this->rest( 'GET', self::NS . '/site-health/port-check' )->get_status() );
	}

	public function test_the_key_is_the_matched_pattern_and_head_is_get(): void {
		$this->assertSame( array( 'port_tests', Route_Guard::PROBES_PER_MINUTE ), Route_Guard::budget_of( 'head', '/smtp-port-helper/v1/Site-Health/Port-Check' ) );
		$this->assertSame( array( 'outbox_retry', Route_Guard::RETRIES_PER_MINUTE ), Route_Guard::budget_of( 'POST', '/smtp-port-helper/v1/outbox/(?P<id>\d+)/retry' ) );
		$this->assertNull( Route_Guard::budget_of( 'GET', '/smtp-port-helper/v1/outbox' ) );
		$this->assertNull( Route_Guard::budget_of( 'DELETE', '/smtp-port-helper/v1/outbox/(?P<id>\d+)' ) );
	}
}
