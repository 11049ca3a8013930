<?php
/**
 * The tests' raw-MIME HTTPS API (tests/php/servers/raw-mime-api.js) on a free loopback port,
 * with the stack's trusted certificate; what it accepted, and faults to answer with.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

require_once __DIR__ . '/Recording_Server.php';

final class Raw_Mime_Api_Server extends Recording_Server {

	public function __construct( string $api_key ) {
		parent::__construct( 'raw-mime-api.js', 'sph-api-', array( 'API_KEY' => $api_key ) );
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
		return $this->lines();
	}
}
