<?php
/**
 * One non-blocking TLS client handshake.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Text;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Drives stream_socket_enable_crypto() on a non-blocking stream, one step per readable event,
 * and tells apart a finished handshake, one still running, a failed one, and a server that
 * answers in plain text (checked by peeking at its first bytes, when plain text is possible).
 */
final class Tls_Handshake {

	const PENDING    = 'pending';
	const DONE       = 'done';
	const FAILED     = 'failed';
	const PLAIN_TEXT = 'plain_text';

	/**
	 * Whether the server may answer in plain text (no STARTTLS before this handshake).
	 *
	 * @var bool
	 */
	private bool $plain_text_possible;

	/**
	 * Whether the server sent bytes during the handshake.
	 *
	 * @var bool
	 */
	private bool $saw_bytes = false;

	/**
	 * OpenSSL error text once FAILED.
	 *
	 * @var string
	 */
	private string $error = '';

	/**
	 * Constructor.
	 *
	 * @param bool $plain_text_possible Whether the server may answer in plain text.
	 */
	public function __construct( bool $plain_text_possible ) {
		$this->plain_text_possible = $plain_text_possible;
	}

	/**
	 * SSL context options for a connection.
	 *
	 * @param Probe_Options $options Options (host, CA file).
	 * @param bool          $verify  Whether to verify the chain and the host name.
	 * @return array<string, mixed>
	 */
	public static function ssl_options( Probe_Options $options, bool $verify ): array {
		$host = $options->host;
		$ssl  = array(
			'peer_name'               => $host->get_ascii(),
			'verify_peer'             => $verify,
			'verify_peer_name'        => $verify,
			'allow_self_signed'       => ! $verify,
			'capture_peer_cert'       => true,
			'capture_peer_cert_chain' => true,
			'SNI_enabled'             => ! $host->is_ip(),
			'disable_compression'     => true,
		);
		if ( null !== $options->cafile ) {
			$ssl['cafile'] = $options->cafile;
		}
		return $ssl;
	}

	/**
	 * Advances the handshake.
	 *
	 * @param resource $stream   Non-blocking stream.
	 * @param bool     $readable Whether the stream reported readable.
	 * @return string PENDING, DONE, FAILED (see error()) or PLAIN_TEXT.
	 */
	public function step( $stream, bool $readable ): string {
		if ( $readable && ! $this->saw_bytes ) {
			// phpcs:ignore WordPress.PHP.NoSilencedErrors.Discouraged
			$peek = @stream_socket_recvfrom( $stream, 16, STREAM_PEEK );
			if ( is_string( $peek ) && '' !== $peek ) {
				$this->saw_bytes = true;
				if ( $this->plain_text_possible && ! self::looks_like_tls( $peek ) ) {
					return self::PLAIN_TEXT;
				}
			}
		}
		$errors = array();
		// phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_set_error_handler
		set_error_handler(
			static function ( $errno, $errstr ) use ( &$errors ) {
				$errors[] = (string) $errstr;
				return true;
			}
		);
		$method = STREAM_CRYPTO_METHOD_TLS_CLIENT;
		if ( defined( 'STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT' ) ) {
			$method |= STREAM_CRYPTO_METHOD_TLSv1_3_CLIENT;
		}
		try {
			$ok = stream_socket_enable_crypto( $stream, true, $method );
		} finally {
			restore_error_handler();
		}
		if ( true === $ok ) {
			return self::DONE;
		}
		if ( 0 === $ok && ! feof( $stream ) ) {
			return self::PENDING;
		}
		$this->error = self::openssl_error( $errors );
		return self::FAILED;
	}

	/**
	 * Whether the server sent bytes during the handshake.
	 *
	 * @return bool
	 */
	public function saw_bytes(): bool {
		return $this->saw_bytes;
	}

	/**
	 * OpenSSL error text of a failed handshake ('' when the connection just closed).
	 *
	 * @return string
	 */
	public function error(): string {
		return $this->error;
	}

	/**
	 * What a finished handshake negotiated.
	 *
	 * @param resource $stream Stream with TLS on.
	 * @return array{version: string, cipher: string, certificate: mixed}
	 */
	public static function negotiated( $stream ): array {
		$meta   = stream_get_meta_data( $stream );
		$crypto = isset( $meta['crypto'] ) ? $meta['crypto'] : array();
		$params = stream_context_get_params( $stream );
		return array(
			'version'     => isset( $crypto['protocol'] ) ? (string) $crypto['protocol'] : '',
			'cipher'      => isset( $crypto['cipher_name'] ) ? (string) $crypto['cipher_name'] : '',
			'certificate' => isset( $params['options']['ssl']['peer_certificate'] ) ? $params['options']['ssl']['peer_certificate'] : null,
		);
	}

	/**
	 * Whether bytes look like the start of a TLS record (handshake/alert, version 3.x).
	 *
	 * @param string $bytes First bytes.
	 * @return bool
	 */
	public static function looks_like_tls( string $bytes ): bool {
		if ( '' === $bytes ) {
			return false;
		}
		$type = ord( $bytes[0] );
		if ( $type < 0x14 || $type > 0x17 ) {
			return false;
		}
		return strlen( $bytes ) < 2 || 0x03 === ord( $bytes[1] );
	}

	/**
	 * Condenses PHP/OpenSSL warnings into one short line.
	 *
	 * @param string[] $errors Warning texts.
	 * @return string
	 */
	private static function openssl_error( array $errors ): string {
		$text = implode( ' ', $errors );
		$text = (string) preg_replace( '/^stream_socket_enable_crypto\(\): /', '', $text );
		$text = str_replace( 'stream_socket_enable_crypto(): ', '', $text );
		return Text::sanitize( $text, 240 );
	}
}
