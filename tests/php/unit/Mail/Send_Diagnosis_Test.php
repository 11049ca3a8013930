<?php
/**
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Unit\Mail;

use PHPUnit\Framework\TestCase;
use SmtpPortHelper\Mail\Send_Diagnosis;

final class Send_Diagnosis_Test extends TestCase {

	/**
	 * @return array<string, array{0: string, 1: list<array<string, mixed>>, 2: list<string>, 3: string}>
	 */
	public function cases(): array {
		$socket   = static function ( string $problem ): array {
			return array(
				array(
					'host'           => 'smtp.example.com',
					'port'           => 587,
					'ok'             => false,
					'socket_failure' => true,
					'error'          => 'Failed to connect to server',
					'problems'       => array( $problem ),
				),
			);
		};
		$answered = array(
			array(
				'host'           => 'smtp.example.com',
				'port'           => 587,
				'ok'             => true,
				'socket_failure' => false,
				'error'          => '',
				'problems'       => array(),
			),
		);
		return array(
			'refused'        => array( 'SMTP Error: Could not connect to SMTP host. Failed to connect to server', $socket( 'stream_socket_client(): Unable to connect to smtp.example.com:587 (Connection refused)' ), array(), 'refused' ),
			'timeout'        => array( 'SMTP Error: Could not connect to SMTP host.', $socket( 'stream_socket_client(): Unable to connect to smtp.example.com:587 (Connection timed out)' ), array(), 'timeout' ),
			'dns'            => array( 'SMTP Error: Could not connect to SMTP host.', $socket( 'stream_socket_client(): php_network_getaddresses: getaddrinfo for nowhere.invalid failed: Name or service not known' ), array(), 'dns_failed' ),
			'unreachable'    => array( 'SMTP Error: Could not connect to SMTP host.', $socket( 'Unable to connect (Network is unreachable)' ), array(), 'unreachable' ),
			'implicit TLS'   => array( 'SMTP Error: Could not connect to SMTP host.', $socket( 'SSL operation failed with code 1. OpenSSL Error messages: error:0A00010B:SSL routines::wrong version number' ), array(), 'tls_failed' ),
			'certificate'    => array( 'SMTP Error: Could not connect to SMTP host. Connection failed. stream_socket_enable_crypto(): SSL operation failed with code 1. OpenSSL Error messages: error:0A000086:SSL routines::certificate verify failed', $answered, array(), 'cert_invalid' ),
			'no STARTTLS'    => array( 'SMTP Error: Could not connect to SMTP host. STARTTLS command failed', $answered, array( 'SERVER -> CLIENT: 502 5.5.1 Unrecognized command' ), 'starttls_missing' ),
			'535'            => array( 'SMTP Error: Could not authenticate.', $answered, array( 'SERVER -> CLIENT: 535 Error: authentication failed' ), 'auth_failed' ),
			'no AUTH'        => array( 'SMTP Error: Could not authenticate.', $answered, array( 'SMTP ERROR: No supported authentication methods found' ), 'auth_unavailable' ),
			'rcpt refused'   => array( 'SMTP Error: The following recipients failed: x@example.com', $answered, array( 'SERVER -> CLIENT: 550 5.1.1 No such user' ), 'rejected' ),
			'something else' => array( 'Could not instantiate mail function.', array(), array(), 'send_failed' ),
		);
	}

	/**
	 * @dataProvider cases
	 * @param list<array<string, mixed>> $attempts
	 * @param list<string>               $transcript
	 */
	public function test_verdicts( string $error, array $attempts, array $transcript, string $verdict ): void {
		$result = Send_Diagnosis::diagnose( 'smtp.example.com', 587, $error, $attempts, $transcript );
		$this->assertSame( $verdict, $result['verdict'] );
		$this->assertNotSame( '', $result['diagnosis'] );
		$this->assertSame( 587, $result['port'] );
	}
}
