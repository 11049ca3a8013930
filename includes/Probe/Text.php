<?php
/**
 * Text helpers.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Sanitises text received from servers before it goes into a report.
 */
class Text {

	/**
	 * Replaces control and non-printable bytes, collapses whitespace and shortens.
	 *
	 * @param string $text Raw text (any bytes).
	 * @param int    $max  Maximum length in bytes.
	 * @return string Printable ASCII (UTF-8 sequences are replaced too: replies are ASCII).
	 */
	public static function sanitize( string $text, int $max = 200 ): string {
		$text = substr( $text, 0, $max * 4 );
		$text = (string) preg_replace( '/[\t ]+/', ' ', $text );
		$text = (string) preg_replace( '/[^\x20-\x7e]/', '?', $text );
		$text = trim( $text );
		if ( strlen( $text ) > $max ) {
			$text = substr( $text, 0, $max - 3 ) . '...';
		}
		return $text;
	}
}
