<?php
/**
 * A test server of tests/php/servers/ on a free loopback port, with the stack's trusted
 * certificate, that writes what it received as JSON lines to a file.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

abstract class Recording_Server {

	private Server_Process $process;

	private string $file;

	protected int $port;

	/**
	 * @param string                $script Script in tests/php/servers/ (port and file are its arguments).
	 * @param string                $prefix Prefix of the temporary file it writes.
	 * @param array<string, string> $env    More of its environment.
	 */
	protected function __construct( string $script, string $prefix, array $env ) {
		$this->port    = Server_Process::free_ports( 1 )[0];
		$this->file    = (string) tempnam( sys_get_temp_dir(), $prefix );
		$this->process = new Server_Process();
		// The certificate the stack's wp-config.php trusts (SMTP_PORT_HELPER_CA_FILE), with its key.
		$cert_dir = defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) : dirname( __DIR__, 3 ) . '/.run/smtp';
		$this->process->start(
			array( 'node', dirname( __DIR__ ) . '/servers/' . $script, (string) $this->port, $this->file ),
			array( 'SMTP_CERT_DIR' => $cert_dir ) + $env,
			1,
			$this->file . '.log'
		);
	}

	/**
	 * @return list<array<string, mixed>> What it wrote, line by line.
	 */
	protected function lines(): array {
		$lines = array();
		foreach ( (array) file( $this->file, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
			$lines[] = (array) json_decode( (string) $line, true );
		}
		return $lines;
	}

	public function stop(): void {
		$this->process->stop();
		@unlink( $this->file ); // phpcs:ignore
		@unlink( $this->file . '.log' ); // phpcs:ignore
	}
}
