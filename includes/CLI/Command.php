<?php
/**
 * WP-CLI commands: `wp smtp-port-helper test <host>` and `wp smtp-port-helper send-test <to>`.
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
 * Tests SMTP ports and sends test messages from the command line.
 *
 * The work is done by `run_test()` and `run_send_test()`, which return data and an exit code, so
 * they are tested without WP-CLI; the command methods only print.
 */
final class Command {

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
	 * Adds the commands to WP-CLI.
	 */
	public function register(): void {
		\WP_CLI::add_command( 'smtp-port-helper', $this );
	}

	/**
	 * Tests which SMTP ports of a host work from this server.
	 *
	 * ## OPTIONS
	 *
	 * <host>
	 * : The SMTP server, e.g. smtp.example.com.
	 *
	 * [--ports=<ports>]
	 * : Comma-separated ports to test (at most 6). Default: 587,2525,465,25.
	 *
	 * [--timeout=<seconds>]
	 * : Time limit of the whole test, in seconds (0.5 to 60). Default: 10.
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     wp smtp-port-helper test smtp.example.com --ports=587,465
	 *
	 * Exits with 1 when no port works.
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function test( $args, $assoc_args ): void {
		$run = $this->run_test( (string) ( $args[0] ?? '' ), $assoc_args );
		if ( null !== $run['error'] ) {
			\WP_CLI::error( $run['error'] );
		}
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $run['report'], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
		} else {
			\WP_CLI\Utils\format_items( 'table', $run['rows'], array( 'port', 'mode', 'verdict', 'ms', 'message' ) );
			if ( null !== $run['report']['recommendation'] ) {
				\WP_CLI::line( (string) $run['report']['recommendation']['reason'] );
			}
		}
		if ( 0 !== $run['exit'] ) {
			\WP_CLI::halt( $run['exit'] );
		}
	}

	/**
	 * Sends a test message through the saved SMTP settings.
	 *
	 * ## OPTIONS
	 *
	 * <to>
	 * : Recipient.
	 *
	 * ## EXAMPLES
	 *
	 *     wp smtp-port-helper send-test you@example.com
	 *
	 * @subcommand send-test
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function send_test( $args, $assoc_args ): void {
		$run = $this->run_send_test( (string) ( $args[0] ?? '' ) );
		foreach ( $run['transcript'] as $line ) {
			\WP_CLI::debug( $line, 'smtp-port-helper' );
		}
		if ( 0 === $run['exit'] ) {
			\WP_CLI::success( $run['message'] );
			return;
		}
		\WP_CLI::error( $run['message'] );
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
