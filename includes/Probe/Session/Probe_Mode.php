<?php
/**
 * How the current connection of a probe session is approached.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Immutable: how a connection opens, and whether it only reads a certificate.
 *
 * Openings:
 * - GREETING_OR_TLS: wait for a plain-text greeting; if none comes within the grace time, try a
 *   TLS handshake (a port not expected to be implicit-TLS, first connection).
 * - GREETING: wait for a plain-text greeting only (after a reconnect).
 * - TLS_FIRST: start with a TLS handshake (implicit TLS expected or detected).
 * - TLS_ON_SILENCE: a TLS handshake tried because the greeting stayed silent.
 *
 * A certificate-reading connection is the second connection made with verification off after
 * a certificate failed verification; it reports the certificate and nothing else.
 */
final class Probe_Mode {

	const GREETING_OR_TLS = 'greeting_or_tls';
	const GREETING        = 'greeting';
	const TLS_FIRST       = 'tls_first';
	const TLS_ON_SILENCE  = 'tls_on_silence';

	/**
	 * One of the opening constants.
	 *
	 * @var string
	 */
	private string $opening;

	/**
	 * Whether the connection only reads the certificate.
	 *
	 * @var bool
	 */
	private bool $reads_certificate;

	/**
	 * Constructor.
	 *
	 * @param string $opening           Opening constant.
	 * @param bool   $reads_certificate Whether the connection only reads the certificate.
	 */
	private function __construct( string $opening, bool $reads_certificate ) {
		$this->opening           = $opening;
		$this->reads_certificate = $reads_certificate;
	}

	/**
	 * The first connection to a port.
	 *
	 * @param bool $implicit_expected Whether implicit TLS is expected on the port.
	 * @return self
	 */
	public static function first_connection( bool $implicit_expected ): self {
		return new self( $implicit_expected ? self::TLS_FIRST : self::GREETING_OR_TLS, false );
	}

	/**
	 * The opening constant.
	 *
	 * @return string
	 */
	public function opening(): string {
		return $this->opening;
	}

	/**
	 * Whether the connection starts with (or switched to) a TLS handshake before any greeting.
	 *
	 * @return bool
	 */
	public function starts_with_tls(): bool {
		return self::TLS_FIRST === $this->opening || self::TLS_ON_SILENCE === $this->opening;
	}

	/**
	 * Whether the current handshake was tried because the greeting stayed silent.
	 *
	 * @return bool
	 */
	public function is_tls_on_silence(): bool {
		return self::TLS_ON_SILENCE === $this->opening;
	}

	/**
	 * Whether a silent greeting may be followed by a TLS handshake.
	 *
	 * @return bool
	 */
	public function may_try_tls_on_silence(): bool {
		return self::GREETING_OR_TLS === $this->opening;
	}

	/**
	 * Whether the connection only reads the certificate.
	 *
	 * @return bool
	 */
	public function reads_certificate(): bool {
		return $this->reads_certificate;
	}

	/**
	 * The greeting stayed silent: try TLS on the same connection.
	 *
	 * @return self
	 */
	public function with_tls_on_silence(): self {
		return new self( self::TLS_ON_SILENCE, $this->reads_certificate );
	}

	/**
	 * A handshake before any greeting worked: the port speaks implicit TLS.
	 *
	 * @return self
	 */
	public function with_tls_confirmed(): self {
		return $this->starts_with_tls() ? new self( self::TLS_FIRST, $this->reads_certificate ) : $this;
	}

	/**
	 * A new connection after the server showed which way it talks.
	 *
	 * @param bool $tls_first Whether to start with TLS.
	 * @return self
	 */
	public function reconnect( bool $tls_first ): self {
		return new self( $tls_first ? self::TLS_FIRST : self::GREETING, $this->reads_certificate );
	}

	/**
	 * The second connection, made the same way, only to read the certificate.
	 *
	 * @return self
	 */
	public function for_certificate_reading(): self {
		return new self( $this->starts_with_tls() ? self::TLS_FIRST : self::GREETING, true );
	}
}
