<?php
/**
 * A DMARC policy record (RFC 7489 section 6.3).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The tags the check needs: p, sp, adkim, aspf, pct. A record must start with "v=DMARC1"; an
 * invalid or missing p= with a valid rua= reads as p=none (RFC 7489 6.6.3), otherwise the record
 * is invalid.
 */
final class Dmarc_Record {

	/**
	 * Policy: none, quarantine or reject.
	 *
	 * @var string
	 */
	public string $policy = 'none';

	/**
	 * Subdomain policy (the policy when sp= is absent).
	 *
	 * @var string
	 */
	public string $subdomain_policy = 'none';

	/**
	 * DKIM alignment: r (relaxed) or s (strict).
	 *
	 * @var string
	 */
	public string $adkim = 'r';

	/**
	 * SPF alignment: r or s.
	 *
	 * @var string
	 */
	public string $aspf = 'r';

	/**
	 * Percentage the policy applies to.
	 *
	 * @var int
	 */
	public int $pct = 100;

	/**
	 * Whether the record asks for aggregate reports.
	 *
	 * @var bool
	 */
	public bool $reports = false;

	/**
	 * Whether a TXT string is a DMARC record.
	 *
	 * @param string $text TXT data.
	 */
	public static function is_dmarc( string $text ): bool {
		return 1 === preg_match( '/^\s*v\s*=\s*DMARC1\s*(;|$)/', $text );
	}

	/**
	 * Parses a record.
	 *
	 * @param string $text TXT data.
	 * @return self|string The record or why it is invalid.
	 */
	public static function parse( string $text ) {
		if ( ! self::is_dmarc( $text ) ) {
			return 'it does not start with v=DMARC1';
		}
		$tags = array();
		foreach ( explode( ';', $text ) as $pair ) {
			$parts = explode( '=', $pair, 2 );
			if ( 2 === count( $parts ) ) {
				$tags[ strtolower( trim( $parts[0] ) ) ] = trim( $parts[1] );
			}
		}
		$record          = new self();
		$record->reports = isset( $tags['rua'] ) && '' !== $tags['rua'];
		$policies        = array( 'none', 'quarantine', 'reject' );
		$policy          = strtolower( $tags['p'] ?? '' );
		if ( ! in_array( $policy, $policies, true ) ) {
			if ( ! $record->reports ) {
				return isset( $tags['p'] ) ? sprintf( 'p=%s is not none, quarantine or reject', $tags['p'] ) : 'p= is missing';
			}
			$policy = 'none';
		}
		$record->policy           = $policy;
		$subdomain                = strtolower( $tags['sp'] ?? '' );
		$record->subdomain_policy = in_array( $subdomain, $policies, true ) ? $subdomain : $policy;
		$record->adkim            = 's' === strtolower( $tags['adkim'] ?? 'r' ) ? 's' : 'r';
		$record->aspf             = 's' === strtolower( $tags['aspf'] ?? 'r' ) ? 's' : 'r';
		if ( isset( $tags['pct'] ) && preg_match( '/^\d{1,3}$/', $tags['pct'] ) ) {
			$record->pct = min( 100, (int) $tags['pct'] );
		}
		return $record;
	}

	/**
	 * Whether two domains align in a mode (RFC 7489 3.1): strict needs the same name, relaxed the
	 * same organisational domain.
	 *
	 * @param string $authenticated Domain SPF or DKIM authenticated.
	 * @param string $from          From domain.
	 * @param string $mode          r or s.
	 */
	public static function aligned( string $authenticated, string $from, string $mode ): bool {
		$authenticated = strtolower( rtrim( $authenticated, '.' ) );
		$from          = strtolower( rtrim( $from, '.' ) );
		if ( 's' === $mode ) {
			return $authenticated === $from;
		}
		return Organizational_Domain::of( $authenticated ) === Organizational_Domain::of( $from );
	}
}
