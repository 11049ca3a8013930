<?php
/**
 * IPv4 and IPv6 apart: which families a port is probed over, and what their results say together.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

use SmtpPortHelper\Net\Address_Policy;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A host with A and AAAA records is probed over both families at once, each with its own
 * session (the first address of the family, the next one when it is refused or unreachable),
 * so that a broken IPv6 route reads as "IPv6: no route — IPv4: works" instead of one verdict
 * about whichever address came first. Families whose every address the policy refuses are not
 * probed (and never shown).
 *
 * @phpstan-type Family_Array array{family: string, ok: bool, verdict: string, cause: string, stage: string, elapsed_ms: int, connect_ms: int|null, detail: string}
 */
final class Address_Family {

	const IPV4 = 'ipv4';
	const IPV6 = 'ipv6';

	/**
	 * The family of an IP address.
	 *
	 * @param string $address IPv4 or IPv6 address (no brackets).
	 * @return string self::IPV4 or self::IPV6.
	 */
	public static function of( string $address ): string {
		return false !== strpos( $address, ':' ) ? self::IPV6 : self::IPV4;
	}

	/**
	 * The family's name as people write it.
	 *
	 * @param string $family self::IPV4 or self::IPV6.
	 * @return string
	 */
	public static function label( string $family ): string {
		return self::IPV6 === $family ? 'IPv6' : 'IPv4';
	}

	/**
	 * The families to probe apart: both when the policy allows an address of each, else one
	 * session over every address as before ('').
	 *
	 * @param array{a: string[], aaaa: string[]} $dns    DNS answer.
	 * @param Address_Policy                     $policy Where connections may go.
	 * @return string[] array( self::IPV4, self::IPV6 ) or array( '' ).
	 */
	public static function to_probe( array $dns, Address_Policy $policy ): array {
		if ( array() !== $policy->allowed( $dns['a'] ) && array() !== $policy->allowed( $dns['aaaa'] ) ) {
			return array( self::IPV4, self::IPV6 );
		}
		return array( '' );
	}

	/**
	 * Keeps the addresses of one family ('' keeps all).
	 *
	 * @param string[] $addresses Addresses.
	 * @param string   $family    self::IPV4, self::IPV6 or ''.
	 * @return string[]
	 */
	public static function filter( array $addresses, string $family ): array {
		if ( '' === $family ) {
			return $addresses;
		}
		$kept = array();
		foreach ( $addresses as $address ) {
			if ( self::of( $address ) === $family ) {
				$kept[] = $address;
			}
		}
		return $kept;
	}

	/**
	 * One result for a port from its two family results: the one that works when only one does,
	 * else the IPv4 one (tried first, as sending does); both are kept in `families`.
	 *
	 * @param Port_Result $ipv4 Result over IPv4.
	 * @param Port_Result $ipv6 Result over IPv6.
	 * @return Port_Result
	 */
	public static function merge( Port_Result $ipv4, Port_Result $ipv6 ): Port_Result {
		// One login per port: the family that did not log in carries the login's outcome.
		self::take_login_outcome( $ipv4, $ipv6 );
		self::take_login_outcome( $ipv6, $ipv4 );
		$primary           = ( ! $ipv4->is_ok() && $ipv6->is_ok() ) ? $ipv6 : $ipv4;
		$primary->families = array(
			self::IPV4 => clone $ipv4,
			self::IPV6 => clone $ipv6,
		);
		return $primary;
	}

	/**
	 * A family that checked the connection and TLS only (the other logged in): when the login
	 * was refused or could not be tried, that is its outcome too — the port works for sending
	 * over neither family.
	 *
	 * @param Port_Result $skipped The family that may have left the login to the other.
	 * @param Port_Result $login   The other family.
	 */
	private static function take_login_outcome( Port_Result $skipped, Port_Result $login ): void {
		if ( '' === $skipped->login_checked_over || ! $skipped->is_ok() || null === $login->auth_ok && null === $login->get_stage( 'auth' ) ) {
			return;
		}
		$skipped->auth_ok = $login->auth_ok;
		if ( ! $login->is_ok() ) {
			$skipped->verdict        = $login->verdict;
			$skipped->verdict_detail = $login->verdict_detail . ' (login checked over ' . self::label( $skipped->login_checked_over ) . ' only)';
		}
	}

	/**
	 * The only family that works on this port, or '' (both, neither, or one family probed).
	 *
	 * @param Port_Result $result Merged result.
	 * @return string
	 */
	public static function only_working( Port_Result $result ): string {
		if ( 2 !== count( $result->families ) ) {
			return '';
		}
		$working = array();
		foreach ( $result->families as $family => $family_result ) {
			if ( $family_result->is_ok() ) {
				$working[] = $family;
			}
		}
		return 1 === count( $working ) ? $working[0] : '';
	}

	/**
	 * "IPv6: no route to the server — IPv4: works", and what it means for sending; '' when both
	 * families came to the same verdict (or only one was probed).
	 *
	 * @param Port_Result $result Merged result.
	 * @return string
	 */
	public static function note( Port_Result $result ): string {
		if ( 2 !== count( $result->families ) ) {
			return '';
		}
		$ipv4 = $result->families[ self::IPV4 ];
		$ipv6 = $result->families[ self::IPV6 ];
		if ( $ipv4->verdict === $ipv6->verdict ) {
			return '';
		}
		$text = sprintf(
			/* translators: 1: the outcome over IPv6, e.g. "IPv6: connection refused", 2: the outcome over IPv4 */
			__( '%1$s — %2$s.', 'smtp-port-helper' ),
			'IPv6: ' . self::outcome( $ipv6 ),
			'IPv4: ' . self::outcome( $ipv4 )
		);
		$only = self::only_working( $result );
		if ( '' !== $only ) {
			$broken = self::IPV4 === $only ? self::IPV6 : self::IPV4;
			$text  .= ' ' . sprintf(
				/* translators: 1: the address family that works (IPv4 or IPv6), 2: the one that does not */
				__( 'The mail server has addresses of both kinds, but from this web server only %1$s gets through. Mail is therefore sent over %1$s: the plugin connects to the %1$s address and still checks the certificate against the server name. To use %2$s as well, ask your web host to check the server\'s %2$s route and firewall for outgoing mail.', 'smtp-port-helper' ),
				self::label( $only ),
				self::label( $broken )
			);
		}
		return $text;
	}

	/**
	 * The families of a merged result as REST data (no addresses: the stage where each stopped).
	 *
	 * @param Port_Result $result Merged result.
	 * @return list<Family_Array>
	 */
	public static function to_list( Port_Result $result ): array {
		$list = array();
		foreach ( $result->families as $family => $family_result ) {
			$last    = end( $family_result->stages );
			$connect = $family_result->get_stage( 'connect' );
			$list[]  = array(
				'family'     => $family,
				'ok'         => $family_result->is_ok(),
				'verdict'    => $family_result->verdict,
				'cause'      => Verdict::cause( $family_result->verdict ),
				'stage'      => false !== $last ? $last['name'] : 'dns',
				'elapsed_ms' => (int) round( $family_result->elapsed_ms ),
				'connect_ms' => null !== $connect && $connect['ok'] ? (int) round( $connect['ms'] ) : null,
				'detail'     => $family_result->verdict_detail,
			);
		}
		return $list;
	}

	/**
	 * A family's outcome in a few words.
	 *
	 * @param Port_Result $result Result over one family.
	 * @return string
	 */
	private static function outcome( Port_Result $result ): string {
		switch ( $result->verdict ) {
			case Verdict::OK:
				return __( 'works', 'smtp-port-helper' );
			case Verdict::UNREACHABLE:
				return __( 'no route to the server (unreachable)', 'smtp-port-helper' );
			case Verdict::TIMEOUT:
				if ( null !== $result->stopped_after_other ) {
					return sprintf(
						/* translators: %s: whole seconds, e.g. 2 */
						__( 'no answer; given up %s seconds after the other family answered (blocked)', 'smtp-port-helper' ),
						(string) floor( $result->stopped_after_other )
					);
				}
				return __( 'no answer before the time limit (blocked)', 'smtp-port-helper' );
			case Verdict::REFUSED:
				return __( 'connection refused', 'smtp-port-helper' );
			default:
				return sprintf(
					/* translators: %s: verdict code, e.g. tls_failed */
					__( 'fails (%s)', 'smtp-port-helper' ),
					$result->verdict
				);
		}
	}
}
