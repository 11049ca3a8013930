<?php
/**
 * The daily self-check and the outbox's re-test when the transport is an HTTPS API, on a host
 * whose SMTP ports are closed: they test the API's row (the local Mailgun server), not the SMTP
 * ports the API does not use — no false outage, an outage told in the API's words, waiting mail
 * woken when the API answers again.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Health\Api_Transport_Check;
use SmtpPortHelper\Health\Configured_Check;
use SmtpPortHelper\Health\Self_Check;
use SmtpPortHelper\Health\Self_Check_Notice;
use SmtpPortHelper\Mail\Mailer_Hook;
use SmtpPortHelper\Mail\Transport_Factory;
use SmtpPortHelper\Outbox\Mail_Queue;
use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Outbox\Outbox_Runner;
use SmtpPortHelper\Outbox\Outbox_Table;
use SmtpPortHelper\Outbox\Port_Retest;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Tests\Probe\Server_Process;
use SmtpPortHelper\Transport\Providers\Mailgun_Transport;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';
require_once __DIR__ . '/Serves_Provider_Apis.php';

/**
 * @group database
 */
final class Api_Self_Check_Test extends Integration_Test_Case {

	use Serves_Provider_Apis;

	/** An SMTP port nothing listens on: the host blocks SMTP. */
	private int $closed_port = 0;

	protected function setUp(): void {
		parent::setUp();
		self::$servers->forget_received();
		delete_option( Self_Check::OPTION );
		delete_option( Self_Check::TURN );
		delete_option( Self_Check::OUTAGE );
		delete_option( Port_Retest::OPTION );
		$this->serve_locally( 'mailgun', Mailgun_Transport::class );
		$this->closed_port = Server_Process::free_ports( 1 )[0];
		$this->save_smtp(
			'127.0.0.1',
			$this->closed_port,
			array(
				'fallback'    => false,
				'self_heal'   => true,
				'transport'   => 'mailgun',
				'api_key'     => Provider_Api_Servers::KEYS['mailgun'],
				'api_account' => Provider_Api_Servers::MAILGUN_DOMAIN,
				'api_region'  => 'eu',
			)
		);
	}

	protected function tearDown(): void {
		$this->stop_serving_locally();
		parent::tearDown();
	}

	public function test_the_self_check_tests_the_api_in_use_not_the_closed_smtp_port(): void {
		do_action( Self_Check::CRON_HOOK );

		$this->assertSame( Self_Check::OK, Self_Check::state()['outcome'], Self_Check::state()['detail'] );
		$this->assertNull( Self_Check::outage_since(), 'no outage: mail leaves over the API' );
		$settings = ( new Settings_Store() )->get();
		$this->assertSame( array( 'mailgun', $this->closed_port ), array( $settings->transport, $settings->port ), 'nothing switched' );
		$this->assertSame( array(), ( new Self_Check_Notice( new Settings_Store() ) )->messages() );
		$this->assertSame( array(), self::$servers->received( 'mailgun' ), 'the check sends nothing' );
	}

	public function test_a_refused_api_key_is_an_outage_told_in_the_apis_words(): void {
		$this->save_smtp( '127.0.0.1', $this->closed_port, array( 'api_key' => 'key-refused-by-mailgun' ) );

		do_action( Self_Check::CRON_HOOK );

		$this->assertSame( Self_Check::OUTAGE_, Self_Check::state()['outcome'] );
		$this->assertNotNull( Self_Check::outage_since() );
		$messages = ( new Self_Check_Notice( new Settings_Store() ) )->messages();
		$this->assertCount( 1, $messages );
		$this->assertStringContainsString( 'could not send through the HTTPS API of Mailgun', $messages[0] );
		$this->assertStringContainsString( 'Mailgun refused the API key', $messages[0] );
		$this->assertStringNotContainsString( 'user name or password', $messages[0] );
		$this->assertStringNotContainsString( (string) $this->closed_port, $messages[0], 'not the SMTP port the API does not use' );
		$health = ( new Self_Check_Notice( new Settings_Store() ) )->test();
		$this->assertSame( 'critical', $health['status'] );
		$this->assertStringContainsString( 'HTTPS API of Mailgun', $health['description'] );
		$this->assertSame( 'mailgun', ( new Settings_Store() )->get()->transport, 'nothing switched' );
		$port_check = ( new Api_Transport_Check( new Settings_Store(), new Transport_Factory( new Mailer_Hook( new Settings_Store() ) ) ) )->result( 10.0 );
		$this->assertStringContainsString( 'Mailgun refused the API key', $port_check['description'], 'Site Health\'s check of the API says the same' );
		$this->assertStringNotContainsString( 'user name or password', $port_check['description'] );
	}

	public function test_the_outbox_retest_wakes_mail_waiting_for_the_api_once_it_answers(): void {
		$outbox = new Outbox();
		$id     = $outbox->add( 'blog@example.org', array( 'reader@example.com' ), "To: reader@example.com\r\nSubject: after the outage\r\n\r\nx", array( 'stage' => 'api', 'code' => 503, 'error' => 'HTTP 503' ) );
		$this->assertIsInt( $id );
		global $wpdb;
		$wpdb->update( Outbox_Table::name(), array( 'next_attempt_at' => time() + 3600 ), array( 'id' => $id ) );
		$settings = new Settings_Store();
		$mailer   = new Mailer_Hook( $settings, null, new Mail_Queue( new Outbox() ) );
		$retest   = new Port_Retest( new Outbox(), $settings, $mailer, new Port_Prober(), new Probe_Options_Factory( $settings ) );

		$stats = ( new Outbox_Runner( new Outbox(), $mailer, new Mail_Queue( new Outbox() ), $retest ) )->run();

		$this->assertSame( 1, $stats['delivered'], 'the API answers: the message need not sit out its hour of backoff' );
		$this->assertCount( 1, self::$servers->received( 'mailgun' ) );
	}

	public function test_site_health_checks_the_api_key_not_the_smtp_password_it_does_not_use(): void {
		$this->save_smtp( '127.0.0.1', $this->closed_port, array( 'clear_password' => true ) );

		$health = ( new Configured_Check( new Settings_Store() ) )->test();

		$this->assertSame( 'good', $health['status'], $health['label'] );
		$this->assertStringContainsString( 'through the HTTPS API of Mailgun', $health['description'] );
		$this->save_smtp( '127.0.0.1', $this->closed_port, array( 'clear_api_key' => true ) );
		$health = ( new Configured_Check( new Settings_Store() ) )->test();
		$this->assertSame( array( 'critical', 'The API key of Mailgun is missing' ), array( $health['status'], $health['label'] ) );
	}
}
