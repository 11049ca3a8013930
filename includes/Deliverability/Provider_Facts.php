<?php
/**
 * What each provider's documentation tells a domain owner to publish: SPF include, DKIM
 * selectors, envelope sender. Sources and dates: docs/facts.md, "Domain authentication".
 *
 * @package SmtpPortHelper
 */

namespace SmtpPortHelper\Deliverability;

defined( 'ABSPATH' ) || defined( 'SMTP_PORT_HELPER_TESTING' ) || exit;

/**
 * One row per provider, found by its SMTP host. `envelope`: 'from' when the provider keeps the
 * From address as envelope sender (so SPF can align), else the provider's own bounce domain
 * unless a custom one is set up ({domain}: the From domain). `dkim`: the selectors whose records the provider documents
 * (kind cname with the target's suffix, or txt with the key); empty when the selectors are
 * generated per account and only the provider's console knows them. `signer`: the domain the
 * provider signs with before the customer's own DKIM is set up.
 */
final class Provider_Facts {

	/**
	 * The table.
	 *
	 * @var array<string, array{label: string, hosts: string, spf: string[], envelope: string, dkim: list<array{selector: string, kind: string, target: string}>, signer: string, dkim_setup: string, source: string}>
	 */
	public const PROVIDERS = array(
		'microsoft365' => array(
			'label'      => 'Microsoft 365',
			'hosts'      => '/^smtp\.office365\.com$/',
			'spf'        => array( 'spf.protection.outlook.com' ),
			'envelope'   => 'from',
			'dkim'       => array(
				array(
					'selector' => 'selector1',
					'kind'     => 'cname',
					'target'   => 'selector1-{dashed}._domainkey.{tenant}.onmicrosoft.com',
				),
				array(
					'selector' => 'selector2',
					'kind'     => 'cname',
					'target'   => 'selector2-{dashed}._domainkey.{tenant}.onmicrosoft.com',
				),
			),
			'signer'     => 'onmicrosoft.com',
			'dkim_setup' => 'Microsoft Defender portal → Email authentication settings → DKIM',
			'source'     => 'https://learn.microsoft.com/defender-office-365/email-authentication-dkim-configure',
		),
		'google'       => array(
			'label'      => 'Google Workspace',
			'hosts'      => '/^smtp(-relay)?\.gmail\.com$/',
			'spf'        => array( '_spf.google.com' ),
			'envelope'   => 'from',
			'dkim'       => array(
				array(
					'selector' => 'google',
					'kind'     => 'txt',
					'target'   => '',
				),
			),
			'signer'     => 'gappssmtp.com',
			'dkim_setup' => 'Google Admin console → Apps → Google Workspace → Gmail → Authenticate email',
			'source'     => 'https://support.google.com/a/answer/174124',
		),
		'sendgrid'     => array(
			'label'      => 'SendGrid',
			'hosts'      => '/^smtp\.sendgrid\.net$/',
			'spf'        => array( 'sendgrid.net' ),
			'envelope'   => 'sendgrid.net',
			'dkim'       => array(
				array(
					'selector' => 's1',
					'kind'     => 'cname',
					'target'   => 's1.domainkey.{account}.sendgrid.net',
				),
				array(
					'selector' => 's2',
					'kind'     => 'cname',
					'target'   => 's2.domainkey.{account}.sendgrid.net',
				),
			),
			'signer'     => 'sendgrid.net',
			'dkim_setup' => 'SendGrid → Settings → Sender Authentication → Authenticate Your Domain',
			'source'     => 'https://www.twilio.com/docs/sendgrid/ui/account-and-settings/how-to-set-up-domain-authentication',
		),
		'mailgun'      => array(
			'label'      => 'Mailgun',
			'hosts'      => '/^smtp(\.eu)?\.mailgun\.org$/',
			'spf'        => array( 'mailgun.org' ),
			'envelope'   => 'mailgun.org',
			'dkim'       => array(),
			'signer'     => 'mailgun.org',
			'dkim_setup' => 'Mailgun → Sending → Domains → DNS records',
			'source'     => 'https://documentation.mailgun.com/docs/mailgun/user-manual/get-started/#verify-your-domain',
		),
		'amazon-ses'   => array(
			'label'      => 'Amazon SES',
			'hosts'      => '/^email-smtp(-fips)?\.[a-z0-9-]+\.amazonaws\.com$/',
			'spf'        => array( 'amazonses.com' ),
			'envelope'   => 'amazonses.com',
			'dkim'       => array(),
			'signer'     => 'amazonses.com',
			'dkim_setup' => 'Amazon SES console → Identities → your domain → Easy DKIM (three CNAME records)',
			'source'     => 'https://docs.aws.amazon.com/ses/latest/dg/send-email-authentication-dkim-easy.html',
		),
		'brevo'        => array(
			'label'      => 'Brevo',
			'hosts'      => '/^smtp-relay\.(brevo|sendinblue)\.com$/',
			'spf'        => array( 'spf.brevo.com', 'spf.sendinblue.com' ),
			'envelope'   => 'brevo.com',
			'dkim'       => array(),
			'signer'     => 'brevo.com',
			'dkim_setup' => 'Brevo → Senders, domains & dedicated IPs → Domains → Authenticate',
			'source'     => 'https://help.brevo.com/hc/en-us/articles/12163873383186',
		),
		'postmark'     => array(
			'label'      => 'Postmark',
			'hosts'      => '/^smtp(-broadcasts)?\.postmarkapp\.com$/',
			'spf'        => array( 'spf.mtasv.net' ),
			'envelope'   => 'mtasv.net',
			'dkim'       => array(),
			'signer'     => 'mtasv.net',
			'dkim_setup' => 'Postmark → Sender Signatures → DNS Settings',
			'source'     => 'https://postmarkapp.com/support/article/1046-how-do-i-verify-a-domain',
		),
		'resend'       => array(
			'label'      => 'Resend',
			'hosts'      => '/^smtp\.resend\.com$/',
			'spf'        => array( 'amazonses.com' ),
			'envelope'   => 'send.{domain}',
			'dkim'       => array(
				array(
					'selector' => 'resend',
					'kind'     => 'txt',
					'target'   => '',
				),
			),
			'signer'     => 'amazonses.com',
			'dkim_setup' => 'Resend → Domains → Add domain',
			'source'     => 'https://resend.com/docs/dashboard/domains/introduction',
		),
	);

	/**
	 * The provider of an SMTP host, or null for a host the table does not know.
	 *
	 * @param string $host SMTP host name.
	 * @return array{id: string, label: string, hosts: string, spf: string[], envelope: string, dkim: list<array{selector: string, kind: string, target: string}>, signer: string, dkim_setup: string, source: string}|null
	 */
	public static function for_host( string $host ): ?array {
		$host = strtolower( rtrim( $host, '.' ) );
		foreach ( self::PROVIDERS as $id => $provider ) {
			if ( 1 === preg_match( $provider['hosts'], $host ) ) {
				return array( 'id' => $id ) + $provider;
			}
		}
		return null;
	}
}
