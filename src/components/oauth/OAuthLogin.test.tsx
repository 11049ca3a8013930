import {
	configure,
	render,
	screen,
	waitFor,
	within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { mockedApi } from '../../../tests/js/api-mock';
import { bootDataFixture } from '../../../tests/js/boot-data';
import { settingsFixture } from '../../../tests/js/fixtures';
import { visible } from '../../../tests/js/queries';
import { navigateTo } from '../../oauth';
import type { SettingsResponse } from '../../types';
import { getDkimKey } from '../../api';
import { SettingsApp } from '../SettingsApp';
// The page loads these lazily (their own script chunk); loaded here once, they come at once.
import './OAuthCallbackNotice';
import './OAuthLogin';

jest.mock( '../../api', () =>
	require( '../../../tests/js/api-mock' ).mockApiModule()
);
jest.mock( '../../oauth', () => ( {
	...jest.requireActual( '../../oauth' ),
	navigateTo: jest.fn(),
} ) );
// React shows a lazily loaded part a moment after its Suspense fallback: more than the default
// second on a busy machine.
configure( { asyncUtilTimeout: 5000 } );
// Each test renders the whole page and signs in step by step: a busy CI machine took over 20 s for one.
jest.setTimeout( 60000 );

const mockedNavigate = navigateTo as jest.MockedFunction< typeof navigateTo >;
const api = mockedApi();

const AUTHORIZE_URL =
	'https://login.example.test/authorize?client_id=app-1&state=s1';

function oauthSettings(
	overrides: Partial< SettingsResponse > = {}
): SettingsResponse {
	return settingsFixture( {
		host: 'smtp.office365.com',
		auth: true,
		auth_method: 'oauth2',
		oauth_provider: 'microsoft',
		username: 'mailer@contoso.example',
		oauth_client_id: 'app-1',
		oauth_client_secret_set: true,
		...overrides,
	} );
}

const connected = {
	state: 'connected' as const,
	account: 'mailer@contoso.example',
	connected_at: '2026-11-29T10:00:00Z',
	code: '',
	message: '',
};

describe( 'OAuth 2.0 login', () => {
	beforeEach( () => {
		jest.resetAllMocks();
		// The DKIM key panel of step 5 asks when shown: these tests leave it loading.
		jest.mocked( getDkimKey ).mockReturnValue( new Promise( () => {} ) );
		window.history.replaceState(
			null,
			'',
			'/wp-admin/options-general.php?page=smtp-port-helper'
		);
	} );

	it( 'saves unsaved edits first, then opens the provider’s sign-in page', async () => {
		api.getSettings.mockResolvedValue(
			oauthSettings( { oauth_client_id: '' } )
		);
		api.saveSettings.mockResolvedValue( oauthSettings() );
		api.startOAuth.mockResolvedValue( { authorize_url: AUTHORIZE_URL } );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.type( await screen.findByLabelText( 'Client ID' ), 'app-1' );
		expect(
			screen.getByText( 'Your changes are saved first.', visible )
		).toBeInTheDocument();
		await user.click(
			screen.getByRole( 'button', { name: 'Connect with Microsoft' } )
		);
		await waitFor( () =>
			expect( mockedNavigate ).toHaveBeenCalledWith( AUTHORIZE_URL )
		);
		expect( api.saveSettings ).toHaveBeenCalledWith( {
			oauth_client_id: 'app-1',
		} );
		expect( api.saveSettings.mock.invocationCallOrder[ 0 ] ).toBeLessThan(
			api.startOAuth.mock.invocationCallOrder[ 0 ]
		);
	} );

	it( 'does not start the sign-in when saving fails', async () => {
		api.getSettings.mockResolvedValue( oauthSettings() );
		api.saveSettings.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): oauth_tenant',
			data: {
				status: 400,
				params: { oauth_tenant: 'Enter a tenant ID or domain.' },
			},
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const tenant = await screen.findByLabelText( 'Tenant' );
		await user.clear( tenant );
		await user.type( tenant, 'bad tenant' );
		await user.click(
			screen.getByRole( 'button', { name: 'Connect with Microsoft' } )
		);
		expect(
			await screen.findByText( 'Enter a tenant ID or domain.', visible )
		).toBeInTheDocument();
		expect( api.startOAuth ).not.toHaveBeenCalled();
		expect( mockedNavigate ).not.toHaveBeenCalled();
	} );

	it( 'names the setting the sign-in still needs', async () => {
		api.getSettings.mockResolvedValue(
			oauthSettings( { oauth_client_id: '' } )
		);
		api.startOAuth.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid setting(s): oauth_client_id',
			data: {
				status: 400,
				params: {
					oauth_client_id:
						'Save this setting first: the sign-in needs it.',
				},
			},
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', {
				name: 'Connect with Microsoft',
			} )
		);
		expect(
			await screen.findByText(
				'Client ID: Save this setting first: the sign-in needs it.',
				visible
			)
		).toBeInTheDocument();
		expect( api.saveSettings ).not.toHaveBeenCalled();
		expect( mockedNavigate ).not.toHaveBeenCalled();
	} );

	it( 'shows the connected account and disconnects it after confirming', async () => {
		api.getSettings.mockResolvedValue(
			oauthSettings( { oauth_connection: connected } )
		);
		api.disconnectOAuth.mockResolvedValue( oauthSettings() );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		expect(
			await screen.findByText( /Connected as mailer@contoso\.example/ )
		).toBeInTheDocument();
		expect(
			screen.queryByRole( 'button', { name: 'Connect with Microsoft' } )
		).not.toBeInTheDocument();

		await user.click(
			screen.getByRole( 'button', { name: 'Disconnect' } )
		);
		const dialog = screen.getByRole( 'dialog', {
			name: 'Disconnect the account?',
		} );
		await user.click(
			within( dialog ).getByRole( 'button', { name: 'Cancel' } )
		);
		expect( api.disconnectOAuth ).not.toHaveBeenCalled();

		await user.click(
			screen.getByRole( 'button', { name: 'Disconnect' } )
		);
		await user.click(
			within(
				screen.getByRole( 'dialog', {
					name: 'Disconnect the account?',
				} )
			).getByRole( 'button', { name: 'Disconnect' } )
		);
		expect( api.disconnectOAuth ).toHaveBeenCalledTimes( 1 );
		expect(
			await screen.findByText( 'The account was disconnected.', visible )
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Connect with Microsoft' } )
		).toBeInTheDocument();
		expect( screen.queryByText( /Connected as/ ) ).not.toBeInTheDocument();
	} );

	it( 'says in plain words that the connection failed and offers to connect again', async () => {
		api.getSettings.mockResolvedValue(
			oauthSettings( {
				oauth_connection: {
					state: 'failed',
					account: 'mailer@contoso.example',
					connected_at: '2026-11-01T10:00:00Z',
					code: 'oauth_refresh_failed',
					message:
						'Microsoft refused to renew the sign-in: the client secret has expired.',
				},
			} )
		);
		api.startOAuth.mockResolvedValue( { authorize_url: AUTHORIZE_URL } );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				'Microsoft refused to renew the sign-in: the client secret has expired.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( /until you connect again/, visible )
		).toBeInTheDocument();
		await user.click(
			screen.getByRole( 'button', { name: 'Connect again' } )
		);
		await waitFor( () =>
			expect( mockedNavigate ).toHaveBeenCalledWith( AUTHORIZE_URL )
		);
	} );

	it( 'shows the fields wp-config.php sets as locked, the endpoints too', async () => {
		api.getSettings.mockResolvedValue(
			oauthSettings( {
				oauth_authorize_url: 'http://127.0.0.1:9400/auth',
				locked: {
					oauth_client_id: 'SMTP_PORT_HELPER_OAUTH_CLIENT_ID',
					oauth_client_secret: 'SMTP_PORT_HELPER_OAUTH_CLIENT_SECRET',
					oauth_authorize_url: 'SMTP_PORT_HELPER_OAUTH_AUTHORIZE_URL',
				},
			} )
		);
		render( <SettingsApp /> );
		expect( await screen.findByLabelText( 'Client ID' ) ).toBeDisabled();
		expect(
			screen.getByText(
				'Set by SMTP_PORT_HELPER_OAUTH_CLIENT_ID in wp-config.php.'
			)
		).toBeInTheDocument();
		expect( screen.getByLabelText( 'Client secret' ) ).toBeDisabled();
		expect(
			screen.queryByRole( 'button', {
				name: 'Remove saved client secret',
			} )
		).not.toBeInTheDocument();
		// Microsoft's endpoint is not shown unless wp-config.php replaces it.
		expect( screen.getByLabelText( 'Authorization URL' ) ).toBeDisabled();
		expect( screen.getByLabelText( 'Authorization URL' ) ).toHaveValue(
			'http://127.0.0.1:9400/auth'
		);
		expect(
			screen.queryByLabelText( 'Token URL' )
		).not.toBeInTheDocument();
		expect( screen.getByLabelText( 'Tenant' ) ).toBeEnabled();
	} );

	it( 'saves the client secret’s expiry date, and shows the saved one', async () => {
		api.getSettings.mockResolvedValue( oauthSettings() );
		api.saveSettings.mockImplementation( async () =>
			oauthSettings( { oauth_client_secret_expires: '2027-06-30' } )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const expires = await screen.findByLabelText( 'Client secret expires' );
		expect( expires ).toHaveAttribute( 'type', 'date' );
		expect( expires ).toHaveValue( '' );
		expect(
			screen.getByText( /You are warned 14 days ahead/ )
		).toBeInTheDocument();

		await user.type( expires, '2027-06-30' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( api.saveSettings ).toHaveBeenLastCalledWith( {
			oauth_client_secret_expires: '2027-06-30',
		} );
		await waitFor( () => expect( expires ).toHaveValue( '2027-06-30' ) );
	} );

	it( 'keeps the client secret write-only: never shown, sent only when typed, removable', async () => {
		api.getSettings.mockResolvedValue( oauthSettings() );
		api.saveSettings.mockImplementation( async () => oauthSettings() );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const secret = await screen.findByLabelText( 'Client secret' );
		expect( secret ).toHaveValue( '' );
		expect( secret ).toHaveAttribute( 'type', 'password' );
		expect( secret ).toHaveAttribute(
			'placeholder',
			'Saved — leave empty to keep'
		);

		const tenant = screen.getByLabelText( 'Tenant' );
		await user.clear( tenant );
		await user.type( tenant, 'contoso.example' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( api.saveSettings ).toHaveBeenLastCalledWith( {
			oauth_tenant: 'contoso.example',
		} );

		await user.type( secret, 'n3w~secret' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( api.saveSettings ).toHaveBeenLastCalledWith( {
			oauth_client_secret: 'n3w~secret',
		} );
		// Saved: the field is empty again, and the secret is nowhere on the page.
		await waitFor( () => expect( secret ).toHaveValue( '' ) );
		expect( document.body.innerHTML ).not.toContain( 'n3w~secret' );

		await user.click(
			screen.getByRole( 'button', { name: 'Remove saved client secret' } )
		);
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( api.saveSettings ).toHaveBeenLastCalledWith( {
			clear_oauth_client_secret: true,
		} );
	} );

	it( 'leads the Microsoft 365 preset to the sign-in, and says why for a saved password login', async () => {
		api.getSettings.mockResolvedValue(
			settingsFixture( {
				host: 'smtp.office365.com',
				auth: true,
				auth_method: 'password',
				username: 'mailer@contoso.example',
			} )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		expect(
			await screen.findByText( /at the end of December 2026/, visible )
		).toBeInTheDocument();
		expect( screen.getByLabelText( 'Password' ) ).toBeInTheDocument();
		await user.click(
			await screen.findByRole( 'button', {
				name: 'Use Sign in with Microsoft',
			} )
		);
		expect(
			screen.getByRole( 'radio', {
				name: 'Sign in with Microsoft 365 / Google (OAuth 2.0)',
			} )
		).toBeChecked();
		expect( screen.queryByLabelText( 'Password' ) ).not.toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Connect with Microsoft' } )
		).toBeInTheDocument();

		// Google from the provider list: the Google profile and its host.
		await user.selectOptions(
			screen.getByLabelText( 'Email provider' ),
			'google'
		);
		expect( screen.getByLabelText( 'Provider' ) ).toHaveValue( 'google' );
		expect( screen.getByLabelText( 'Host' ) ).toHaveValue(
			'smtp.gmail.com'
		);
		expect(
			screen.getByRole( 'button', { name: 'Connect with Google' } )
		).toBeInTheDocument();
	} );

	it( 'shows the app registration steps with the redirect URI to copy', async () => {
		api.getSettings.mockResolvedValue(
			oauthSettings( { oauth_client_id: '' } )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		// Open while nothing is set up yet.
		expect(
			await screen.findByText( /App registrations → New registration/ )
		).toBeInTheDocument();
		expect( screen.getByLabelText( 'Redirect URI' ) ).toHaveValue(
			bootDataFixture().oauthRedirectUri
		);
		expect( screen.getByText( /SMTP\.Send/ ) ).toBeInTheDocument();

		await user.selectOptions(
			screen.getByLabelText( 'Provider' ),
			'google'
		);
		expect(
			await screen.findByText(
				/OAuth client ID, choose the application type "Web application"/
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( /https:\/\/mail\.google\.com\// )
		).toBeInTheDocument();
	} );

	it( 'reports the sign-in’s result from the callback, once', async () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/options-general.php?page=smtp-port-helper&oauth=connected'
		);
		api.getSettings.mockResolvedValue(
			oauthSettings( { oauth_connection: connected } )
		);
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				/^Connected as mailer@contoso\.example\. Test the ports/,
				visible
			)
		).toBeInTheDocument();
		expect( window.location.search ).toBe( '?page=smtp-port-helper' );
	} );

	it( 'reports a refused sign-in in the server’s words', async () => {
		window.history.replaceState(
			null,
			'',
			'/wp-admin/options-general.php?page=smtp-port-helper&oauth=failed&oauth_code=oauth_state_invalid'
		);
		window.smtpPortHelper = bootDataFixture( {
			oauthFailure: {
				code: 'oauth_state_invalid',
				message:
					'The sign-in answer did not belong to a sign-in started here by you.',
			},
		} );
		api.getSettings.mockResolvedValue( oauthSettings() );
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				'The sign-in answer did not belong to a sign-in started here by you.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Connect with Microsoft' } )
		).toBeInTheDocument();
		expect( window.location.search ).toBe( '?page=smtp-port-helper' );
	} );
} );
