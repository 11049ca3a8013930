<?php
/**
 * SPF's macros (RFC 7208 section 7).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Expands a domain-spec for the current domain, the envelope sender and the sending address; the
 * p, r and t macros are not evaluated, and i and c cannot be for a provider (no single address).
 */
final class Spf_Macro {

	/**
	 * Expands a domain-spec's macros (RFC 7208 7); null when it needs the sending address and the
	 * sender is a provider.
	 *
	 * @param string $spec   Domain-spec.
	 * @param string $domain Current domain.
	 * @param string $sender Envelope sender (s, l and o).
	 * @param string $ip     Sending address, '' for a provider (i and c).
	 */
	public static function expand( string $spec, string $domain, string $sender, string $ip ): ?string {
		if ( false === strpos( $spec, '%' ) ) {
			return strtolower( rtrim( $spec, '.' ) );
		}
		$unknown  = false;
		$expanded = preg_replace_callback(
			'/%(?:\{([slodiphcrtv])(\d*)(r?)([.\-+,\/_=]*)\}|(%)|(_)|(-))/i',
			static function ( array $match ) use ( $domain, $sender, $ip, &$unknown ): string {
				if ( isset( $match[5] ) && '%' === $match[5] ) {
					return '%';
				}
				if ( isset( $match[6] ) && '_' === $match[6] ) {
					return ' ';
				}
				if ( isset( $match[7] ) && '-' === $match[7] ) {
					return '%20';
				}
				$letter = strtolower( $match[1] );
				$values = array(
					's' => $sender,
					'l' => (string) strstr( $sender, '@', true ),
					'o' => (string) substr( (string) strrchr( $sender, '@' ), 1 ),
					'd' => $domain,
					'h' => $domain,
					'v' => false !== strpos( $ip, ':' ) ? 'ip6' : 'in-addr',
				);
				if ( 'i' === $letter || 'c' === $letter ) {
					if ( '' === $ip ) {
						$unknown = true;
						return '';
					}
					$values[ $letter ] = false !== strpos( $ip, ':' ) ? implode( '.', str_split( bin2hex( (string) inet_pton( $ip ) ) ) ) : $ip;
				}
				if ( ! isset( $values[ $letter ] ) ) {
					$unknown = true; // p, r, t: not evaluated.
					return '';
				}
				$parts = preg_split( '/[' . preg_quote( '' === $match[4] ? '.' : $match[4], '/' ) . ']/', $values[ $letter ] );
				$parts = false === $parts ? array() : $parts;
				if ( 'r' === strtolower( $match[3] ) ) {
					$parts = array_reverse( $parts );
				}
				if ( '' !== $match[2] && (int) $match[2] > 0 ) {
					$parts = array_slice( $parts, - (int) $match[2] );
				}
				return implode( '.', $parts );
			},
			$spec
		);
		return $unknown || null === $expanded ? null : strtolower( rtrim( $expanded, '.' ) );
	}
}
