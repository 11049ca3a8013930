/**
 * How to register the app with the provider, step by step.
 */
import { ExternalLink } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { bootData } from '../../boot';
import type { OAuthProvider } from '../../types';
import { CopyField } from './CopyField';

function RedirectUri() {
	return (
		<CopyField
			label={ __( 'Redirect URI', 'smtp-port-helper' ) }
			value={ bootData().oauthRedirectUri }
		/>
	);
}

function MicrosoftSteps() {
	return (
		<ol className="smtp-port-helper__guide-steps">
			<li>
				{ __(
					'Open the Microsoft Entra admin center and sign in as an administrator who may register apps and grant consent (Cloud Application Administrator or Global Administrator).',
					'smtp-port-helper'
				) }{ ' ' }
				<ExternalLink href="https://entra.microsoft.com/">
					{ __( 'Microsoft Entra admin center', 'smtp-port-helper' ) }
				</ExternalLink>
			</li>
			<li>
				{ __(
					'Go to Entra ID → App registrations → New registration. Enter a name such as "WordPress mail", and choose "Accounts in this organizational directory only".',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'Under Redirect URI, choose the platform "Web" and paste this address, then click Register:',
					'smtp-port-helper'
				) }
				<RedirectUri />
			</li>
			<li>
				{ __(
					'On the app’s Overview page, copy the "Application (client) ID" into the Client ID field and the "Directory (tenant) ID" into the Tenant field here.',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'Go to API permissions → Add a permission → APIs my organization uses → Office 365 Exchange Online → Delegated permissions, and tick SMTP.Send. Add offline_access (Microsoft Graph, delegated) the same way, so that the site stays signed in.',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'Click "Grant admin consent for …" and confirm, so that users are not asked one by one.',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'Go to Certificates & secrets → Client secrets → New client secret. Copy its Value (not the Secret ID) into the Client secret field here: it is shown only once. Note the expiry date: before then, create a new secret and save it here, or sending stops.',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'SMTP AUTH must be enabled for the mailbox that sends: in the Microsoft 365 admin center, Users → Active users → the mailbox → Mail → Manage email apps → "Authenticated SMTP".',
					'smtp-port-helper'
				) }{ ' ' }
				<ExternalLink href="https://learn.microsoft.com/en-us/exchange/clients-and-mobile-in-exchange-online/authenticated-client-smtp-submission">
					{ __(
						'Enable or disable SMTP AUTH (Microsoft)',
						'smtp-port-helper'
					) }
				</ExternalLink>
			</li>
			<li>
				{ __(
					'Enter the mailbox’s address as the User name, save, click "Connect with Microsoft" and sign in with that mailbox.',
					'smtp-port-helper'
				) }
			</li>
		</ol>
	);
}

/**
 * The consent screen's scope: SMTP needs Google's full mail access, the Gmail API only sending.
 *
 * @param props
 * @param props.gmailApi Whether the site sends over the Gmail API.
 */
function GoogleScopeStep( { gmailApi }: { gmailApi: boolean } ) {
	if ( ! gmailApi ) {
		return (
			<li>
				{ __(
					'Add the scope https://mail.google.com/ to the consent screen (Data access → Add or remove scopes).',
					'smtp-port-helper'
				) }
			</li>
		);
	}
	return (
		<li>
			{ __(
				'Enable the Gmail API (APIs & Services → Library → Gmail API → Enable) and add the scope https://www.googleapis.com/auth/gmail.send to the consent screen (Data access → Add or remove scopes). It only allows sending — narrower than SMTP’s https://mail.google.com/, which also reads and deletes all mail.',
				'smtp-port-helper'
			) }
		</li>
	);
}

function GoogleSteps( { gmailApi }: { gmailApi: boolean } ) {
	return (
		<ol className="smtp-port-helper__guide-steps">
			<li>
				{ __(
					'Open the Google Cloud console and create a project for the site (or choose one).',
					'smtp-port-helper'
				) }{ ' ' }
				<ExternalLink href="https://console.cloud.google.com/">
					{ __( 'Google Cloud console', 'smtp-port-helper' ) }
				</ExternalLink>
			</li>
			<li>
				{ __(
					'Go to APIs & Services → OAuth consent screen. For Google Workspace choose the user type "Internal" (only your organisation). For a Gmail account choose "External" and publish the app: in testing mode Google ends the sign-in after 7 days.',
					'smtp-port-helper'
				) }
			</li>
			<GoogleScopeStep gmailApi={ gmailApi } />
			<li>
				{ __(
					'Go to Credentials → Create credentials → OAuth client ID, choose the application type "Web application", and add this address under "Authorized redirect URIs":',
					'smtp-port-helper'
				) }
				<RedirectUri />
			</li>
			<li>
				{ __(
					'Click Create, and copy the Client ID and the Client secret into the fields here.',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'Enter the Google address that sends as the User name, save, click "Connect with Google" and sign in with that address.',
					'smtp-port-helper'
				) }
			</li>
		</ol>
	);
}

function GenericSteps() {
	return (
		<ol className="smtp-port-helper__guide-steps">
			<li>
				{ __(
					'In your mail provider’s developer or admin console, register a web application (an OAuth 2.0 client that has a client secret) with this redirect URI:',
					'smtp-port-helper'
				) }
				<RedirectUri />
			</li>
			<li>
				{ __(
					'Enter the provider’s authorization URL and token URL, and the scopes that allow sending mail over SMTP and a refresh token (separated by spaces).',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'Copy the client ID and client secret into the fields here, enter the mailbox’s address as the User name, save, click Connect and sign in with that mailbox.',
					'smtp-port-helper'
				) }
			</li>
			<li>
				{ __(
					'The provider must offer the authorization code flow with PKCE, and its SMTP server the XOAUTH2 login.',
					'smtp-port-helper'
				) }
			</li>
		</ol>
	);
}

export function RegistrationSteps( {
	provider,
	transport = 'smtp',
}: {
	provider: OAuthProvider;
	transport?: string;
} ) {
	switch ( provider ) {
		case 'microsoft':
			return <MicrosoftSteps />;
		case 'google':
			return <GoogleSteps gmailApi={ transport === 'gmail' } />;
	}
	return <GenericSteps />;
}
