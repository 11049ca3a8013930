<?php
/**
 * WP-CLI commands: `wp smtp-port-helper test <host>`, `send-test <to>`, `status` and `rekey`.
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
	 * Connects to each port, reads the greeting, asks for the encryption and checks the certificate; with a login, also logs in (the AUTH stage), so the recommended port is one that accepts the login. Exits with 1 when no port works.
	 *
	 * The password is never an option, so it stays out of the shell history and the process list: give it on standard input with --password-stdin, or use the saved login with --saved-login (only for the saved host). WP-CLI's --prompt=username asks for the user name; at a terminal, --password-stdin asks for the password without showing it.
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
	 * [--username=<user>]
	 * : User name to log in with; needs --password-stdin.
	 *
	 * [--password-stdin]
	 * : Read the password from standard input (the first line).
	 *
	 * [--saved-login]
	 * : Log in with the saved user name and password. Only for the saved host.
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: table
	 * options:
	 *   - table
	 *   - json
	 *   - markdown
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     # Which ports answer, without a login.
	 *     $ wp smtp-port-helper test smtp.example.com --ports=587,465
	 *
	 *     # Log in; the password is read from a file only you can read.
	 *     $ wp smtp-port-helper test smtp.example.com --username=me --password-stdin < ~/.smtp-pass
	 *
	 *     # Ask for the user name, then for the password (not shown).
	 *     $ wp smtp-port-helper test smtp.example.com --prompt=username --password-stdin
	 *
	 *     # Log in to the saved host with the saved login.
	 *     $ wp smtp-port-helper test smtp.example.com --saved-login
	 *
	 *     # A report for a support ticket (no password, the user name shortened).
	 *     $ wp smtp-port-helper test smtp.example.com --saved-login --format=markdown > report.md
	 *
	 * @param list<string>               $args       Positional arguments.
	 * @param array<string, string|bool> $assoc_args Options.
	 */
	public function test( $args, $assoc_args ): void {
		$password = empty( $assoc_args['password-stdin'] ) ? null : $this->password_from_stdin();
		$run      = $this->runner->run_test( (string) ( $args[0] ?? '' ), $assoc_args, $password );
		if ( null !== $run['error'] ) {
			\WP_CLI::error( $run['error'] );
		}
		$format = $assoc_args['format'] ?? 'table';
		if ( 'json' === $format ) {
			\WP_CLI::line( (string) wp_json_encode( $run['report'], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
		} elseif ( 'markdown' === $format ) {
			\WP_CLI::line( $run['markdown'] );
		} else {
			\WP_CLI\Utils\format_items( 'table', $run['rows'], array( 'port', 'mode', 'verdict', 'ms', 'message' ) );
			if ( null !== $run['report']['recommendation'] ) {
				\WP_CLI::line( (string) $run['report']['recommendation']['reason'] );
			}
			// What to do, per cause of failure (the same advice as the page and Site Health; the
			// network's names who blocks the ports when none could be reached).
			$causes = $run['report']['causes'] ?? array();
			foreach ( is_array( $causes ) ? $causes : array() as $advice ) {
				\WP_CLI::line( is_array( $advice ) && is_string( $advice['text'] ?? null ) ? $advice['text'] : '' );
			}
		}
		if ( 0 !== $run['exit'] ) {
			\WP_CLI::halt( $run['exit'] );
		}
	}

	/**
	 * The first line of standard input, without its line ending. Typed at a terminal, it is asked
	 * for and not shown.
	 */
	private function password_from_stdin(): string {
		$typed = function_exists( 'stream_isatty' ) && stream_isatty( STDIN );
		if ( $typed ) {
			fwrite( STDERR, __( 'SMTP password (not shown): ', 'smtp-port-helper' ) ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- a prompt on the terminal.
			\cli\Shell::hide();
		}
		try {
			$line = fgets( STDIN );
		} finally {
			if ( $typed ) {
				\cli\Shell::hide( false );
				fwrite( STDERR, "\n" ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_fwrite -- ends the prompt's line.
			}
		}
		return false === $line ? '' : rtrim( $line, "\r\n" );
	}

	/**
	 * Sends a test message through the saved SMTP settings.
	 *
	 * When the message is not accepted, says why in plain words, and tests the saved host's other usual ports (the fallback ports first) with the saved login to name one that works. Add --debug=smtp-port-helper to see the SMTP conversation (passwords removed).
	 *
	 * ## OPTIONS
	 *
	 * <to>
	 * : Recipient.
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp smtp-port-helper send-test you@example.com
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
		if ( null !== $run['hint'] ) {
			\WP_CLI::error( $run['message'] . "\n" . $run['hint'] );
		}
		\WP_CLI::error( $run['message'] );
	}

	/**
	 * Shows the saved connection and the one the last message really used, the sign-in, the last self-check and the sending pace.
	 *
	 * Another plugin or a snippet can replace wp_mail() or change the connection after this plugin set it; this says so and names the code responsible. Exits with 1 when mail does not go the way the settings say, or when mail is held until the login or sign-in is fixed.
	 *
	 * ## OPTIONS
	 *
	 * [--format=<format>]
	 * : Output format.
	 * ---
	 * default: text
	 * options:
	 *   - text
	 *   - json
	 * ---
	 *
	 * ## EXAMPLES
	 *
	 *     $ wp smtp-port-helper status
	 *
	 * @param list<string>          $args       Positional arguments.
	 * @param array<string, string> $assoc_args Options.
	 */
	public function status( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- WP-CLI's signature.
		$status = $this->runner->run_status();
		if ( 'json' === ( $assoc_args['format'] ?? 'text' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $status ) );
			\WP_CLI::halt( $status['exit'] );
		}
		/* translators: %s: the saved connection, e.g. "smtp.example.com:587 with STARTTLS, with login" */
		\WP_CLI::line( sprintf( __( 'Saved: %s', 'smtp-port-helper' ), $status['saved'] ) );
		foreach ( $status['sign_in'] as $line ) {
			\WP_CLI::line( $line );
		}
		if ( '' !== $status['self_check'] ) {
			\WP_CLI::line( $status['self_check'] );
		}
		foreach ( $status['pacing'] as $line ) {
			\WP_CLI::line( $line );
		}
		foreach ( $status['messages'] as $message ) {
			if ( 1 === $status['exit'] ) {
				\WP_CLI::warning( $message );
			} else {
				\WP_CLI::line( $message );
			}
		}
		\WP_CLI::halt( $status['exit'] );
	}

	/**
	 * Seals every stored SMTP password, OAuth client secret, OAuth sign-in and DKIM key (each site's, the network's) again under the current key.
	 *
	 * The key comes from SMTP_PORT_HELPER_KEY when it is defined in wp-config.php, else from the salts AUTH_KEY and SECURE_AUTH_KEY. To change it: 1. add define( 'SMTP_PORT_HELPER_KEY', '<new long random phrase>' ) to wp-config.php; if it replaces an earlier SMTP_PORT_HELPER_KEY, keep that value as SMTP_PORT_HELPER_OLD_KEY; 2. run this command; 3. remove SMTP_PORT_HELPER_OLD_KEY. The former key is SMTP_PORT_HELPER_OLD_KEY when defined, else the salts. Between steps 1 and 2 no password opens, so mail is not sent. A password neither key opens is reported and must be entered again. On a multi-network installation, run it once per network with --url.
	 *
	 * ## EXAMPLES
	 *
	 *     # After adding SMTP_PORT_HELPER_KEY to wp-config.php.
	 *     $ wp smtp-port-helper rekey
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Options (none).
	 */
	public function rekey( $args, $assoc_args ): void {
		$run = $this->runner->run_rekey();
		if ( array() !== $run['rows'] ) {
			\WP_CLI\Utils\format_items( 'table', $run['rows'], array( 'scope', 'result' ) );
		}
		if ( 2 === $run['exit'] ) {
			\WP_CLI::error( $run['message'] );
		}
		if ( 0 !== $run['exit'] ) {
			\WP_CLI::warning( $run['message'] );
			\WP_CLI::halt( $run['exit'] );
		}
		\WP_CLI::success( $run['message'] );
	}
}
