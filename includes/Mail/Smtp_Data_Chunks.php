<?php
/**
 * A message as the wire text of SMTP's DATA, produced a block at a time.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use IteratorAggregate;
use Generator;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * PHPMailer's SMTP::data() copies the message with its line ends normalised and then splits it
 * into one PHP string per line: for a 10 MB attachment (about 180,000 lines) that is nearly three
 * times the message on top of it, and one write to the socket per line. This yields the same wire
 * text in blocks of about `$block_bytes`, each taken from the message by position, so no more
 * than one block is held besides the message.
 *
 * The rules are PHPMailer's (RFC 5321): every line end (CRLF, LF or a lone CR) becomes CRLF; a
 * line over 998 characters is broken at its last space within the limit (without that space) or
 * hard at 997, and in the header section the continuation starts with a tab; a line that starts
 * with a dot gets a second one (section 4.5.2). One difference: a message that ends with a line
 * end is sent as it is, where PHPMailer adds an empty line — so the server keeps exactly the
 * bytes that were built (and a DKIM signature or an outbox copy of them describes what arrived).
 * The terminating `.` line is not part of this text.
 *
 * @implements IteratorAggregate<int, string>
 */
final class Smtp_Data_Chunks implements IteratorAggregate {

	/** The longest line SMTP allows, without its CRLF (RFC 5321 section 4.5.3.1.6). */
	public const MAX_LINE_LENGTH = 998;

	/** Default block size: large enough for few writes, small against any message worth streaming. */
	public const BLOCK_BYTES = 65536;

	/**
	 * The message as built (headers and body).
	 *
	 * @var string
	 */
	private string $message;

	/**
	 * About how many bytes of the message one block takes (a block ends at a line end).
	 *
	 * @var int
	 */
	private int $block_bytes;

	/**
	 * Takes the message; PHP shares the string, it is not copied.
	 *
	 * @param string $message     The message (headers and body) as PHPMailer built it.
	 * @param int    $block_bytes About how many bytes of the message go into one block.
	 */
	public function __construct( string $message, int $block_bytes = self::BLOCK_BYTES ) {
		$this->message     = $message;
		$this->block_bytes = max( 1, $block_bytes );
	}

	/**
	 * The wire text, block by block; each block ends with CRLF.
	 *
	 * @return Generator<int, string>
	 */
	public function getIterator(): Generator {
		$length = strlen( $this->message );
		if ( 0 === $length ) {
			return;
		}
		$in_headers = self::starts_with_header( $this->message );
		$start      = 0;
		while ( $start < $length ) {
			$end   = $this->block_end( $start, $length );
			$block = str_replace( array( "\r\n", "\r" ), "\n", substr( $this->message, $start, $end - $start ) );
			$start = $end;
			if ( "\n" === substr( $block, -1 ) ) {
				$block = substr( $block, 0, -1 );
			}
			$out = array();
			foreach ( explode( "\n", $block ) as $line ) {
				if ( $in_headers && '' === $line ) {
					$in_headers = false;
				}
				foreach ( self::wire_lines( $line, $in_headers ) as $wire_line ) {
					$out[] = $wire_line;
				}
			}
			yield implode( "\r\n", $out ) . "\r\n";
		}
	}

	/**
	 * Where the block that starts at `$start` ends: just after the first line end at or beyond
	 * `$block_bytes` from its start (a CRLF is never cut in two), or at the message's end.
	 *
	 * @param int $start  Offset of the block.
	 * @param int $length The message's length.
	 */
	private function block_end( int $start, int $length ): int {
		$from = $start + $this->block_bytes - 1;
		if ( $from >= $length - 1 ) {
			return $length;
		}
		$break = $from + strcspn( $this->message, "\r\n", $from );
		if ( $break >= $length ) {
			return $length;
		}
		return "\r" === $this->message[ $break ] && "\n" === ( $this->message[ $break + 1 ] ?? '' ) ? $break + 2 : $break + 1;
	}

	/**
	 * Whether the message starts with a header field (PHPMailer's test: the text before the first
	 * colon of the first line is a name without a space), so long lines up to the first empty
	 * line are folded as headers.
	 *
	 * @param string $message The message.
	 */
	private static function starts_with_header( string $message ): bool {
		$first_line = substr( $message, 0, strcspn( $message, "\r\n" ) );
		$colon      = strpos( $first_line, ':' );
		$field      = false === $colon ? '' : substr( $first_line, 0, $colon );
		return '' !== $field && '0' !== $field && false === strpos( $field, ' ' );
	}

	/**
	 * One line of the message as the lines on the wire: broken to SMTP's limit, dot-stuffed.
	 *
	 * @param string $line       The line, without its line end.
	 * @param bool   $in_headers Whether it is in the header section.
	 * @return list<string>
	 */
	private static function wire_lines( string $line, bool $in_headers ): array {
		$lines = array();
		while ( isset( $line[ self::MAX_LINE_LENGTH ] ) ) {
			$space = strrpos( substr( $line, 0, self::MAX_LINE_LENGTH ), ' ' );
			if ( false === $space || 0 === $space ) {
				$lines[] = substr( $line, 0, self::MAX_LINE_LENGTH - 1 );
				$line    = substr( $line, self::MAX_LINE_LENGTH - 1 );
			} else {
				$lines[] = substr( $line, 0, $space );
				$line    = substr( $line, $space + 1 );
			}
			if ( $in_headers ) {
				$line = "\t" . $line;
			}
		}
		$lines[] = $line;
		foreach ( $lines as $index => $wire_line ) {
			if ( '' !== $wire_line && '.' === $wire_line[0] ) {
				$lines[ $index ] = '.' . $wire_line;
			}
		}
		return $lines;
	}
}
