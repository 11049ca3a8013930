<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Probe;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Mail\Send_Diagnosis;
use SmtpPortHelper\Probe\Provider_Login_Policy;

final class Provider_Login_Policy_Test extends TestCase {

	/**
	 * @return array<string, array{0: string, 1: string, 2: string|null}>
	 */
	public function replies(): array {
		return array(
			'Microsoft 365, SMTP AUTH off'       => array( '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled', 'smtp.office365.com', 'microsoft_smtp_auth_disabled' ),
			'Microsoft 365, security defaults'   => array( '535 5.7.139 Authentication unsuccessful, basic authentication is disabled.', 'smtp.office365.com', 'microsoft_smtp_auth_disabled' ),
			'Microsoft 365, bad credentials'     => array( '535 5.7.139 Authentication unsuccessful, the user credentials were incorrect.', 'smtp.office365.com', 'microsoft_credentials' ),
			'Microsoft 365, basic auth'          => array( '550 5.7.30 Basic authentication is not supported for Client Submission.', 'smtp.office365.com', 'microsoft_basic_auth' ),
			'Gmail, app password'                => array( '534 5.7.9 Application-specific password required. Learn more at', 'smtp.gmail.com', 'google_app_password' ),
			'Gmail, bad credentials'             => array( '535 5.7.8 Username and Password not accepted. For more information, go to', 'smtp.gmail.com', 'google_bad_credentials' ),
			'Amazon SES'                         => array( '535 Authentication Credentials Invalid', 'email-smtp.eu-west-1.amazonaws.com', 'amazon_ses_credentials' ),
			'SendGrid'                           => array( '535 Authentication failed: Bad username / password', 'smtp.sendgrid.net.', 'sendgrid_api_key' ),
			'a 535 elsewhere is not SES'         => array( '535 Authentication Credentials Invalid', 'mail.example.com', null ),
			'a plain wrong password'             => array( '535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6', 'mail.example.com', null ),
			'a recipient refusal is not a login' => array( '550 5.7.1 Relaying denied', 'smtp.office365.com', null ),
		);
	}

	/**
	 * @dataProvider replies
	 */
	public function test_known_refusals_are_recognised( string $reply, string $host, ?string $id ): void {
		$this->assertSame( $id, Provider_Login_Policy::match( $reply, $host ) );
		if ( null === $id ) {
			$this->assertNull( Provider_Login_Policy::explain( $reply, $host ) );
		} else {
			$this->assertNotEmpty( Provider_Login_Policy::explain( $reply, $host ) );
		}
	}

	public function test_every_fact_names_its_source_and_the_day_it_was_checked(): void {
		foreach ( Provider_Login_Policy::facts() as $fact ) {
			$this->assertStringStartsWith( 'https://', $fact['source'], $fact['id'] );
			$this->assertMatchesRegularExpression( '/^\d{4}-\d{2}-\d{2}$/', $fact['checked'], $fact['id'] );
		}
	}

	/**
	 * Microsoft answers 5.7.30 to MAIL FROM after the login: a send that failed there is a login problem.
	 */
	public function test_a_send_refused_with_5_7_30_is_explained_as_the_login_policy(): void {
		$attempts   = array(
			array(
				'host'           => 'smtp.office365.com',
				'port'           => 587,
				'ok'             => true,
				'socket_failure' => false,
				'error'          => '',
				'problems'       => array(),
			),
		);
		$transcript = array(
			'CLIENT -> SERVER: AUTH LOGIN',
			'SERVER -> CLIENT: 235 2.7.0 Authentication successful',
			'CLIENT -> SERVER: MAIL FROM:<site@example.com>',
			'SERVER -> CLIENT: 550 5.7.30 Basic authentication is not supported for Client Submission.',
		);
		$result     = Send_Diagnosis::diagnose( 'smtp.office365.com', 587, 'SMTP Error: The following From address failed: site@example.com', $attempts, $transcript );
		$this->assertSame( 'auth_failed', $result['verdict'] );
		$this->assertStringContainsString( 'allow "Authenticated SMTP"', $result['diagnosis'] );
	}

	/**
	 * 5.7.30 and 5.7.139 carry Microsoft's dates alike: off by default at the end of December 2026,
	 * the final removal announced for the second half of 2027.
	 */
	public function test_microsofts_refusals_carry_the_dates_of_the_end_of_password_login(): void {
		foreach ( array( '550 5.7.30 Basic authentication is not supported for Client Submission.', '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant.' ) as $reply ) {
			$text = (string) Provider_Login_Policy::explain( $reply, 'smtp.office365.com' );
			$this->assertStringContainsString( 'off by default for existing organisations at the end of December 2026', $text, $reply );
			$this->assertStringContainsString( 'final removal in the second half of 2027', $text, $reply );
		}
	}

	/**
	 * The presets' warnings before the test: Microsoft 365's date and way out, Gmail's app
	 * password, each with its source and the day it was checked.
	 */
	public function test_preset_warnings_name_the_date_and_the_way_out(): void {
		$warnings = Provider_Login_Policy::preset_warnings();
		$this->assertSame( array( 'microsoft365', 'google' ), array_keys( $warnings ) );
		$this->assertStringContainsString( 'at the end of December 2026', $warnings['microsoft365']['text'] );
		$this->assertStringContainsString( 'Authenticated SMTP', $warnings['microsoft365']['text'] );
		$this->assertStringContainsString( 'Sign in with Microsoft (OAuth 2.0)', $warnings['microsoft365']['text'] );
		$this->assertStringContainsString( '2-step verification', $warnings['google']['text'] );
		$this->assertStringContainsString( 'App passwords', $warnings['google']['text'] );
		foreach ( $warnings as $warning ) {
			$this->assertStringStartsWith( 'https://', $warning['source'] );
			$this->assertMatchesRegularExpression( '/^\d{4}-\d{2}-\d{2}$/', $warning['checked'] );
		}
	}
}
