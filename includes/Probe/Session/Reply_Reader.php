<?php
/**
 * Bounded SMTP reply parser.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Text;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Turns received bytes into Smtp_Reply objects, with hard limits: a line may not exceed
 * LINE_LIMIT bytes and a reply may not exceed REPLY_LIMIT bytes. The buffer never holds
 * more than one line limit of unparsed data, so memory stays bounded whatever the server sends.
 */
class Reply_Reader {

	const LINE_LIMIT  = 2048;
	const REPLY_LIMIT = 65536;

	const ERROR_NONE        = '';
	const ERROR_LINE_LONG   = 'line_too_long';
	const ERROR_REPLY_LONG  = 'reply_too_long';
	const ERROR_NOT_SMTP    = 'not_smtp';
	const ERROR_MIXED_CODES = 'mixed_codes';

	/**
	 * Unparsed bytes (at most one partial line).
	 *
	 * @var string
	 */
	private string $buffer = '';

	/**
	 * Lines of the reply being assembled.
	 *
	 * @var string[]
	 */
	private array $pending_lines = array();

	/**
	 * Code of the reply being assembled.
	 *
	 * @var int
	 */
	private int $pending_code = 0;

	/**
	 * Bytes of the reply being assembled.
	 *
	 * @var int
	 */
	private int $pending_bytes = 0;

	/**
	 * Complete replies not yet taken.
	 *
	 * @var Smtp_Reply[]
	 */
	private array $replies = array();

	/**
	 * Error code (one of the ERROR_ constants); sticky.
	 *
	 * @var string
	 */
	private string $error = self::ERROR_NONE;

	/**
	 * The offending line (sanitised) when an error occurred.
	 *
	 * @var string
	 */
	private string $error_line = '';

	/**
	 * Feeds received bytes.
	 *
	 * @param string $bytes Received data.
	 * @return void
	 */
	public function feed( string $bytes ): void {
		if ( self::ERROR_NONE !== $this->error ) {
			return;
		}
		$this->buffer .= $bytes;
		while ( self::ERROR_NONE === $this->error ) {
			$pos = strpos( $this->buffer, "\n" );
			if ( false === $pos ) {
				if ( strlen( $this->buffer ) > self::LINE_LIMIT ) {
					$this->fail( self::ERROR_LINE_LONG, $this->buffer );
				} elseif ( '' !== $this->buffer && ! $this->looks_like_reply_start( $this->buffer ) ) {
					$this->fail( self::ERROR_NOT_SMTP, $this->buffer );
				}
				return;
			}
			if ( $pos > self::LINE_LIMIT ) {
				$this->fail( self::ERROR_LINE_LONG, $this->buffer );
				return;
			}
			$line         = rtrim( substr( $this->buffer, 0, $pos ), "\r" );
			$this->buffer = (string) substr( $this->buffer, $pos + 1 );
			$this->parse_line( $line );
		}
	}

	/**
	 * Whether a (partial) line can still become "NNN" followed by space, dash or end.
	 *
	 * @param string $start First bytes of a line.
	 * @return bool
	 */
	private function looks_like_reply_start( string $start ): bool {
		$head = substr( $start, 0, 4 );
		return 1 === preg_match( '/^[2-5](?:[0-9](?:[0-9][ -]?)?)?$/', $head );
	}

	/**
	 * Parses one complete line.
	 *
	 * @param string $line Line without CRLF.
	 * @return void
	 */
	private function parse_line( string $line ): void {
		if ( ! preg_match( '/^([2-5][0-9][0-9])([ -]|$)(.*)$/s', $line, $m ) ) {
			$this->fail( self::ERROR_NOT_SMTP, $line );
			return;
		}
		$code = (int) $m[1];
		if ( 0 !== $this->pending_code && $code !== $this->pending_code ) {
			$this->fail( self::ERROR_MIXED_CODES, $line );
			return;
		}
		$this->pending_code    = $code;
		$this->pending_lines[] = $m[3];
		$this->pending_bytes  += strlen( $line ) + 2;
		if ( $this->pending_bytes > self::REPLY_LIMIT ) {
			$this->fail( self::ERROR_REPLY_LONG, $line );
			return;
		}
		if ( '-' !== $m[2] ) {
			$this->replies[]     = new Smtp_Reply( $code, $this->pending_lines );
			$this->pending_lines = array();
			$this->pending_code  = 0;
			$this->pending_bytes = 0;
		}
	}

	/**
	 * Records an error and drops buffered data.
	 *
	 * @param string $error Error code.
	 * @param string $line  Offending data.
	 * @return void
	 */
	private function fail( string $error, string $line ): void {
		$this->error         = $error;
		$this->error_line    = Text::sanitize( substr( $line, 0, 300 ), 120 );
		$this->buffer        = '';
		$this->pending_lines = array();
	}

	/**
	 * Takes the next complete reply, if any.
	 *
	 * @return Smtp_Reply|null
	 */
	public function next_reply(): ?Smtp_Reply {
		return array_shift( $this->replies );
	}

	/**
	 * Error code, '' when none.
	 *
	 * @return string
	 */
	public function get_error(): string {
		return $this->error;
	}

	/**
	 * Sanitised offending data for the error.
	 *
	 * @return string
	 */
	public function get_error_line(): string {
		return $this->error_line;
	}

	/**
	 * The error in words, with the offending data; '' when none.
	 *
	 * @return string
	 */
	public function describe_error(): string {
		if ( self::ERROR_LINE_LONG === $this->error ) {
			return 'reply line longer than ' . self::LINE_LIMIT . ' bytes: ' . $this->error_line;
		}
		if ( self::ERROR_REPLY_LONG === $this->error ) {
			return 'reply longer than ' . self::REPLY_LIMIT . ' bytes';
		}
		return $this->error_line;
	}

	/**
	 * Number of bytes received but not yet part of a complete reply.
	 *
	 * @return int
	 */
	public function pending_bytes(): int {
		return strlen( $this->buffer ) + $this->pending_bytes;
	}

	/**
	 * Discards any partial data (used when the conversation restarts, e.g. after STARTTLS).
	 *
	 * @return void
	 */
	public function reset(): void {
		$this->buffer        = '';
		$this->pending_lines = array();
		$this->pending_code  = 0;
		$this->pending_bytes = 0;
		$this->replies       = array();
	}
}
