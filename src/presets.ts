/**
 * Provider presets: the provider's own SMTP host name and the ports it documents.
 *
 * Every preset cites the provider's documentation page it was taken from; all were checked
 * "from the provider docs as of 2025". `ports` lists what the provider documents for submission
 * (its order of preference, 587 first when offered); `alternates` are the provider's own extra
 * ports other than 587, 465 and 25, which the port test tries right after 587.
 */
import { bootData } from './boot';
import type { PresetWarning } from './types';

export interface Preset {
	/** Stable identifier (used in the select and in tests). */
	id: string;
	/** Provider name; brand names are not translated. */
	name: string;
	/** SMTP host; for presets with regions, the host of `defaultRegion`. */
	host: string;
	/** Documented submission ports, in the provider's order of preference. */
	ports: number[];
	/** Provider-specific alternate ports (never 25, 465 or 587). */
	alternates: number[];
	/** The provider's documentation page the values come from. */
	docs: string;
	/** A fixed SMTP user name the provider documents, if any (e.g. "apikey"). */
	username?: string;
	/** The SMTP password is an API key from the provider's account, not an account password. */
	apiKeyPassword?: boolean;
	/** The OAuth 2.0 profile the provider wants instead of a password (its password login ends). */
	oauthProvider?: 'microsoft' | 'google';
	/** Regions, when the host name depends on one (Amazon SES). */
	regions?: string[];
	defaultRegion?: string;
}

/** Regions with an Amazon SES SMTP endpoint (email-smtp.<region>.amazonaws.com). */
export const SES_REGIONS: string[] = [
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
];

export const sesHost = ( region: string ): string =>
	`email-smtp.${ region }.amazonaws.com`;

export const PRESETS: Preset[] = [
	{
		// https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api
		// Host smtp.sendgrid.net; user name is the literal string "apikey", the password an API key;
		// "For an unencrypted or a TLS connection, use port 25, 2525, or 587. For a SSL connection,
		// use port 465"; 587 "typically recommended". (from the provider docs as of 2025)
		id: 'sendgrid',
		name: 'SendGrid',
		host: 'smtp.sendgrid.net',
		ports: [ 587, 2525, 465 ],
		alternates: [ 2525 ],
		docs: 'https://www.twilio.com/docs/sendgrid/for-developers/sending-email/integrating-with-the-smtp-api',
		username: 'apikey',
		apiKeyPassword: true,
	},
	{
		// https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp
		// US region smtp.mailgun.org; "The servers listen on ports 25, 465, 587, and 2525. Port 465
		// requires a TLS connection. Ports 25, 587, and 2525 ... may be upgraded to TLS using the
		// STARTTLS command"; port 25 blocked by some ISPs, 587 recommended. (from the provider docs
		// as of 2025)
		id: 'mailgun-us',
		name: 'Mailgun (US)',
		host: 'smtp.mailgun.org',
		ports: [ 587, 2525, 465 ],
		alternates: [ 2525 ],
		docs: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
	},
	{
		// Same page as Mailgun US: domains in the EU region send through smtp.eu.mailgun.org, same
		// ports. (from the provider docs as of 2025)
		id: 'mailgun-eu',
		name: 'Mailgun (EU)',
		host: 'smtp.eu.mailgun.org',
		ports: [ 587, 2525, 465 ],
		alternates: [ 2525 ],
		docs: 'https://documentation.mailgun.com/docs/mailgun/user-manual/sending-messages/send-smtp',
	},
	{
		// https://support.google.com/a/answer/176600 ("Send email from a printer, scanner, or app"):
		// SMTP server smtp.gmail.com, "Port 465 (SSL required) or port 587 (TLS required)", user
		// name = the full Google address, an app password when 2-Step Verification is on. (from the
		// provider docs as of 2025)
		id: 'google',
		name: 'Google Workspace / Gmail',
		host: 'smtp.gmail.com',
		ports: [ 587, 465 ],
		alternates: [],
		docs: 'https://support.google.com/a/answer/176600',
		// Passwords only as app passwords (2-Step Verification), which organisations often forbid.
		oauthProvider: 'google',
	},
	{
		// https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365
		// "SMTP AUTH client submission": server smtp.office365.com, "Port 587 (recommended) or port
		// 25", TLS (STARTTLS) required; SMTP AUTH must be enabled for the mailbox. (from the
		// provider docs as of 2025)
		id: 'microsoft365',
		name: 'Microsoft 365 / Outlook',
		host: 'smtp.office365.com',
		ports: [ 587 ],
		alternates: [],
		docs: 'https://learn.microsoft.com/en-us/exchange/mail-flow-best-practices/how-to-set-up-a-multifunction-device-or-application-to-send-email-using-microsoft-365-or-office-365',
		// SMTP AUTH with passwords ends for existing tenants at the end of December 2026.
		oauthProvider: 'microsoft',
	},
	{
		// https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html ("Connecting to an Amazon SES
		// SMTP endpoint"): endpoint email-smtp.<region>.amazonaws.com; STARTTLS on ports 25, 587 or
		// 2587, TLS Wrapper on 465 or 2465; EC2 throttles port 25 by default. No port 2525.
		// (from the provider docs as of 2025)
		id: 'amazon-ses',
		name: 'Amazon SES',
		host: sesHost( 'us-east-1' ),
		ports: [ 587, 2587, 465, 2465 ],
		alternates: [ 2587, 2465 ],
		docs: 'https://docs.aws.amazon.com/ses/latest/dg/smtp-connect.html',
		regions: SES_REGIONS,
		defaultRegion: 'us-east-1',
	},
	{
		// https://developers.brevo.com/docs/smtp-integration ("SMTP relay integration"): host
		// smtp-relay.brevo.com; "use ports 587 or 2525" (STARTTLS), "use port 465 with SSL or TLS
		// encryption"; the password is an SMTP key, not an API key. (from the provider docs as of
		// 2025)
		id: 'brevo',
		name: 'Brevo (Sendinblue)',
		host: 'smtp-relay.brevo.com',
		ports: [ 587, 2525, 465 ],
		alternates: [ 2525 ],
		docs: 'https://developers.brevo.com/docs/smtp-integration',
	},
	{
		// https://postmarkapp.com/developer/user-guide/send-email-with-smtp and
		// https://postmarkapp.com/support/article/811-what-are-the-smtp-details-api-tokens-i-should-be-using:
		// server smtp.postmarkapp.com, "Ports — 25, 2525, or 587", TLS via STARTTLS; no implicit
		// TLS port. The Server API Token is both user name and password. (from the provider docs
		// as of 2025)
		id: 'postmark',
		name: 'Postmark',
		host: 'smtp.postmarkapp.com',
		ports: [ 587, 2525, 25 ],
		alternates: [ 2525 ],
		docs: 'https://postmarkapp.com/developer/user-guide/send-email-with-smtp',
	},
	{
		// https://developers.sparkpost.com/api/smtp/ : host smtp.sparkpostmail.com
		// (smtp.eu.sparkpostmail.com for SparkPost EU), "Port 587 or 2525 — Port 2525 is provided
		// as an alternate port for cases where port 587 is blocked", STARTTLS, user SMTP_Injection,
		// password an API key. (from the provider docs as of 2025)
		id: 'sparkpost',
		name: 'SparkPost',
		host: 'smtp.sparkpostmail.com',
		ports: [ 587, 2525 ],
		alternates: [ 2525 ],
		docs: 'https://developers.sparkpost.com/api/smtp/',
		username: 'SMTP_Injection',
		apiKeyPassword: true,
	},
	{
		// https://www.zoho.com/mail/help/zoho-smtp.html ("SMTP Server Configuration"): outgoing
		// server smtp.zoho.com, port 465 with SSL or 587 with TLS; accounts in the EU data centre
		// use smtp.zoho.eu. (from the provider docs as of 2025)
		id: 'zoho',
		name: 'Zoho Mail',
		host: 'smtp.zoho.com',
		ports: [ 587, 465 ],
		alternates: [],
		docs: 'https://www.zoho.com/mail/help/zoho-smtp.html',
	},
	{
		// Same page as Zoho Mail, EU data centre. (from the provider docs as of 2025)
		id: 'zoho-eu',
		name: 'Zoho Mail (EU)',
		host: 'smtp.zoho.eu',
		ports: [ 587, 465 ],
		alternates: [],
		docs: 'https://www.zoho.com/mail/help/zoho-smtp.html',
	},
	{
		// https://resend.com/docs/send-with-smtp : host smtp.resend.com, user name "resend", password
		// an API key; "For a SSL connection, use port 465 or 2465. For an unencrypted or a TLS
		// connection, use port 25, 587, or 2587". (from the provider docs as of 2025)
		id: 'resend',
		name: 'Resend',
		host: 'smtp.resend.com',
		ports: [ 587, 2587, 465, 2465 ],
		alternates: [ 2587, 2465 ],
		docs: 'https://resend.com/docs/send-with-smtp',
		username: 'resend',
		apiKeyPassword: true,
	},
	{
		// https://developers.smtp2go.com/docs/smtp-relay ("SMTP Relay"): server mail.smtp2go.com;
		// "TLS (or no encryption): available on 25, 2525, 8025, 587 and 80. SSL: available on ports
		// 465, 8465 and 443". (from the provider docs as of 2025)
		id: 'smtp2go',
		name: 'SMTP2GO',
		host: 'mail.smtp2go.com',
		ports: [ 587, 2525, 8025, 465, 8465 ],
		alternates: [ 2525, 8025, 8465 ],
		docs: 'https://developers.smtp2go.com/docs/smtp-relay',
	},
];

/** The "Other host" choice: the user types the host; the usual alternate port is tried. */
export const OTHER = 'other';

/**
 * What the page says before any test when a preset is chosen: the provider's login policy with
 * its date and the way out. The PHP side owns the text (Provider_Login_Policy, docs/facts.md)
 * and hands it over in the boot data.
 * @param id Preset id.
 */
export function presetWarning( id: string ): PresetWarning | undefined {
	return bootData().presetWarnings?.[ id ];
}

export function findPreset( id: string ): Preset | undefined {
	return PRESETS.find( ( preset ) => preset.id === id );
}

/**
 * The preset whose host (or, for SES, host pattern) matches, to preselect it on load.
 */
export function presetForHost(
	host: string
): { preset: Preset; region?: string } | undefined {
	const name = host.trim().toLowerCase();
	const ses = /^email-smtp\.([a-z0-9-]+)\.amazonaws\.com$/.exec( name );
	if ( ses ) {
		const preset = findPreset( 'amazon-ses' );
		return preset ? { preset, region: ses[ 1 ] } : undefined;
	}
	const preset = PRESETS.find( ( candidate ) => candidate.host === name );
	return preset ? { preset } : undefined;
}

/**
 * The host of a preset in a region (only SES has regions).
 */
export function presetHost( preset: Preset, region?: string ): string {
	return preset.regions && region ? sesHost( region ) : preset.host;
}

/**
 * Ports for the test: submission (587), the provider's alternates (the usual alternate, 2525, for
 * another host), implicit TLS (465) and relay (25), without duplicates, at most the PHP side's
 * limit per test. Relay is always tested last, to show whether it is blocked. The port numbers
 * and the limit come from the boot data (Submission_Ports::for_page()).
 */
export function portsToTest( preset?: Preset ): number[] {
	const { submission, implicitTls, relay, defaultAlternate, maxPerTest } =
		bootData().ports;
	const alternates = preset ? preset.alternates : [ defaultAlternate ];
	const ports = [ submission, ...alternates, implicitTls, relay ];
	const unique = ports.filter(
		( port, index ) => ports.indexOf( port ) === index
	);
	if ( unique.length <= maxPerTest ) {
		return unique;
	}
	// Keep relay last; drop the provider's least preferred alternates.
	return [
		...unique
			.filter( ( port ) => port !== relay )
			.slice( 0, maxPerTest - 1 ),
		relay,
	];
}

/**
 * The number of single-character edits (insert, delete, replace, swap of neighbours) between two
 * strings: "gmial" is one swap away from "gmail".
 */
export function editDistance( one: string, other: string ): number {
	const rows = one.length + 1;
	const cols = other.length + 1;
	// d[ i ][ j ]: the distance between the first i characters of one and the first j of other.
	const d: number[][] = Array.from( { length: rows }, ( _, i ) =>
		Array.from(
			{ length: cols },
			( __, j ) => Math.max( i, j ) * ( i === 0 || j === 0 ? 1 : 0 )
		)
	);
	for ( let i = 1; i < rows; i++ ) {
		for ( let j = 1; j < cols; j++ ) {
			const cost = one[ i - 1 ] === other[ j - 1 ] ? 0 : 1;
			d[ i ][ j ] = Math.min(
				d[ i - 1 ][ j ] + 1,
				d[ i ][ j - 1 ] + 1,
				d[ i - 1 ][ j - 1 ] + cost
			);
			if (
				i > 1 &&
				j > 1 &&
				one[ i - 1 ] === other[ j - 2 ] &&
				one[ i - 2 ] === other[ j - 1 ]
			) {
				d[ i ][ j ] = Math.min( d[ i ][ j ], d[ i - 2 ][ j - 2 ] + 1 );
			}
		}
	}
	return d[ rows - 1 ][ cols - 1 ];
}

/**
 * The preset whose host a mistyped host name most likely meant: one or two typos away, and not
 * the host itself. For "did you mean smtp.gmail.com?" after a failed name lookup.
 */
export function presetHostNear(
	host: string
): { preset: Preset; host: string } | undefined {
	const name = host.trim().toLowerCase().replace( /\.$/, '' );
	if ( name === '' || presetForHost( name ) ) {
		return undefined;
	}
	let best: { preset: Preset; host: string; distance: number } | undefined;
	for ( const preset of PRESETS ) {
		const distance = editDistance( name, preset.host );
		if ( distance <= 2 && ( ! best || distance < best.distance ) ) {
			best = { preset, host: preset.host, distance };
		}
	}
	return best ? { preset: best.preset, host: best.host } : undefined;
}
