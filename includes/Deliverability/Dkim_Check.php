<?php
/**
 * The DKIM findings of the domain check: the provider's documented selectors.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Looks up each DKIM selector the provider documents (a CNAME to where it keeps the key, or a TXT
 * key record) and says whether mail over the path can carry a DKIM signature of the From domain.
 */
final class Dkim_Check {

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
	 * DKIM at the provider's documented selectors.
	 *
	 * @param Send_Path $path Path.
	 * @return array{aligned: bool|null, findings: list<Finding>}
	 */
	public function find( Send_Path $path ): array {
		if ( null === $path->own_key ) {
			return $this->provider( $path );
		}
		$own = ( new Own_Key_Check( $this->dns ) )->find( $path->own_key, $path->signs );
		if ( $own['aligned'] ) {
			// The site's own signature aligns: what the provider would sign no longer decides.
			return array(
				'aligned'  => true,
				'findings' => array( $own['finding'] ),
			);
		}
		$provider = $this->provider( $path );
		return array(
			'aligned'  => $provider['aligned'],
			'findings' => array_merge( array( $own['finding'] ), $provider['findings'] ),
		);
	}

	/**
	 * DKIM at the provider's documented selectors.
	 *
	 * @param Send_Path $path Path.
	 * @return array{aligned: bool|null, findings: list<Finding>}
	 */
	private function provider( Send_Path $path ): array {
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
						__( 'DKIM is what keeps mail authenticated when it is forwarded, and DMARC passes with it alone. Ask your mail provider for its DKIM records (a selector and a TXT or CNAME record under _domainkey) and publish them.', 'smtp-port-helper' ) . ( null === $path->own_key ? ' ' . self::own_key_hint() : '' ),
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
					? Finding::record( 'CNAME', $name, $target )
					: Finding::record( 'TXT', $name, 'v=DKIM1; k=rsa; p={' . __( 'the public key shown by the provider', 'smtp-port-helper' ) . '}' );
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
			$cnames = Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_CNAME );
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
				$found['record']  = Finding::record( 'CNAME', $name, $target );
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
		$texts = Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_TXT );
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
			$found['record']  = Finding::record( 'TXT', $name, 'v=DKIM1; k=rsa; p={' . __( 'the public key shown by the provider', 'smtp-port-helper' ) . '}' );
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
	 * How the site can sign itself where the path does not.
	 */
	public static function own_key_hint(): string {
		return __( 'Or let this site sign its mail itself: generate a DKIM key (wp smtp-port-helper dkim generate), publish the TXT record it shows, and switch DKIM signing on.', 'smtp-port-helper' );
	}
}
