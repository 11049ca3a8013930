<?php
/**
 * `wp smtp-port-helper check-domain`: the domain check on the command line.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\CLI;

use SmtpPortHelper\Deliverability\Domain_Check_Runner;
use SmtpPortHelper\Net\Invalid_Input_Exception;

defined( 'ABSPATH' ) || exit;

/**
 * Prints the findings and the records to publish; exits with 1 when a finding fails.
 */
final class Domain_Check_Command {

	/**
	 * The check.
	 *
	 * @var Domain_Check_Runner
	 */
	private Domain_Check_Runner $runner;

	/**
	 * Takes the check.
	 *
	 * @param Domain_Check_Runner $runner The check.
	 */
	public function __construct( Domain_Check_Runner $runner ) {
		$this->runner = $runner;
	}

	/**
	 * Checks whether mail from this site will be received: SPF, DKIM, DMARC, MX and the Return-Path of the From domain, for the SMTP host mail goes through.
	 *
	 * Asks only this server's own name servers; nothing is sent to anyone else. For each problem it prints the DNS record to publish. Exits with 1 when a check fails.
	 *
	 * ## OPTIONS
	 *
	 * [--domain=<domain>]
	 * : The From domain. Default: the domain of the saved From address, else the site's.
	 *
	 * [--host=<host>]
	 * : The SMTP host mail goes through. Default: the saved host.
	 *
	 * [--timeout=<seconds>]
	 * : Time limit of all DNS look-ups together, in seconds (1 to 15). Default: 5.
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
	 *     # The saved settings' From domain and host.
	 *     $ wp smtp-port-helper check-domain
	 *
	 *     # Another domain through SendGrid.
	 *     $ wp smtp-port-helper check-domain --domain=example.com --host=smtp.sendgrid.net
	 *
	 * @param list<string>               $args       Positional arguments (none).
	 * @param array<string, string|bool> $assoc_args Options.
	 */
	public function __invoke( $args, $assoc_args ): void { // phpcs:ignore Generic.CodeAnalysis.UnusedFunctionParameter.FoundBeforeLastUsed -- WP-CLI's signature.
		$timeout = (float) ( $assoc_args['timeout'] ?? Domain_Check_Runner::DEFAULT_SECONDS );
		if ( $timeout < 1 || $timeout > 15 ) {
			\WP_CLI::error( __( '--timeout must be between 1 and 15 seconds.', 'smtp-port-helper' ) );
		}
		try {
			$report = $this->runner->run( (string) ( $assoc_args['domain'] ?? '' ), (string) ( $assoc_args['host'] ?? '' ), $timeout );
		} catch ( Invalid_Input_Exception $error ) {
			\WP_CLI::error( '--' . $error->field() . ': ' . $error->getMessage() );
		}
		if ( 'json' === ( $assoc_args['format'] ?? 'table' ) ) {
			\WP_CLI::line( (string) wp_json_encode( $report, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES ) );
		} else {
			/* translators: 1: From domain, 2: SMTP host. */
			\WP_CLI::line( sprintf( __( 'Mail from %1$s through %2$s:', 'smtp-port-helper' ), $report['from_domain'], $report['host'] ) );
			\WP_CLI\Utils\format_items( 'table', $report['findings'], array( 'check', 'status', 'result', 'summary' ) );
			foreach ( $report['findings'] as $finding ) {
				if ( 'pass' === $finding['status'] ) {
					continue;
				}
				\WP_CLI::line( '' );
				\WP_CLI::line( strtoupper( $finding['status'] ) . ' ' . $finding['summary'] );
				\WP_CLI::line( $finding['meaning'] );
				if ( null !== $finding['record'] ) {
					/* translators: 1: record type, 2: name, 3: value. */
					\WP_CLI::line( sprintf( __( 'Publish: %1$s record, name %2$s, value %3$s', 'smtp-port-helper' ), $finding['record']['type'], $finding['record']['name'], $finding['record']['value'] ) );
				}
			}
		}
		if ( 'fail' === $report['status'] ) {
			\WP_CLI::halt( 1 );
		}
	}
}
