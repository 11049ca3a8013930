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
import {
	connected,
	oauthSettings,
	resetOAuthPageEachTest,
} from '../../../tests/js/oauth-page';
import { visible } from '../../../tests/js/queries';
import { navigateTo } from '../../oauth';
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
resetOAuthPageEachTest();

describe( 'OAuth 2.0 login: signing in', () => {
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
