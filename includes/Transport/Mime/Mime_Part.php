<?php
/**
 * One part of a MIME message: its headers and its decoded body, or its child parts.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Mime;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads what PHPMailer writes (RFC 2045-2047, RFC 2231 parameters): folded headers, multipart
 * bodies nested to any depth, base64 and quoted-printable, any charset iconv knows.
 */
final class Mime_Part {

	/**
	 * Headers in order: [lower-case name, name as written, raw unfolded value].
	 *
	 * @var list<array{0: string, 1: string, 2: string}>
	 */
	public array $headers = array();

	/**
	 * The body as transported (still encoded); empty for a multipart.
	 *
	 * @var string
	 */
	private string $raw_body = '';

	/**
	 * The child parts of a multipart.
	 *
	 * @var list<Mime_Part>
	 */
	public array $parts = array();

	/**
	 * Parses a part (or a whole message): headers, a blank line, the body.
	 *
	 * @param string $data The part, CRLF or LF line ends.
	 */
	public static function parse( string $data ): self {
		$part  = new self();
		$split = preg_split( '/\r?\n\r?\n/', $data, 2 );
		$head  = is_array( $split ) ? (string) $split[0] : '';
		$body  = is_array( $split ) && isset( $split[1] ) ? (string) $split[1] : '';
		$lines = preg_split( '/\r?\n(?![ \t])/', $head );
		foreach ( false === $lines ? array() : $lines as $line ) {
			$colon = strpos( $line, ':' );
			if ( false === $colon || 0 === $colon ) {
				continue;
			}
			$name            = trim( substr( $line, 0, $colon ) );
			$value           = trim( (string) preg_replace( '/\r?\n[ \t]+/', ' ', substr( $line, $colon + 1 ) ) );
			$part->headers[] = array( strtolower( $name ), $name, $value );
		}
		$boundary = $part->param( 'content-type', 'boundary' );
		if ( 0 === strpos( $part->content_type(), 'multipart/' ) && '' !== $boundary ) {
			$pieces = explode( '--' . $boundary, $body );
			array_shift( $pieces );
			foreach ( $pieces as $piece ) {
				if ( 0 === strpos( $piece, '--' ) ) {
					break;
				}
				$part->parts[] = self::parse( (string) preg_replace( '/^\r?\n|\r?\n$/', '', $piece ) );
			}
			return $part;
		}
		$part->raw_body = $body;
		return $part;
	}

	/**
	 * The raw value of the first header of a name, or ''.
	 *
	 * @param string $name Header name, any case.
	 */
	public function header( string $name ): string {
		foreach ( $this->headers as $header ) {
			if ( strtolower( $name ) === $header[0] ) {
				return $header[2];
			}
		}
		return '';
	}

	/**
	 * `type/subtype` in lower case (text/plain when there is no Content-Type).
	 */
	public function content_type(): string {
		$value = strtolower( trim( explode( ';', $this->header( 'content-type' ) )[0] ) );
		return '' === $value ? 'text/plain' : $value;
	}

	/**
	 * A parameter of a structured header (`boundary`, `charset`, `filename`, `name`), decoded:
	 * RFC 2231 (`name*=utf-8''…`, continuations) or an RFC 2047 encoded word inside the quotes.
	 *
	 * @param string $header Header name.
	 * @param string $param  Parameter name.
	 */
	public function param( string $header, string $param ): string {
		$value  = $this->header( $header );
		$params = array();
		preg_match_all( '/;\s*([A-Za-z0-9._-]+)(\*?\d*\*?)\s*=\s*("(?:[^"\\\\]|\\\\.)*"|[^;]*)/', $value, $matches, PREG_SET_ORDER );
		foreach ( $matches as $match ) {
			$text = trim( $match[3] );
			if ( '' !== $text && '"' === $text[0] ) {
				$text = stripcslashes( substr( $text, 1, -1 ) );
			}
			$params[ strtolower( $match[1] ) ][] = array( $match[2], $text );
		}
		$found = $params[ strtolower( $param ) ] ?? array();
		if ( array() === $found ) {
			return '';
		}
		if ( '' === $found[0][0] ) {
			return Mime_Message::decode_words( $found[0][1] );
		}
		// RFC 2231: pieces in order, the first may name the charset (charset'lang'text).
		$joined  = '';
		$charset = 'utf-8';
		foreach ( $found as $index => $piece ) {
			$text = $piece[1];
			if ( 0 === $index && preg_match( "/^([^']*)'[^']*'(.*)$/s", $text, $parts ) ) {
				$charset = '' !== $parts[1] ? $parts[1] : $charset;
				$text    = $parts[2];
			}
			$joined .= '*' === substr( $piece[0], -1 ) ? rawurldecode( $text ) : $text;
		}
		return Mime_Message::to_utf8( $joined, $charset );
	}

	/**
	 * The body's bytes, transfer encoding undone.
	 */
	public function bytes(): string {
		$encoding = strtolower( trim( $this->header( 'content-transfer-encoding' ) ) );
		if ( 'base64' === $encoding ) {
			return (string) base64_decode( (string) preg_replace( '/[^A-Za-z0-9+\/=]/', '', $this->raw_body ), false ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- MIME transfer encoding.
		}
		if ( 'quoted-printable' === $encoding ) {
			return quoted_printable_decode( $this->raw_body );
		}
		return $this->raw_body;
	}

	/**
	 * The body as UTF-8 text (its charset converted).
	 */
	public function text(): string {
		$charset = $this->param( 'content-type', 'charset' );
		return Mime_Message::to_utf8( $this->bytes(), '' === $charset ? 'us-ascii' : $charset );
	}

	/**
	 * Whether the part is an attachment or an inline file rather than a body text.
	 */
	public function is_file(): bool {
		$disposition = strtolower( trim( explode( ';', $this->header( 'content-disposition' ) )[0] ) );
		if ( 'attachment' === $disposition ) {
			return true;
		}
		$textual = in_array( $this->content_type(), array( 'text/plain', 'text/html' ), true );
		return ! $textual || ( 'inline' === $disposition && '' !== $this->filename() );
	}

	/**
	 * The file name (Content-Disposition's filename, else Content-Type's name).
	 */
	public function filename(): string {
		$name = $this->param( 'content-disposition', 'filename' );
		return '' !== $name ? $name : $this->param( 'content-type', 'name' );
	}

	/**
	 * `inline` or `attachment`.
	 */
	public function disposition(): string {
		return 0 === stripos( trim( $this->header( 'content-disposition' ) ), 'inline' ) ? 'inline' : 'attachment';
	}

	/**
	 * The Content-ID without its angle brackets ('' for none).
	 */
	public function content_id(): string {
		return trim( $this->header( 'content-id' ), " \t<>" );
	}
}
