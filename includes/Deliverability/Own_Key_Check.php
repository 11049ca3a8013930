<?php
/**
 * The DKIM finding of the site's own key: is the record published, and does it hold the key?
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Packet;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Reads `<selector>._domainkey.<domain>` of the key the site generated (Dkim_Key_Store) and
 * compares it with the key: mail the plugin signs aligns for DMARC only when the published record
 * holds this very key and signing is on.
 */
final class Own_Key_Check {

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
	 * The finding, and whether mail over the path carries a valid signature of the From domain.
	 *
	 * @param Dkim_Key $key   The site's key (it signs for the From domain).
	 * @param bool     $signs Whether signing is on.
	 * @return array{aligned: bool, finding: Finding}
	 */
	public function find( Dkim_Key $key, bool $signs ): array {
		$name   = $key->record_name();
		$answer = $this->dns->records( $name, Dns_Packet::TYPE_TXT );
		$texts  = Dns_Data::of_type( $answer['records'], Dns_Packet::TYPE_TXT );
		$record = $key->record();
		$then   = $signs
			? __( 'Mail from this site is signed with this key now, and the signature fails at every receiver until the record is published.', 'smtp-port-helper' )
			: __( 'Publish it, then switch DKIM signing on.', 'smtp-port-helper' );
		if ( Record_Source::FAILED === $answer['status'] ) {
			/* translators: %s: DNS name. */
			return $this->result( false, Finding::WARN, 'temperror', sprintf( __( 'The DKIM record at %s could not be read in time.', 'smtp-port-helper' ), $name ), __( 'A name server did not answer; run the check again.', 'smtp-port-helper' ), '', null );
		}
		if ( array() === $texts ) {
			/* translators: 1: selector, 2: DNS name. */
			return $this->result( false, Finding::FAIL, 'missing', sprintf( __( 'The site\'s DKIM key (selector %1$s) is not published at %2$s.', 'smtp-port-helper' ), $key->selector, $name ), __( 'Receivers look the key up there to verify the signature.', 'smtp-port-helper' ) . ' ' . $then, '', $record );
		}
		$evidence = implode(
			"\n",
			array_map(
				static function ( string $text ) use ( $name ): string {
					return $name . ' TXT "' . $text . '"';
				},
				$texts
			)
		);
		$matches  = array_filter( $texts, array( $key, 'matches' ) );
		if ( array() === $matches ) {
			/* translators: %s: DNS name. */
			return $this->result( false, Finding::FAIL, 'wrong_key', sprintf( __( 'The DKIM record at %s holds another key than the site\'s.', 'smtp-port-helper' ), $name ), __( 'Signatures made with the site\'s key fail against it. Replace the record with the one below (after a new key was generated, the record must be published again).', 'smtp-port-helper' ) . ' ' . $then, $evidence, $record );
		}
		$evidence .= sprintf( "\nkey: %s, %d bits, the site's own key", $key->key_type, $key->bits );
		if ( ! $signs ) {
			/* translators: %s: DNS name. */
			return $this->result( false, Finding::WARN, 'signing_off', sprintf( __( 'The site\'s DKIM key is published at %s, but signing is switched off.', 'smtp-port-helper' ), $name ), __( 'Switch DKIM signing on: mail then carries a signature of your domain, and DMARC passes with DKIM alone.', 'smtp-port-helper' ), $evidence, null );
		}
		return $this->result(
			true,
			Finding::PASS,
			'pass',
			/* translators: 1: DNS name, 2: bits. */
			sprintf( __( 'The site signs mail with its own DKIM key, published at %1$s (%2$d bits).', 'smtp-port-helper' ), $name, $key->bits ),
			__( 'Receivers verify the signature with the published key; DMARC passes with DKIM alone, also for forwarded mail. If your mail service rewrites messages (link or open tracking, added footers), the signature breaks: switch that off for this site\'s mail.', 'smtp-port-helper' ),
			$evidence,
			null
		);
	}

	/**
	 * The answer.
	 *
	 * @param bool                                                  $aligned  Whether mail aligns by DKIM.
	 * @param string                                                $status   Status.
	 * @param string                                                $result   Result.
	 * @param string                                                $summary  Summary.
	 * @param string                                                $meaning  Meaning.
	 * @param string                                                $evidence Evidence.
	 * @param array{type: string, name: string, value: string}|null $record   Record to publish.
	 * @return array{aligned: bool, finding: Finding}
	 */
	private function result( bool $aligned, string $status, string $result, string $summary, string $meaning, string $evidence, ?array $record ): array {
		return array(
			'aligned' => $aligned,
			'finding' => new Finding( 'dkim', $status, $result, $summary, $meaning, $evidence, $record ),
		);
	}
}
