<?php
/**
 * The domain check through its real front doors (REST, WP-CLI, Site Health) against a real
 * authoritative name server (NSD, Test_Name_Server) serving a zone per case: no SPF, SPF without
 * the provider, over 10 look-ups, a redirect= chain, two and three void look-ups, DKIM present /
 * missing / broken, DMARC p=reject with misaligned mail, the organisational-domain fallback, a
 * null MX, a host the plugin does not know, Microsoft 365's selector CNAMEs, and an answer that
 * only fits over TCP.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Deliverability\Domain_Check_Runner;
use SmtpPortHelper\Health\Domain_Check_Health;
use SmtpPortHelper\REST\Route_Guard;
use SmtpPortHelper\Settings\Settings_Store;

require_once __DIR__ . '/Uses_Test_Name_Server.php';

/**
 * One zone per case.
 *
 * @group database
 */
final class Domain_Check_Test extends Integration_Test_Case {

	use Runs_Wp_Cli;
	use Uses_Test_Name_Server;

	private const ROUTE = '/smtp-port-helper/v1/domain-check';

	/**
	 * Case => From domain, SMTP host, expected findings (check => [status, result] in order), the
	 * records to publish expected (check => [type, name, value]), and text the evidence must hold.
	 *
	 * @return array<string, array{0: string, 1: string, 2: list<array{0: string, 1: string, 2: string}>, 3: list<array{0: string, 1: string, 2: string, 3: string}>, 4: array<string, string>}>
	 */
	public function zones(): array {
		$sendgrid_dkim = array( array( 'dkim', 'fail', 'missing' ), array( 'dkim', 'fail', 'missing' ), array( 'return_path', 'warn', 'not_aligned' ) );
		return array(
			'no SPF'                       => array(
				'nospf.test',
				'smtp.sendgrid.net',
				array_merge( array( array( 'spf', 'fail', 'none' ) ), $sendgrid_dkim, array( array( 'dmarc', 'warn', 'missing' ), array( 'mx', 'pass', 'present' ) ) ),
				array(
					array( 'spf', 'TXT', 'nospf.test', 'v=spf1 include:sendgrid.net ~all' ),
					array( 'dkim', 'CNAME', 's1._domainkey.nospf.test', 's1.domainkey.{account}.sendgrid.net' ),
					array( 'dmarc', 'TXT', '_dmarc.nospf.test', 'v=DMARC1; p=none; rua=mailto:postmaster@nospf.test' ),
				),
				array(),
			),
			'SPF without the provider'     => array(
				'noprovider.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'warn', 'fail' ) ),
				array( array( 'spf', 'TXT', 'noprovider.test', 'v=spf1 include:sendgrid.net ip4:192.0.2.10 mx -all' ) ),
				array( 'spf' => '-all matched at noprovider.test' ),
			),
			'SPF without the provider, envelope is the From domain' => array(
				'noprovider.test',
				'smtp.gmail.com',
				array( array( 'spf', 'fail', 'fail' ) ),
				array( array( 'spf', 'TXT', 'noprovider.test', 'v=spf1 include:_spf.google.com ip4:192.0.2.10 mx -all' ) ),
				array(),
			),
			'SPF over 10 look-ups'         => array(
				'toomany.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'fail', 'permerror' ) ),
				array(),
				array( 'spf' => 'more than 10 DNS-querying terms' ),
			),
			'redirect chain'               => array(
				'redirect.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'pass', 'pass' ) ),
				array(),
				array( 'spf' => 'DNS-querying terms: 3 of 10' ),
			),
			'two void look-ups'            => array(
				'twovoid.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'pass', 'pass' ) ),
				array(),
				array( 'spf' => 'void look-ups: 2 of 2' ),
			),
			'three void look-ups'          => array(
				'threevoid.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'fail', 'permerror' ) ),
				array(),
				array( 'spf' => 'void look-ups' ),
			),
			'DKIM present'                 => array(
				'dkimgood.test',
				'smtp.gmail.com',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'pass', 'pass' ), array( 'return_path', 'pass', 'aligned' ), array( 'dmarc', 'pass', 'aligned' ), array( 'mx', 'pass', 'present' ) ),
				array(),
				array( 'dkim' => 'key: rsa, 2048 bits' ),
			),
			'DKIM missing'                 => array(
				'dkimmissing.test',
				'smtp.gmail.com',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'fail', 'missing' ), array( 'return_path', 'pass', 'aligned' ), array( 'dmarc', 'pass', 'aligned' ) ),
				array( array( 'dkim', 'TXT', 'google._domainkey.dkimmissing.test', 'v=DKIM1; k=rsa; p={the public key shown by the provider}' ) ),
				array(),
			),
			'DKIM wrong key'               => array(
				'dkimwrong.test',
				'smtp.gmail.com',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'fail', 'invalid' ) ),
				array( array( 'dkim', 'TXT', 'google._domainkey.dkimwrong.test', 'v=DKIM1; k=rsa; p={the public key shown by the provider}' ) ),
				array(),
			),
			'DMARC reject, misaligned'     => array(
				'reject.test',
				'smtp.sendgrid.net',
				array_merge( array( array( 'spf', 'pass', 'pass' ) ), $sendgrid_dkim, array( array( 'dmarc', 'fail', 'not_aligned' ) ) ),
				array(),
				array( 'dmarc' => 'SPF aligned: no (Return-Path sendgrid.net, SPF pass); DKIM aligned: no' ),
			),
			'organisational-domain DMARC'  => array(
				'news.orgfallback.test',
				'smtp.gmail.com',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'fail', 'missing' ), array( 'return_path', 'pass', 'aligned' ), array( 'dmarc', 'pass', 'aligned' ), array( 'mx', 'pass', 'present' ) ),
				array(),
				array( 'dmarc' => "_dmarc.orgfallback.test TXT \"v=DMARC1; p=quarantine; sp=reject\" (organisational-domain fallback)\npolicy applied: reject" ),
			),
			'null MX'                      => array(
				'nullmx.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'fail', 'missing' ), array( 'dkim', 'fail', 'missing' ), array( 'return_path', 'warn', 'not_aligned' ), array( 'dmarc', 'warn', 'missing' ), array( 'mx', 'fail', 'null_mx' ) ),
				array(),
				array( 'mx' => 'nullmx.test MX 0 .' ),
			),
			'unknown host in SPF'          => array(
				'own.test',
				'relay.own.test',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'warn', 'unknown' ), array( 'return_path', 'pass', 'aligned' ) ),
				array(),
				array( 'spf' => 'ip4:192.0.2.25 matched at own.test' ),
			),
			'unknown host not in SPF'      => array(
				'own.test',
				'other.own.test',
				array( array( 'spf', 'fail', 'fail' ) ),
				array( array( 'spf', 'TXT', 'own.test', 'v=spf1 ip4:192.0.2.99 ip4:192.0.2.25 -all' ) ),
				array(),
			),
			'Microsoft 365 selectors'      => array(
				'm365.test',
				'smtp.office365.com',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'pass', 'pass' ), array( 'dkim', 'fail', 'missing' ), array( 'return_path', 'pass', 'aligned' ), array( 'dmarc', 'pass', 'aligned' ) ),
				array( array( 'dkim', 'CNAME', 'selector2._domainkey.m365.test', 'selector2-m365-test._domainkey.{tenant}.onmicrosoft.com' ) ),
				array( 'dkim' => 'selector1._domainkey.m365.test CNAME selector1-m365-test._domainkey.contoso.onmicrosoft.com' ),
			),
			'answer only over TCP'         => array(
				'big.test',
				'smtp.sendgrid.net',
				array( array( 'spf', 'pass', 'pass' ), array( 'dkim', 'fail', 'missing' ) ),
				array(),
				array(),
			),
		);
	}

	/**
	 * The report against the expectations.
	 *
	 * @param array<string, mixed>                                  $report   Report.
	 * @param list<array{0: string, 1: string, 2: string}>          $findings Expected findings, in order (a prefix).
	 * @param list<array{0: string, 1: string, 2: string, 3: string}> $records  Expected records.
	 * @param array<string, string>                                 $evidence Text the evidence of a check holds.
	 */
	private function assert_report( array $report, array $findings, array $records, array $evidence ): void {
		$json   = (string) wp_json_encode( $report, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES );
		$actual = array();
		foreach ( array_slice( $report['findings'], 0, count( $findings ) ) as $finding ) {
			$actual[] = array( $finding['check'], $finding['status'], $finding['result'] );
		}
		$this->assertSame( $findings, $actual, $json );
		foreach ( $records as $record ) {
			$published = array();
			foreach ( $report['findings'] as $finding ) {
				if ( $finding['check'] === $record[0] && null !== $finding['record'] ) {
					$published[] = array( $finding['check'], $finding['record']['type'], $finding['record']['name'], $finding['record']['value'] );
				}
			}
			$this->assertContains( $record, $published, $json );
		}
		foreach ( $evidence as $check => $text ) {
			$this->assertStringContainsString( $text, implode( "\n", array_column( wp_list_filter( $report['findings'], array( 'check' => $check ) ), 'evidence' ) ), $json );
		}
		$this->assertLessThan( 5.0, $report['seconds'] );
	}

	/**
	 * @dataProvider zones
	 */
	public function test_rest_route_with_the_saved_settings( string $domain, string $host, array $findings, array $records, array $evidence ): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( $host, 587, array( 'from_email' => 'wordpress@' . $domain ) );
		$response = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report = $response->get_data();
		$this->assertSame( $domain, $report['from_domain'] );
		$this->assert_report( $report, $findings, $records, $evidence );
	}

	/**
	 * @dataProvider zones
	 */
	public function test_cli_command( string $domain, string $host, array $findings, array $records, array $evidence ): void {
		putenv( 'SMTP_PORT_HELPER_TEST_RESOLV_CONF=' . Test_Name_Server::resolv_conf() );
		putenv( 'SMTP_PORT_HELPER_TEST_DNS_PORT=' . Test_Name_Server::port() );
		list( $status, $output ) = $this->wp( sprintf( 'smtp-port-helper check-domain --domain=%s --host=%s --format=json --require=%s', escapeshellarg( $domain ), escapeshellarg( $host ), escapeshellarg( __DIR__ . '/support/domain-check-dns.php' ) ) );
		$report                  = json_decode( $output, true );
		$this->assertIsArray( $report, $output );
		$this->assertSame( 'fail' === $report['status'] ? 1 : 0, $status );
		$this->assert_report( $report, $findings, $records, $evidence );
	}

	public function test_cli_table_names_the_record_to_publish(): void {
		putenv( 'SMTP_PORT_HELPER_TEST_RESOLV_CONF=' . Test_Name_Server::resolv_conf() );
		putenv( 'SMTP_PORT_HELPER_TEST_DNS_PORT=' . Test_Name_Server::port() );
		list( $status, $output ) = $this->wp( sprintf( 'smtp-port-helper check-domain --domain=nospf.test --host=smtp.sendgrid.net --require=%s', escapeshellarg( __DIR__ . '/support/domain-check-dns.php' ) ) );
		$this->assertSame( 1, $status, $output );
		$this->assertStringContainsString( 'Publish: TXT record, name nospf.test, value v=spf1 include:sendgrid.net ~all', $output );
	}

	public function test_site_health_is_critical_with_the_record_and_good_when_all_pass(): void {
		// Plugin::register() adds it in wp-admin only; built here the same way.
		$test = ( new Domain_Check_Health( new Domain_Check_Runner( new Settings_Store() ) ) )->add_test( array() )['direct'][ Domain_Check_Health::TEST ]['test'];
		$this->save_smtp( 'smtp.sendgrid.net', 587, array( 'from_email' => 'wordpress@reject.test' ) );
		$result = call_user_func( $test );
		$this->assertSame( 'critical', $result['status'], $result['description'] );
		$this->assertStringContainsString( 'reject.test', $result['label'] );
		$this->assertStringContainsString( 'will fail DMARC', $result['description'] );
		$this->assertStringContainsString( 's1.domainkey.{account}.sendgrid.net', $result['description'] );

		$this->save_smtp( 'smtp.gmail.com', 587, array( 'from_email' => 'wordpress@dkimgood.test' ) );
		$result = call_user_func( $test );
		$this->assertSame( 'good', $result['status'], $result['description'] );
	}

	public function test_bad_domain_is_refused_naming_the_field_and_changes_nothing(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'smtp.sendgrid.net', 587, array( 'from_email' => 'wordpress@nospf.test' ) );
		$before   = $this->raw_option( Settings_Store::OPTION );
		$request  = new \WP_REST_Request( 'GET', self::ROUTE );
		$request->set_query_params( array( 'domain' => 'not a domain' ) );
		$response = rest_get_server()->dispatch( $request );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'domain', $response->get_data()['data']['params'] );
		$this->assertSame( $before, $this->raw_option( Settings_Store::OPTION ) );
	}

	public function test_a_site_whose_own_from_has_no_domain_gets_a_finding_not_an_error(): void {
		// The stack's site is reached by its IP (WP_URL 127.0.0.1), so WordPress sends as wordpress@127.0.0.1.
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'smtp.sendgrid.net', 587, array( 'from_email' => '' ) );
		$response = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 200, $response->get_status(), (string) wp_json_encode( $response->get_data() ) );
		$report = $response->get_data();
		$this->assertSame( '127.0.0.1', $report['from_domain'] );
		$this->assertSame( 'fail', $report['status'] );
		$this->assertSame( array( 'from' ), array_column( $report['findings'], 'check' ) );
		$this->assertStringContainsString( 'not a domain name', $report['findings'][0]['summary'] );
		$this->assertStringContainsString( 'Set the From address', $report['findings'][0]['meaning'] );

		$request = new \WP_REST_Request( 'GET', self::ROUTE );
		$request->set_query_params( array( 'domain' => '127.0.0.1' ) );
		$given = rest_get_server()->dispatch( $request );
		$this->assertSame( 400, $given->get_status(), 'a domain a person gives is still checked as input' );
		$this->assertArrayHasKey( 'domain', $given->get_data()['data']['params'] );
	}

	public function test_it_spends_the_port_test_budget(): void {
		$this->log_in_as( 'administrator' );
		$this->save_smtp( 'smtp.sendgrid.net', 587, array( 'from_email' => 'wordpress@redirect.test' ) );
		for ( $i = 0; $i < Route_Guard::PROBES_PER_MINUTE; $i++ ) {
			$this->assertSame( 200, $this->rest( 'GET', self::ROUTE )->get_status(), "check $i" );
		}
		$refused = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 429, $refused->get_status() );
		$this->assertSame( 'smtp_port_helper_rate_limited', $refused->get_data()['code'] );
		$port_test = $this->rest(
			'POST',
			'/smtp-port-helper/v1/port-tests',
			array(
				'host'  => '127.0.0.1',
				'ports' => array( 1 ),
			)
		);
		$this->assertSame( 429, $port_test->get_status(), 'the port test shares the budget' );
	}

	public function test_no_saved_host_is_refused_naming_the_field(): void {
		$this->log_in_as( 'administrator' );
		delete_option( Settings_Store::OPTION );
		$response = $this->rest( 'GET', self::ROUTE );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'host', $response->get_data()['data']['params'] );
	}
}
