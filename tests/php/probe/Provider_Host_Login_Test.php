<?php
/**
 * The provider login policies that depend on the host: a plain `535` means "SMTP credentials, not
 * IAM keys" from Amazon SES and "the user name is apikey" from SendGrid. Their host names point
 * to 127.0.0.1 through a hosts file (the test certificate names them), where a real server
 * refuses every login with 535.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Probe;

use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Verdict;

require_once __DIR__ . '/Probe_Test_Case.php';
require_once __DIR__ . '/support/Hosts_File_Resolver.php';

/**
 * Host-specific login refusals against a real server.
 */
class Provider_Host_Login_Test extends Probe_Test_Case {

	/**
	 * Temporary hosts file and resolv.conf.
	 *
	 * @var Hosts_File_Resolver|null
	 */
	private static ?Hosts_File_Resolver $hosts = null;

	/**
	 * Server groups.
	 *
	 * @return string[]
	 */
	protected static function server_groups(): array {
		return array( 'hostile' );
	}

	/**
	 * Starts the servers and writes the hosts file.
	 */
	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$hosts = new Hosts_File_Resolver( 'provider-hosts', "127.0.0.1 email-smtp.eu-west-1.amazonaws.com smtp.sendgrid.net smtp.example.net\n" );
	}

	/**
	 * Removes the files and stops the servers.
	 */
	public static function tearDownAfterClass(): void {
		if ( null !== self::$hosts ) {
			self::$hosts->remove();
		}
		parent::tearDownAfterClass();
	}

	/**
	 * The refusing server's message for a host.
	 *
	 * @param string $host Host name.
	 */
	private function refusal_for( string $host ): string {
		$resolver = self::$hosts->resolver();
		$report   = ( new Port_Prober( null, $resolver ) )->probe(
			array(
				'host'     => $host,
				'ports'    => array( self::port( 'auth_reject' ) ),
				'timeout'  => 5,
				'cafile'   => self::$servers->certs->ca_file,
				'username' => 'AKIAEXAMPLEKEY',
				'password' => 'not-the-smtp-password',
			)
		);
		$result   = $report->get_result( self::port( 'auth_reject' ) );
		$this->assertNotNull( $result );
		$this->assertSame( Verdict::AUTH_FAILED, $result->verdict, $host . ': ' . $result->verdict . ' ' . $result->verdict_detail );
		return Verdict::message( $result );
	}

	/**
	 * Amazon SES: SMTP credentials, not IAM keys.
	 */
	public function test_amazon_ses_535_asks_for_smtp_credentials(): void {
		$this->assertStringContainsString( 'SES needs SMTP credentials, which are not the same as IAM access keys', $this->refusal_for( 'email-smtp.eu-west-1.amazonaws.com' ) );
	}

	/**
	 * SendGrid: the user name is the word apikey.
	 */
	public function test_sendgrid_535_names_apikey(): void {
		$this->assertStringContainsString( 'The user name is the word apikey', $this->refusal_for( 'smtp.sendgrid.net' ) );
	}

	/**
	 * The same 535 from another host is not explained as SES's or SendGrid's.
	 */
	public function test_the_same_reply_elsewhere_is_not_a_provider_policy(): void {
		$message = $this->refusal_for( 'localhost' );
		$this->assertStringNotContainsString( 'Amazon SES', $message );
		$this->assertStringNotContainsString( 'SendGrid', $message );
	}
}
