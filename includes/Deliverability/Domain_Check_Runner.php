<?php
/**
 * The one way into the domain check for every front door (REST, Site Health, WP-CLI).
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

use SmtpPortHelper\Net\Dns_Resolver;
use SmtpPortHelper\Net\Host_Name;
use SmtpPortHelper\Net\Invalid_Input_Exception;
use SmtpPortHelper\Settings\Settings_Store;

defined( 'ABSPATH' ) || exit;

/**
 * Works out the path from the settings (or the host and domain a person gives), asks DNS through
 * the plugin's resolver within the time limit, and returns the report as plain arrays.
 */
final class Domain_Check_Runner {

	/** Seconds the whole check may take (the port test's default deadline). */
	public const DEFAULT_SECONDS = 5.0;

	/**
	 * The settings.
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $settings;

	/**
	 * The site's own DKIM key; null: the current site's.
	 *
	 * @var Dkim_Key_Store|null
	 */
	private ?Dkim_Key_Store $keys;

	/**
	 * Takes the settings and the site's DKIM key.
	 *
	 * @param Settings_Store      $settings Settings.
	 * @param Dkim_Key_Store|null $keys     The site's DKIM key (null: the current site's).
	 */
	public function __construct( Settings_Store $settings, ?Dkim_Key_Store $keys = null ) {
		$this->settings = $settings;
		$this->keys     = $keys;
	}

	/**
	 * The From domain mail leaves with: the saved From address's, else WordPress's default
	 * (`wordpress@` and the site's host without `www.`, as wp_mail() builds it).
	 */
	public function effective_from_domain(): string {
		$from = Send_Path::domain_of( $this->settings->get()->from_email );
		if ( '' !== $from ) {
			return $from;
		}
		$host = strtolower( (string) wp_parse_url( network_home_url(), PHP_URL_HOST ) );
		return 'www.' === substr( $host, 0, 4 ) ? (string) substr( $host, 4 ) : $host;
	}

	/**
	 * Runs the check.
	 *
	 * @param string $domain  From domain ('' for the effective one).
	 * @param string $host    SMTP host ('' for the saved one).
	 * @param float  $seconds Time limit.
	 * @return array{from_domain: string, host: string, provider: string, return_path_domain: string, status: string, seconds: float, findings: list<array{check: string, status: string, result: string, summary: string, meaning: string, evidence: string, record: array{type: string, name: string, value: string}|null}>}
	 * @throws Invalid_Input_Exception When the domain or host is not a host name (field: domain or host).
	 */
	public function run( string $domain = '', string $host = '', float $seconds = self::DEFAULT_SECONDS ): array {
		$started = microtime( true );
		$derived = '' === $domain;
		$domain  = $derived ? $this->effective_from_domain() : $domain;
		$host    = '' === $host ? $this->settings->get()->host : $host;
		if ( '' === $host ) {
			throw new Invalid_Input_Exception( __( 'No SMTP host is saved: save the settings first, or give the host to check.', 'smtp-port-helper' ), 'host' );
		}
		try {
			$host = Host_Name::parse( $host )->get_ascii();
		} catch ( Invalid_Input_Exception $error ) {
			throw $error->in_field( 'host' );
		}
		try {
			$name = Host_Name::parse( $domain );
		} catch ( Invalid_Input_Exception $error ) {
			throw $error->in_field( 'domain' );
		}
		if ( 0 !== $name->get_ip_version() || false === strpos( $name->get_ascii(), '.' ) ) {
			if ( $derived ) {
				// Not a mistake in a request: the site's own From has no domain (a site reached by its IP).
				return $this->no_domain_report( $domain, $host, $started );
			}
			/* translators: %s: what was given. */
			throw new Invalid_Input_Exception( sprintf( __( '"%s" is not a domain name.', 'smtp-port-helper' ), $domain ), 'domain' );
		}
		$domain = $name->get_ascii();
		/**
		 * The resolver the domain check asks (default: the system's name servers, as for the port test).
		 *
		 * @param Dns_Resolver $resolver Resolver.
		 */
		$resolver = apply_filters( 'smtp_port_helper_domain_check_resolver', new Dns_Resolver() );
		$resolver = $resolver instanceof Dns_Resolver ? $resolver : new Dns_Resolver();
		$keys     = $this->keys ?? Dkim_Key_Store::for_current_site();
		$own_key  = $keys->current();
		$signs    = null !== $own_key && $this->settings->get()->dkim_signing && $keys->readable();
		$report   = ( new Domain_Check( new Resolver_Record_Source( $resolver, $seconds ) ) )->run( new Send_Path( $domain, $host, $own_key, $signs ) );
		$findings = array();
		foreach ( $report['findings'] as $finding ) {
			$findings[] = $finding->to_array();
		}
		$report['findings'] = $findings;
		$report['seconds']  = round( microtime( true ) - $started, 3 );
		return $report;
	}

	/**
	 * The report when the From address the site sends with has no domain (an IP address or a
	 * local name, as on a site reached by its IP): no DNS record can vouch for it, and receivers
	 * refuse or junk such mail.
	 *
	 * @param string $domain  The From address's part after the @.
	 * @param string $host    SMTP host.
	 * @param float  $started When the check started.
	 * @return array{from_domain: string, host: string, provider: string, return_path_domain: string, status: string, seconds: float, findings: list<array{check: string, status: string, result: string, summary: string, meaning: string, evidence: string, record: array{type: string, name: string, value: string}|null}>}
	 */
	private function no_domain_report( string $domain, string $host, float $started ): array {
		$finding = new Finding(
			'from',
			Finding::FAIL,
			'not_a_domain',
			/* translators: %s: what follows the @ of the From address (an IP address or a local name). */
			sprintf( __( 'Mail leaves from an address at %s, which is not a domain name.', 'smtp-port-helper' ), $domain ),
			__( 'Gmail, Outlook and Yahoo refuse or junk mail whose From address has no domain of its own, and no DNS record can vouch for it. Set the From address (step 5) to an address at your own domain, then check again.', 'smtp-port-helper' ),
			''
		);
		return array(
			'from_domain'        => $domain,
			'host'               => $host,
			'provider'           => '',
			'return_path_domain' => $domain,
			'status'             => Finding::FAIL,
			'seconds'            => round( microtime( true ) - $started, 3 ),
			'findings'           => array( $finding->to_array() ),
		);
	}
}
