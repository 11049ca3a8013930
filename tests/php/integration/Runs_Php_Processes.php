<?php
/**
 * Runs PHP support scripts in processes of their own at the same time, as several requests or
 * cron runners of a site would, and collects what each printed.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

/**
 * For integration test cases whose scripts (tests/php/integration/support/) print one JSON line last.
 */
trait Runs_Php_Processes {

	/**
	 * Starts every script at once and waits for all of them.
	 *
	 * @param list<list<string>> $commands Per process: the script and its arguments.
	 * @return list<array<string, mixed>> The JSON each printed last, in the order of $commands.
	 */
	protected function run_php_processes( array $commands ): array {
		$processes = array();
		foreach ( $commands as $command ) {
			$pipes       = array();
			$process     = proc_open(
				array_merge( array( PHP_BINARY, '-d', 'sendmail_path=/bin/true' ), $command ),
				array(
					1 => array( 'pipe', 'w' ),
					2 => array( 'pipe', 'w' ),
				),
				$pipes
			);
			$processes[] = array( $process, $pipes );
		}
		$results = array();
		foreach ( $processes as list( $process, $pipes ) ) {
			$out = (string) stream_get_contents( $pipes[1] );
			$err = (string) stream_get_contents( $pipes[2] );
			proc_close( $process );
			$result = json_decode( trim( (string) strrchr( "\n" . trim( $out ), "\n" ) ), true );
			$this->assertIsArray( $result, $out . $err );
			$results[] = $result;
		}
		return $results;
	}
}
