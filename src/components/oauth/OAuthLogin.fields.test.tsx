import { configure, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { mockedApi } from '../../../tests/js/api-mock';
import { bootDataFixture } from '../../../tests/js/boot-data';
import { settingsFixture } from '../../../tests/js/fixtures';
import {
	oauthSettings,
	resetOAuthPageEachTest,
} from '../../../tests/js/oauth-page';
import { visible } from '../../../tests/js/queries';
import { SettingsApp } from '../SettingsApp';
// The page loads these lazily (their own script chunk); loaded here once, they come at once.
import './OAuthCallbackNotice';
import './OAuthLogin';

jest.mock( '../../api', () =>
	require( '../../../tests/js/api-mock' ).mockApiModule()
);
// React shows a lazily loaded part a moment after its Suspense fallback: more than the default
// second on a busy machine.
configure( { asyncUtilTimeout: 5000 } );
// Each test renders the whole page and signs in step by step: a busy CI machine took over 20 s for one.
jest.setTimeout( 60000 );

const api = mockedApi();

resetOAuthPageEachTest();

describe( 'OAuth 2.0 login: its fields', () => {
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
} );
