<?php
/**
 * The mail providers the plugin knows: SMTP host, documented ports, login habits, OAuth profile.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Providers;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One row per provider, keyed by the id the page's preset picker, the login policy's preset
 * warnings and the OAuth profiles use (Provider_Table_Test ties them together). These are facts
 * about other companies' services: each row names the documentation page it was taken from and the
 * day it was checked.
 *
 * A row: `name` (brand, not translated), `host` (for regional providers the default region's),
 * `ports` (what the provider documents for submission, its order of preference, 587 first when
 * offered), `alternates` (its own extra ports other than 587, 465 and 25, tried right after 587),
 * `docs` and `checked` (the year or day the row was read there), `username` (a fixed SMTP user name it documents, or ''),
 * `api_key_password` (the password is an API key, not an account password), `oauth` (the
 * OAuth_Provider profile its password login gives way to, or ''), `regions` and `default_region`
 * (when the host name depends on a region: `{region}` in `host_pattern`), `limits` (its published
 * sending limits, a list; empty until known) and `api` (its HTTPS API, or null when the plugin
 * sends to it over SMTP only).
 *
 * @phpstan-type Provider_Limit array{count: int, per: string, source: string, checked: string}
 * @phpstan-type Provider_Row array{name: string, host: string, host_pattern: string, ports: list<int>, alternates: list<int>, docs: string, checked: string, username: string, api_key_password: bool, oauth: string, regions: list<string>, default_region: string, limits: list<Provider_Limit>, api: array<string, mixed>|null}
 */
final class Provider_Table {

	/** Where a regional host name takes its region. */
	public const REGION_PLACEHOLDER = '{region}';

	/**
	 * Regions with an Amazon SES SMTP endpoint (email-smtp.<region>.amazonaws.com).
	 */
	public const SES_REGIONS = array(
		'us-east-1',
		'us-east-2',
		'us-west-1',
		'us-west-2',
		'ca-central-1',
		'sa-east-1',
		'eu-west-1',
		'eu-west-2',
		'eu-west-3',
		'eu-central-1',
		'eu-central-2',
		'eu-south-1',
		'eu-north-1',
		'il-central-1',
		'me-south-1',
		'me-central-1',
		'af-south-1',
		'ap-south-1',
		'ap-south-2',
		'ap-northeast-1',
		'ap-northeast-2',
		'ap-northeast-3',
		'ap-southeast-1',
		'ap-southeast-2',
		'ap-southeast-3',
		'us-gov-west-1',
		'us-gov-east-1',
	);

	/**
	 * Every provider, in the order the page offers them.
	 *
	 * @return array<string, Provider_Row>
	 */
	public static function all(): array {
		$rows = array(
			// "For an unencrypted or a TLS connection, use port 25, 2525, or 587. For a SSL
			// connection, use port 465"; 587 "typically recommended"; user name the literal "apikey".
			'sendgrid'     => array(
				'name'             => 'SendGrid',
				'host'             => 'smtp.sendgrid.net',
				'ports'            => array( 587, 2525, 465 ),
				'alternates'       => array( 2525 ),
				'docs'             => 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
				'username'         => 'apikey',
				'api_key_password' => true,
			),
			// "The servers listen on ports 25, 465, 587, and 2525. Port 465 requires a TLS
			// connection"; port 25 blocked by some ISPs, 587 recommended.
			'mailgun-us'   => array(
				'name'       => 'Mailgun (US)',
				'host'       => 'smtp.mailgun.org',
				'ports'      => array( 587, 2525, 465 ),
				'alternates' => array( 2525 ),
				'docs'       => 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
			),
			// Same page: domains in the EU region send through smtp.eu.mailgun.org, same ports.
			'mailgun-eu'   => array(
				'name'       => 'Mailgun (EU)',
				'host'       => 'smtp.eu.mailgun.org',
				'ports'      => array( 587, 2525, 465 ),
				'alternates' => array( 2525 ),
				'docs'       => 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
			),
			// "Send email from a printer, scanner, or app": "Port 465 (SSL required) or port 587
			// (TLS required)"; passwords only as app passwords, which organisations often forbid.
			'google'       => array(
				'name'       => 'Google Workspace / Gmail',
				'host'       => 'smtp.gmail.com',
				'ports'      => array( 587, 465 ),
				'alternates' => array(),
				'docs'       => 'https://support.google.com/a/answer/176600',
				'oauth'      => 'google',
			),
			// "SMTP AUTH client submission": "Port 587 (recommended) or port 25", STARTTLS; SMTP AUTH
			// with passwords ends for existing tenants at the end of December 2026.
			'microsoft365' => array(
				'name'       => 'Microsoft 365 / Outlook',
				'host'       => 'smtp.office365.com',
				'ports'      => array( 587 ),
				'alternates' => array(),
				'docs'       => 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365',
				'oauth'      => 'microsoft',
			),
			// "Connecting to an Amazon SES SMTP endpoint": STARTTLS on 25, 587 or 2587, TLS Wrapper
			// on 465 or 2465; EC2 throttles port 25 by default. No port 2525.
			'amazon-ses'   => array(
				'name'           => 'Amazon SES',
				'host'           => 'email-smtp.us-east-1.amazonaws.com',
				'host_pattern'   => 'email-smtp.' . self::REGION_PLACEHOLDER . '.amazonaws.com',
				'ports'          => array( 587, 2587, 465, 2465 ),
				'alternates'     => array( 2587, 2465 ),
				'docs'           => 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html',
				'regions'        => self::SES_REGIONS,
				'default_region' => 'us-east-1',
			),
			// "SMTP relay integration": "use ports 587 or 2525" (STARTTLS), "use port 465 with SSL or
			// TLS encryption"; the password is an SMTP key, not an API key.
			'brevo'        => array(
				'name'       => 'Brevo (Sendinblue)',
				'host'       => 'smtp-relay.brevo.com',
				'ports'      => array( 587, 2525, 465 ),
				'alternates' => array( 2525 ),
				'docs'       => 'https://developers.brevo.com/docs/smtp-integration',
			),
			// "Ports — 25, 2525, or 587", STARTTLS, no implicit TLS port; the Server API Token is
			// both user name and password.
			'postmark'     => array(
				'name'       => 'Postmark',
				'host'       => 'smtp.postmarkapp.com',
				'ports'      => array( 587, 2525, 25 ),
				'alternates' => array( 2525 ),
				'docs'       => 'https://postmarkapp.com/developer/user-guide/send-email-with-smtp',
			),
			// "Port 587 or 2525 — Port 2525 is provided as an alternate port for cases where port 587
			// is blocked", STARTTLS, user SMTP_Injection, password an API key.
			'sparkpost'    => array(
				'name'             => 'SparkPost',
				'host'             => 'smtp.sparkpostmail.com',
				'ports'            => array( 587, 2525 ),
				'alternates'       => array( 2525 ),
				'docs'             => 'https://developers.sparkpost.com/api/smtp/',
				'username'         => 'SMTP_Injection',
				'api_key_password' => true,
			),
			// "SMTP Server Configuration": port 465 with SSL or 587 with TLS; EU accounts use smtp.zoho.eu.
			'zoho'         => array(
				'name'       => 'Zoho Mail',
				'host'       => 'smtp.zoho.com',
				'ports'      => array( 587, 465 ),
				'alternates' => array(),
				'docs'       => 'https://www.zoho.com/mail/help/zoho-smtp.html',
			),
			'zoho-eu'      => array(
				'name'       => 'Zoho Mail (EU)',
				'host'       => 'smtp.zoho.eu',
				'ports'      => array( 587, 465 ),
				'alternates' => array(),
				'docs'       => 'https://www.zoho.com/mail/help/zoho-smtp.html',
			),
			// "For a SSL connection, use port 465 or 2465. For an unencrypted or a TLS connection, use
			// port 25, 587, or 2587"; user name "resend", password an API key.
			'resend'       => array(
				'name'             => 'Resend',
				'host'             => 'smtp.resend.com',
				'ports'            => array( 587, 2587, 465, 2465 ),
				'alternates'       => array( 2587, 2465 ),
				'docs'             => 'https://resend.com/docs/send-with-smtp',
				'username'         => 'resend',
				'api_key_password' => true,
			),
			// STARTTLS or no encryption on 25, 2525, 8025, 587 and 80; implicit TLS on 465, 8465 and 443.
			'smtp2go'      => array(
				'name'       => 'SMTP2GO',
				'host'       => 'mail.smtp2go.com',
				'ports'      => array( 587, 2525, 8025, 465, 8465 ),
				'alternates' => array( 2525, 8025, 8465 ),
				'docs'       => 'https://developers.smtp2go.com/docs/smtp-relay',
			),
		);
		return array_map( array( self::class, 'with_defaults' ), $rows );
	}

	/**
	 * One provider's row, or null.
	 *
	 * @param string $id Provider id.
	 * @return Provider_Row|null
	 */
	public static function get( string $id ): ?array {
		return self::all()[ $id ] ?? null;
	}

	/**
	 * The provider whose password login gives way to an OAuth 2.0 profile, by profile.
	 *
	 * @param string $oauth_profile OAuth profile id (OAuth\Provider_Profile::MICROSOFT, ::GOOGLE).
	 * @return Provider_Row|null
	 */
	public static function for_oauth( string $oauth_profile ): ?array {
		foreach ( self::all() as $row ) {
			if ( $oauth_profile === $row['oauth'] ) {
				return $row;
			}
		}
		return null;
	}

	/**
	 * The providers as the page receives them (boot data `presets`), in the page's camelCase.
	 *
	 * @return list<array<string, mixed>>
	 */
	public static function for_page(): array {
		$presets = array();
		foreach ( self::all() as $id => $row ) {
			$presets[] = array(
				'id'             => $id,
				'name'           => $row['name'],
				'host'           => $row['host'],
				'hostPattern'    => $row['host_pattern'],
				'ports'          => $row['ports'],
				'alternates'     => $row['alternates'],
				'docs'           => $row['docs'],
				'username'       => $row['username'],
				'apiKeyPassword' => $row['api_key_password'],
				'oauthProvider'  => $row['oauth'],
				'regions'        => $row['regions'],
				'defaultRegion'  => $row['default_region'],
			);
		}
		return $presets;
	}

	/**
	 * JSON schema of for_page() (BootData `presets`).
	 *
	 * @return array<string, mixed>
	 */
	public static function page_schema(): array {
		$ports = array(
			'type'  => 'array',
			'items' => array( 'type' => 'integer' ),
		);
		return array(
			'description' => 'The mail providers the page offers as presets (Providers\Provider_Table), in order.',
			'type'        => 'array',
			'items'       => array(
				'title'                => 'Preset',
				'type'                 => 'object',
				'properties'           => array(
					'id'             => array( 'type' => 'string' ),
					'name'           => array(
						'description' => 'Brand name; not translated.',
						'type'        => 'string',
					),
					'host'           => array(
						'description' => 'SMTP host; for presets with regions, the host of defaultRegion.',
						'type'        => 'string',
					),
					'hostPattern'    => array(
						'description' => 'For presets with regions, the host with {region} in it; empty otherwise.',
						'type'        => 'string',
					),
					'ports'          => $ports + array( 'description' => 'Documented submission ports, in the provider\'s order of preference.' ),
					'alternates'     => $ports + array( 'description' => 'The provider\'s own alternate ports (never 25, 465 or 587).' ),
					'docs'           => array(
						'description' => 'The provider\'s documentation page the values come from.',
						'type'        => 'string',
					),
					'username'       => array(
						'description' => 'A fixed SMTP user name the provider documents (e.g. apikey); empty when none.',
						'type'        => 'string',
					),
					'apiKeyPassword' => array(
						'description' => 'The SMTP password is an API key from the provider\'s account, not an account password.',
						'type'        => 'boolean',
					),
					'oauthProvider'  => array(
						'description' => 'The OAuth 2.0 profile the provider wants instead of a password; empty when none.',
						'type'        => 'string',
						'enum'        => array( '', 'microsoft', 'google' ),
					),
					'regions'        => array(
						'type'  => 'array',
						'items' => array( 'type' => 'string' ),
					),
					'defaultRegion'  => array( 'type' => 'string' ),
				),
				'required'             => array( 'id', 'name', 'host', 'hostPattern', 'ports', 'alternates', 'docs', 'username', 'apiKeyPassword', 'oauthProvider', 'regions', 'defaultRegion' ),
				'additionalProperties' => false,
			),
		);
	}

	/**
	 * A row with every field present.
	 *
	 * @param array{name: string, host: string, host_pattern?: string, ports: list<int>, alternates: list<int>, docs: string, checked?: string, username?: string, api_key_password?: bool, oauth?: string, regions?: list<string>, default_region?: string, limits?: list<Provider_Limit>, api?: array<string, mixed>|null} $row A row as written in all().
	 * @return Provider_Row
	 */
	private static function with_defaults( array $row ): array {
		return $row + array(
			'host_pattern'     => '',
			'checked'          => '2025',
			'username'         => '',
			'api_key_password' => false,
			'oauth'            => '',
			'regions'          => array(),
			'default_region'   => '',
			'limits'           => array(),
			'api'              => null,
		);
	}
}
