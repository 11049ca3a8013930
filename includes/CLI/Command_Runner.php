<?php
/**
 * The work behind `wp smtp-port-helper test|send-test|status|rekey`: data and an exit code, no printing.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Health\Send_Path_Report;
use SmtpPortHelper\Mail\Api_Port_Test;
use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Probe\Report_Markdown;
use SmtpPortHelper\Probe\Submission_Ports;
use SmtpPortHelper\Probe\Verdict;
use SmtpPortHelper\Rekey;
use SmtpPortHelper\Secrets\Key_Material;
use SmtpPortHelper\Secrets\Resealed;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Runs the port test and the test message for the command line. Kept apart from `Command` because
 * WP-CLI turns every public method of a command class into a subcommand: these return data (and
 * are tested without WP-CLI), `Command` only prints.
 */
final class Command_Runner {

	/**
	 * Seconds the port test after a failed send may take.
	 */
	private const HINT_TIMEOUT = 5;

	/**
	 * The port test engine.
	 *
	 * @var Port_Prober
	 */
	private Port_Prober $prober;

	/**
	 * Builds the probe options from the command's flags, with the saved CA file.
	 *
	 * @var Probe_Options_Factory
	 */
	private Probe_Options_Factory $options;

	/**
	 * Sends test messages.
	 *
	 * @var Test_Email
	 */
	private Test_Email $sender;

	/**
	 * The settings model (is sending configured?).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * Whether mail really goes the way the settings say.
	 *
	 * @var Send_Path_Report
	 */
	private Send_Path_Report $send_path;

	/**
	 * Takes the port test engine and the way into it, the test message sender, the settings model
	 * and the report of the real send path.
	 *
	 * @param Port_Prober           $prober    The port test engine.
	 * @param Probe_Options_Factory $options   Builds the probe options from the flags.
	 * @param Test_Email            $sender    Sends test messages.
	 * @param Settings_Store        $settings  The settings model (is sending configured?).
	 * @param Send_Path_Report      $send_path Whether mail goes the way the settings say.
	 * @param Sign_In_Status|null   $sign_in   The OAuth sign-in's state and held mail (status).
	 * @param Delivery_Status|null  $delivery  The last self-check and the sending pace (status).
	 * @param Api_Port_Test|null    $api       The row "HTTPS API (port 443)" of the host's provider (test).
	 */
	public function __construct( Port_Prober $prober, Probe_Options_Factory $options, Test_Email $sender, Settings_Store $settings, Send_Path_Report $send_path, ?Sign_In_Status $sign_in = null, ?Delivery_Status $delivery = null, ?Api_Port_Test $api = null ) {
		$this->prober    = $prober;
		$this->options   = $options;
		$this->sender    = $sender;
		$this->settings  = $settings;
		$this->send_path = $send_path;
		$this->sign_in   = $sign_in;
		$this->delivery  = $delivery;
		$this->api       = $api;
	}

	/**
	 * The last self-check and the sending pace in words, or null.
	 *
	 * @var Delivery_Status|null
	 */
	private ?Delivery_Status $delivery;

	/**
	 * The HTTPS API row of the port test, or null (not tested).
	 *
	 * @var Api_Port_Test|null
	 */
	private ?Api_Port_Test $api;

	/**
	 * The OAuth sign-in's state and held mail, or null.
	 *
	 * @var Sign_In_Status|null
	 */
	private ?Sign_In_Status $sign_in;

	/**
	 * What is saved and what the last message really used.
	 *
	 * @return array{saved: string, status: string, messages: string[], last_send: array<string, mixed>|null, sent_at: int|null, sign_in: list<string>, self_check: string, pacing: list<string>, held: int, exit: int}
	 */
	public function run_status(): array {
		$finding = $this->send_path->check();
		$held    = null !== $this->sign_in ? $this->sign_in->held() : 0;
		// Held mail waits for the administrator: a monitoring system cron must see it (exit 1).
		return array( 'saved' => $this->send_path->saved() ) + $finding + array(
			'sign_in'    => null !== $this->sign_in ? $this->sign_in->lines() : array(),
			'self_check' => null !== $this->delivery ? $this->delivery->self_check() : '',
			'pacing'     => null !== $this->delivery ? $this->delivery->pacing() : array(),
			'held'       => $held,
			'exit'       => Send_Path_Report::STATUS_OVERRIDDEN === $finding['status'] || $held > 0 ? 1 : 0,
		);
	}

	/**
	 * Runs the port test, with the login given (user and password), the saved login, or none.
	 *
	 * @param string                     $host       Host.
	 * @param array<string, string|bool> $assoc_args ports, timeout, username, password-stdin, saved-login.
	 * @param string|null                $password   The password the command read from standard input.
	 * @return array{exit: int, error: string|null, rows: list<array<string, mixed>>, report: array<string, mixed>, markdown: string}
	 */
	public function run_test( string $host, array $assoc_args, ?string $password = null ): array {
		try {
			$this->check_login_flags( $assoc_args, $password );
			$options = $this->options->from_cli( $host, $assoc_args, $password );
			$probe   = $this->prober->run( $options );
			$report  = null !== $this->api ? $this->api->report( $probe, $options ) : $probe->to_array();
		} catch ( Invalid_Input_Exception $error ) {
			return array(
				'exit'     => 2,
				'error'    => $error->getMessage(),
				'rows'     => array(),
				'report'   => array(),
				'markdown' => '',
			);
		}
		$rows = array();
		$ok   = false;
		foreach ( $report['results'] as $result ) {
			$ok     = $ok || $result['ok'];
			$rows[] = array(
				'port'    => $result['port'],
				'mode'    => $result['mode'],
				'verdict' => $result['verdict'],
				'ms'      => $result['elapsed_ms'],
				// IPv4 and IPv6 apart when they differ ("IPv6: no route — IPv4: works").
				'message' => trim( $result['message'] . ' ' . ( $result['family_note'] ?? '' ) ),
			);
		}
		if ( isset( $report['api'] ) && is_array( $report['api'] ) ) {
			$ok     = $ok || ( $report['api']['usable'] && null !== $report['recommendation'] );
			$rows[] = array(
				'port'    => $report['api']['result']['port'],
				'mode'    => 'https',
				'verdict' => $report['api']['result']['verdict'],
				'ms'      => $report['api']['result']['elapsed_ms'],
				'message' => $report['api']['message'],
			);
		}
		return array(
			'exit'     => $ok ? 0 : 1,
			'error'    => null,
			'rows'     => $rows,
			'report'   => $report,
			'markdown' => Report_Markdown::render( $report, $options->username, $this->send_path->check()['messages'], (string) wp_parse_url( home_url(), PHP_URL_HOST ) ),
		);
	}

	/**
	 * Refuses login flags that do not make a whole login.
	 *
	 * @param array<string, string|bool> $flags    The command's flags.
	 * @param string|null                $password The password read from standard input.
	 * @throws Invalid_Input_Exception When the flags do not fit together.
	 */
	private function check_login_flags( array $flags, ?string $password ): void {
		$given_login = isset( $flags['username'] ) || ! empty( $flags['password-stdin'] );
		if ( ! empty( $flags['saved-login'] ) && $given_login ) {
			throw new Invalid_Input_Exception( __( 'Use either --saved-login or --username with --password-stdin, not both.', 'smtp-port-helper' ), 'username' );
		}
		if ( isset( $flags['username'] ) && empty( $flags['password-stdin'] ) ) {
			throw new Invalid_Input_Exception( __( 'Give the password on standard input with --password-stdin, e.g. from a file: < password.txt', 'smtp-port-helper' ), 'password' );
		}
		if ( ! empty( $flags['password-stdin'] ) && ! isset( $flags['username'] ) ) {
			throw new Invalid_Input_Exception( __( 'Give the user name with --username=<user>.', 'smtp-port-helper' ), 'username' );
		}
		if ( ! empty( $flags['password-stdin'] ) && ( null === $password || '' === $password ) ) {
			throw new Invalid_Input_Exception( __( 'No password was read from standard input.', 'smtp-port-helper' ), 'password' );
		}
	}

	/**
	 * Sends the test message.
	 *
	 * @param string $to Recipient.
	 * @return array{exit: int, message: string, hint: string|null, transcript: list<string>, result: array<string, mixed>}
	 */
	public function run_send_test( string $to ): array {
		if ( false === is_email( $to ) ) {
			return array(
				'exit'       => 2,
				'message'    => __( 'Enter a valid recipient address.', 'smtp-port-helper' ),
				'hint'       => null,
				'transcript' => array(),
				'result'     => array(),
			);
		}
		if ( ! $this->settings->is_active() ) {
			return array(
				'exit'       => 2,
				'message'    => __( 'Save an SMTP server (and keep sending enabled) before sending a test message.', 'smtp-port-helper' ),
				'hint'       => null,
				'transcript' => array(),
				'result'     => array(),
			);
		}
		$result = $this->sender->send( $to );
		return array(
			'exit'       => $result['sent'] ? 0 : 1,
			'message'    => $result['sent']
				? sprintf(
					/* translators: 1: recipient, 2: host, 3: port, 4: milliseconds */
					__( 'Test message to %1$s accepted by %2$s:%3$d in %4$d ms.', 'smtp-port-helper' ),
					$result['to'],
					$result['host'],
					$result['port'],
					$result['elapsed_ms']
				)
				: $result['diagnosis'],
			'hint'       => $result['sent'] ? null : $this->working_port_hint( $result['verdict'], $result['port'] ),
			'transcript' => $result['transcript'],
			'result'     => $result,
		);
	}

	/**
	 * After a failed send, a quick port test of the saved host's other usual ports (the saved
	 * fallback ports first) with the saved login; names the recommended port, if any works.
	 *
	 * @param string $verdict     Why the send failed.
	 * @param int    $failed_port The port the send failed on.
	 * @return string|null How to use the port that works, or null when none is known.
	 */
	private function working_port_hint( string $verdict, int $failed_port ): ?string {
		if ( Verdict::REJECTED === $verdict ) {
			return null; // The server took the login; the message itself was refused.
		}
		$settings = $this->settings->get();
		$ports    = array_merge( $settings->fallback_ports, Submission_Ports::DEFAULT_TEST_PORTS );
		$ports    = array_slice( array_values( array_diff( array_unique( $ports ), array( $failed_port, $settings->port ) ) ), 0, Submission_Ports::MAX_PER_TEST );
		$flags    = array(
			'ports'   => implode( ',', $ports ),
			'timeout' => (string) self::HINT_TIMEOUT,
		);
		if ( $settings->uses_oauth() || ( $settings->auth && '' !== $settings->username && null !== $this->settings->password() ) ) {
			$flags['saved-login'] = true;
		}
		try {
			$recommended = $this->prober->run( $this->options->from_cli( $settings->host, $flags ) )->to_array()['recommendation'];
		} catch ( Invalid_Input_Exception $error ) {
			return null;
		}
		if ( null === $recommended ) {
			return null;
		}
		return sprintf(
			/* translators: 1: port number, 2: the command that tests it */
			__( 'Port %1$d works from this server; save it in Settings → SMTP Port Helper. Test it again with: %2$s', 'smtp-port-helper' ),
			$recommended['port'],
			sprintf( 'wp smtp-port-helper test %s --ports=%d', $settings->host, $recommended['port'] ) . ( isset( $flags['saved-login'] ) ? ' --saved-login' : '' )
		);
	}

	/**
	 * Runs Rekey (every stored secret sealed again under the current key) and says what it did:
	 * a row per secret it found, the counts, what to do about a secret neither key opens.
	 *
	 * @param Key_Material|null $keys The key material (default: wp-config.php's).
	 * @return array{exit: int, message: string, rows: list<array{scope: string, result: string}>}
	 */
	public function run_rekey( ?Key_Material $keys = null ): array {
		$done = ( new Rekey( $keys ) )->run();
		if ( null === $done ) {
			return array(
				'exit'    => 2,
				'message' => __( 'There is no key to seal with: define SMTP_PORT_HELPER_KEY in wp-config.php (a long random phrase), then run this command again.', 'smtp-port-helper' ),
				'rows'    => array(),
			);
		}
		$rows   = array();
		$oauth  = array();
		$counts = array_fill_keys( array( Resealed::RESEALED, Resealed::CURRENT, Resealed::UNREADABLE ), 0 );
		$lost   = array_fill_keys( array( Rekey::KIND_PASSWORD, Rekey::KIND_CLIENT_SECRET, Rekey::KIND_API_KEY, Rekey::KIND_SIGN_IN, Rekey::KIND_DKIM, Rekey::KIND_OUTBOX ), 0 );
		foreach ( $done as $row ) {
			if ( Rekey::KIND_OUTBOX === $row['kind'] ) {
				$rows[]                      = array(
					'scope'  => 'outbox of site ' . $row['site'],
					'result' => sprintf( '%d resealed, %d unreadable', $row['resealed'], $row['unreadable'] ),
				);
				$lost[ Rekey::KIND_OUTBOX ] += $row['unreadable'];
				continue;
			}
			if ( Resealed::NONE === $row['result'] ) {
				continue;
			}
			++$counts[ $row['result'] ];
			$lost[ $row['kind'] ] += Resealed::UNREADABLE === $row['result'] ? 1 : 0;
			if ( Rekey::KIND_PASSWORD === $row['kind'] ) {
				$rows[] = array(
					'scope'  => null === $row['site'] ? 'network ' . $row['network'] : 'site ' . $row['site'] . ' (' . $row['url'] . ')',
					'result' => $row['result'],
				);
				continue;
			}
			$labels  = array(
				Rekey::KIND_SIGN_IN       => 'OAuth sign-in of ',
				Rekey::KIND_CLIENT_SECRET => 'OAuth client secret of ',
				Rekey::KIND_API_KEY       => 'HTTPS API key of ',
				Rekey::KIND_DKIM          => 'DKIM key of ',
			);
			$oauth[] = array(
				'scope'  => $labels[ $row['kind'] ] . ( null === $row['site'] ? 'network ' . $row['network'] : 'site ' . $row['site'] ),
				'result' => $row['result'],
			);
		}
		$message = sprintf(
			/* translators: 1: number of passwords sealed again, 2: number already under the new key, 3: number that could not be opened. */
			__( 'Sealed again: %1$d. Already under the current key: %2$d. Could not be opened: %3$d.', 'smtp-port-helper' ),
			$counts[ Resealed::RESEALED ],
			$counts[ Resealed::CURRENT ],
			$counts[ Resealed::UNREADABLE ]
		);
		if ( $lost[ Rekey::KIND_PASSWORD ] > 0 ) {
			$message .= ' ' . __( 'Neither the current key nor the former one (SMTP_PORT_HELPER_OLD_KEY, else the salts) opens those passwords: enter them again on the settings page.', 'smtp-port-helper' );
		}
		if ( $lost[ Rekey::KIND_DKIM ] > 0 ) {
			$message .= ' ' . __( 'A DKIM key that neither key opens cannot sign: rotate it (wp smtp-port-helper dkim rotate) and publish the new record.', 'smtp-port-helper' );
		}
		if ( $lost[ Rekey::KIND_API_KEY ] > 0 ) {
			$message .= ' ' . __( 'An HTTPS API key that neither key opens cannot be used: enter it again on the settings page.', 'smtp-port-helper' );
		}
		if ( $lost[ Rekey::KIND_CLIENT_SECRET ] + $lost[ Rekey::KIND_SIGN_IN ] > 0 ) {
			$message .= ' ' . __( 'An OAuth client secret or sign-in that neither key opens cannot be used: save the client secret again and click "Connect" in Settings → SMTP Port Helper.', 'smtp-port-helper' );
		}
		$mail_unreadable = $lost[ Rekey::KIND_OUTBOX ];
		if ( $mail_unreadable > 0 ) {
			/* translators: %d: number of waiting messages. */
			$message .= ' ' . sprintf( _n( '%d waiting message in the outbox could not be opened with either key.', '%d waiting messages in the outbox could not be opened with either key.', $mail_unreadable, 'smtp-port-helper' ), $mail_unreadable );
		}
		return array(
			'exit'    => $counts[ Resealed::UNREADABLE ] + $mail_unreadable > 0 ? 1 : 0,
			'message' => $message,
			'rows'    => array_merge( $rows, $oauth ),
		);
	}
}
