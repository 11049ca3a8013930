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
	 * The site's own DKIM key when it may sign for the From domain, else null.
	 *
	 * @var Dkim_Key|null
	 */
	public ?Dkim_Key $own_key;

	/**
	 * Whether the plugin signs with that key (the dkim_signing setting).
	 *
	 * @var bool
	 */
	public bool $signs;

	/**
	 * Takes the From domain, the host and the site's own DKIM key.
	 *
	 * @param string        $from_domain From domain, ASCII.
	 * @param string        $host        SMTP host name.
	 * @param Dkim_Key|null $own_key     The site's DKIM key (ignored unless it signs for the From domain).
	 * @param bool          $signs       Whether signing with it is on.
	 */
	public function __construct( string $from_domain, string $host, ?Dkim_Key $own_key = null, bool $signs = false ) {
		$this->from_domain = strtolower( rtrim( $from_domain, '.' ) );
		$this->host        = strtolower( rtrim( $host, '.' ) );
		$this->provider    = Provider_Facts::for_host( $this->host );
		$this->own_key     = null !== $own_key && $own_key->signs_for( $this->from_domain ) ? $own_key : null;
		$this->signs       = null !== $this->own_key && $signs;
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
