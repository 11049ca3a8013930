<?php
/**
 * One SMTP reply.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Probe\Text;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A complete (possibly multi-line) SMTP reply: a three-digit code and its text lines.
 */
class Smtp_Reply {

	/**
	 * Reply code, e.g. 250.
	 *
	 * @var int
	 */
	public int $code;

	/**
	 * Text of each line, without code and separator.
	 *
	 * @var string[]
	 */
	public array $lines;

	/**
	 * Constructor.
	 *
	 * @param int      $code  Reply code.
	 * @param string[] $lines Text lines.
	 */
	public function __construct( int $code, array $lines ) {
		$this->code  = $code;
		$this->lines = $lines;
	}

	/**
	 * Whether the code is 2xx.
	 *
	 * @return bool
	 */
	public function is_positive(): bool {
		return $this->code >= 200 && $this->code < 300;
	}

	/**
	 * First line as "code text", sanitised and shortened, for reports.
	 *
	 * @return string
	 */
	public function summary(): string {
		return Text::sanitize( $this->code . ' ' . ( isset( $this->lines[0] ) ? $this->lines[0] : '' ) );
	}

	/**
	 * EHLO keywords (upper case) mapped to their parameters (first line, the greeting, skipped).
	 *
	 * @return array<string, string>
	 */
	public function ehlo_keywords(): array {
		$keywords = array();
		foreach ( array_slice( $this->lines, 1 ) as $line ) {
			$parts = preg_split( '/[ =]/', trim( $line ), 2 );
			if ( false === $parts ) {
				continue;
			}
			$word = strtoupper( $parts[0] );
			if ( '' !== $word && preg_match( '/^[A-Z0-9][A-Z0-9-]*$/', $word ) ) {
				$keywords[ $word ] = isset( $parts[1] ) ? trim( $parts[1] ) : '';
			}
		}
		return $keywords;
	}

	/**
	 * AUTH mechanisms offered in an EHLO reply (upper case, unique, at most 20).
	 *
	 * @return string[]
	 */
	public function auth_mechanisms(): array {
		$mechanisms = array();
		foreach ( array_slice( $this->lines, 1 ) as $line ) {
			if ( preg_match( '/^AUTH[ =](.*)$/i', trim( $line ), $m ) ) {
				$offered = preg_split( '/\s+/', trim( $m[1] ) );
				foreach ( false === $offered ? array() : $offered as $mech ) {
					$mech = strtoupper( $mech );
					if ( preg_match( '/^[A-Z0-9_-]{1,40}$/', $mech ) ) {
						$mechanisms[] = $mech;
					}
				}
			}
		}
		return array_slice( array_values( array_unique( $mechanisms ) ), 0, 20 );
	}

	/**
	 * The first word of the first line (the server's name in a greeting or EHLO reply).
	 *
	 * @return string
	 */
	public function first_word(): string {
		$first = isset( $this->lines[0] ) ? trim( $this->lines[0] ) : '';
		$parts = preg_split( '/\s+/', $first, 2 );
		return false === $parts ? '' : strtolower( $parts[0] );
	}
}
