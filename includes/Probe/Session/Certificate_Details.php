<?php
/**
 * Certificate details and problems.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe\Session;

use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Probe\Text;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads the facts of a server certificate for the report and works out what is wrong with it
 * when verification failed: expired, not yet valid, self-signed, untrusted issuer, wrong host.
 *
 * @phpstan-type Certificate_Facts array{subject: string, sans: string[], issuer: string, valid_from: string, valid_to: string, days_left: int, chain_verified: bool, host_matched: bool}
 * @phpstan-type Tls_Facts array{version: string, cipher: string, subject: string, sans: string[], issuer: string, valid_from: string, valid_to: string, days_left: int, chain_verified: bool, host_matched: bool}
 */
class Certificate_Details {

	/**
	 * Describes a certificate.
	 *
	 * @param mixed     $cert           X.509 certificate (resource / OpenSSLCertificate / PEM).
	 * @param Host_Name $host           Host that was asked for.
	 * @param bool      $chain_verified Whether OpenSSL verified the chain.
	 * @param int       $now            Wall-clock time (Unix seconds).
	 * @return array{subject: string, sans: string[], issuer: string, valid_from: string, valid_to: string, days_left: int, chain_verified: bool, host_matched: bool, problems: string[], self_signed: bool}
	 */
	public static function describe( $cert, Host_Name $host, bool $chain_verified, int $now ): array {
		$info = openssl_x509_parse( $cert );
		if ( ! is_array( $info ) ) {
			return array_merge(
				self::blank_facts( $chain_verified, false ),
				array(
					'problems'    => $chain_verified ? array() : array( 'untrusted' ),
					'self_signed' => false,
				)
			);
		}
		$subject = isset( $info['subject'] ) && is_array( $info['subject'] ) ? $info['subject'] : array();
		$issuer  = isset( $info['issuer'] ) && is_array( $info['issuer'] ) ? $info['issuer'] : array();
		$sans    = self::parse_sans( isset( $info['extensions']['subjectAltName'] ) ? (string) $info['extensions']['subjectAltName'] : '' );
		$cn      = self::name_part( $subject, 'CN' );
		$from    = isset( $info['validFrom_time_t'] ) ? (int) $info['validFrom_time_t'] : 0;
		$to      = isset( $info['validTo_time_t'] ) ? (int) $info['validTo_time_t'] : 0;
		$matched = self::matches_host( $host, $cn, $sans );

		$self_signed = $subject === $issuer;
		$problems    = array();
		if ( $to < $now ) {
			$problems[] = 'expired';
		}
		if ( $from > $now ) {
			$problems[] = 'not_yet_valid';
		}
		if ( ! $chain_verified ) {
			if ( $self_signed ) {
				$problems[] = 'self_signed';
			} elseif ( array() === $problems ) {
				$problems[] = 'untrusted';
			}
		}
		if ( ! $matched ) {
			$problems[] = 'wrong_host';
		}

		$issuer_name = self::name_part( $issuer, 'CN' );
		if ( '' === $issuer_name ) {
			$issuer_name = self::name_part( $issuer, 'O' );
		}
		return array(
			'subject'        => Text::sanitize( $cn, 255 ),
			'sans'           => $sans,
			'issuer'         => Text::sanitize( $issuer_name, 255 ),
			'valid_from'     => $from > 0 ? gmdate( 'Y-m-d\TH:i:s\Z', $from ) : '',
			'valid_to'       => $to > 0 ? gmdate( 'Y-m-d\TH:i:s\Z', $to ) : '',
			'days_left'      => (int) floor( ( $to - $now ) / 86400 ),
			'chain_verified' => $chain_verified,
			'host_matched'   => $matched,
			'problems'       => $problems,
			'self_signed'    => $self_signed,
		);
	}

	/**
	 * TLS facts of a connection whose handshake OpenSSL verified (chain and host name).
	 *
	 * @param array{version: string, cipher: string, certificate: mixed} $negotiated What the handshake negotiated.
	 * @param Host_Name                                                  $host       Host asked for.
	 * @param int                                                        $now        Wall-clock time (Unix seconds).
	 * @return Tls_Facts Those of describe() but problems and self_signed, with version and cipher.
	 */
	public static function verified_tls( array $negotiated, Host_Name $host, int $now ): array {
		return self::tls_facts( $negotiated, $host, true, true, $now )['tls'];
	}

	/**
	 * TLS facts of a connection made with verification off, and what is wrong with its certificate.
	 *
	 * @param array{version: string, cipher: string, certificate: mixed} $negotiated     What the handshake negotiated.
	 * @param Host_Name                                                  $host           Host asked for.
	 * @param bool                                                       $chain_verified Whether the chain verified on the verified attempt.
	 * @param int                                                        $now            Wall-clock time (Unix seconds).
	 * @return array{tls: Tls_Facts, problems: string[]} Problems are empty when no certificate was read.
	 */
	public static function unverified_tls( array $negotiated, Host_Name $host, bool $chain_verified, int $now ): array {
		return self::tls_facts( $negotiated, $host, false, $chain_verified, $now );
	}

	/**
	 * TLS facts for the report.
	 *
	 * @param array{version: string, cipher: string, certificate: mixed} $negotiated     What the handshake negotiated.
	 * @param Host_Name                                                  $host           Host asked for.
	 * @param bool                                                       $verified       Whether OpenSSL verified chain and host name.
	 * @param bool                                                       $chain_verified Whether the chain verified.
	 * @param int                                                        $now            Wall-clock time (Unix seconds).
	 * @return array{tls: Tls_Facts, problems: string[]}
	 */
	private static function tls_facts( array $negotiated, Host_Name $host, bool $verified, bool $chain_verified, int $now ): array {
		$tls      = array_merge(
			array(
				'version' => Text::sanitize( $negotiated['version'], 40 ),
				'cipher'  => Text::sanitize( $negotiated['cipher'], 80 ),
			),
			self::blank_facts( $chain_verified, $verified )
		);
		$problems = array();
		if ( null !== $negotiated['certificate'] ) {
			$described = self::describe( $negotiated['certificate'], $host, $chain_verified, $now );
			$problems  = $verified ? array() : $described['problems'];
			unset( $described['problems'], $described['self_signed'] );
			if ( $verified ) {
				$described['host_matched']   = true;
				$described['chain_verified'] = true;
			}
			$tls = array_merge( $tls, $described );
		}
		return array(
			'tls'      => $tls,
			'problems' => $problems,
		);
	}

	/**
	 * Certificate facts when no certificate could be read.
	 *
	 * @param bool $chain_verified Whether the chain verified.
	 * @param bool $host_matched   Whether the host name matched.
	 * @return Certificate_Facts
	 */
	private static function blank_facts( bool $chain_verified, bool $host_matched ): array {
		return array(
			'subject'        => '',
			'sans'           => array(),
			'issuer'         => '',
			'valid_from'     => '',
			'valid_to'       => '',
			'days_left'      => 0,
			'chain_verified' => $chain_verified,
			'host_matched'   => $host_matched,
		);
	}

	/**
	 * Extracts one attribute of a parsed X.509 name (first value if repeated).
	 *
	 * @param array<string, mixed> $name Parsed name.
	 * @param string               $key  Attribute, e.g. CN.
	 * @return string
	 */
	private static function name_part( array $name, string $key ): string {
		if ( ! isset( $name[ $key ] ) ) {
			return '';
		}
		$value = $name[ $key ];
		if ( is_array( $value ) ) {
			$value = reset( $value );
		}
		return (string) $value;
	}

	/**
	 * Parses OpenSSL's subjectAltName text ("DNS:a, IP Address:1.2.3.4").
	 *
	 * @param string $text Extension text.
	 * @return string[] Names and IP addresses (at most 50).
	 */
	public static function parse_sans( string $text ): array {
		$sans = array();
		foreach ( explode( ',', $text ) as $part ) {
			$part = trim( $part );
			if ( preg_match( '/^DNS:(.+)$/', $part, $m ) ) {
				$sans[] = strtolower( Text::sanitize( $m[1], 255 ) );
			} elseif ( preg_match( '/^IP Address:(.+)$/', $part, $m ) ) {
				$ip = trim( $m[1] );
				if ( false !== filter_var( $ip, FILTER_VALIDATE_IP ) ) {
					$ip = (string) inet_ntop( (string) inet_pton( $ip ) );
				}
				$sans[] = Text::sanitize( $ip, 64 );
			}
		}
		return array_slice( $sans, 0, 50 );
	}

	/**
	 * Whether a certificate's names cover the host (RFC 6125: SANs first, CN only without
	 * DNS SANs; a wildcard covers exactly one left-most label).
	 *
	 * @param Host_Name $host Host asked for.
	 * @param string    $cn   Subject CN.
	 * @param string[]  $sans SANs from parse_sans().
	 * @return bool
	 */
	public static function matches_host( Host_Name $host, string $cn, array $sans ): bool {
		$name = $host->get_ascii();
		if ( $host->is_ip() ) {
			$packed = inet_pton( $name );
			foreach ( $sans as $san ) {
				if ( false !== filter_var( $san, FILTER_VALIDATE_IP ) && inet_pton( $san ) === $packed ) {
					return true;
				}
			}
			return false;
		}
		$dns_sans = array();
		foreach ( $sans as $san ) {
			if ( false === filter_var( $san, FILTER_VALIDATE_IP ) ) {
				$dns_sans[] = $san;
			}
		}
		if ( array() === $dns_sans && '' !== $cn ) {
			$dns_sans[] = strtolower( $cn );
		}
		foreach ( $dns_sans as $pattern ) {
			if ( self::name_matches( $pattern, $name ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Matches one certificate name (possibly "*.example.com") against a host name.
	 *
	 * @param string $pattern Certificate name.
	 * @param string $name    Host (lower case ASCII).
	 * @return bool
	 */
	public static function name_matches( string $pattern, string $name ): bool {
		$pattern = rtrim( strtolower( $pattern ), '.' );
		if ( $pattern === $name ) {
			return true;
		}
		if ( 0 === strpos( $pattern, '*.' ) && substr_count( $pattern, '.' ) >= 2 ) {
			$suffix = substr( $pattern, 1 );
			$dot    = strpos( $name, '.' );
			return false !== $dot && $dot > 0 && substr( $name, $dot ) === $suffix;
		}
		return false;
	}
}
