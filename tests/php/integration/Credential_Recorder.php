<?php
/**
 * An attacker's SMTP server (tests/php/servers/credential-recorder.js) on a free loopback port:
 * the stack's trusted certificate, AUTH after STARTTLS, every user name and password it receives
 * kept for the test to read.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

final class Credential_Recorder {

	private Server_Process $process;

	private string $file;

	private int $port;

	/**
	 * @param bool $plain_text Offer no STARTTLS and take AUTH in clear text.
	 */
	public function __construct( bool $plain_text = false ) {
		$this->port    = Server_Process::free_ports( 1 )[0];
		$this->file    = (string) tempnam( sys_get_temp_dir(), 'sph-credentials-' );
		$this->process = new Server_Process();
		// The certificate the stack's wp-config.php trusts (SMTP_PORT_HELPER_CA_FILE), with its key.
		$cert_dir      = defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) : dirname( __DIR__, 3 ) . '/.run/smtp';
		$this->process->start(
			array( 'node', dirname( __DIR__ ) . '/servers/credential-recorder.js', (string) $this->port, $this->file ),
			array(
				'SMTP_CERT_DIR' => $cert_dir,
				'PLAIN_TEXT'    => $plain_text ? '1' : '0',
			),
			1,
			$this->file . '.log'
		);
	}

	public function port(): int {
		return $this->port;
	}

	/**
	 * Every login the server received.
	 *
	 * @return list<array{user: string, password: string}>
	 */
	public function logins(): array {
		return array_values(
			array_filter(
				$this->lines(),
				static function ( array $line ): bool {
					return isset( $line['user'] );
				}
			)
		);
	}

	/**
	 * Every message the server received.
	 *
	 * @return list<array{event: string, from: string, to: list<string>, data: string}>
	 */
	public function messages(): array {
		return array_values(
			array_filter(
				$this->lines(),
				static function ( array $line ): bool {
					return 'message' === ( $line['event'] ?? '' );
				}
			)
		);
	}

	/**
	 * @return list<array<string, mixed>>
	 */
	private function lines(): array {
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
