<?php
/**
 * WP-CLI commands: `wp smtp-port-helper test <host>` and `wp smtp-port-helper send-test <to>`.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

defined( 'ABSPATH' ) || exit;

/**
 * Tests which SMTP ports work from this server, and sends a test message through the saved settings.
 */
final class Command {

	/**
	 * Runs the test and the message; this class only prints.
	 *
	 * @var Command_Runner
	 */
	private Command_Runner $runner;

	/**
	 * Takes what runs the test and the message.
	 *
	 * @param Command_Runner $runner Runs the test and the message.
	 */
	public function __construct( Command_Runner $runner ) {
		$this->runner = $runner;
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
		$run = $this->runner->run_test( (string) ( $args[0] ?? '' ), $assoc_args );
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
		$run = $this->runner->run_send_test( (string) ( $args[0] ?? '' ) );
		foreach ( $run['transcript'] as $line ) {
			\WP_CLI::debug( $line, 'smtp-port-helper' );
		}
		if ( 0 === $run['exit'] ) {
			\WP_CLI::success( $run['message'] );
			return;
		}
		\WP_CLI::error( $run['message'] );
	}
}
