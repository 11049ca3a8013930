<?php
/**
 * The transport the settings choose: SMTP, or a provider's HTTPS API.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Mail;

use SmtpPortHelper\OAuth\Connection_Token_Source;
use SmtpPortHelper\OAuth\OAuth_Connection;
use SmtpPortHelper\Settings\Address_Policy_Source;
use SmtpPortHelper\Settings\Api_Key_Store;
use SmtpPortHelper\Transport\Api_Credentials;
use SmtpPortHelper\Settings\Settings_Store;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Transport;
use SmtpPortHelper\Transport\Transport_Registry;
use SmtpPortHelper\Transport\Unavailable_Transport;

defined( 'ABSPATH' ) || exit;

/**
 * The one place that turns settings into a Transport, for wp_mail(), the outbox, the port test,
 * Site Health and WP-CLI alike. An API transport's requests go under the address policy of the
 * settings' owner, with the settings' certificate verification and CA file, as SMTP's do.
 */
final class Transport_Factory {

	/**
	 * Configures PHPMailer for SMTP.
	 *
	 * @var Mailer_Hook
	 */
	private Mailer_Hook $mailer;

	/**
	 * Takes the mailer configuration.
	 *
	 * @param Mailer_Hook $mailer Configures PHPMailer.
	 */
	public function __construct( Mailer_Hook $mailer ) {
		$this->mailer = $mailer;
	}

	/**
	 * The transport of a settings model (the site's or the network's).
	 *
	 * @param Settings_Store $store The settings.
	 */
	public function for_store( Settings_Store $store ): Transport {
		$settings = $store->get();
		if ( ! $settings->uses_api() ) {
			return new Smtp_Transport( $this->mailer, $store );
		}
		$provider = Transport_Registry::provider( $settings->transport );
		if ( null === $provider ) {
			/* translators: %s: a transport id from the settings. */
			return new Unavailable_Transport( $settings->transport, sprintf( __( 'SMTP Port Helper: the HTTPS API "%s" is not available. Choose another transport in Settings → SMTP Port Helper.', 'smtp-port-helper' ), $settings->transport ) );
		}
		$policy = ( new Address_Policy_Source() )->for_settings( $store );
		$client = new Https_Client( $policy, $store->verify_tls(), $settings->ca_file );
		if ( null !== Transport_Registry::oauth_class( $provider->id ) ) {
			// Signs in with the site's OAuth 2.0 connection: no API key, the token is the key.
			$credentials = new Api_Credentials( '', $settings->api_account, $settings->api_region, Api_Key_Store::base_url( $settings ) );
			$tokens      = new Connection_Token_Source( new OAuth_Connection( $store ), $policy );
			return Transport_Registry::api_transport( $provider->id, $credentials, $client, $tokens ) ?? new Unavailable_Transport( $provider->id, '' );
		}
		$credentials = $store->api_keys()->credentials( $settings );
		if ( null === $credentials ) {
			/* translators: %s: provider name, e.g. SendGrid. */
			return new Unavailable_Transport( $provider->id, sprintf( __( 'SMTP Port Helper: no usable API key for %s is saved (none was entered, or it was saved for another provider, region or address, or the security keys of this site changed). Enter the API key in Settings → SMTP Port Helper.', 'smtp-port-helper' ), $provider->label ) );
		}
		return Transport_Registry::api_transport( $provider->id, $credentials, $client ) ?? new Unavailable_Transport( $provider->id, '' );
	}
}
