import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { getSettings, saveSettings } from '../api';
import { SettingsApp } from './SettingsApp';

/** Text on the page itself, not the copy that @wordpress/a11y speaks to screen readers. */
const visible = { ignore: '.a11y-speak-region, script, style' };

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	getSettings: jest.fn(),
	saveSettings: jest.fn(),
} ) );
const mockedGet = getSettings as jest.MockedFunction< typeof getSettings >;
const mockedSave = saveSettings as jest.MockedFunction< typeof saveSettings >;

describe( 'SettingsApp', () => {
	beforeEach( () => {
		mockedGet.mockReset();
		mockedSave.mockReset();
	} );

	it( 'shows the saved host and port', async () => {
		mockedGet.mockResolvedValue( {
			host: 'smtp.example.com',
			port: 2525,
			locked: {},
		} );
		render( <SettingsApp /> );
		expect( await screen.findByLabelText( 'Host' ) ).toHaveValue(
			'smtp.example.com'
		);
		expect( screen.getByLabelText( 'Port' ) ).toHaveValue( '2525' );
	} );

	it( 'saves the edited fields and shows a snackbar', async () => {
		mockedGet.mockResolvedValue( { host: '', port: 587, locked: {} } );
		mockedSave.mockResolvedValue( {
			host: 'smtp.example.com',
			port: 465,
			locked: {},
		} );
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
		mockedGet.mockResolvedValue( {
			host: 'smtp.example.com',
			port: 587,
			locked: {},
		} );
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
		await user.type( port, 'abc' );
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( mockedSave ).toHaveBeenCalledWith( {
			host: 'smtp.example.com',
			port: 'abc',
		} );
		expect(
			await screen.findByText(
				'The port must be a whole number from 1 to 65535.',
				visible
			)
		).toBeInTheDocument();
		expect( port ).toHaveValue( 'abc' );
		expect( port ).toHaveAttribute( 'aria-invalid', 'true' );
	} );

	it( 'marks fields locked by wp-config.php', async () => {
		mockedGet.mockResolvedValue( {
			host: 'smtp.locked.test',
			port: 587,
			locked: { host: 'SMTP_PORT_HELPER_HOST' },
		} );
		render( <SettingsApp /> );
		const host = await screen.findByLabelText( 'Host' );
		expect( host ).toBeDisabled();
		expect(
			screen.getByText( 'Set by SMTP_PORT_HELPER_HOST in wp-config.php.' )
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
} );
