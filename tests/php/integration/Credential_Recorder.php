<?php
/**
 * An attacker's SMTP server (tests/php/servers/credential-recorder.js) on a free loopback port:
 * the stack's trusted certificate, AUTH after STARTTLS, every user name and password it receives
 * kept for the test to read.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

require_once __DIR__ . '/Recording_Server.php';

final class Credential_Recorder extends Recording_Server {

	/**
	 * @param bool $plain_text Offer no STARTTLS and take AUTH in clear text.
	 */
	public function __construct( bool $plain_text = false ) {
		parent::__construct( 'credential-recorder.js', 'sph-credentials-', array( 'PLAIN_TEXT' => $plain_text ? '1' : '0' ) );
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
}
