<?php
/**
 * Will mail sent this way be received? SPF, DKIM, DMARC, MX and the Return-Path of the From domain
 * for the path in use.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads the From domain's records through a Record_Source (every first look-up at once) and
 * relates them to the path: the provider's documented SPF include and DKIM selectors, or, for a
 * host the plugin does not know, the addresses it resolves to. Nothing is sent to anyone but the
 * site's own name servers.
 */
final class Domain_Check {

	/**
	 * DNS.
	 *
	 * @var Record_Source
	 */
	private Record_Source $dns;

	/**
	 * Takes the DNS.
	 *
	 * @param Record_Source $dns DNS.
	 */
	public function __construct( Record_Source $dns ) {
		$this->dns = $dns;
	}

	/**
	 * Runs every check.
	 *
	 * @param Send_Path $path The path.
	 * @return array{from_domain: string, host: string, provider: string, return_path_domain: string, status: string, findings: list<Finding>}
	 */
	public function run( Send_Path $path ): array {
		$domain      = $path->from_domain;
		$org         = Organizational_Domain::of( $domain );
		$return_path = $path->return_path_domain();
		$questions   = array(
			array( $domain, Dns_Packet::TYPE_TXT ),
			array( $domain, Dns_Packet::TYPE_MX ),
			array( '_dmarc.' . $domain, Dns_Packet::TYPE_TXT ),
			array( '_dmarc.' . $org, Dns_Packet::TYPE_TXT ),
		);
		foreach ( null === $path->provider ? array() : $path->provider['dkim'] as $selector ) {
			// A selector documented as a CNAME is read as a TXT key when the CNAME is missing: both at once.
			$questions[] = array( $selector['selector'] . '._domainkey.' . $domain, Dns_Packet::TYPE_TXT );
			if ( 'cname' === $selector['kind'] ) {
				$questions[] = array( $selector['selector'] . '._domainkey.' . $domain, Dns_Packet::TYPE_CNAME );
			}
		}
		if ( null !== $path->own_key ) {
			$questions[] = array( $path->own_key->record_name(), Dns_Packet::TYPE_TXT );
		}
		if ( null === $path->provider && false === filter_var( $path->host, FILTER_VALIDATE_IP ) ) {
			$questions[] = array( $path->host, Dns_Packet::TYPE_A );
			$questions[] = array( $path->host, Dns_Packet::TYPE_AAAA );
		}
		$this->dns->prefetch( $questions );
		if ( ! $this->any_answered( $questions ) ) {
			return $this->report( $path, $return_path, array( self::no_name_server( $domain ) ) );
		}

		$findings   = array();
		$spf        = ( new Spf_Check( $this->dns ) )->find( $path );
		$findings[] = $spf['finding'];
		$dkim       = ( new Dkim_Check( $this->dns ) )->find( $path );
		$findings   = array_merge( $findings, $dkim['findings'] );
		$dmarc      = new Dmarc_Check( $this->dns );
		$findings[] = $dmarc->return_path( $path, $return_path );
		$findings[] = $dmarc->find( $path, $org, $return_path, Spf_Evaluator::PASS === $spf['result'], $dkim['aligned'] );
		$findings[] = ( new Mx_Check( $this->dns ) )->find( $domain );

		return $this->report( $path, $return_path, $findings );
	}

	/**
	 * The report of the findings.
	 *
	 * @param Send_Path      $path        The path.
	 * @param string         $return_path Return-Path domain.
	 * @param array<Finding> $findings    Findings, in order.
	 * @return array{from_domain: string, host: string, provider: string, return_path_domain: string, status: string, findings: list<Finding>}
	 */
	private function report( Send_Path $path, string $return_path, array $findings ): array {
		$status = Finding::PASS;
		foreach ( $findings as $finding ) {
			if ( Finding::FAIL === $finding->status || ( Finding::WARN === $finding->status && Finding::PASS === $status ) ) {
				$status = $finding->status;
			}
		}
		return array(
			'from_domain'        => $path->from_domain,
			'host'               => $path->host,
			'provider'           => null === $path->provider ? '' : $path->provider['id'],
			'return_path_domain' => $return_path,
			'status'             => $status,
			'findings'           => array_values( $findings ),
		);
	}

	/**
	 * Whether any of the first questions got an answer (records, no data or no such name).
	 *
	 * @param list<array{0: string, 1: int}> $questions Name and type.
	 */
	private function any_answered( array $questions ): bool {
		foreach ( $questions as $question ) {
			if ( Record_Source::FAILED !== $this->dns->records( $question[0], $question[1] )['status'] ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * One plain finding instead of a temperror for every record: no name server answered at all.
	 *
	 * @param string $domain From domain.
	 */
	private static function no_name_server( string $domain ): Finding {
		return new Finding(
			'dns',
			Finding::WARN,
			'no_name_server',
			/* translators: %s: domain. */
			sprintf( __( 'No name server answered, so the records of %s could not be checked.', 'smtp-port-helper' ), $domain ),
			__( 'This says nothing about your domain yet: this server could not ask DNS at all. In WordPress Playground (the demo in a browser) PHP cannot send DNS questions. On a real host, the name servers in /etc/resolv.conf did not answer, or DNS (port 53, UDP and TCP) is blocked for PHP: ask the host, then run the check again.', 'smtp-port-helper' ),
			''
		);
	}
}
