<?php
/**
 * A provider's row: its API address per region, its SMTP hosts; the outcome of a send.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Transport;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Send_Outcome;
use SmtpPortHelper\Transport\Transport_Registry;

final class Api_Provider_Test extends TestCase {

	public function test_a_region_picks_the_base_url_and_an_unknown_one_the_first(): void {
		$provider = new Api_Provider( 'regional', 'Regional', array( 'us' => 'https://api.example.com', 'eu' => 'https://api.eu.example.com' ), array( 'smtp.example.com' ) );
		$this->assertSame( 'us', $provider->default_region() );
		$this->assertSame( 'https://api.eu.example.com', $provider->base_url( 'eu' ) );
		$this->assertSame( 'https://api.example.com', $provider->base_url( 'mars' ) );
	}

	public function test_a_region_is_put_into_a_base_url_that_names_it(): void {
		$provider = new Api_Provider( 'templated', 'Templated', array( 'eu-west-1' => 'https://email.{region}.example.com' ), array() );
		$this->assertSame( 'https://email.eu-central-1.example.com', $provider->base_url( 'eu-central-1' ) );
	}

	public function test_the_provider_is_found_by_its_smtp_host_in_any_case(): void {
		$provider = new Api_Provider( 'one', 'One', array( '' => 'https://api.one.example' ), array( 'smtp.one.example' ) );
		$this->assertTrue( $provider->serves_smtp_host( 'SMTP.one.example.' ) );
		$this->assertFalse( $provider->serves_smtp_host( 'smtp.one.example.evil' ) );
	}

	public function test_a_regional_smtp_host_names_the_region_of_its_api(): void {
		$mailgun = Transport_Registry::for_smtp_host( 'smtp.eu.mailgun.org' );
		$ses     = Transport_Registry::for_smtp_host( 'email-smtp.eu-central-1.amazonaws.com' );
		$this->assertNotNull( $mailgun );
		$this->assertNotNull( $ses );
		$this->assertSame( 'eu', $mailgun->region_of_smtp_host( 'smtp.eu.mailgun.org' ) );
		$this->assertSame( 'us', $mailgun->region_of_smtp_host( 'smtp.mailgun.org' ), 'no region named: the default' );
		$this->assertSame( 'eu-central-1', $ses->region_of_smtp_host( 'EMAIL-SMTP.EU-CENTRAL-1.amazonaws.com' ) );
		$this->assertSame( 'https://email.eu-central-1.amazonaws.com', $ses->base_url( $ses->region_of_smtp_host( 'email-smtp.eu-central-1.amazonaws.com' ) ) );
	}

	public function test_smtp_is_always_a_transport(): void {
		$this->assertSame( 'smtp', Transport_Registry::ids()[0] );
		$this->assertNull( Transport_Registry::provider( 'smtp' ) );
	}

	public function test_credentials_never_print_the_key(): void {
		$credentials = new Api_Credentials( 'SG.secret-key', 'mg.example.com', 'eu', 'https://api.example.com/' );
		$this->assertStringNotContainsString( 'secret-key', print_r( $credentials, true ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_print_r
		$this->assertSame( 'https://api.example.com', $credentials->base_url, 'no trailing slash' );
	}

	public function test_an_outcome_tells_delivered_from_partly_and_not(): void {
		$this->assertTrue( Send_Outcome::delivered( array( 'a@example.com' ) )->is_delivered() );
		$failure = new Send_Failure( 'rcpt', 451, 'later' );
		$partly  = Send_Outcome::partly( $failure, array( 'a@example.com' ), array( 'b@example.com' ), array() );
		$this->assertFalse( $partly->is_delivered() );
		$this->assertTrue( $partly->is_partly_delivered() );
		$this->assertFalse( Send_Outcome::failed( $failure )->is_partly_delivered() );
	}
}
