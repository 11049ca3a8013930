<?php
/**
 * The organisational domain of a name (RFC 7489 3.2), by a small public-suffix rule.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * RFC 7489 asks for the Public Suffix List. The plugin ships no copy of it (≈ 250 kB that would
 * go stale); instead: the last two labels, or the last three under the common two-label public
 * suffixes listed here. Its limit: a name under a public suffix not listed (many private
 * registries such as github.io) gets an organisational domain one label too short, so the DMARC
 * fallback may ask the wrong name and relaxed alignment may be judged too kindly.
 */
final class Organizational_Domain {

	/** Second-level public suffixes under which registrations take three labels. */
	private const TWO_LABEL_SUFFIXES = array(
		'co.uk',
		'org.uk',
		'ac.uk',
		'gov.uk',
		'me.uk',
		'ltd.uk',
		'plc.uk',
		'net.uk',
		'com.au',
		'net.au',
		'org.au',
		'edu.au',
		'gov.au',
		'co.nz',
		'org.nz',
		'net.nz',
		'co.za',
		'org.za',
		'co.jp',
		'ne.jp',
		'or.jp',
		'ac.jp',
		'com.br',
		'net.br',
		'org.br',
		'com.mx',
		'com.ar',
		'com.tr',
		'com.cn',
		'net.cn',
		'org.cn',
		'co.in',
		'net.in',
		'org.in',
		'co.il',
		'co.kr',
		'or.kr',
		'com.sg',
		'com.hk',
		'com.tw',
		'co.at',
		'or.at',
	);

	/**
	 * The organisational domain.
	 *
	 * @param string $domain Domain, ASCII.
	 */
	public static function of( string $domain ): string {
		$labels = explode( '.', strtolower( rtrim( $domain, '.' ) ) );
		$count  = count( $labels );
		if ( $count <= 2 ) {
			return implode( '.', $labels );
		}
		$keep = in_array( $labels[ $count - 2 ] . '.' . $labels[ $count - 1 ], self::TWO_LABEL_SUFFIXES, true ) ? 3 : 2;
		return implode( '.', array_slice( $labels, -$keep ) );
	}
}
