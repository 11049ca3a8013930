<?php
/**
 * Runs the port test's "HTTPS API (port 443)" row for the provider of the tested SMTP host.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\Net\Address_Policy;
use SmtpPortHelper\OAuth\Connection_Token_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Probe\Probe_Options;
use SmtpPortHelper\Probe\Probe_Report;
use SmtpPortHelper\Settings\Settings_Constants;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Transport\Api_Provider;
use SmtpPortHelper\Transport\Api_Recommendation;
use SmtpPortHelper\Transport\Api_Row;
use SmtpPortHelper\Transport\Deadline;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Https\OAuth_Api_Transport;
use SmtpPortHelper\Transport\Transport_Registry;

defined( 'ABSPATH' ) || exit;

/**
 * The one way the port test's front doors (REST, Site Health, WP-CLI) add the API row: the
 * provider is the one whose SMTP host was tested (Api_Provider::serves_smtp_host); the key is the
 * saved one when the settings already send through this provider (the key is bound to it),
 * otherwise the call goes out without a key and proves only the way there. The request runs
 * under the same address policy, CA file and time limit as the SMTP ports of the same test.
 */
final class Api_Port_Test {

	/**
	 * The settings (the saved key, region and account).
	 *
	 * @var Settings_Store
	 */
	private Settings_Store $store;

	/**
	 * Takes the settings.
	 *
	 * @param Settings_Store $store The settings.
	 */
	public function __construct( Settings_Store $store ) {
		$this->store = $store;
	}

	/**
	 * A port test's answer with the API row (`api`, null when the host's provider has none) and
	 * the recommendation that weighs it (Api_Recommendation): what REST and WP-CLI print.
	 *
	 * @param Probe_Report  $probe   The SMTP ports' run.
	 * @param Probe_Options $options What it ran with (host, address policy, CA file, time limit).
	 * @return array<string, mixed>
	 */
	public function report( Probe_Report $probe, Probe_Options $options ): array {
		$api                      = $this->run( $options->host->get_ascii(), $options->policy, (string) $options->cafile, $options->timeout );
		$report                   = $probe->to_array();
		$report['recommendation'] = Api_Recommendation::choose( $probe->recommendation, $probe->results, $api );
		$report['api']            = null !== $api ? $api->to_array() : null;
		$report['elapsed_ms']    += null !== $api ? (int) round( $api->result->elapsed_ms ) : 0;
		return $report;
	}

	/**
	 * Tests the API of the host's provider; null when the host's provider has no HTTPS API here.
	 *
	 * @param string         $host    The SMTP host tested.
	 * @param Address_Policy $policy  Where the request may go (the same as the SMTP ports').
	 * @param string         $ca_file A CA file to trust, or ''.
	 * @param float          $timeout Seconds, the same limit each SMTP port had.
	 */
	public function run( string $host, Address_Policy $policy, string $ca_file, float $timeout ): ?Api_Row {
		$provider = Transport_Registry::for_smtp_host( $host );
		if ( null === $provider ) {
			return null;
		}
		$settings    = $this->store->get();
		$own         = $settings->transport === $provider->id;
		$saved       = $own ? $this->store->api_keys()->credentials( $settings ) : null;
		$region      = $own && '' !== $settings->api_region ? $settings->api_region : $provider->region_of_smtp_host( $host );
		$endpoint    = Settings_Constants::api_endpoint();
		$credentials = $saved ?? new Api_Credentials( '', $own ? $settings->api_account : '', $region, '' !== $endpoint ? $endpoint : $provider->base_url( $region ) );
		$client      = new Https_Client( $policy, $this->store->verify_tls(), '' !== $ca_file ? $ca_file : $settings->ca_file );
		if ( null !== Transport_Registry::oauth_class( $provider->id ) ) {
			return $this->run_signed_in( $provider, $credentials, $client, $policy, $own, $timeout );
		}
		$transport = Transport_Registry::api_transport( $provider->id, $credentials, $client );
		if ( null === $transport ) {
			return null;
		}
		return new Api_Row( $provider, $transport->test( Deadline::in( $timeout ) ), null !== $saved );
	}

	/**
	 * The row of an API that signs in with OAuth 2.0 (Microsoft Graph, Gmail API): with the site's
	 * sign-in when the settings already send this way and it gives a token (the sign-in is bound to
	 * the scope it was made for: an SMTP sign-in is never sent to the API), otherwise the same call
	 * without a token.
	 *
	 * @param Api_Provider    $provider    The API.
	 * @param Api_Credentials $credentials Account (a shared mailbox), region, base URL.
	 * @param Https_Client    $client      Sends under the address policy.
	 * @param Address_Policy  $policy      Where the token requests may go.
	 * @param bool            $own         The settings send through this API already.
	 * @param float           $timeout     Seconds.
	 */
	private function run_signed_in( Api_Provider $provider, Api_Credentials $credentials, Https_Client $client, Address_Policy $policy, bool $own, float $timeout ): ?Api_Row {
		$tokens    = new Connection_Token_Source( new OAuth_Connection( $this->store ), $policy );
		$transport = Transport_Registry::api_transport( $provider->id, $credentials, $client, $tokens );
		if ( ! $transport instanceof OAuth_Api_Transport ) {
			return null;
		}
		$signed_in = $own && $tokens->access_token()->ok();
		$deadline  = Deadline::in( $timeout );
		return new Api_Row( $provider, $signed_in ? $transport->test( $deadline ) : $transport->test_without_sign_in( $deadline ), $signed_in );
	}
}
