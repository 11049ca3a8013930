<?php
/**
 * The port test's row "HTTPS API (port 443)": a provider's API tested like a port.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

use SmtpPortHelper\Probe\Port_Result;
use SmtpPortHelper\Probe\Verdict;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * What Transport::test() found for the provider of the tested SMTP host. Without a saved key the
 * call still goes out unauthenticated: any HTTP answer proves the look-up, the connection and the
 * verified TLS, and the row reads like an SMTP port tested without a login (works, login not
 * tested) — the key is asked for when the API is applied.
 *
 * @phpstan-import-type Port_Result_Array from Port_Result
 * @phpstan-type Api_Row_Array array{transport: string, label: string, account_label: string, regions: list<string>, key_saved: bool, usable: bool, message: string, result: Port_Result_Array}
 */
final class Api_Row {

	/**
	 * The provider whose API was tested.
	 *
	 * @var Api_Provider
	 */
	public Api_Provider $provider;

	/**
	 * The row, port 443, stages dns/connect/tls/api.
	 *
	 * @var Port_Result
	 */
	public Port_Result $result;

	/**
	 * Whether the test used a saved key (else the call was unauthenticated).
	 *
	 * @var bool
	 */
	public bool $key_saved;

	/**
	 * The region whose API was tested ('' for a provider without regions): applying the row
	 * must send through the same region.
	 *
	 * @var string
	 */
	public string $region;

	/**
	 * Takes what the test found.
	 *
	 * @param Api_Provider $provider  The provider.
	 * @param Port_Result  $result    Its row.
	 * @param bool         $key_saved Whether a saved key was used.
	 * @param string       $region    The region whose API was tested ('' when the provider has none).
	 */
	public function __construct( Api_Provider $provider, Port_Result $result, bool $key_saved, string $region ) {
		$this->provider  = $provider;
		$this->result    = $result;
		$this->key_saved = $key_saved;
		$this->region    = $region;
		if ( ! $key_saved ) {
			self::as_reached_without_key( $result, $this->signs_in() );
		}
	}

	/**
	 * An unauthenticated call's answer (401, 403) means "reached, key not tested": the verdict of
	 * the connection, not of a key nobody entered.
	 *
	 * @param Port_Result $result   The row of an unauthenticated call.
	 * @param bool        $signs_in The API takes an OAuth 2.0 sign-in instead of a key.
	 */
	private static function as_reached_without_key( Port_Result $result, bool $signs_in ): void {
		$api = $result->get_stage( 'api' );
		if ( null === $api ) {
			return;
		}
		$result->verdict        = Verdict::OK;
		$result->verdict_detail = '';
		$result->auth_ok        = null;
		foreach ( $result->stages as $index => $stage ) {
			if ( 'api' === $stage['name'] ) {
				$result->stages[ $index ]['ok']     = true;
				$result->stages[ $index ]['detail'] = $signs_in
					? __( 'The API answered; the site has not signed in for it yet, so the sign-in was not tested.', 'smtp-port-helper' )
					: __( 'The API answered; no API key is saved yet, so the key was not tested.', 'smtp-port-helper' );
			}
		}
	}

	/**
	 * Whether mail can go this way: the API was reached with verified TLS and, when a key is
	 * saved, accepted it.
	 */
	public function usable(): bool {
		return $this->result->is_ok();
	}

	/**
	 * What the row means, in plain words.
	 */
	public function message(): string {
		if ( ! $this->usable() ) {
			return sprintf(
				/* translators: 1: provider name, e.g. SendGrid, 2: what went wrong */
				__( '%1$s\'s HTTPS API (port 443) does not work from this server: %2$s', 'smtp-port-helper' ),
				$this->provider->label,
				Api_Refusal::why_row_fails( $this->result, $this->provider->id )
			);
		}
		if ( $this->key_saved ) {
			return sprintf(
				/* translators: %s: provider name, e.g. SendGrid */
				__( '%s\'s HTTPS API (port 443) works from this server, with verified encryption, and accepts the saved API key.', 'smtp-port-helper' ),
				$this->provider->label
			);
		}
		if ( $this->signs_in() ) {
			return sprintf(
				/* translators: %s: provider name, e.g. Microsoft Graph */
				__( '%s (HTTPS, port 443) can be reached from this server, with verified encryption. The site has not signed in for it yet, so the sign-in was not tested.', 'smtp-port-helper' ),
				$this->provider->label
			);
		}
		return sprintf(
			/* translators: %s: provider name, e.g. SendGrid */
			__( '%s\'s HTTPS API (port 443) can be reached from this server, with verified encryption. No API key is saved yet, so the key was not tested.', 'smtp-port-helper' ),
			$this->provider->label
		);
	}

	/**
	 * The API takes the site's OAuth 2.0 sign-in instead of an API key (Microsoft Graph, Gmail API).
	 */
	public function signs_in(): bool {
		return null !== Transport_Registry::oauth_class( $this->provider->id );
	}

	/**
	 * Array form, as the REST answer carries it.
	 *
	 * @return Api_Row_Array
	 */
	public function to_array(): array {
		$result            = $this->result->to_array();
		$result['message'] = $this->message();
		return array(
			'transport'     => $this->provider->id,
			'label'         => $this->provider->label,
			'account_label' => $this->provider->account_label,
			'regions'       => array_values( array_filter( array_map( 'strval', array_keys( $this->provider->regions ) ) ) ),
			'key_saved'     => $this->key_saved,
			'usable'        => $this->usable(),
			'message'       => $this->message(),
			'result'        => $result,
		);
	}
}
