<?php
/**
 * The work behind `wp smtp-port-helper test|send-test`: data and an exit code, no printing.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Mail\Test_Email;
use SmtpPortHelper\Probe\Invalid_Input_Exception;
use SmtpPortHelper\Probe\Port_Prober;
use SmtpPortHelper\Probe\Probe_Options_Factory;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Runs the port test and the test message for the command line. Kept apart from `Command` because
 * WP-CLI turns every public method of a command class into a subcommand: these return data (and
 * are tested without WP-CLI), `Command` only prints.
 */
final class Command_Runner {

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
	 * Takes the port test engine and the way into it, the test message sender and the settings model.
	 *
	 * @param Port_Prober           $prober   The port test engine.
	 * @param Probe_Options_Factory $options  Builds the probe options from the flags.
	 * @param Test_Email            $sender   Sends test messages.
	 * @param Settings_Store        $settings The settings model (is sending configured?).
	 */
	public function __construct( Port_Prober $prober, Probe_Options_Factory $options, Test_Email $sender, Settings_Store $settings ) {
		$this->prober   = $prober;
		$this->options  = $options;
		$this->sender   = $sender;
		$this->settings = $settings;
	}

	/**
	 * Runs the port test.
	 *
	 * @param string                $host       Host.
	 * @param array<string, string> $assoc_args ports, timeout.
	 * @return array{exit: int, error: string|null, rows: list<array<string, mixed>>, report: array<string, mixed>}
	 */
	public function run_test( string $host, array $assoc_args ): array {
		try {
			$report = $this->prober->run( $this->options->from_cli( $host, $assoc_args ) )->to_array();
		} catch ( Invalid_Input_Exception $error ) {
			return array(
				'exit'   => 2,
				'error'  => $error->getMessage(),
				'rows'   => array(),
				'report' => array(),
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
				'message' => $result['message'],
			);
		}
		return array(
			'exit'   => $ok ? 0 : 1,
			'error'  => null,
			'rows'   => $rows,
			'report' => $report,
		);
	}

	/**
	 * Sends the test message.
	 *
	 * @param string $to Recipient.
	 * @return array{exit: int, message: string, transcript: list<string>, result: array<string, mixed>}
	 */
	public function run_send_test( string $to ): array {
		if ( false === is_email( $to ) ) {
			return array(
				'exit'       => 2,
				'message'    => __( 'Enter a valid recipient address.', 'smtp-port-helper' ),
				'transcript' => array(),
				'result'     => array(),
			);
		}
		if ( ! $this->settings->is_active() ) {
			return array(
				'exit'       => 2,
				'message'    => __( 'Save an SMTP server (and keep sending enabled) before sending a test message.', 'smtp-port-helper' ),
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
				: $result['verdict'] . ': ' . $result['diagnosis'],
			'transcript' => $result['transcript'],
			'result'     => $result,
		);
	}
}
