<?php
/**
 * A request body made of pieces that point into the message instead of copying it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport\Https;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A message with a 10 MB attachment is about 14 MB of MIME. Joining an API's request body into
 * one string (and base64 on top) holds several copies of it at once; this body instead keeps
 * pieces — literal text, a range of the MIME string (PHP shares the string, nothing is copied),
 * the base64 of such ranges, or a base64 range with its line breaks left out — and produces
 * the bytes in small chunks while cURL sends them (Https_Client), or hashes them in chunks (the
 * SigV4 payload hash). Its length is known before the first byte (Content-Length).
 */
final class Request_Body {

	/** Bytes produced per read: a multiple of 3 and of 4, so base64 chunks join without padding. */
	public const CHUNK = 196608;

	/**
	 * The pieces in order: [kind, source, offset, length, produced length].
	 *
	 * @var list<array{0: string, 1: string|Request_Body, 2: int, 3: int, 4: int}>
	 */
	private array $pieces = array();

	/**
	 * Where reading stands: the piece and the position in what it produces.
	 *
	 * @var array{0: int, 1: int}
	 */
	private array $cursor = array( 0, 0 );

	/**
	 * Where reading an `unwrap` piece stands in its source (its cursor counts what it produced).
	 *
	 * @var int
	 */
	private int $unwrap_position = 0;

	/**
	 * Literal text.
	 *
	 * @param string $text The bytes.
	 */
	public function text( string $text ): self {
		if ( '' !== $text ) {
			$this->pieces[] = array( 'text', $text, 0, strlen( $text ), strlen( $text ) );
		}
		return $this;
	}

	/**
	 * A range of a string, sent as it is (the string is shared, not copied).
	 *
	 * @param string $source The string.
	 * @param int    $offset Where the range starts.
	 * @param int    $length Its length.
	 */
	public function range( string $source, int $offset, int $length ): self {
		if ( $length > 0 ) {
			$this->pieces[] = array( 'range', $source, $offset, $length, $length );
		}
		return $this;
	}

	/**
	 * Another body's bytes as they are.
	 *
	 * @param Request_Body $inner The body.
	 */
	public function body( Request_Body $inner ): self {
		$length = $inner->length();
		if ( $length > 0 ) {
			$this->pieces[] = array( 'body', $inner, 0, $length, $length );
		}
		return $this;
	}

	/**
	 * A JSON document whose values may be bodies (an attachment's base64): the rest is encoded
	 * as wp_json_encode() does, each body is put in its place as a JSON string without joining
	 * it into the document. A body's bytes must need no JSON escaping (base64 needs none).
	 *
	 * @param array<string, mixed> $payload The document.
	 * @param int                  $flags   json_encode() flags.
	 */
	public static function json( array $payload, int $flags ): self {
		$marker = 'sph-body-' . bin2hex( random_bytes( 8 ) ) . '-';
		$bodies = array();
		array_walk_recursive(
			$payload,
			static function ( &$value ) use ( $marker, &$bodies ): void {
				if ( $value instanceof Request_Body ) {
					$bodies[] = $value;
					$value    = $marker . ( count( $bodies ) - 1 );
				}
			}
		);
		$json = (string) wp_json_encode( $payload, $flags );
		$out  = new self();
		$from = 0;
		while ( preg_match( '/"' . preg_quote( $marker, '/' ) . '(\d+)"/', $json, $match, PREG_OFFSET_CAPTURE, $from ) ) {
			$out->range( $json, $from, $match[0][1] - $from + 1 )->body( $bodies[ (int) $match[1][0] ] );
			$from = $match[0][1] + strlen( $match[0][0] ) - 1;
		}
		return $out->range( $json, $from, strlen( $json ) - $from );
	}

	/**
	 * The base64 of another body's bytes, without line breaks (an API's base64 field).
	 *
	 * @param Request_Body $bytes    What to encode.
	 * @param bool         $url_safe base64url (RFC 4648 §5: `-` and `_`, padded), e.g. Gmail's `raw`.
	 */
	public function base64( Request_Body $bytes, bool $url_safe = false ): self {
		$length = $bytes->length();
		if ( $length > 0 ) {
			$this->pieces[] = array( $url_safe ? 'base64url' : 'base64', $bytes, 0, $length, 4 * (int) ceil( $length / 3 ) );
		}
		return $this;
	}

	/**
	 * A MIME part's base64 text with its line breaks left out: the same base64 an API field
	 * wants, without decoding and encoding again. Only for text of the base64 alphabet and line
	 * breaks with padding at its end (what PHPMailer writes); otherwise the decoded bytes are
	 * encoded again.
	 *
	 * @param string $source The MIME string.
	 * @param int    $offset Where the part's body starts.
	 * @param int    $length Its length.
	 */
	public function unwrapped_base64( string $source, int $offset, int $length ): self {
		$breaks  = substr_count( $source, "\r", $offset, $length ) + substr_count( $source, "\n", $offset, $length );
		$clean   = strspn( $source, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=\r\n", $offset, $length ) === $length;
		$padding = strpos( $source, '=', $offset );
		$produce = $length - $breaks;
		if ( $clean && 0 === $produce % 4 && ( false === $padding || $padding >= $offset + $length || self::only_padding_follows( $source, $padding, $offset + $length ) ) ) {
			if ( $produce > 0 ) {
				$this->pieces[] = array( 'unwrap', $source, $offset, $length, $produce );
			}
			return $this;
		}
		return $this->base64( ( new self() )->text( (string) base64_decode( substr( $source, $offset, $length ), false ) ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- MIME transfer encoding.
	}

	/**
	 * The number of bytes the body produces.
	 */
	public function length(): int {
		return (int) array_sum( array_column( $this->pieces, 4 ) );
	}

	/**
	 * The whole body as one string (small bodies, tests).
	 */
	public function contents(): string {
		$this->rewind();
		$out = '';
		do {
			$chunk = $this->read( self::CHUNK );
			$out  .= $chunk;
		} while ( '' !== $chunk );
		$this->rewind();
		return $out;
	}

	/**
	 * A hash of the body, computed chunk by chunk.
	 *
	 * @param string $algorithm E.g. sha256.
	 */
	public function hash( string $algorithm ): string {
		$context = hash_init( $algorithm );
		$this->rewind();
		do {
			$chunk = $this->read( self::CHUNK );
			hash_update( $context, $chunk );
		} while ( '' !== $chunk );
		$this->rewind();
		return hash_final( $context );
	}

	/**
	 * Starts reading from the first byte again.
	 */
	public function rewind(): void {
		$this->cursor = array( 0, 0 );
		foreach ( $this->pieces as $piece ) {
			if ( $piece[1] instanceof self ) {
				$piece[1]->rewind();
			}
		}
	}

	/**
	 * The next bytes, at most $max ('' at the end).
	 *
	 * @param int $max Most bytes to return.
	 */
	public function read( int $max ): string {
		while ( isset( $this->pieces[ $this->cursor[0] ] ) ) {
			list( $kind, $source, $offset, $length, $produced ) = $this->pieces[ $this->cursor[0] ];
			$at = $this->cursor[1];
			if ( $at >= $produced ) {
				$this->cursor = array( $this->cursor[0] + 1, 0 );
				continue;
			}
			$chunk = $this->produce( $kind, $source, $offset, $length, $at, $max );
			if ( '' === $chunk ) {
				$this->cursor = array( $this->cursor[0] + 1, 0 );
				continue;
			}
			$this->cursor[1] += strlen( $chunk );
			return $chunk;
		}
		return '';
	}

	/**
	 * Bytes of one piece from a position.
	 *
	 * @param string              $kind   text, range, body, base64, base64url or unwrap.
	 * @param string|Request_Body $source The piece's source.
	 * @param int                 $offset Where its range starts in the source.
	 * @param int                 $length The range's length.
	 * @param int                 $at     Position in what the piece produces.
	 * @param int                 $max    Most bytes.
	 */
	private function produce( string $kind, $source, int $offset, int $length, int $at, int $max ): string {
		if ( 'body' === $kind && $source instanceof self ) {
			return $source->read( $max );
		}
		if ( $source instanceof self ) {
			// Whole groups of 3 bytes make whole groups of 4 characters: no padding inside.
			$bytes = '';
			$have  = 0;
			$want  = max( 3, intdiv( $max, 4 ) * 3 );
			while ( $have < $want ) {
				$more = $source->read( $want - $have );
				if ( '' === $more ) {
					break;
				}
				$bytes .= $more;
				$have  += strlen( $more );
			}
			$encoded = base64_encode( $bytes ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- an API's base64 field.
			return 'base64url' === $kind ? strtr( $encoded, '+/', '-_' ) : $encoded;
		}
		if ( 'unwrap' === $kind ) {
			// $at counts produced characters; the source position is kept beside it.
			$chunk = '';
			$from  = $this->cursor[1] > 0 ? $this->unwrap_position : $offset;
			$end   = $offset + $length;
			while ( '' === $chunk && $from < $end ) {
				$take                  = min( $max, $end - $from );
				$chunk                 = str_replace( array( "\r", "\n" ), '', substr( $source, $from, $take ) );
				$from                 += $take;
				$this->unwrap_position = $from;
			}
			return $chunk;
		}
		return (string) substr( $source, $offset + $at, min( $max, $length - $at ) );
	}

	/**
	 * Whether only padding and line breaks follow the first `=` up to the end.
	 *
	 * @param string $source  The string.
	 * @param int    $padding The first `=`.
	 * @param int    $end     The range's end.
	 */
	private static function only_padding_follows( string $source, int $padding, int $end ): bool {
		return strspn( $source, "=\r\n", $padding, $end - $padding ) === $end - $padding && $end - $padding <= 6;
	}
}
