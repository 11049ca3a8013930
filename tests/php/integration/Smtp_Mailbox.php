<?php
/**
 * Reads the messages that the local SMTP test servers (env/smtp/servers.js) received.
 *
 * @package SmtpPortHelper\Tests
 */

namespace SmtpPortHelper\Tests\Integration;

final class Smtp_Mailbox {

	private string $dir;

	public function __construct( ?string $dir = null ) {
		$this->dir = $dir ?? ( getenv( 'SMTP_MAIL_DIR' ) ?: dirname( __DIR__, 3 ) . '/.run/smtp/mails' );
	}

	public static function port( int $index ): int {
		$ports = explode( ',', getenv( 'SMTP_PORTS' ) ?: '25,465,587,2525' );
		return (int) $ports[ $index ];
	}

	/**
	 * All received messages whose raw text contains the needle (e.g. a unique subject).
	 *
	 * @return list<array{envelope: array<string, mixed>, raw: string, file: string}>
	 */
	public function find( string $needle ): array {
		$found = array();
		foreach ( (array) glob( $this->dir . '/*.eml' ) as $file ) {
			$raw = (string) file_get_contents( (string) $file );
			if ( false === strpos( $raw, $needle ) ) {
				continue;
			}
			$first = strtok( $raw, "\r\n" );
			$json  = (string) substr( (string) $first, strlen( 'X-Test-Envelope: ' ) );
			$found[] = array(
				'envelope' => (array) json_decode( $json, true ),
				'raw'      => $raw,
				'file'     => (string) $file,
			);
		}
		return $found;
	}
}
