import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { settingsPageApi } from '../../tests/js/api-mock';
import { settingsFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet, saveSettings: mockedSave } = settingsPageApi();

describe( 'SettingsApp: loading and saving', () => {
	it( 'shows the saved host and port', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { host: 'smtp.example.com', port: 2525 } )
		);
		render( <SettingsApp /> );
		expect( await screen.findByLabelText( 'Host' ) ).toHaveValue(
			'smtp.example.com'
		);
		expect( screen.getByLabelText( 'Port' ) ).toHaveValue( '2525' );
		expect( screen.getByLabelText( 'Email provider' ) ).toHaveValue(
			'other'
		);
	} );

	it( 'saves only the edited fields and shows a snackbar', async () => {
		mockedGet.mockResolvedValue( settingsFixture( { host: '' } ) );
		mockedSave.mockResolvedValue(
			settingsFixture( { host: 'smtp.example.com', port: 465 } )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.type(
			await screen.findByLabelText( 'Host' ),
			'smtp.example.com'
		);
		await user.clear( screen.getByLabelText( 'Port' ) );
		await user.type( screen.getByLabelText( 'Port' ), '465' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( mockedSave ).toHaveBeenCalledWith( {
			host: 'smtp.example.com',
			port: 465,
		} );
		expect(
			await screen.findByText( 'Settings saved.', visible )
		).toBeInTheDocument();
	} );

	it( 'shows the server error next to the field it names, keeping the typed value', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		mockedSave.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): port',
			data: {
				status: 400,
				params: {
					port: 'The port must be a whole number from 1 to 65535.',
				},
			},
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const port = await screen.findByLabelText( 'Port' );
		await user.clear( port );
		await user.type( port, '99999' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( mockedSave ).toHaveBeenCalledWith( { port: 99999 } );
		expect(
			await screen.findByText(
				'The port must be a whole number from 1 to 65535.',
				visible
			)
		).toBeInTheDocument();
		expect( port ).toHaveValue( '99999' );
		expect( port ).toHaveAttribute( 'aria-invalid', 'true' );
	} );

	it( 'marks fields locked by wp-config.php', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( {
				host: 'smtp.locked.test',
				locked: {
					host: 'SMTP_PORT_HELPER_HOST',
					password: 'SMTP_PORT_HELPER_PASS',
				},
			} )
		);
		render( <SettingsApp /> );
		const host = await screen.findByLabelText( 'Host' );
		expect( host ).toBeDisabled();
		expect(
			screen.getByText( 'Set by SMTP_PORT_HELPER_HOST in wp-config.php.' )
		).toBeInTheDocument();
		expect( screen.getByLabelText( 'Password' ) ).toBeDisabled();
		expect(
			screen.getByText( 'Set by SMTP_PORT_HELPER_PASS in wp-config.php.' )
		).toBeInTheDocument();
		await waitFor( () =>
			expect( screen.getByLabelText( 'Port' ) ).toBeEnabled()
		);
	} );

	it( 'says so when the settings cannot be loaded', async () => {
		mockedGet.mockRejectedValue( {
			code: 'rest_forbidden',
			message: 'Sorry, you are not allowed to manage the SMTP settings.',
		} );
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				'Sorry, you are not allowed to manage the SMTP settings.',
				visible
			)
		).toBeInTheDocument();
	} );

	it( 'warns before leaving with unsaved changes', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const clean = new Event( 'beforeunload', { cancelable: true } );
		await screen.findByLabelText( 'Host' );
		window.dispatchEvent( clean );
		expect( clean.defaultPrevented ).toBe( false );

		await user.type( screen.getByLabelText( 'From name' ), 'My site' );
		const dirty = new Event( 'beforeunload', { cancelable: true } );
		window.dispatchEvent( dirty );
		expect( dirty.defaultPrevented ).toBe( true );
	} );

	it( 'sums up a refused save in plain words and puts the focus on the field', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		mockedSave.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): host, port',
			data: {
				status: 400,
				params: {
					host: 'Please enter the host name of your mail server.',
					port: 'The port must be a whole number from 1 to 65535.',
				},
			},
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const port = await screen.findByLabelText( 'Port' );
		await user.clear( port );
		// Digits only: the letters never reach the field.
		await user.type( port, 'a9b9c9' );
		expect( port ).toHaveValue( '999' );
		await user.clear( screen.getByLabelText( 'Host' ) );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect(
			await screen.findByText(
				'The settings were not saved. Correct the marked fields: Host, Port.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.queryByText( /Invalid parameter/, visible )
		).not.toBeInTheDocument();
		await waitFor( () =>
			expect( screen.getByLabelText( 'Host' ) ).toHaveFocus()
		);
	} );
} );
