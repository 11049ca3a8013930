<?php
/**
 * For integration tests of an HTTPS API transport that signs in with the site's OAuth connection
 * (Microsoft Graph, the Gmail API): the local provider servers, the OAuth stack, a saved
 * transport, the transport built on the local server and a message as PHPMailer builds it for SMTP.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\Connection_Token_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Api_Transport;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Outgoing_Message;
use SmtpPortHelper\Transport\Transport_Registry;

require_once __DIR__ . '/Provider_Api_Servers.php';

/**
 * Used by an Integration_Test_Case; skips like Uses_OAuth_Stack without the stack.
 */
trait Sends_Over_OAuth_Api {

	use Uses_OAuth_Stack;

	private static ?Provider_Api_Servers $servers = null;

	public static function setUpBeforeClass(): void {
		parent::setUpBeforeClass();
		self::$servers = new Provider_Api_Servers();
	}

	public static function tearDownAfterClass(): void {
		if ( null !== self::$servers ) {
			self::$servers->stop();
		}
		parent::tearDownAfterClass();
	}

	protected function setUp(): void {
		parent::setUp();
		$this->use_oauth_stack();
		self::$servers->forget_received();
	}

	/**
	 * Saves settings, failing the test on a refusal.
	 *
	 * @param array<string, mixed> $changes Settings changed.
	 */
	private function save( array $changes ): void {
		$result = ( new Settings_Store() )->update( $changes );
		$this->assertFalse( is_wp_error( $result ), is_wp_error( $result ) ? (string) wp_json_encode( $result->get_error_data() ) : '' );
	}

	/**
	 * The transport of an id on its local server, with the site's OAuth connection.
	 *
	 * @param string $id       Transport id.
	 * @param string $base_url The local server's base URL.
	 * @param string $account  The account field.
	 */
	private static function oauth_api_transport( string $id, string $base_url, string $account = '' ): Api_Transport {
		$transport = Transport_Registry::api_transport(
			$id,
			new Api_Credentials( '', $account, '', $base_url ),
			new Https_Client( Address_Policy::administrator(), true, (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ),
			new Connection_Token_Source( new OAuth_Connection( new Settings_Store() ), Address_Policy::administrator() )
		);
		self::assertNotNull( $transport );
		return $transport;
	}

	/**
	 * A message as PHPMailer builds it for SMTP: no Bcc header, the hidden recipient only in the
	 * envelope; names, subject and body with umlauts and an emoji.
	 *
	 * @param string $subject    Subject.
	 * @param string $attachment An attached file's bytes ('' for none).
	 */
	private static function message_built_for_smtp( string $subject, string $attachment = '' ): Outgoing_Message {
		require_once ABSPATH . WPINC . '/PHPMailer/PHPMailer.php';
		require_once ABSPATH . WPINC . '/PHPMailer/Exception.php';
		$mailer          = new \PHPMailer\PHPMailer\PHPMailer( true );
		$mailer->CharSet = 'UTF-8';
		$mailer->setFrom( self::ACCOUNT, 'Südsee-Blog' );
		$mailer->addAddress( 'juergen@example.com', 'Müller, Jürgen' );
		$mailer->addCC( 'cc@example.com', 'Cc Person' );
		$mailer->addBCC( 'hidden@example.com' );
		$mailer->addReplyTo( 'reply@example.com', 'Antwort-Team' );
		$mailer->addCustomHeader( 'X-Custom-Tag', 'süß' );
		$mailer->Subject = $subject;
		$mailer->isHTML( true );
		$mailer->Body    = '<p>Grüße, <b>Jürgen</b>!</p>';
		$mailer->AltBody = 'Grüße, Jürgen!';
		if ( '' !== $attachment ) {
			$mailer->addStringAttachment( $attachment, 'Rechnung März.pdf', 'base64', 'application/pdf' );
		}
		$mailer->isSMTP();
		$mailer->preSend();
		return new Outgoing_Message( self::ACCOUNT, array_keys( $mailer->getAllRecipientAddresses() ), $mailer->getSentMIMEMessage(), 'test-' . bin2hex( random_bytes( 8 ) ) );
	}
}
