<?php
/**
 * What the big providers' login refusals mean, and the way out.
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Probe;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * Maps a provider's reply to a refused login (`535 5.7.139`, `534 5.7.9`, …) to plain words with
 * the date and the way out. These are facts about other companies' services: each row names its
 * source and the day it was checked (docs/facts.md lists them), so they can be kept current.
 */
final class Provider_Login_Policy {

	/**
	 * The known refusals: an id, the reply (regular expression, case-insensitive), the provider's
	 * host names it applies to ('' for any host), the source and the day it was checked.
	 *
	 * @return list<array{id: string, reply: string, hosts: string, source: string, checked: string}>
	 */
	public static function facts(): array {
		return array(
			array(
				'id'      => 'microsoft_smtp_auth_disabled',
				'reply'   => '/\b5\.7\.139\b.*(SmtpClientAuthentication is disabled|basic authentication is disabled)/i',
				'hosts'   => '',
				'source'  => 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
				'checked' => '2026-11-29',
			),
			array(
				'id'      => 'microsoft_credentials',
				'reply'   => '/\b5\.7\.139\b/i',
				'hosts'   => '',
				'source'  => 'https://learn.microsoft.com/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365',
				'checked' => '2026-11-29',
			),
			array(
				'id'      => 'microsoft_basic_auth',
				'reply'   => '/\b5\.7\.30\b/i',
				'hosts'   => '',
				'source'  => 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/deprecation-of-basic-authentication-exchange-online',
				'checked' => '2026-11-29',
			),
			array(
				'id'      => 'google_app_password',
				'reply'   => '/\b5\.7\.9\b.*(application-specific password|InvalidSecondFactor)/is',
				'hosts'   => '',
				'source'  => 'https://support.google.com/mail/?p=InvalidSecondFactor',
				'checked' => '2026-11-29',
			),
			array(
				'id'      => 'google_bad_credentials',
				'reply'   => '/\b5\.7\.8\b.*(Username and Password not accepted|BadCredentials)/is',
				'hosts'   => '',
				'source'  => 'https://support.google.com/mail/?p=BadCredentials',
				'checked' => '2026-11-29',
			),
			array(
				'id'      => 'amazon_ses_credentials',
				'reply'   => '/^535\b/',
				'hosts'   => '/^email-smtp\.[a-z0-9-]+\.amazonaws\.com$/i',
				'source'  => 'https://docs.aws.amazon.com/ses/latest/dg/smtp-credentials.html',
				'checked' => '2026-11-29',
			),
			array(
				'id'      => 'sendgrid_api_key',
				'reply'   => '/^535\b/',
				'hosts'   => '/^smtp\.sendgrid\.net$/i',
				'source'  => 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
				'checked' => '2026-11-29',
			),
		);
	}

	/**
	 * What the page says when a provider preset is chosen, before any test: the provider's login
	 * policy with its date and the way out (the page's presets by id; boot data `presetWarnings`).
	 *
	 * @return array<string, array{text: string, source: string, checked: string}>
	 */
	public static function preset_warnings(): array {
		return array(
			'microsoft365' => array(
				'text'    => __( 'Microsoft 365 switches password login for sending (SMTP AUTH) off by default for existing organisations at the end of December 2026, offers it to no new organisation after that, and has announced its final removal for 2027. Sign in with Microsoft (OAuth 2.0) instead: the site then sends with a token and stores no password. A password login works only while the Microsoft 365 administrator allows "Authenticated SMTP" for this mailbox (Microsoft 365 admin center → Users → Active users → the mailbox → Mail → Manage email apps).', 'smtp-port-helper' ),
				'source'  => 'https://learn.microsoft.com/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission',
				'checked' => '2026-11-29',
			),
			'google'       => array(
				'text'    => __( 'Gmail and Google Workspace do not accept your normal Google password for SMTP. Sign in with Google (OAuth 2.0) instead, or turn on 2-step verification for the account, create an app password at myaccount.google.com → Security → App passwords, and enter it as the password with the full address as the user name.', 'smtp-port-helper' ),
				'source'  => 'https://support.google.com/accounts/answer/185833',
				'checked' => '2026-11-29',
			),
		);
	}

	/**
	 * The id of the known refusal a reply is, or null.
	 *
	 * @param string $reply The server's reply (all its lines).
	 * @param string $host  The host connected to.
	 */
	public static function match( string $reply, string $host ): ?string {
		$reply = trim( $reply );
		$host  = rtrim( strtolower( trim( $host ) ), '.' );
		foreach ( self::facts() as $fact ) {
			if ( '' !== $fact['hosts'] && ! preg_match( $fact['hosts'], $host ) ) {
				continue;
			}
			if ( preg_match( $fact['reply'], $reply ) ) {
				return $fact['id'];
			}
		}
		return null;
	}

	/**
	 * What the refusal means and what to do, in plain words; null when the reply is not a known one.
	 *
	 * @param string $reply The server's reply.
	 * @param string $host  The host connected to.
	 */
	public static function explain( string $reply, string $host ): ?string {
		switch ( self::match( $reply, $host ) ) {
			case 'microsoft_smtp_auth_disabled':
				return __( 'Microsoft 365 has SMTP login switched off for this organisation or mailbox (5.7.139). Microsoft switches password login (basic authentication) off by default for existing organisations at the end of December 2026, offers it to no new ones, and will announce its final removal in the second half of 2027. Sign in with Microsoft (OAuth 2.0) on the settings page instead of the password, or ask the Microsoft 365 administrator to allow "Authenticated SMTP" for this mailbox (Microsoft 365 admin center → Users → Active users → the mailbox → Mail → Manage email apps).', 'smtp-port-helper' );
			case 'microsoft_credentials':
				return __( 'Microsoft 365 refused the user name or password (5.7.139). Use the full e-mail address as the user name. If the account uses multi-factor authentication or security defaults, a password login is not allowed: sign in with Microsoft (OAuth 2.0) on the settings page instead.', 'smtp-port-helper' );
			case 'microsoft_basic_auth':
				return __( 'Microsoft 365 does not accept a password login for sending from this mailbox (5.7.30: basic authentication is not supported for client submission). Microsoft switches password login (basic authentication) off by default for existing organisations at the end of December 2026, offers it to no new ones, and will announce its final removal in the second half of 2027. Sign in with Microsoft (OAuth 2.0) on the settings page instead of the password, or ask the administrator to allow "Authenticated SMTP" for this mailbox while Microsoft still allows it.', 'smtp-port-helper' );
			case 'google_app_password':
				return __( 'Google requires an app password for this account (5.7.9): the normal password is not accepted for SMTP when 2-step verification is on. Create one at myaccount.google.com → Security → App passwords and enter it here. If your organisation does not allow app passwords, sign in with Google (OAuth 2.0) on the settings page instead.', 'smtp-port-helper' );
			case 'google_bad_credentials':
				return __( 'Google did not accept the user name or password (5.7.8). Use the full Gmail or Google Workspace address as the user name and an app password (myaccount.google.com → Security → App passwords) as the password, or sign in with Google (OAuth 2.0) on the settings page; the normal Google password does not work for SMTP.', 'smtp-port-helper' );
			case 'amazon_ses_credentials':
				return __( 'Amazon SES refused the login. SES needs SMTP credentials, which are not the same as IAM access keys: create them in the SES console (SMTP settings → Create SMTP credentials) for the same region as the host name, and enter that user name and password.', 'smtp-port-helper' );
			case 'sendgrid_api_key':
				return __( 'SendGrid refused the login. The user name is the word apikey (exactly that) and the password is an API key with the "Mail Send" permission, not your SendGrid account password.', 'smtp-port-helper' );
			default:
				return null;
		}
	}
}
