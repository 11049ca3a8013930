<?php
/**
 * Runs the real WP-CLI (installed by `bash env/setup.sh wpcli` into .cache/wp-cli) against the
 * stack's WordPress, with settings saved where that process sees them.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Plugin;

/**
 * For integration test cases (needs Integration_Test_Case::save_smtp()).
 */
trait Runs_Wp_Cli {

	/**
	 * Runs the real WP-CLI against the stack's WordPress.
	 *
	 * @param string      $args        Command line after `wp`.
	 * @param string|null $stdin       Standard input, if any.
	 * @param bool        $with_errors Whether standard error is part of the output.
	 * @return array{0: int, 1: string} Exit status and output.
	 */
	protected function wp( string $args, ?string $stdin = null, bool $with_errors = false ): array {
		$root = dirname( __DIR__, 3 );
		$boot = $root . '/.cache/wp-cli/vendor/wp-cli/wp-cli/php/boot-fs.php';
		if ( ! is_file( $boot ) ) {
			$this->markTestSkipped( 'WP-CLI is not installed: bash env/setup.sh wpcli' );
		}
		$command = sprintf(
			'%sSMTP_PORT_HELPER_TABLE_PREFIX=wptests_ %s -d error_reporting=%d %s --allow-root --path=%s %s %s',
			null === $stdin ? '' : 'printf %s ' . escapeshellarg( $stdin ) . ' | ',
			escapeshellarg( PHP_BINARY ),
			E_ALL & ~E_DEPRECATED,
			escapeshellarg( $boot ),
			escapeshellarg( getenv( 'SMTP_PORT_HELPER_WP_DIR' ) ?: $root . '/.run/wp' ),
			$args,
			$with_errors ? '2>&1' : '2>/dev/null'
		);
		exec( $command, $output, $status ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.system_calls_exec
		return array( $status, implode( "\n", $output ) );
	}

	/**
	 * Saves SMTP settings where the WP-CLI process sees them (outside the test's transaction),
	 * runs the check, and removes them again.
	 *
	 * @param string               $host    Saved host.
	 * @param int                  $port    Saved port.
	 * @param array<string, mixed> $changes Settings besides the stack's login.
	 * @param callable             $check   Runs the commands.
	 */
	protected function with_saved_settings( string $host, int $port, array $changes, callable $check ): void {
		global $wpdb;
		$this->save_smtp( $host, $port, $changes );
		$wpdb->query( 'COMMIT' );
		try {
			$check();
		} finally {
			delete_option( Plugin::SETTINGS_OPTION );
			$wpdb->query( 'COMMIT' );
			$wpdb->query( 'START TRANSACTION' );
		}
	}
}
