<?php
/**
 * The recommendation stays 587 → 2525 → 465 and adds the provider's HTTPS API after them: when no
 * SMTP port works, or when the provider refuses SMTP logins (5.7.139, 5.7.30); never a broken API.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Api_Recommendation;
use SmtpPortHelper\Transport\Api_Row;

final class Api_Recommendation_Test extends TestCase {

	private static function port( int $port, string $verdict, string $detail = '' ): Port_Result {
		$result                 = new Port_Result( $port );
		$result->mode           = Port_Result::MODE_STARTTLS;
		$result->verdict        = $verdict;
		$result->verdict_detail = $detail;
		return $result;
	}

	/**
	 * The API row as Https_Api_Transport::test() leaves it: stages dns/connect/tls/api.
	 *
	 * @param int  $status    HTTP status of the test call (0: no answer).
	 * @param bool $key_saved Whether a saved key was used.
	 */
	private static function row( int $status, bool $key_saved, ?Api_Provider $provider = null, string $region = '' ): Api_Row {
		$result          = new Port_Result( 443 );
		$result->mode    = Port_Result::MODE_IMPLICIT_TLS;
		$result->verdict = 200 === $status ? Verdict::OK : ( 0 === $status ? Verdict::REFUSED : Verdict::AUTH_FAILED );
		foreach ( array( 'dns', 'connect', 'tls' ) as $stage ) {
			$result->add_stage( $stage, 0 !== $status || 'dns' === $stage, 1.0 );
		}
		if ( 0 !== $status ) {
			$result->add_stage( 'api', 200 === $status, 1.0, 200 === $status ? '' : 'HTTP 401' );
		}
		return new Api_Row( $provider ?? new Api_Provider( 'sendgrid', 'SendGrid', array( '' => 'https://api.sendgrid.com' ), array( 'smtp.sendgrid.net' ) ), $result, $key_saved, $region );
	}

	/** @return array{port: int, encryption: string, reason: string, family: string} */
	private static function smtp( int $port ): array {
		return array(
			'port'       => $port,
			'encryption' => 'starttls',
			'reason'     => 'Port works.',
			'family'     => '',
		);
	}

	public function test_a_working_smtp_port_stays_the_recommendation(): void {
		$smtp    = self::smtp( 465 );
		$results = array( self::port( 587, Verdict::TIMEOUT ), self::port( 465, Verdict::OK ) );
		$this->assertSame( $smtp, Api_Recommendation::choose( $smtp, $results, self::row( 200, true ) ) );
	}

	public function test_with_no_smtp_port_working_the_api_is_recommended_and_the_tested_ports_named_without_25(): void {
		$results        = array( self::port( 587, Verdict::REFUSED ), self::port( 2525, Verdict::REFUSED ), self::port( 465, Verdict::TIMEOUT ), self::port( 25, Verdict::REFUSED ) );
		$recommendation = Api_Recommendation::choose( null, $results, self::row( 200, true ) );
		$this->assertNotNull( $recommendation );
		$this->assertSame( 'sendgrid', $recommendation['transport'] );
		$this->assertSame( 443, $recommendation['port'] );
		$this->assertFalse( $recommendation['key_needed'] );
		$this->assertStringContainsString( '(tested: 587, 2525, 465)', $recommendation['reason'] );
		$this->assertStringContainsString( 'The saved API key was accepted.', $recommendation['reason'] );
	}

	public function test_without_a_saved_key_the_reached_api_is_recommended_and_the_key_asked_for(): void {
		$row = self::row( 401, false );
		$this->assertTrue( $row->usable(), 'an unauthenticated answer proves the way there' );
		$this->assertNull( $row->result->auth_ok );
		$recommendation = Api_Recommendation::choose( null, array( self::port( 587, Verdict::REFUSED ) ), $row );
		$this->assertNotNull( $recommendation );
		$this->assertTrue( $recommendation['key_needed'] );
		$this->assertStringContainsString( 'Enter the SendGrid API key', $recommendation['reason'] );
	}

	public function test_the_recommendation_names_the_region_whose_api_was_tested(): void {
		$mailgun = new Api_Provider(
			'mailgun',
			'Mailgun',
			array(
				'us' => 'https://api.mailgun.net',
				'eu' => 'https://api.eu.mailgun.net',
			),
			array( 'smtp.mailgun.org', 'smtp.eu.mailgun.org' )
		);
		$results = array( self::port( 587, Verdict::REFUSED ) );

		$recommendation = Api_Recommendation::choose( null, $results, self::row( 401, false, $mailgun, 'eu' ) );

		$this->assertNotNull( $recommendation );
		$this->assertSame( 'mailgun', $recommendation['transport'] );
		$this->assertSame( 'eu', $recommendation['api_region'] ?? null, 'one click saves the region the port test reached' );
		$this->assertSame( '', Api_Recommendation::choose( null, $results, self::row( 200, true ) )['api_region'] ?? null, 'a provider without regions: its default' );
	}

	public function test_a_refused_key_or_an_unreachable_api_is_never_recommended(): void {
		$results = array( self::port( 587, Verdict::REFUSED ) );
		$this->assertNull( Api_Recommendation::choose( null, $results, self::row( 401, true ) ) );
		$this->assertNull( Api_Recommendation::choose( null, $results, self::row( 0, false ) ) );
		$this->assertNull( Api_Recommendation::choose( null, $results, null ) );
	}

	/**
	 * @return array<string, array{0: string, 1: string}>
	 */
	public function switched_off_logins(): array {
		return array(
			'SMTP AUTH off for the tenant' => array( '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.', '5.7.139' ),
			'basic authentication off'     => array( '535 5.7.30 Basic authentication is not supported for Client Submission.', '5.7.30' ),
		);
	}

	/**
	 * @dataProvider switched_off_logins
	 */
	public function test_a_provider_refusing_smtp_logins_gets_the_api_even_beside_a_working_port( string $reply, string $code ): void {
		$smtp           = self::smtp( 465 );
		$results        = array( self::port( 587, Verdict::AUTH_FAILED, $reply ), self::port( 465, Verdict::OK ) );
		$recommendation = Api_Recommendation::choose( $smtp, $results, self::row( 200, true ) );
		$this->assertSame( 'sendgrid', $recommendation['transport'] ?? null );
		$this->assertStringContainsString( "({$code}), on every port", $recommendation['reason'] );
	}

	public function test_an_ordinary_refused_password_does_not_switch_to_the_api(): void {
		$results = array( self::port( 587, Verdict::AUTH_FAILED, '535 5.7.8 Authentication credentials invalid' ) );
		$smtp    = self::smtp( 465 );
		$this->assertSame( $smtp, Api_Recommendation::choose( $smtp, array_merge( $results, array( self::port( 465, Verdict::OK ) ) ), self::row( 200, true ) ) );
	}
}
