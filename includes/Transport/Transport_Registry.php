<?php
/**
 * Which transports exist: SMTP and one row per provider's HTTPS API.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Transport;

use SmtpPortHelper\Transport\Https\Access_Token_Source;
use SmtpPortHelper\Transport\Https\Https_Client;
use SmtpPortHelper\Transport\Https\OAuth_Api_Transport;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * A provider is added with one row in API_TRANSPORTS (id => class implementing Api_Transport) and
 * its id in IDS (the settings' enum and the page's types follow from IDS with `npm run rest-types`).
 * The filter `smtp_port_helper_api_transports` may add a transport at run time (the tests' own).
 */
final class Transport_Registry {

	/** Today's engine: PHPMailer's SMTP client behind Mail\Smtp_Transport. */
	public const SMTP = 'smtp';

	/**
	 * Every transport id the settings accept, SMTP first.
	 *
	 * @var list<string>
	 */
	public const IDS = array( self::SMTP, 'sendgrid', 'postmark', 'mailgun', 'resend', 'brevo', 'amazon-ses', 'microsoft-graph', 'gmail' );

	/**
	 * Provider id => Api_Transport class.
	 *
	 * @var array<string, class-string<Api_Transport>>
	 */
	public const API_TRANSPORTS = array(
		'sendgrid'        => Providers\Sendgrid_Transport::class,
		'postmark'        => Providers\Postmark_Transport::class,
		'mailgun'         => Providers\Mailgun_Transport::class,
		'resend'          => Providers\Resend_Transport::class,
		'brevo'           => Providers\Brevo_Transport::class,
		'amazon-ses'      => Providers\Ses_Transport::class,
		'microsoft-graph' => Providers\Graph_Transport::class,
		'gmail'           => Providers\Gmail_Transport::class,
	);

	/**
	 * The API transport classes, with those a filter adds.
	 *
	 * @return array<string, class-string<Api_Transport>>
	 */
	public static function api_classes(): array {
		$classes = self::API_TRANSPORTS;
		if ( function_exists( 'apply_filters' ) ) {
			/**
			 * The HTTPS API transports: provider id => class implementing Transport\Api_Transport.
			 *
			 * @param array<string, string> $classes Provider id => class name.
			 */
			$filtered = apply_filters( 'smtp_port_helper_api_transports', $classes );
			$classes  = array();
			foreach ( is_array( $filtered ) ? $filtered : array() as $id => $class ) {
				if ( is_string( $class ) && is_subclass_of( $class, Api_Transport::class ) && (string) $id === $class::provider()->id ) {
					$classes[ (string) $id ] = $class;
				}
			}
		}
		return $classes;
	}

	/**
	 * Every transport id available now: `smtp` and the providers'.
	 *
	 * @return list<string>
	 */
	public static function ids(): array {
		return array_values( array_unique( array_merge( self::IDS, array_keys( self::api_classes() ) ) ) );
	}

	/**
	 * The provider of an API transport id, or null (`smtp`, unknown).
	 *
	 * @param string $id Transport id.
	 */
	public static function provider( string $id ): ?Api_Provider {
		$classes = self::api_classes();
		return isset( $classes[ $id ] ) ? $classes[ $id ]::provider() : null;
	}

	/**
	 * Every API provider.
	 *
	 * @return list<Api_Provider>
	 */
	public static function providers(): array {
		$providers = array();
		foreach ( self::api_classes() as $class ) {
			$providers[] = $class::provider();
		}
		return $providers;
	}

	/**
	 * The provider whose HTTPS API sends for an SMTP host, or null.
	 *
	 * @param string $smtp_host The SMTP host of the settings.
	 */
	public static function for_smtp_host( string $smtp_host ): ?Api_Provider {
		foreach ( self::providers() as $provider ) {
			if ( $provider->serves_smtp_host( $smtp_host ) ) {
				return $provider;
			}
		}
		return null;
	}

	/**
	 * The transports that sign in with OAuth 2.0 instead of an API key, with the OAuth profile of
	 * their sign-in (the page shows "Connect" for them, not an API key field).
	 *
	 * @return array<string, string> Transport id => OAuth profile id.
	 */
	public static function oauth_profiles(): array {
		$profiles = array();
		foreach ( array_keys( self::api_classes() ) as $id ) {
			$class = self::oauth_class( $id );
			if ( null !== $class ) {
				$profiles[ $id ] = $class::oauth_provider();
			}
		}
		return $profiles;
	}

	/**
	 * The class of an API transport that signs in with OAuth 2.0 (Microsoft Graph, Gmail API), or
	 * null (`smtp`, an API key transport, unknown).
	 *
	 * @param string $id Transport id.
	 * @return class-string<OAuth_Api_Transport>|null
	 */
	public static function oauth_class( string $id ): ?string {
		$classes = self::api_classes();
		return isset( $classes[ $id ] ) && is_subclass_of( $classes[ $id ], OAuth_Api_Transport::class ) ? $classes[ $id ] : null;
	}

	/**
	 * Builds the API transport of an id, or null for `smtp`, an unknown id, or an OAuth transport
	 * without a token source.
	 *
	 * @param string                   $id          Transport id.
	 * @param Api_Credentials          $credentials Key (none for OAuth), account, region, base URL.
	 * @param Https_Client             $client      Sends its requests under the address policy.
	 * @param Access_Token_Source|null $tokens      The sign-in's tokens, for an OAuth transport.
	 */
	public static function api_transport( string $id, Api_Credentials $credentials, Https_Client $client, ?Access_Token_Source $tokens = null ): ?Api_Transport {
		$classes = self::api_classes();
		if ( ! isset( $classes[ $id ] ) ) {
			return null;
		}
		if ( null !== self::oauth_class( $id ) ) {
			return null !== $tokens ? new $classes[ $id ]( $credentials, $client, $tokens ) : null;
		}
		return new $classes[ $id ]( $credentials, $client );
	}
}
