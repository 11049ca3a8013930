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
			$questions[] = array( $selector['selector'] . '._domainkey.' . $domain, 'cname' === $selector['kind'] ? Dns_Packet::TYPE_CNAME : Dns_Packet::TYPE_TXT );
		}
		if ( null === $path->provider && false === filter_var( $path->host, FILTER_VALIDATE_IP ) ) {
			$questions[] = array( $path->host, Dns_Packet::TYPE_A );
			$questions[] = array( $path->host, Dns_Packet::TYPE_AAAA );
		}
		$this->dns->prefetch( $questions );

		$findings   = array();
		$spf        = $this->spf( $path );
		$findings[] = $spf['finding'];
		$dkim       = $this->dkim( $path );
		$findings   = array_merge( $findings, $dkim['findings'] );
		$findings[] = $this->return_path( $path, $return_path );
		$findings[] = $this->dmarc( $path, $org, $return_path, self::PASS_RESULTS[ $spf['result'] ] ?? false, $dkim['aligned'] );
		$findings[] = $this->mx( $domain );

		$status = Finding::PASS;
		foreach ( $findings as $finding ) {
			if ( Finding::FAIL === $finding->status || ( Finding::WARN === $finding->status && Finding::PASS === $status ) ) {
				$status = $finding->status;
			}
		}
		return array(
			'from_domain'        => $domain,
			'host'               => $path->host,
			'provider'           => null === $path->provider ? '' : $path->provider['id'],
			'return_path_domain' => $return_path,
			'status'             => $status,
			'findings'           => $findings,
		);
	}

	/** SPF results that authenticate. */
	private const PASS_RESULTS = array( Spf_Evaluator::PASS => true );

	/**
	 * SPF of the From domain for this path.
	 *
	 * @param Send_Path $path Path.
	 * @return array{result: string, finding: Finding}
	 */
	private function spf( Send_Path $path ): array {
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
				: array_merge( $this->data( $path->host, Dns_Packet::TYPE_A ), $this->data( $path->host, Dns_Packet::TYPE_AAAA ) );
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
			$record = self::record( 'TXT', $domain, 'v=spf1 ' . $new_term . ' ~all' );
		} elseif ( in_array( $result, array( Spf_Evaluator::FAIL, Spf_Evaluator::SOFTFAIL, Spf_Evaluator::NEUTRAL ), true ) && null !== $existing ) {
			$record = self::record( 'TXT', $domain, (string) preg_replace( '/^v=spf1/i', 'v=spf1 ' . $new_term, $existing ) );
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
	 * DKIM at the provider's documented selectors.
	 *
	 * @param Send_Path $path Path.
	 * @return array{aligned: bool|null, findings: list<Finding>}
	 */
	private function dkim( Send_Path $path ): array {
		$domain = $path->from_domain;
		if ( null === $path->provider ) {
			return array(
				'aligned'  => null,
				'findings' => array(
					new Finding(
						'dkim',
						Finding::WARN,
						'unknown',
						/* translators: %s: SMTP host name. */
						sprintf( __( 'Whether %s signs mail with DKIM is not known.', 'smtp-port-helper' ), $path->host ),
						__( 'DKIM is what keeps mail authenticated when it is forwarded, and DMARC passes with it alone. Ask your mail provider for its DKIM records (a selector and a TXT or CNAME record under _domainkey) and publish them.', 'smtp-port-helper' ),
						''
					),
				),
			);
		}
		$provider = $path->provider;
		if ( array() === $provider['dkim'] ) {
			return array(
				'aligned'  => null,
				'findings' => array(
					new Finding(
						'dkim',
						Finding::WARN,
						'unknown',
						/* translators: %s: provider. */
						sprintf( __( '%s chooses the DKIM selector for each account, so the plugin cannot look it up.', 'smtp-port-helper' ), $provider['label'] ),
						/* translators: 1: provider, 2: where the provider shows its DKIM records, 3: domain the provider signs with otherwise. */
						sprintf( __( 'Until the DKIM records %1$s shows are published, it signs with its own domain (%3$s), which does not align with your From domain for DMARC. Find them here: %2$s.', 'smtp-port-helper' ), $provider['label'], $provider['dkim_setup'], $provider['signer'] ),
						$provider['source']
					),
				),
			);
		}
		$findings = array();
		$aligned  = false;
		$dashed   = str_replace( '.', '-', $domain );
		foreach ( $provider['dkim'] as $selector ) {
			$name   = $selector['selector'] . '._domainkey.' . $domain;
			$target = str_replace( '{dashed}', $dashed, $selector['target'] );
			$result = $this->dkim_selector( $name, $selector['kind'], $target );
			if ( Finding::FAIL !== $result['status'] ) {
				$aligned = true;
			}
			if ( 'missing' === $result['result'] ) {
				$result['record'] = 'cname' === $selector['kind']
					? self::record( 'CNAME', $name, $target )
					: self::record( 'TXT', $name, 'v=DKIM1; k=rsa; p={' . __( 'the public key shown by the provider', 'smtp-port-helper' ) . '}' );
			}
			/* translators: 1: what was found, 2: provider, 3: where the provider shows the DKIM records, 4: domain the provider signs with otherwise. */
			$meaning    = sprintf( __( '%1$s Without a DKIM key for your domain, %2$s signs with %4$s, which does not align with your From domain: DMARC then rests on SPF alone, and forwarded mail fails. Gmail and Yahoo ask every sender for SPF or DKIM and bulk senders for both; Outlook.com asks large senders for both. Set it up in %3$s; values in braces come from there.', 'smtp-port-helper' ), $result['meaning'], $provider['label'], $provider['dkim_setup'], $provider['signer'] );
			$findings[] = new Finding( 'dkim', $result['status'], $result['result'], $result['summary'], Finding::PASS === $result['status'] ? $result['meaning'] : $meaning, $result['evidence'], $result['record'] );
		}
		return array(
			'aligned'  => $aligned,
			'findings' => $findings,
		);
	}

	/**
	 * One selector.
	 *
	 * @param string $name   Record name.
	 * @param string $kind   cname or txt.
	 * @param string $target Expected CNAME target (with placeholders).
	 * @return array{status: string, result: string, summary: string, meaning: string, evidence: string, record: array{type: string, name: string, value: string}|null}
	 */
	private function dkim_selector( string $name, string $kind, string $target ): array {
		$found = array(
			'status'   => Finding::FAIL,
			'result'   => 'missing',
			/* translators: %s: DNS name. */
			'summary'  => sprintf( __( 'No DKIM record at %s.', 'smtp-port-helper' ), $name ),
			'meaning'  => __( 'The DKIM record is missing.', 'smtp-port-helper' ),
			'evidence' => '',
			'record'   => null,
		);
		if ( 'cname' === $kind ) {
			$answer = $this->dns->records( $name, Dns_Packet::TYPE_CNAME );
			$cnames = self::of_type( $answer['records'], Dns_Packet::TYPE_CNAME );
			if ( array() !== $cnames ) {
				$suffix            = (string) substr( $target, (int) strrpos( $target, '}' ) + 1 );
				$found['evidence'] = $name . ' CNAME ' . $cnames[0];
				if ( '' !== $suffix && substr( $cnames[0], -strlen( $suffix ) ) === $suffix ) {
					$found['status'] = Finding::PASS;
					$found['result'] = 'pass';
					/* translators: 1: DNS name, 2: target. */
					$found['summary'] = sprintf( __( 'DKIM: %1$s points to %2$s, where the provider keeps the key.', 'smtp-port-helper' ), $name, $cnames[0] );
					$found['meaning'] = __( 'Mail is signed for your domain once DKIM signing is switched on at the provider; DMARC can pass with DKIM alone.', 'smtp-port-helper' );
					return $found;
				}
				$found['result'] = 'wrong_target';
				/* translators: 1: DNS name, 2: target. */
				$found['summary'] = sprintf( __( 'DKIM: %1$s points to %2$s, not to the provider.', 'smtp-port-helper' ), $name, $cnames[0] );
				$found['meaning'] = __( 'The DKIM record points somewhere the provider does not keep its key.', 'smtp-port-helper' );
				$found['record']  = self::record( 'CNAME', $name, $target );
				return $found;
			}
			if ( Record_Source::FAILED === $answer['status'] ) {
				return self::dkim_not_read( $name, $found );
			}
		}
		$answer = $this->dns->records( $name, Dns_Packet::TYPE_TXT );
		if ( Record_Source::FAILED === $answer['status'] ) {
			return self::dkim_not_read( $name, $found );
		}
		$texts = self::of_type( $answer['records'], Dns_Packet::TYPE_TXT );
		if ( array() === $texts ) {
			return $found;
		}
		$found['evidence'] = $name . ' TXT "' . $texts[0] . '"';
		$key               = Dkim_Key_Record::parse( $texts[0] );
		if ( is_string( $key ) || $key->revoked ) {
			$found['result'] = 'invalid';
			/* translators: 1: DNS name, 2: why. */
			$found['summary'] = sprintf( __( 'The DKIM record at %1$s cannot be used: %2$s.', 'smtp-port-helper' ), $name, is_string( $key ) ? $key : 'the key was revoked (empty p=)' );
			$found['meaning'] = __( 'Signatures made with this selector fail at every receiver, which is worse than none.', 'smtp-port-helper' );
			$found['record']  = self::record( 'TXT', $name, 'v=DKIM1; k=rsa; p={' . __( 'the public key shown by the provider', 'smtp-port-helper' ) . '}' );
			return $found;
		}
		$found['evidence'] .= sprintf( "\nkey: %s, %d bits", $key->key_type, $key->bits );
		if ( 'rsa' === $key->key_type && $key->bits < 1024 ) {
			$found['result'] = 'weak_key';
			/* translators: 1: DNS name, 2: bits. */
			$found['summary'] = sprintf( __( 'The DKIM key at %1$s has only %2$d bits.', 'smtp-port-helper' ), $name, $key->bits );
			$found['meaning'] = __( 'Gmail and Outlook ignore RSA keys shorter than 1024 bits: the signature counts as none. Create a 2048-bit key at the provider.', 'smtp-port-helper' );
			return $found;
		}
		$found['status'] = 'rsa' === $key->key_type && $key->bits < 2048 ? Finding::WARN : Finding::PASS;
		$found['result'] = 'pass';
		/* translators: 1: DNS name, 2: bits. */
		$found['summary'] = sprintf( __( 'DKIM key at %1$s: %2$d bits, readable.', 'smtp-port-helper' ), $name, $key->bits );
		$found['meaning'] = Finding::PASS === $found['status']
			? __( 'Receivers can verify the signature with this key; DMARC can pass with DKIM alone.', 'smtp-port-helper' )
			: __( 'The key works, but 2048 bits is what Google and Microsoft recommend; create a longer key when you next rotate it.', 'smtp-port-helper' );
		return $found;
	}

	/**
	 * A selector whose record could not be read in time.
	 *
	 * @param string                                                                                                                                                   $name  Name.
	 * @param array{status: string, result: string, summary: string, meaning: string, evidence: string, record: array{type: string, name: string, value: string}|null} $found What is known.
	 * @return array{status: string, result: string, summary: string, meaning: string, evidence: string, record: array{type: string, name: string, value: string}|null}
	 */
	private static function dkim_not_read( string $name, array $found ): array {
		$found['status'] = Finding::WARN;
		$found['result'] = 'temperror';
		/* translators: %s: DNS name. */
		$found['summary'] = sprintf( __( 'The DKIM record at %s could not be read in time.', 'smtp-port-helper' ), $name );
		$found['meaning'] = __( 'A name server did not answer; run the check again.', 'smtp-port-helper' );
		return $found;
	}

	/**
	 * The envelope sender's domain.
	 *
	 * @param Send_Path $path        Path.
	 * @param string    $return_path Return-Path domain.
	 */
	private function return_path( Send_Path $path, string $return_path ): Finding {
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
	private function dmarc( Send_Path $path, string $org, string $return_path, bool $spf_pass, ?bool $dkim_aligned ): Finding {
		$domain   = $path->from_domain;
		$found_at = '_dmarc.' . $domain;
		$lookup   = $this->dmarc_texts( $found_at );
		if ( null !== $lookup && array() === $lookup && $org !== $domain ) {
			$found_at = '_dmarc.' . $org;
			$lookup   = $this->dmarc_texts( $found_at );
		}
		$publish = self::record( 'TXT', '_dmarc.' . $org, 'v=DMARC1; p=none; rua=mailto:postmaster@' . $org );
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
	 * The MX records of the From domain, or its null MX.
	 *
	 * @param string $domain Domain.
	 */
	private function mx( string $domain ): Finding {
		$answer = $this->dns->records( $domain, Dns_Packet::TYPE_MX );
		$hosts  = self::of_type( $answer['records'], Dns_Packet::TYPE_MX );
		$facts  = implode(
			"\n",
			array_map(
				static function ( string $mx ) use ( $domain ): string {
					return $domain . ' MX ' . $mx;
				},
				$hosts
			)
		);
		if ( Record_Source::NO_NAME === $answer['status'] ) {
			return new Finding(
				'mx',
				Finding::FAIL,
				'nxdomain',
				/* translators: %s: domain. */
				sprintf( __( 'The domain %s does not exist in DNS.', 'smtp-port-helper' ), $domain ),
				__( 'Gmail, Outlook and Yahoo refuse mail from a domain that does not exist. Use a From address at your real domain.', 'smtp-port-helper' ),
				''
			);
		}
		if ( Record_Source::FAILED === $answer['status'] ) {
			return new Finding( 'mx', Finding::WARN, 'temperror', __( 'The MX records could not be read in time.', 'smtp-port-helper' ), __( 'A name server did not answer; run the check again.', 'smtp-port-helper' ), '' );
		}
		if ( array( '0 .' ) === $hosts ) {
			return new Finding(
				'mx',
				Finding::FAIL,
				'null_mx',
				/* translators: %s: domain. */
				sprintf( __( '%s publishes a null MX: it says it receives no mail.', 'smtp-port-helper' ), $domain ),
				__( 'Replies and bounces to this From address cannot be delivered, and receivers may refuse mail from a domain that says it takes none (RFC 7505). Use a From address at a domain that receives mail, or replace the null MX with the MX records of your mailbox provider.', 'smtp-port-helper' ),
				$facts
			);
		}
		if ( array() === $hosts ) {
			return new Finding(
				'mx',
				Finding::WARN,
				'missing',
				/* translators: %s: domain. */
				sprintf( __( '%s has no MX record.', 'smtp-port-helper' ), $domain ),
				__( 'Replies and bounces go to the domain\'s address record, if anything listens there. Some receivers distrust senders whose domain cannot receive mail. Publish the MX records your mailbox provider gives you.', 'smtp-port-helper' ),
				''
			);
		}
		return new Finding(
			'mx',
			Finding::PASS,
			'present',
			/* translators: %s: domain. */
			sprintf( __( '%s receives mail (MX records present).', 'smtp-port-helper' ), $domain ),
			__( 'Replies and bounces can be delivered.', 'smtp-port-helper' ),
			$facts
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
		return array_values( array_filter( self::of_type( $answer['records'], Dns_Packet::TYPE_TXT ), array( Dmarc_Record::class, 'is_dmarc' ) ) );
	}

	/**
	 * The one SPF record of a domain, or null.
	 *
	 * @param string $domain Domain.
	 */
	private function spf_text( string $domain ): ?string {
		$texts = array_values( array_filter( $this->data( $domain, Dns_Packet::TYPE_TXT ), array( Spf_Record::class, 'is_spf' ) ) );
		return 1 === count( $texts ) ? $texts[0] : null;
	}

	/**
	 * The data of a name's records of a type.
	 *
	 * @param string $name Name.
	 * @param int    $type Type.
	 * @return string[]
	 */
	private function data( string $name, int $type ): array {
		return self::of_type( $this->dns->records( $name, $type )['records'], $type );
	}

	/**
	 * The data of the records of one type.
	 *
	 * @param list<array{type: int, data: string}> $records Records.
	 * @param int                                  $type    Type.
	 * @return string[]
	 */
	private static function of_type( array $records, int $type ): array {
		$data = array();
		foreach ( $records as $record ) {
			if ( $type === $record['type'] ) {
				$data[] = $record['data'];
			}
		}
		return $data;
	}

	/**
	 * A record to publish.
	 *
	 * @param string $type  Type.
	 * @param string $name  Name.
	 * @param string $value Value.
	 * @return array{type: string, name: string, value: string}
	 */
	private static function record( string $type, string $name, string $value ): array {
		return array(
			'type'  => $type,
			'name'  => $name,
			'value' => $value,
		);
	}
}
