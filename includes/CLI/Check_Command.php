<?php
/**
 * `wp smtp-port-helper check`: the daily self-check, for a system cron.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Health\Self_Check;

defined( 'ABSPATH' ) || exit;

/**
 * Runs the same self-check as the WP-Cron event (one turn a day per site, inside the port-test
 * budget): for sites whose WP-Cron only runs on visits, a system cron can run it instead.
 */
final class Check_Command {

	/**
	 * The self-check.
	 *
	 * @var Self_Check
	 */
	private Self_Check $check;

	/**
	 * Takes the self-check.
	 *
	 * @param Self_Check $check The self-check.
	 */
	public function __construct( Self_Check $check ) {
		$this->check = $check;
	}

	/**
	 * Tests the saved SMTP path with its login, sending nothing; switches to a working port when the saved one fails (unless the setting is off) and tells the administrator once per outage.
	 *
	 * Runs at most once a day per site, like the WP-Cron event it shares its turn with. Exits with 1 when no way to send works.
	 *
	 * ## EXAMPLES
	 *
	 *     # From a system cron, once a day.
	 *     $ wp smtp-port-helper check --url=https://example.com
	 *
	 * @param list<string>          $args       Positional arguments (none).
	 * @param array<string, string> $assoc_args Flags (none).
	 */
	public function __invoke( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.Found -- WP-CLI's signature.
		$outcome = $this->check->run();
		switch ( $outcome['outcome'] ) {
			case Self_Check::OK:
				\WP_CLI::success( __( 'The saved SMTP path works.', 'smtp-port-helper' ) );
				return;
			case Self_Check::SWITCHED:
				\WP_CLI::success(
					sprintf(
						/* translators: 1: port number, 2: why the old port failed */
						__( 'The saved port failed; switched to port %1$d, which works. (%2$s)', 'smtp-port-helper' ),
						(int) $outcome['port'],
						$outcome['detail']
					)
				);
				return;
			case Self_Check::OUTAGE_:
				\WP_CLI::error( __( 'No way to send works:', 'smtp-port-helper' ) . ' ' . $outcome['detail'] );
				// WP_CLI::error() exits (status 1).
			default:
				\WP_CLI::line( $outcome['detail'] );
		}
	}
}
