<?php
/**
 * The SPF finding of the domain check: the From domain's SPF for the path in use.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Evaluates the From domain's SPF for a known provider (its documented include) or, for a host the
 * plugin does not know, for the addresses the host resolves to (a relay on a private network is
 * named as such), and proposes the record to publish.
 */
final class Spf_Check {

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
	 * SPF of the From domain for this path.
	 *
	 * @param Send_Path $path Path.
	 * @return array{result: string, finding: Finding}
	 */
	public function find( Send_Path $path ): array {
		$domain    = $path->from_domain;
		$evaluator = new Spf_Evaluator( $this->dns );
		$existing  = $this->spf_text( $domain );
		if ( null !== $path->provider ) {
			$outcome  = $evaluator->for_provider( $domain, $path->provider['spf'] );
			$sender   = $path->provider['label'];
			$new_term = 'include:' . $path->provider['spf'][0];
			$guess    = '';
		} else {
			$addresses = false !== filter_var( $path->host, FILTER_VALIDATE_IP )
				? array( $path->host )
				: array_merge( Dns_Data::data( $this->dns, $path->host, Dns_Packet::TYPE_A ), Dns_Data::data( $this->dns, $path->host, Dns_Packet::TYPE_AAAA ) );
			$public    = array_filter(
				$addresses,
				static function ( string $address ): bool {
					return false !== filter_var( $address, FILTER_VALIDATE_IP, FILTER_FLAG_NO_PRIV_RANGE | FILTER_FLAG_NO_RES_RANGE );
				}
			);
			if ( array() !== $addresses && array() === $public ) {
				return array(
					'result'  => Spf_Evaluator::NEUTRAL,
					'finding' => new Finding(
						'spf',
						Finding::WARN,
						'local_relay',
						/* translators: 1: SMTP host, 2: its addresses. */
						sprintf( __( '%1$s is a relay on this server or its network (%2$s): SPF depends on where that relay sends from.', 'smtp-port-helper' ), $path->host, implode( ', ', $addresses ) ),
						__( 'Receivers never see a private or loopback address: they check the public address the relay hands the mail on from, or the service it relays through. Ask whoever runs the relay which SPF include or addresses to publish, and check again with that service as the host.', 'smtp-port-helper' ),
						(string) $existing
					),
				);
			}
			/* translators: %s: SMTP host name. */
			$guess = sprintf( __( 'The plugin does not know the provider behind %s, so it checked the addresses that name resolves to. Many services send from other servers than the one you log in to: if your provider documents an SPF include, that include is what counts.', 'smtp-port-helper' ), $path->host );
			if ( array() === $addresses ) {
				return array(
					'result'  => Spf_Evaluator::TEMPERROR,
					'finding' => new Finding(
						'spf',
						Finding::WARN,
						Spf_Evaluator::TEMPERROR,
						/* translators: %s: SMTP host name. */
						sprintf( __( 'SPF could not be checked: %s has no address.', 'smtp-port-helper' ), $path->host ),
						$guess,
						(string) $existing
					),
				);
			}
			$outcome = null;
			$terms   = array();
			$rank    = array_flip( array( Spf_Evaluator::PASS, Spf_Evaluator::NEUTRAL, Spf_Evaluator::NONE, Spf_Evaluator::SOFTFAIL, Spf_Evaluator::TEMPERROR, Spf_Evaluator::FAIL, Spf_Evaluator::PERMERROR ) );
			foreach ( $addresses as $address ) {
				$one     = $evaluator->for_address( $domain, $address );
				$terms[] = ( false !== strpos( $address, ':' ) ? 'ip6:' : 'ip4:' ) . $address;
				if ( null === $outcome || $rank[ $one['result'] ] > $rank[ $outcome['result'] ] ) {
					$outcome = $one;
				}
			}
			$sender   = $path->host;
			$new_term = implode( ' ', $terms );
		}
		$result   = $outcome['result'];
		$evidence = implode( "\n", array_merge( $outcome['trail'], array( sprintf( 'result: %s (%s); DNS-querying terms: %d of 10; void look-ups: %d of 2', $result, $outcome['reason'], $outcome['lookups'], $outcome['voids'] ) ) ) );
		$record   = null;
		if ( Spf_Evaluator::NONE === $result ) {
			$record = Finding::record( 'TXT', $domain, 'v=spf1 ' . $new_term . ' ~all' );
		} elseif ( in_array( $result, array( Spf_Evaluator::FAIL, Spf_Evaluator::SOFTFAIL, Spf_Evaluator::NEUTRAL ), true ) && null !== $existing ) {
			$record = Finding::record( 'TXT', $domain, (string) preg_replace( '/^v=spf1/i', 'v=spf1 ' . $new_term, $existing ) );
		}
		$gmail = __( 'Gmail, Outlook and Yahoo check SPF on every message; since 2024 Gmail and Yahoo refuse or junk mail that passes neither SPF nor DKIM, and Outlook.com does the same for large senders since 2025.', 'smtp-port-helper' );
		switch ( $result ) {
			case Spf_Evaluator::PASS:
				/* translators: 1: domain, 2: provider or host. */
				$summary = sprintf( __( 'SPF of %1$s allows %2$s: pass.', 'smtp-port-helper' ), $domain, $sender );
				$status  = Finding::PASS;
				$meaning = __( 'Receivers see that this path may send for the domain.', 'smtp-port-helper' );
				break;
			case Spf_Evaluator::NONE:
				/* translators: %s: domain. */
				$summary = sprintf( __( '%s has no SPF record.', 'smtp-port-helper' ), $domain );
				$status  = Finding::FAIL;
				$meaning = $gmail . ' ' . __( 'Publish the record below.', 'smtp-port-helper' );
				break;
			case Spf_Evaluator::PERMERROR:
				/* translators: %s: domain. */
				$summary = sprintf( __( 'The SPF record of %s is broken (permerror).', 'smtp-port-helper' ), $domain );
				$status  = Finding::FAIL;
				$meaning = __( 'A broken SPF record counts as no SPF at all: Gmail, Outlook and Yahoo treat the mail as unauthenticated by SPF. The usual causes are more than 10 includes and look-ups (remove services you no longer use, or ask your DNS host to flatten the record) and terms naming domains that do not exist.', 'smtp-port-helper' );
				break;
			case Spf_Evaluator::TEMPERROR:
				/* translators: %s: domain. */
				$summary = sprintf( __( 'The SPF record of %s could not be read in time (temperror).', 'smtp-port-helper' ), $domain );
				$status  = Finding::WARN;
				$meaning = __( 'A name server did not answer. Receivers retry later when this happens to them; run the check again.', 'smtp-port-helper' );
				break;
			default:
				/* translators: 1: domain, 2: provider or host, 3: SPF result. */
				$summary = sprintf( __( 'SPF of %1$s does not allow %2$s: %3$s.', 'smtp-port-helper' ), $domain, $sender, $result );
				$status  = Spf_Evaluator::FAIL === $result ? Finding::FAIL : Finding::WARN;
				$meaning = $gmail . ' ' . __( 'Add this path to the record as shown below (keep one SPF record only).', 'smtp-port-helper' );
				if ( ! Dmarc_Record::aligned( $path->return_path_domain(), $domain, 'r' ) ) {
					// Receivers check SPF at the envelope sender's domain, which is the provider's here.
					$status   = Finding::WARN;
					$meaning .= ' ' . sprintf(
						/* translators: 1: provider, 2: its bounce domain. */
						__( '%1$s sends with its own bounce domain (%2$s), so receivers check SPF there, not at your domain: this record starts to count once you set up a custom Return-Path domain under your own domain at the provider.', 'smtp-port-helper' ),
						$sender,
						$path->return_path_domain()
					);
				}
		}
		if ( '' !== $guess ) {
			$meaning .= ' ' . $guess;
		}
		return array(
			'result'  => $result,
			'finding' => new Finding( 'spf', $status, $result, $summary, $meaning, $evidence, $record ),
		);
	}

	/**
	 * The one SPF record of a domain, or null.
	 *
	 * @param string $domain Domain.
	 */
	private function spf_text( string $domain ): ?string {
		$texts = array_values( array_filter( Dns_Data::data( $this->dns, $domain, Dns_Packet::TYPE_TXT ), array( Spf_Record::class, 'is_spf' ) ) );
		return 1 === count( $texts ) ? $texts[0] : null;
	}
}
