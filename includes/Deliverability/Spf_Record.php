<?php
/**
 * The terms of an SPF record (RFC 7208 section 4.6 and 12).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Parses "v=spf1 …" into its mechanisms (in order) and modifiers; any syntax error makes the
 * whole record a permerror, as the RFC says.
 */
final class Spf_Record {

	private const MECHANISMS = array( 'all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists' );

	/**
	 * Mechanisms in order.
	 *
	 * @var list<array{qualifier: string, name: string, value: string, cidr4: int, cidr6: int, text: string}>
	 */
	public array $mechanisms = array();

	/**
	 * The redirect= domain-spec, '' when there is none.
	 *
	 * @var string
	 */
	public string $redirect = '';

	/**
	 * Whether a TXT string is an SPF record (version "v=spf1" alone or followed by a space).
	 *
	 * @param string $text TXT data.
	 */
	public static function is_spf( string $text ): bool {
		return 1 === preg_match( '/^v=spf1( |$)/i', $text );
	}

	/**
	 * Parses a record.
	 *
	 * @param string $text The TXT data.
	 * @return self|string The record, or the syntax error (a permerror).
	 */
	public static function parse( string $text ) {
		if ( ! self::is_spf( $text ) ) {
			return 'not an SPF record';
		}
		$record = new self();
		$terms  = preg_split( '/ +/', trim( substr( $text, 6 ) ), -1, PREG_SPLIT_NO_EMPTY );
		foreach ( false === $terms ? array() : $terms as $term ) {
			if ( preg_match( '/^([a-z][a-z0-9_.-]*)=(.*)$/i', $term, $match ) ) {
				$name = strtolower( $match[1] );
				if ( 'redirect' === $name ) {
					if ( '' !== $record->redirect || '' === $match[2] ) {
						return sprintf( 'redirect= appears twice or is empty in "%s"', $term );
					}
					$record->redirect = $match[2];
				} elseif ( 'exp' === $name && '' === $match[2] ) {
					return 'exp= is empty';
				}
				continue; // exp= and unknown modifiers are ignored (RFC 7208 6).
			}
			if ( ! preg_match( '/^([+?~-]?)([a-z0-9]+)(?::([^\/]*))?((?:\/\d+)?(?:\/\/\d+)?)$/i', $term, $match, PREG_UNMATCHED_AS_NULL ) || ! in_array( strtolower( $match[2] ), self::MECHANISMS, true ) ) {
				return sprintf( 'unknown term "%s"', $term );
			}
			$name  = strtolower( $match[2] );
			$value = (string) $match[3];
			$cidr  = (string) $match[4];
			$cidr4 = preg_match( '/^\/(\d+)/', $cidr, $four ) ? (int) $four[1] : -1;
			$cidr6 = preg_match( '/\/\/(\d+)$/', $cidr, $six ) ? (int) $six[1] : -1;
			if ( ( 'ip6' === $name && -1 !== $cidr4 && preg_match( '/^\/(\d+)$/', $cidr ) ) ) {
				$cidr6 = $cidr4;
				$cidr4 = -1;
			}
			$needs_value = in_array( $name, array( 'include', 'ip4', 'ip6', 'exists' ), true );
			if ( ( $needs_value && '' === $value ) || ( 'all' === $name && ( '' !== $value || '' !== $cidr ) )
				|| ( 'ip4' === $name && false === filter_var( $value, FILTER_VALIDATE_IP, FILTER_FLAG_IPV4 ) )
				|| ( 'ip6' === $name && false === filter_var( $value, FILTER_VALIDATE_IP, FILTER_FLAG_IPV6 ) )
				|| $cidr4 > 32 || $cidr6 > 128 ) {
				return sprintf( 'malformed term "%s"', $term );
			}
			$record->mechanisms[] = array(
				'qualifier' => '' === (string) $match[1] ? '+' : (string) $match[1],
				'name'      => $name,
				'value'     => $value,
				'cidr4'     => -1 === $cidr4 ? 32 : $cidr4,
				'cidr6'     => -1 === $cidr6 ? 128 : $cidr6,
				'text'      => $term,
			);
		}
		return $record;
	}
}
