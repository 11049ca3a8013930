<?php
/**
 * One part of a MIME message: its headers and its decoded body, or its child parts.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Mime;

use SmtpPortHelper\Transport\Https\Request_Body;

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
	 * The whole message this part was read from: shared with every part, never copied (a
	 * message with a 10 MB attachment is read without a second copy of it).
	 *
	 * @var string
	 */
	private string $source = '';

	/**
	 * Where the body as transported (still encoded) starts in the source; empty for a multipart.
	 *
	 * @var int
	 */
	private int $body_offset = 0;

	/**
	 * The length of the body as transported.
	 *
	 * @var int
	 */
	private int $body_length = 0;

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
		return self::parse_range( $data, 0, strlen( $data ) );
	}

	/**
	 * Parses the part between two positions of the message, by positions only: the headers are
	 * the one piece copied out.
	 *
	 * @param string $data  The whole message.
	 * @param int    $start Where the part starts.
	 * @param int    $end   Where it ends (exclusive).
	 */
	private static function parse_range( string $data, int $start, int $end ): self {
		$part                          = new self();
		$part->source                  = $data;
		list( $head_end, $body_start ) = self::blank_line( $data, $start, $end );
		$lines                         = preg_split( '/\r?\n(?![ \t])/', (string) substr( $data, $start, $head_end - $start ) );
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
			$part->parts = self::children( $data, $body_start, $end, '--' . $boundary );
			return $part;
		}
		$part->body_offset = $body_start;
		$part->body_length = $end - $body_start;
		return $part;
	}

	/**
	 * Where the headers end and the body starts: the first blank line (CRLF or LF line ends);
	 * without one, all of it is headers (both positions are then the end).
	 *
	 * @param string $data  The message.
	 * @param int    $start The part's start.
	 * @param int    $end   The part's end.
	 * @return array{0: int, 1: int}
	 */
	public static function blank_line( string $data, int $start, int $end ): array {
		$newline = strpos( $data, "\n", $start );
		while ( false !== $newline && $newline < $end ) {
			$next = $newline + 1;
			if ( $next < $end && "\r" === $data[ $next ] ) {
				++$next;
			}
			if ( $next < $end && "\n" === $data[ $next ] ) {
				return array( $newline > $start && "\r" === $data[ $newline - 1 ] ? $newline - 1 : $newline, $next + 1 );
			}
			$newline = strpos( $data, "\n", $newline + 1 );
		}
		return array( $end, $end );
	}

	/**
	 * The parts of a multipart body: between its delimiters, up to the closing one (the text
	 * before the first delimiter is the preamble; each part without the line break that ends the
	 * delimiter line and the one before the next delimiter).
	 *
	 * @param string $data      The message.
	 * @param int    $start     The body's start.
	 * @param int    $end       The body's end.
	 * @param string $delimiter `--` and the boundary.
	 * @return list<Mime_Part>
	 */
	private static function children( string $data, int $start, int $end, string $delimiter ): array {
		$parts = array();
		$width = strlen( $delimiter );
		$at    = self::delimiter( $data, $delimiter, $start, $end );
		while ( null !== $at ) {
			$from = $at + $width;
			$next = self::delimiter( $data, $delimiter, $from, $end );
			$to   = $next ?? $end;
			if ( $to - $from >= 2 && '-' === $data[ $from ] && '-' === $data[ $from + 1 ] ) {
				break;
			}
			if ( $from < $to && "\r" === $data[ $from ] && $from + 1 < $to && "\n" === $data[ $from + 1 ] ) {
				$from += 2;
			} elseif ( $from < $to && "\n" === $data[ $from ] ) {
				++$from;
			}
			if ( $to > $from && "\n" === $data[ $to - 1 ] ) {
				--$to;
				if ( $to > $from && "\r" === $data[ $to - 1 ] ) {
					--$to;
				}
			}
			$parts[] = self::parse_range( $data, $from, $to );
			$at      = $next;
		}
		return $parts;
	}

	/**
	 * The next delimiter wholly inside a range, or null.
	 *
	 * @param string $data      The message.
	 * @param string $delimiter `--` and the boundary.
	 * @param int    $from      Where to look from.
	 * @param int    $end       The range's end.
	 */
	private static function delimiter( string $data, string $delimiter, int $from, int $end ): ?int {
		$at = $from <= strlen( $data ) ? strpos( $data, $delimiter, $from ) : false;
		return false === $at || $at + strlen( $delimiter ) > $end ? null : $at;
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
		$raw      = (string) substr( $this->source, $this->body_offset, $this->body_length );
		$encoding = $this->transfer_encoding();
		if ( 'base64' === $encoding ) {
			// Not strict: characters outside the alphabet (the line breaks) are skipped.
			return (string) base64_decode( $raw, false ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- MIME transfer encoding.
		}
		if ( 'quoted-printable' === $encoding ) {
			return quoted_printable_decode( $raw );
		}
		return $raw;
	}

	/**
	 * The body's bytes in base64 without line breaks, as an API's file field takes them: a
	 * base64 body is passed on as it was written (its line breaks left out), without a decoded
	 * and an encoded copy of the file in memory.
	 */
	public function base64_body(): Request_Body {
		if ( 'base64' === $this->transfer_encoding() ) {
			return ( new Request_Body() )->unwrapped_base64( $this->source, $this->body_offset, $this->body_length );
		}
		return ( new Request_Body() )->base64( ( new Request_Body() )->text( $this->bytes() ) );
	}

	/**
	 * The Content-Transfer-Encoding in lower case ('' when absent).
	 */
	private function transfer_encoding(): string {
		return strtolower( trim( $this->header( 'content-transfer-encoding' ) ) );
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
