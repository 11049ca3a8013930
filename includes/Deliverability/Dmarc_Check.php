<?php
/**
 * The Return-Path and DMARC findings of the domain check: whether mail over the path aligns.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads the DMARC record (with the organisational-domain fallback) and relates it to the envelope
 * sender's domain and to the SPF and DKIM results of the path.
 */
final class Dmarc_Check {

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
	 * The envelope sender's domain.
	 *
	 * @param Send_Path $path        Path.
	 * @param string    $return_path Return-Path domain.
	 */
	public function return_path( Send_Path $path, string $return_path ): Finding {
		$aligned = Dmarc_Record::aligned( $return_path, $path->from_domain, 'r' );
		if ( $aligned ) {
			return new Finding(
				'return_path',
				Finding::PASS,
				'aligned',
				/* translators: %s: domain. */
				sprintf( __( 'Bounces go to %s, your own domain.', 'smtp-port-helper' ), $return_path ),
				__( 'SPF is checked for your domain, so a passing SPF also counts for DMARC.', 'smtp-port-helper' ),
				'Return-Path domain: ' . $return_path
			);
		}
		$provider = null === $path->provider ? '' : $path->provider['dkim_setup'];
		return new Finding(
			'return_path',
			Finding::WARN,
			'not_aligned',
			/* translators: 1: domain, 2: provider. */
			sprintf( __( 'Bounces go to %1$s, the domain of %2$s.', 'smtp-port-helper' ), $return_path, null === $path->provider ? $path->host : $path->provider['label'] ),
			/* translators: %s: where the provider sets up a custom domain. */
			sprintf( __( 'Receivers check SPF for that domain, not yours, so SPF cannot count for DMARC: DMARC passes only with a DKIM signature of your domain. Most providers offer a custom bounce (Return-Path) domain under your own domain: %s.', 'smtp-port-helper' ), $provider ),
			'Return-Path domain: ' . $return_path
		);
	}

	/**
	 * DMARC: the record (with the organisational-domain fallback) and whether this path aligns.
	 *
	 * @param Send_Path $path         Path.
	 * @param string    $org          Organisational domain.
	 * @param string    $return_path  Return-Path domain.
	 * @param bool      $spf_pass     Whether SPF passed for the From domain.
	 * @param bool|null $dkim_aligned Whether a DKIM signature of the From domain is expected (null: unknown).
	 */
	public function find( Send_Path $path, string $org, string $return_path, bool $spf_pass, ?bool $dkim_aligned ): Finding {
		$domain   = $path->from_domain;
		$found_at = '_dmarc.' . $domain;
		$lookup   = $this->dmarc_texts( $found_at );
		if ( null !== $lookup && array() === $lookup && $org !== $domain ) {
			$found_at = '_dmarc.' . $org;
			$lookup   = $this->dmarc_texts( $found_at );
		}
		$publish = Finding::record( 'TXT', '_dmarc.' . $org, 'v=DMARC1; p=none; rua=mailto:postmaster@' . $org );
		if ( null === $lookup ) {
			return new Finding(
				'dmarc',
				Finding::WARN,
				'temperror',
				/* translators: %s: domain. */
				sprintf( __( 'The DMARC record of %s could not be read in time.', 'smtp-port-helper' ), $domain ),
				__( 'A name server did not answer; run the check again.', 'smtp-port-helper' ),
				''
			);
		}
		if ( count( $lookup ) !== 1 ) {
			return new Finding(
				'dmarc',
				Finding::WARN,
				array() === $lookup ? 'missing' : 'several',
				array() === $lookup
					/* translators: %s: domain. */
					? sprintf( __( '%s has no DMARC record.', 'smtp-port-helper' ), $domain )
					/* translators: %s: DNS name. */
					: sprintf( __( '%s has more than one DMARC record, so receivers use none.', 'smtp-port-helper' ), $found_at ),
				__( 'Since 2024 Gmail and Yahoo require a DMARC record (at least p=none) from anyone who sends them more than 5,000 messages a day, and Outlook.com from large senders since 2025; for everyone else it builds trust. Start with p=none (reports go to the rua address: make sure it receives mail) and move to quarantine once the reports show your mail aligned.', 'smtp-port-helper' ),
				implode( "\n", $lookup ),
				$publish
			);
		}
		$record = Dmarc_Record::parse( $lookup[0] );
		if ( is_string( $record ) ) {
			return new Finding(
				'dmarc',
				Finding::FAIL,
				'invalid',
				/* translators: 1: DNS name, 2: why. */
				sprintf( __( 'The DMARC record at %1$s is not valid: %2$s.', 'smtp-port-helper' ), $found_at, $record ),
				__( 'Receivers ignore an invalid DMARC record, as if there were none.', 'smtp-port-helper' ),
				$found_at . ' TXT "' . $lookup[0] . '"',
				$publish
			);
		}
		$policy      = '_dmarc.' . $domain === $found_at ? $record->policy : $record->subdomain_policy;
		$spf_aligned = $spf_pass && Dmarc_Record::aligned( $return_path, $domain, $record->aspf );
		$dkim_ok     = true === $dkim_aligned && Dmarc_Record::aligned( $domain, $domain, $record->adkim );
		$evidence    = sprintf(
			"%s TXT \"%s\"%s\npolicy applied: %s; aspf=%s, adkim=%s\nSPF aligned: %s (Return-Path %s, SPF %s); DKIM aligned: %s",
			$found_at,
			$lookup[0],
			'_dmarc.' . $domain === $found_at ? '' : ' (organisational-domain fallback)',
			$policy,
			$record->aspf,
			$record->adkim,
			$spf_aligned ? 'yes' : 'no',
			$return_path,
			$spf_pass ? 'pass' : 'not pass',
			null === $dkim_aligned ? 'unknown' : ( $dkim_ok ? 'yes' : 'no' )
		);
		if ( $spf_aligned || $dkim_ok ) {
			return new Finding(
				'dmarc',
				Finding::PASS,
				'aligned',
				/* translators: 1: policy. */
				sprintf( __( 'DMARC (p=%s): mail over this path aligns.', 'smtp-port-helper' ), $policy ),
				__( 'Gmail, Outlook and Yahoo will see DMARC pass for mail sent this way.', 'smtp-port-helper' ),
				$evidence
			);
		}
		$consequence = array(
			'reject'     => __( 'Gmail, Outlook and Yahoo will refuse mail sent this way (Gmail: "550 5.7.26 unauthenticated").', 'smtp-port-helper' ),
			'quarantine' => __( 'Gmail, Outlook and Yahoo will put mail sent this way in spam.', 'smtp-port-helper' ),
			'none'       => __( 'The policy asks receivers to do nothing special yet, but Gmail and Yahoo count failing mail against the domain, and bulk senders must align.', 'smtp-port-helper' ),
		);
		$fix         = __( 'To align, publish the provider\'s DKIM records for your domain (see the DKIM finding), or let bounces use your own domain and include the provider in SPF.', 'smtp-port-helper' );
		if ( null === $dkim_aligned ) {
			return new Finding(
				'dmarc',
				'none' === $policy ? Finding::WARN : Finding::FAIL,
				'depends_on_dkim',
				/* translators: 1: policy. */
				sprintf( __( 'DMARC (p=%s): SPF does not align; DMARC passes only if this path signs with DKIM for your domain.', 'smtp-port-helper' ), $policy ),
				$consequence[ $policy ] . ' ' . __( 'That is, unless the provider signs with a DKIM key of your domain, which the plugin could not check.', 'smtp-port-helper' ) . ' ' . $fix,
				$evidence
			);
		}
		return new Finding(
			'dmarc',
			'none' === $policy ? Finding::WARN : Finding::FAIL,
			'not_aligned',
			/* translators: 1: policy. */
			sprintf( __( 'DMARC (p=%s): mail over this path will fail DMARC.', 'smtp-port-helper' ), $policy ),
			$consequence[ $policy ] . ' ' . $fix,
			$evidence
		);
	}

	/**
	 * The DMARC records at a name: null when it could not be read.
	 *
	 * @param string $name Name.
	 * @return string[]|null
	 */
	private function dmarc_texts( string $name ): ?array {
		$answer = $this->dns->records( $name, Dns_Packet::TYPE_TXT );
		if ( Record_Source::FAILED === $answer['status'] ) {
			return null;
		}
		return array_values( array_filter( Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_TXT ), array( Dmarc_Record::class, 'is_dmarc' ) ) );
	}
}
