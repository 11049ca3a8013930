<?php
/**
 * Sends a real test message through wp_mail() and reports what happened.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use PHPMailer\PHPMailer\PHPMailer;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Settings\Api_Key_Store;
use SmtpPortHelper\Settings\Settings;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Refusal;
use SmtpPortHelper\Transport\Send_Failure;
use SmtpPortHelper\Transport\Transport_Registry;
use WP_Error;

defined( 'ABSPATH' ) || exit;

/**
 * Used by the REST route and the WP-CLI command. For this one message only, PHPMailer's
 * SMTP conversation is captured (SMTPDebug 3, a Debugoutput callable) and redacted line by line
 * before it is kept; the capture is removed again afterwards.
 */
final class Test_Email {

	/**
	 * The settings model.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The phpmailer_init hook (it knows the SMTP client of the message).
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * The redacted SMTP conversation of the current message.
	 *
	 * @var list<string>
	 */
	private array $transcript = array();

	/**
	 * Redacts the secrets of the current message; null until send() runs.
	 *
	 * @var Transcript_Redactor|null
	 */
	private ?Transcript_Redactor $redactor = null;

	/**
	 * Takes the settings model and the phpmailer_init hook.
	 *
	 * @param Settings_Store $settings The settings model.
	 * @param Mailer_Hook    $mailer   The phpmailer_init hook.
	 */
	public function __construct( Settings_Store $settings, Mailer_Hook $mailer ) {
		$this->settings = $settings;
		$this->mailer   = $mailer;
	}

	/**
	 * Sends the test message.
	 *
	 * @param string $to Recipient.
	 * @return array{sent: bool, to: string, host: string, port: int, elapsed_ms: int, verdict: string, diagnosis: string, transcript: list<string>, error: string, api?: string, endpoint?: string}
	 */
	public function send( string $to ): array {
		$settings         = $this->settings->get();
		$this->transcript = array();
		$this->redactor   = new Transcript_Redactor( $settings->username, $this->settings->password() );
		$failure          = null;
		$on_failure       = static function ( WP_Error $error ) use ( &$failure ): void {
			$failure = $error;
		};
		add_action( 'phpmailer_init', array( $this, 'capture' ), PHP_INT_MAX );
		add_action( 'wp_mail_failed', $on_failure );
		$started = microtime( true );
		try {
			// A test message reports its failure; it never waits in the outbox.
			$sent = $this->mailer->without_outbox(
				static function () use ( $to ): bool {
					return wp_mail(
						$to,
						sprintf(
							/* translators: %s: site name */
							__( 'Test message from %s (SMTP Port Helper)', 'smtp-port-helper' ),
							wp_specialchars_decode( (string) get_bloginfo( 'name' ), ENT_QUOTES )
						),
						__( 'This test message was sent by SMTP Port Helper. If you can read it, WordPress can send email through your SMTP server.', 'smtp-port-helper' ) . "\n"
					);
				}
			);
		} finally {
			remove_action( 'phpmailer_init', array( $this, 'capture' ), PHP_INT_MAX );
			remove_action( 'wp_mail_failed', $on_failure );
			$this->release();
		}
		$elapsed    = (int) round( ( microtime( true ) - $started ) * 1000 );
		$connection = $this->mailer->last_connection();
		$endpoint   = null !== $connection ? $connection->endpoint() : null;
		$host       = null !== $endpoint ? $endpoint['host'] : $settings->host;
		$port       = null !== $endpoint ? $endpoint['port'] : $settings->port;
		$result     = array(
			'sent'       => (bool) $sent,
			'to'         => $to,
			'host'       => $host,
			'port'       => $port,
			'elapsed_ms' => $elapsed,
			'verdict'    => 'ok',
			'diagnosis'  => '',
			'transcript' => $this->transcript,
			'error'      => '',
		);
		$bridge     = $this->mailer->last_bridge();
		if ( null !== $bridge ) {
			return self::over_api( $result, $settings, $bridge->failure() );
		}
		if ( $sent ) {
			return $result;
		}
		$error     = $failure instanceof WP_Error ? $this->redactor->scrub( $failure->get_error_message() ) : '';
		$diagnosis = Send_Diagnosis::diagnose( $settings->host, $settings->port, $error, null !== $connection ? $connection->attempts() : array(), $this->transcript );
		$token     = $this->mailer->last_token();
		if ( null !== $token && ! $token->ok() ) {
			$diagnosis = Send_Diagnosis::oauth( $settings->host, $settings->port, $token->code, $token->message );
		}
		$result['error']     = $error;
		$result['port']      = $diagnosis['port'];
		$result['verdict']   = $diagnosis['verdict'];
		$result['diagnosis'] = $diagnosis['diagnosis'];
		return $result;
	}

	/**
	 * The answer for a message sent over an HTTPS API: the API's endpoint (host, port, base URL)
	 * and provider instead of the SMTP host and port the settings may still hold; on a failure,
	 * what the API answered, in the words of the port test's verdicts.
	 *
	 * @param array{sent: bool, to: string, host: string, port: int, elapsed_ms: int, verdict: string, diagnosis: string, transcript: list<string>, error: string} $result  The answer so far.
	 * @param Settings                                                                                                                                             $settings The settings.
	 * @param Send_Failure|null                                                                                                                                    $failure  What the transport answered (null: accepted).
	 * @return array{sent: bool, to: string, host: string, port: int, elapsed_ms: int, verdict: string, diagnosis: string, transcript: list<string>, error: string, api: string, endpoint: string}
	 */
	private static function over_api( array $result, Settings $settings, ?Send_Failure $failure ): array {
		$provider           = Transport_Registry::provider( $settings->transport );
		$endpoint           = Api_Key_Store::base_url( $settings );
		$result['api']      = null !== $provider ? $provider->label : $settings->transport;
		$result['endpoint'] = $endpoint;
		$result['host']     = (string) wp_parse_url( $endpoint, PHP_URL_HOST );
		$result['port']     = (int) ( wp_parse_url( $endpoint, PHP_URL_PORT ) ?? 443 );
		if ( $result['sent'] && null === $failure ) {
			return $result;
		}
		$failure             = $failure ?? new Send_Failure( Send_Failure::STAGE_API, 0, 'No answer from the API.' );
		$refusal             = Api_Refusal::of( $failure->stage, $failure->code, $settings->transport );
		$result['sent']      = false;
		$result['error']     = $failure->error;
		$result['verdict']   = self::verdict( $failure );
		$result['diagnosis'] = sprintf(
			/* translators: 1: provider, e.g. SendGrid, 2: the API's address, 3: what the API answered */
			__( 'The HTTPS API of %1$s (%2$s) did not take the test message: %3$s', 'smtp-port-helper' ),
			$result['api'],
			$endpoint,
			$failure->error
		) . ( null !== $refusal ? ' ' . $refusal->cause() : '' );
		return $result;
	}

	/**
	 * The port test's verdict for what an API answered.
	 *
	 * @param Send_Failure $failure The failure.
	 */
	private static function verdict( Send_Failure $failure ): string {
		$by_stage = array(
			'dns'        => Verdict::DNS_FAILED,
			'connect'    => Verdict::UNREACHABLE,
			'tls'        => Verdict::TLS_FAILED,
			'deadline'   => Verdict::TIMEOUT,
			'unanswered' => Verdict::TIMEOUT,
			'policy'     => Verdict::ADDRESS_REFUSED,
			'oauth'      => Verdict::OAUTH_REFRESH_FAILED,
		);
		if ( isset( $by_stage[ $failure->stage ] ) ) {
			return $by_stage[ $failure->stage ];
		}
		return in_array( $failure->kind(), array( Send_Failure::LOGIN_REFUSED, Send_Failure::PERMISSION ), true ) ? Verdict::AUTH_FAILED : Verdict::REJECTED;
	}

	/**
	 * `phpmailer_init`, last: turns on the debug output for this message, into the transcript.
	 *
	 * @param PHPMailer $phpmailer The mailer.
	 */
	public function capture( PHPMailer $phpmailer ): void {
		$route = $this->mailer->last_route();
		if ( null !== $route && '' !== $route['reason'] ) {
			return; // It goes the network's way: that conversation (and login) is not this site's to see.
		}
		// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase -- PHPMailer API.
		$phpmailer->SMTPDebug   = 3; // SMTP::DEBUG_CONNECTION: connection, client and server lines.
		$phpmailer->Debugoutput = array( $this, 'collect' );
		$token                  = $this->mailer->last_token();
		if ( null !== $this->redactor && null !== $token && $token->ok() ) {
			$this->redactor->add_secret( $token->user, $token->token );
		}
		// phpcs:enable
	}

	/**
	 * Debugoutput callable: keeps the redacted lines only.
	 *
	 * @param string $chunk Debug output.
	 */
	public function collect( $chunk ): void {
		if ( null === $this->redactor || count( $this->transcript ) >= Transcript_Redactor::MAX_LINES ) {
			return;
		}
		foreach ( $this->redactor->chunk( (string) $chunk ) as $line ) {
			if ( '' !== trim( $line ) && count( $this->transcript ) < Transcript_Redactor::MAX_LINES ) {
				$this->transcript[] = $line;
			}
		}
	}

	/**
	 * Turns the debug output of WordPress's shared PHPMailer off again.
	 */
	private function release(): void {
		global $phpmailer;
		if ( $phpmailer instanceof PHPMailer ) {
			// phpcs:disable WordPress.NamingConventions.ValidVariableName.UsedPropertyNotSnakeCase
			$phpmailer->SMTPDebug   = 0;
			$phpmailer->Debugoutput = 'echo'; // PHPMailer's default.
			// phpcs:enable
			$smtp = $phpmailer->getSMTPInstance();
			$smtp->setDebugLevel( 0 );
		}
	}
}
