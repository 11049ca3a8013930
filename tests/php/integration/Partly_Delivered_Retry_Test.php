<?php
/**
 * A message partly delivered over SMTP (some recipients accepted, then `451` for the others) and
 * retried over an HTTPS API once the site switched to it: the APIs that read the recipients from
 * the MIME headers (Microsoft Graph, the Gmail API) must not send it again to those the SMTP
 * server already took, and the retry must not carry the idempotency key of the attempt that
 * reached them (a provider that remembers keys takes the same key with other recipients for the
 * same request). Real servers: the outbox tests' SMTP server, the local Graph, Gmail and Resend
 * servers, the local authorization server.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Outbox\Outbox;
use SmtpPortHelper\Tests\Probe\Server_Process;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Providers\Resend_Transport;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';
require_once __DIR__ . '/Sends_Over_OAuth_Api.php';
require_once __DIR__ . '/Queues_Outbox_Mail.php';
require_once __DIR__ . '/support/Local_Graph_Transport.php';
require_once __DIR__ . '/support/Local_Gmail_Transport.php';
require_once __DIR__ . '/support/Local_Endpoint_Transport.php';

/**
 * @group database
 */
final class Partly_Delivered_Retry_Test extends Integration_Test_Case {

	use Sends_Over_OAuth_Api;
	use Queues_Outbox_Mail;

	private const REACHED = 'now@example.com';

	private const WAITING_TO = 'greylist-to@example.com';

	private const WAITING_CC = 'greylist-cc@example.com';

	private ?Server_Process $smtp = null;

	/** @var list<callable> */
	private array $registered = array();

	protected function tearDown(): void {
		if ( null !== $this->smtp ) {
			$this->smtp->stop();
			$this->smtp = null;
		}
		foreach ( $this->registered as $register ) {
			remove_filter( 'smtp_port_helper_api_transports', $register );
		}
		$this->registered = array();
		parent::tearDown();
	}

	/**
	 * Sends over the outbox tests' SMTP server, which takes REACHED and answers `451` (greylisting)
	 * for the two others the first time.
	 */
	private function send_over_smtp(): void {
		$port       = Server_Process::free_ports( 1 )[0];
		$this->smtp = new Server_Process();
		$this->smtp->start(
			array( 'node', dirname( __DIR__ ) . '/servers/outbox-smtp.js', '--port', (string) $port, '--out', dirname( __DIR__, 3 ) . '/.run/partly-delivered/' . wp_generate_password( 10, false ), '--cert-dir', dirname( __DIR__, 3 ) . '/.run/smtp' ),
			array(),
			1,
			dirname( __DIR__, 3 ) . '/.run/logs/outbox-smtp.log'
		);
		$this->save_smtp(
			'127.0.0.1',
			$port,
			array(
				'auth_method' => 'password',
				'transport'   => 'smtp',
			)
		);
	}

	/**
	 * Moves a transport id to a class on its local server (filter `smtp_port_helper_api_transports`).
	 *
	 * @param string $id    Transport id.
	 * @param string $class The class the settings build for it.
	 */
	private function register( string $id, string $class ): void {
		$register = static function ( array $classes ) use ( $id, $class ): array {
			$classes[ $id ] = $class;
			return $classes;
		};
		add_filter( 'smtp_port_helper_api_transports', $register );
		$this->registered[] = $register;
	}

	/**
	 * A message for REACHED (To) and WAITING_TO (To) and WAITING_CC (Cc), as PHPMailer builds it.
	 */
	private static function mime( string $subject ): string {
		require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
		require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
		$mailer          = new \PHPMailer\PHPMailer\PHPMailer( true );
		$mailer->CharSet = 'UTF-8';
		$mailer->setFrom( self::ACCOUNT, 'Südsee-Blog' );
		$mailer->addAddress( self::REACHED, 'Schon, Erreicht' );
		$mailer->addAddress( self::WAITING_TO, 'Wartet Noch' );
		$mailer->addCC( self::WAITING_CC, 'Kopie, Wartend' );
		$mailer->Subject = $subject;
		$mailer->Body    = 'Grüße';
		$mailer->isSMTP();
		$mailer->preSend();
		return $mailer->getSentMIMEMessage();
	}

	/**
	 * Queues the message, lets the runner try it over SMTP: REACHED takes it, the others wait.
	 *
	 * @param string $subject Subject.
	 * @param string $key     The idempotency key of its first attempt.
	 * @return int The outbox id.
	 */
	private function partly_delivered( string $subject, string $key = '' ): int {
		$this->send_over_smtp();
		$id = ( new Outbox() )->add( self::ACCOUNT, array( self::REACHED, self::WAITING_TO, self::WAITING_CC ), self::mime( $subject ), array( 'stage' => 'connect', 'code' => 0, 'error' => 'test' ), '', null, $key );
		$this->assertIsInt( $id );
		$this->make_due( (int) $id );
		$run = $this->runner()->run();
		$this->assertSame( array( 0, 1 ), array( $run['delivered'], $run['waiting'] ), 'partly delivered: ' . wp_json_encode( $run ) );
		$this->assertSame( array( self::WAITING_TO, self::WAITING_CC ), ( new Outbox() )->find( (int) $id )['to'], 'kept for those still waiting' );
		$this->make_due( (int) $id );
		return (int) $id;
	}

	public function test_a_message_partly_delivered_over_smtp_and_retried_over_graph_reaches_only_those_still_waiting(): void {
		$subject = 'partly delivered, then Graph ' . wp_generate_password( 8, false );
		$id      = $this->partly_delivered( $subject );
		Local_Graph_Transport::$base_url = self::$servers->base_url( 'graph' ) . '/v1.0';
		$this->register( 'microsoft-graph', Local_Graph_Transport::class );
		$this->save(
			array(
				'transport'   => 'microsoft-graph',
				'oauth_scope' => 'https://graph.microsoft.com/Mail.Send https://graph.microsoft.com/User.Read offline_access openid email',
			)
		);
		$this->connect();

		$this->assertSame( 1, $this->runner()->run()['delivered'] );

		$received = self::$servers->received( 'graph' );
		$this->assertCount( 1, $received );
		$mail = $received[0]['message'];
		$this->assertSame( $subject, $mail['subject'] );
		$this->assertSame( array( self::WAITING_TO => 'Wartet Noch' ), array_column( $mail['to'], 'name', 'address' ), 'To without the recipient SMTP already reached' );
		$this->assertSame( array( self::WAITING_CC => 'Kopie, Wartend' ), array_column( $mail['cc'], 'name', 'address' ) );
		$this->assertSame( array(), array_column( $mail['bcc'] ?? array(), 'address' ) );
		$this->assertNull( ( new Outbox() )->find( $id ) );
	}

	public function test_a_message_partly_delivered_over_smtp_and_retried_over_gmail_reaches_only_those_still_waiting(): void {
		$subject = 'partly delivered, then Gmail ' . wp_generate_password( 8, false );
		$this->partly_delivered( $subject );
		Local_Gmail_Transport::$base_url = self::$servers->base_url( 'gmail' );
		$this->register( 'gmail', Local_Gmail_Transport::class );
		$this->save(
			array(
				'transport'   => 'gmail',
				'oauth_scope' => 'https://www.googleapis.com/auth/gmail.send openid email',
			)
		);
		$this->connect();

		$this->assertSame( 1, $this->runner()->run()['delivered'] );

		$received = self::$servers->received( 'gmail' );
		$this->assertCount( 1, $received );
		$this->assertEqualsCanonicalizing( array( self::WAITING_TO, self::WAITING_CC ), $received[0]['envelope']['to'], 'Gmail sends to its headers: not to the recipient SMTP already reached' );
		$this->assertSame( array( self::WAITING_TO ), array_column( $received[0]['message']['to'], 'address' ) );
	}

	public function test_the_retry_for_those_still_waiting_carries_its_own_idempotency_key(): void {
		$first   = 'first-attempt-' . bin2hex( random_bytes( 8 ) );
		$subject = 'partly delivered, then Resend ' . wp_generate_password( 8, false );
		$this->partly_delivered( $subject, $first );
		Local_Endpoint_Transport::$class    = Resend_Transport::class;
		Local_Endpoint_Transport::$base_url = self::$servers->base_url( 'resend' );
		$this->register( 'resend', Local_Endpoint_Transport::class );
		$this->save(
			array(
				'transport' => 'resend',
				'api_key'   => Provider_Api_Servers::KEYS['resend'],
			)
		);

		$this->assertSame( 1, $this->runner()->run()['delivered'] );

		$received = self::$servers->received( 'resend' );
		$this->assertCount( 1, $received );
		$this->assertEqualsCanonicalizing( array( self::WAITING_TO, self::WAITING_CC ), array_merge( array_column( $received[0]['message']['to'], 'address' ), array_column( $received[0]['message']['cc'], 'address' ) ) );
		$key = $received[0]['request']['idempotency_key'];
		$this->assertNotSame( $first, $key, 'another request than the one that reached ' . self::REACHED );
		$this->assertSame( Outgoing_Message::key_for_recipients( $first, array( self::WAITING_CC, self::WAITING_TO ) ), $key, 'derived: every retry for the same recipients carries it' );
	}
}
