<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Providers;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\OAuth\Provider_Profile;
use SmtpPortHelper\Probe\Provider_Login_Policy;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Providers\Provider_Table;

/**
 * The provider table is the one list of provider ids, hosts and ports: the login policy's preset
 * warnings, the OAuth profiles' SMTP servers and the ports a site administrator may test all refer
 * to its rows.
 */
final class Provider_Table_Test extends TestCase {

	public function test_every_preset_warning_names_a_provider_of_the_table(): void {
		$ids = array_keys( Provider_Table::all() );
		foreach ( array_keys( Provider_Login_Policy::preset_warnings() ) as $id ) {
			$this->assertContains( $id, $ids, "Provider_Login_Policy::preset_warnings() names '$id', which Provider_Table does not know." );
		}
	}

	public function test_every_oauth_provider_of_the_table_is_an_oauth_profile_with_its_smtp_server(): void {
		$profiles = Provider_Profile::for_page();
		$linked   = array();
		foreach ( Provider_Table::all() as $id => $row ) {
			if ( '' === $row['oauth'] ) {
				continue;
			}
			$this->assertContains( $row['oauth'], Provider_Profile::ALL, "$id names an unknown OAuth profile." );
			$this->assertSame( $row['host'], $profiles[ $row['oauth'] ]['host'], "The {$row['oauth']} profile signs in to another server than $id." );
			$this->assertSame( $row['ports'][0], $profiles[ $row['oauth'] ]['port'] );
			$linked[] = $row['oauth'];
		}
		$this->assertEqualsCanonicalizing( array( Provider_Profile::MICROSOFT, Provider_Profile::GOOGLE ), $linked, 'Each named OAuth profile belongs to one provider row.' );
	}

	public function test_the_login_policys_host_rules_match_a_provider_host(): void {
		$hosts = array_column( Provider_Table::all(), 'host' );
		foreach ( Provider_Login_Policy::facts() as $fact ) {
			if ( '' === $fact['hosts'] ) {
				continue;
			}
			$matched = array_filter( $hosts, static fn( string $host ): bool => 1 === preg_match( $fact['hosts'], $host ) );
			$this->assertNotEmpty( $matched, "The login policy {$fact['id']} applies to no provider's host." );
		}
	}

	public function test_site_administrators_may_test_every_providers_alternate_ports(): void {
		$alternates = array();
		foreach ( Provider_Table::all() as $row ) {
			$alternates = array_merge( $alternates, $row['alternates'] );
		}
		$this->assertEqualsCanonicalizing( Submission_Ports::PRESET_ALTERNATES, array_values( array_unique( $alternates ) ) );
	}

	public function test_rows_are_complete_and_consistent(): void {
		foreach ( Provider_Table::all() as $id => $row ) {
			$this->assertMatchesRegularExpression( '/^[a-z0-9-]+$/', $id );
			$this->assertStringStartsWith( 'https://', $row['docs'], $id );
			$this->assertNotEmpty( $row['ports'], $id );
			foreach ( $row['alternates'] as $port ) {
				$this->assertContains( $port, $row['ports'], "$id: an alternate port the provider does not document." );
				$this->assertNotContains( $port, array( Submission_Ports::RELAY, Submission_Ports::IMPLICIT_TLS, Submission_Ports::SUBMISSION ), $id );
			}
			$this->assertSame( array(), $row['limits'], "$id: limits are filled by the pacing work." );
			if ( array() !== $row['regions'] ) {
				$this->assertContains( $row['default_region'], $row['regions'], $id );
				$this->assertSame( str_replace( Provider_Table::REGION_PLACEHOLDER, $row['default_region'], $row['host_pattern'] ), $row['host'], $id );
			}
		}
	}

	public function test_the_page_receives_every_row_in_order(): void {
		$page = Provider_Table::for_page();
		$this->assertSame( array_keys( Provider_Table::all() ), array_column( $page, 'id' ) );
		$ses = $page[ array_search( 'amazon-ses', array_column( $page, 'id' ), true ) ];
		$this->assertSame( 'email-smtp.{region}.amazonaws.com', $ses['hostPattern'] );
		$this->assertSame( 'us-east-1', $ses['defaultRegion'] );
		$this->assertSame( 'google', $page[ array_search( 'google', array_column( $page, 'id' ), true ) ]['oauthProvider'] );
	}
}
