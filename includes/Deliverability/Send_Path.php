<?php
/**
 * The path a message takes, as far as the domain check needs it.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * The effective From domain, the SMTP host and, when the host is a known provider's, that
 * provider's facts; and the envelope sender (Return-Path) domain that follows from them.
 */
final class Send_Path {

	/**
	 * From domain.
	 *
	 * @var string
	 */
	public string $from_domain;

	/**
	 * SMTP host.
	 *
	 * @var string
	 */
	public string $host;

	/**
	 * The provider of the host, null when unknown.
	 *
	 * @var array{id: string, label: string, hosts: string, spf: string[], envelope: string, dkim: list<array{selector: string, kind: string, target: string}>, signer: string, dkim_setup: string, source: string}|null
	 */
	public ?array $provider;

	/**
	 * Takes the From domain and the host.
	 *
	 * @param string $from_domain From domain, ASCII.
	 * @param string $host        SMTP host name.
	 */
	public function __construct( string $from_domain, string $host ) {
		$this->from_domain = strtolower( rtrim( $from_domain, '.' ) );
		$this->host        = strtolower( rtrim( $host, '.' ) );
		$this->provider    = Provider_Facts::for_host( $this->host );
	}

	/**
	 * The domain of a From address, '' when it has none.
	 *
	 * @param string $address E-mail address.
	 */
	public static function domain_of( string $address ): string {
		$at = strrpos( $address, '@' );
		return false === $at ? '' : strtolower( rtrim( substr( $address, $at + 1 ), '.>' ) );
	}

	/**
	 * The envelope sender's domain: the From domain unless the provider uses its own.
	 */
	public function return_path_domain(): string {
		if ( null === $this->provider || 'from' === $this->provider['envelope'] ) {
			return $this->from_domain;
		}
		return str_replace( '{domain}', $this->from_domain, $this->provider['envelope'] );
	}
}
