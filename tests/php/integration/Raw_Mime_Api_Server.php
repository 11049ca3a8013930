<?php
/**
 * The tests' raw-MIME HTTPS API (tests/php/servers/raw-mime-api.js) on a free loopback port,
 * with the stack's trusted certificate; what it accepted, and faults to answer with.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

use SmtpPortHelper\Tests\Probe\Server_Process;

require_once dirname( __DIR__ ) . '/probe/support/Server_Process.php';

final class Raw_Mime_Api_Server {

	private Server_Process $process;

	private string $file;

	private int $port;

	public function __construct( string $api_key ) {
		$this->port    = Server_Process::free_ports( 1 )[0];
		$this->file    = (string) tempnam( sys_get_temp_dir(), 'sph-api-' );
		$this->process = new Server_Process();
		$cert_dir      = defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? dirname( (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) ) : dirname( __DIR__, 3 ) . '/.run/smtp';
		$this->process->start(
			array( 'node', dirname( __DIR__ ) . '/servers/raw-mime-api.js', (string) $this->port, $this->file ),
			array(
				'SMTP_CERT_DIR' => $cert_dir,
				'API_KEY'       => $api_key,
			),
			1,
			$this->file . '.log'
		);
	}

	public function base_url(): string {
		return 'https://127.0.0.1:' . $this->port;
	}

	/**
	 * The next `$count` API requests get this answer.
	 *
	 * @param array<string, string> $headers
	 */
	public function fault( int $status, array $headers = array(), string $message = '', int $count = 1 ): void {
		$context = stream_context_create(
			array(
				'http' => array(
					'method'  => 'POST',
					'header'  => "Content-Type: application/json\r\n",
					'content' => (string) wp_json_encode(
						array(
							'status'  => $status,
							'headers' => (object) $headers,
							'body'    => array( 'message' => $message ),
							'count'   => $count,
						)
					),
				),
				'ssl'  => array(
					'cafile' => defined( 'SMTP_PORT_HELPER_CA_FILE' ) ? (string) constant( 'SMTP_PORT_HELPER_CA_FILE' ) : '',
				),
			)
		);
		file_get_contents( $this->base_url() . '/control/fault', false, $context ); // phpcs:ignore
	}

	/**
	 * @return list<array{from: string, to: list<string>, data: string, idempotency_key: string}>
	 */
	public function messages(): array {
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
