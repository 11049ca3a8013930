<?php
/**
 * What the plugin knows of one provider's HTTPS API: its addresses, regions and SMTP hosts.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One row per provider; the settings offer its id as a transport, the port test finds it by the
 * SMTP host the settings name (smtp_hosts), and the API address comes from the region chosen
 * (`{region}` in a base URL is replaced by it, as Amazon SES needs) unless the wp-config constant
 * SMTP_PORT_HELPER_API_ENDPOINT names another (the tests' local servers).
 */
final class Api_Provider {

	/**
	 * Transport id (lower case, as the settings store it).
	 *
	 * @var string
	 */
	public string $id;

	/**
	 * The provider's name as people know it.
	 *
	 * @var string
	 */
	public string $label;

	/**
	 * Region => base URL (https://, no trailing slash); one entry `''` for a provider without regions.
	 *
	 * @var array<string, string>
	 */
	public array $regions;

	/**
	 * SMTP hosts of the same provider (the port test offers this API for them).
	 *
	 * @var list<string>
	 */
	public array $smtp_hosts;

	/**
	 * What the account field holds for this provider ('' when it needs none): e.g. Mailgun's
	 * sending domain, Amazon SES's access key ID.
	 *
	 * @var string
	 */
	public string $account_label;

	/**
	 * Whether the API takes an idempotency key (a retried request after a lost answer delivers once).
	 *
	 * @var bool
	 */
	public bool $idempotent;

	/**
	 * Takes the row.
	 *
	 * @param string                $id            Transport id.
	 * @param string                $label         Name.
	 * @param array<string, string> $regions       Region => base URL.
	 * @param string[]              $smtp_hosts    SMTP hosts of the provider.
	 * @param string                $account_label What the account field holds, or ''.
	 * @param bool                  $idempotent    Whether the API takes an idempotency key.
	 */
	public function __construct( string $id, string $label, array $regions, array $smtp_hosts, string $account_label = '', bool $idempotent = false ) {
		$this->id            = $id;
		$this->label         = $label;
		$this->regions       = $regions;
		$this->smtp_hosts    = array_values( $smtp_hosts );
		$this->account_label = $account_label;
		$this->idempotent    = $idempotent;
	}

	/**
	 * The first region (the default).
	 */
	public function default_region(): string {
		return (string) array_key_first( $this->regions );
	}

	/**
	 * The base URL of a region (the default region's for an unknown one).
	 *
	 * @param string $region Region.
	 */
	public function base_url( string $region ): string {
		$key = isset( $this->regions[ $region ] ) ? $region : $this->default_region();
		return str_replace( '{region}', rawurlencode( $region ), $this->regions[ $key ] );
	}

	/**
	 * The region an SMTP host of this provider names (`eu` in smtp.eu.mailgun.org, `eu-central-1`
	 * in email-smtp.eu-central-1.amazonaws.com), else the default region: the port test of a
	 * regional SMTP host tests the API of the same region.
	 *
	 * @param string $host SMTP host.
	 */
	public function region_of_smtp_host( string $host ): string {
		foreach ( explode( '.', strtolower( $host ) ) as $label ) {
			if ( '' !== $label && isset( $this->regions[ $label ] ) ) {
				return $label;
			}
		}
		return $this->default_region();
	}

	/**
	 * Whether an SMTP host belongs to this provider.
	 *
	 * @param string $host SMTP host.
	 */
	public function serves_smtp_host( string $host ): bool {
		return in_array( strtolower( rtrim( $host, '.' ) ), $this->smtp_hosts, true );
	}
}
