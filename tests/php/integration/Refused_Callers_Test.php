<?php
/**
 * What a caller the routes refuse (logged out, subscriber, editor) can still learn or spend:
 * nothing. WordPress validates arguments before the permission check, and the limits count only
 * after it.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\REST\Route_Guard;

final class Refused_Callers_Test extends Integration_Test_Case {

	/**
	 * @return array<string, array{0: string|null}>
	 */
	public function refused(): array {
		return array(
			'logged out' => array( null ),
			'subscriber' => array( 'subscriber' ),
			'editor'     => array( 'editor' ),
		);
	}

	/**
	 * @dataProvider refused
	 * @param string|null $role Role, or null for logged out.
	 */
	public function test_the_ca_file_rule_tells_a_refused_caller_nothing_about_files( ?string $role ): void {
		if ( null !== $role ) {
			$this->log_in_as( $role );
		}
		$answers = array();
		foreach ( array( '/etc/passwd', '/etc/hostname', '/no/such/file.pem', 'relative/path' ) as $path ) {
			$response  = $this->rest( 'POST', '/smtp-port-helper/v1/settings', array( 'ca_file' => $path ) );
			$answers[] = array( $response->get_status(), $response->get_data()['code'] ?? '' );
		}
		$this->assertSame( array_fill( 0, 4, $answers[0] ), $answers, 'the same answer for every path' );
		$this->assertSame( null === $role ? 401 : 403, $answers[0][0] );
	}

	public function test_refused_calls_spend_no_budget_and_the_site_health_check_has_one(): void {
		for ( $i = 0; $i < 2 * Route_Guard::PROBES_PER_MINUTE; $i++ ) {
			// Logged out: user 0, whose budget would be everyone's if it were counted.
			$this->assertSame( 401, $this->rest( 'GET', '/smtp-port-helper/v1/site-health/port-check' )->get_status() );
		}
		$into_minute = time() % 60;
		if ( $into_minute > 55 ) {
			sleep( 61 - $into_minute );
		}
		$this->log_in_as( 'administrator' );
		for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE; $i++ ) {
			$this->assertSame( 200, $this->rest( 'GET', '/smtp-port-helper/v1/site-health/port-check' )->get_status(), "the administrator's whole budget, check $i" );
		}
		$this->assertSame( 429, $this->rest( 'GET', '/smtp-port-helper/v1/site-health/port-check' )->get_status(), 'and not more' );
	}
}
