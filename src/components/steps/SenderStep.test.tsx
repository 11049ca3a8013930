import { render, screen } from '@testing-library/react';

import { mockedApi } from '../../../tests/js/api-mock';
import { settingsFixture } from '../../../tests/js/fixtures';
import { visible } from '../../../tests/js/queries';
import { SettingsApp } from '../SettingsApp';

jest.mock( '../../api', () =>
	require( '../../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet } = mockedApi();

describe( 'SenderStep', () => {
	beforeEach( () => {
		mockedGet.mockReset();
	} );

	it( 'names the mailbox the login uses as the From, and why', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( {
				username: 'shop@contoso.example',
				from_address: {
					email: 'shop@contoso.example',
					reason: 'login_mailbox',
				},
			} )
		);
		render( <SettingsApp /> );
		const note = await screen.findByText(
			/mail leaves from shop@contoso\.example, the mailbox you log in with/
		);
		expect( note ).toHaveTextContent( 'SendAsDenied' );
	} );

	it( 'says when WordPress’s default sender is used', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				/leaves from WordPress’s default address wordpress@example\.com/
			)
		).toHaveTextContent( 'Set a From email' );
	} );

	it( 'names the From email setting when it applies', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( {
				from_email: 'news@example.com',
				from_address: {
					email: 'news@example.com',
					reason: 'from_setting',
				},
			} )
		);
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				'With the saved settings, mail leaves from news@example.com: the From email set here.'
			)
		).toBeInTheDocument();
	} );

	it( 'warns when Gmail would send the From as the signed-in account instead', async () => {
		const warning =
			'The From address news@example.com is not the signed-in Google account owner@gmail.example. Gmail sends it as owner@gmail.example unless news@example.com is one of the account’s "Send mail as" addresses.';
		mockedGet.mockResolvedValue(
			settingsFixture( {
				transport: 'gmail',
				from_email: 'news@example.com',
				from_address: {
					email: 'news@example.com',
					reason: 'from_setting',
					warning,
				},
			} )
		);
		render( <SettingsApp /> );
		const notice = await screen.findByText( warning, visible );
		expect( notice.closest( '.components-notice' ) ).toHaveClass(
			'is-warning'
		);
	} );

	it( 'shows no warning without one', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		render( <SettingsApp /> );
		await screen.findByText( /leaves from WordPress’s default address/ );
		expect(
			screen.queryByText( /Send mail as/, visible )
		).not.toBeInTheDocument();
	} );
} );
