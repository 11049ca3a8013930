import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { mockedApi } from '../../tests/js/api-mock';
import { reportFixture, settingsFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const {
	getSettings: mockedGet,
	saveSettings: mockedSave,
	runPortTests: mockedRun,
	sendTestEmail: mockedSend,
} = mockedApi();

describe( 'SettingsApp', () => {
	beforeEach( () => {
		mockedGet.mockReset();
		mockedSave.mockReset();
		mockedRun.mockReset();
		mockedSend.mockReset();
	} );

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

	it( 'fills the host from a provider preset, with the SES region', async () => {
		mockedGet.mockResolvedValue( settingsFixture( { host: '' } ) );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.selectOptions(
			await screen.findByLabelText( 'Email provider' ),
			'sendgrid'
		);
		expect( screen.getByLabelText( 'Host' ) ).toHaveValue(
			'smtp.sendgrid.net'
		);
		expect( screen.getByLabelText( 'User name' ) ).toHaveValue( 'apikey' );
		await user.selectOptions(
			screen.getByLabelText( 'Email provider' ),
			'amazon-ses'
		);
		await user.selectOptions(
			screen.getByLabelText( 'Region' ),
			'eu-central-1'
		);
		expect( screen.getByLabelText( 'Host' ) ).toHaveValue(
			'email-smtp.eu-central-1.amazonaws.com'
		);
	} );

	it( 'preselects the provider of the saved host', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { host: 'email-smtp.eu-west-1.amazonaws.com' } )
		);
		render( <SettingsApp /> );
		expect( await screen.findByLabelText( 'Email provider' ) ).toHaveValue(
			'amazon-ses'
		);
		expect( screen.getByLabelText( 'Region' ) ).toHaveValue( 'eu-west-1' );
	} );

	it( 'tests the ports, shows progress and results, and applies the recommendation', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( {
				host: '127.0.0.1',
				port: 2525,
				username: 'test',
			} )
		);
		let finish: (
			value: ReturnType< typeof reportFixture >
		) => void = () => {};
		mockedRun.mockReturnValue(
			new Promise( ( resolve ) => {
				finish = resolve;
			} )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.type( await screen.findByLabelText( 'Password' ), 'secret' );
		await user.click(
			screen.getByRole( 'button', { name: 'Test ports' } )
		);
		expect( mockedRun ).toHaveBeenCalledWith( {
			host: '127.0.0.1',
			ports: [ 587, 2525, 465, 25 ],
			auth: { username: 'test', password: 'secret' },
		} );
		expect( screen.getAllByText( 'Testing…', visible ) ).toHaveLength( 4 );

		await act( async () => finish( reportFixture() ) );
		const list = screen.getByRole( 'list', { name: 'Port test results' } );
		expect( within( list ).getAllByText( 'Works', visible ) ).toHaveLength(
			3
		);
		expect( screen.getByText( 'Closed', visible ) ).toBeInTheDocument();
		expect(
			screen.getByText(
				'Port 25 is closed: the server refused the connection.'
			)
		).toBeInTheDocument();
		expect( screen.getAllByText( 'TLSv1.3' ).length ).toBeGreaterThan( 0 );
		expect(
			screen.getByText( 'Tested 127.0.0.1 in 120 ms in total.' )
		).toBeInTheDocument();
		await waitFor( () =>
			expect( screen.getByRole( 'status' ) ).toHaveTextContent(
				'Port test finished: ports 587, 2525, 465 work; recommended: port 587 with STARTTLS.'
			)
		);

		await user.click(
			screen.getByRole( 'button', { name: 'Use port 587 with STARTTLS' } )
		);
		expect( screen.getByLabelText( 'Port' ) ).toHaveValue( '587' );
		expect( screen.getByLabelText( 'Encryption' ) ).toHaveValue(
			'starttls'
		);
	} );

	it( 'reports a rate-limited port test in the server’s words', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		mockedRun.mockRejectedValue( {
			code: 'smtp_port_helper_rate_limited',
			message:
				'Too many port tests. Please wait 42 seconds and try again.',
			data: { status: 429, retry_after: 42 },
			retryAfter: 42,
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Test ports' } )
		);
		expect(
			await screen.findByText(
				'Too many port tests. Please wait 42 seconds and try again.',
				visible
			)
		).toBeInTheDocument();
	} );

	it( 'keeps the saved password unless one is typed, and can remove it', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { username: 'test', password_set: true } )
		);
		mockedSave.mockResolvedValue(
			settingsFixture( { username: 'test', password_set: false } )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const password = await screen.findByLabelText( 'Password' );
		expect( password ).toHaveValue( '' );
		expect( password ).toHaveAttribute(
			'placeholder',
			'Saved — leave empty to keep'
		);
		await user.click(
			screen.getByRole( 'button', { name: 'Remove saved password' } )
		);
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( mockedSave ).toHaveBeenCalledWith( { clear_password: true } );
	} );

	it( 'asks to re-enter a password that can no longer be read', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { password_set: true, password_unreadable: true } )
		);
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				/saved password can no longer be read/,
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

	it( 'sends a test email and shows the diagnosis and transcript of a failure', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		mockedSend.mockRejectedValueOnce( {
			code: 'smtp_port_helper_send_failed',
			message: 'The test email could not be sent.',
			data: {
				status: 502,
				verdict: 'auth_failed',
				diagnosis: 'The user name or password was refused.',
				transcript: [
					'-> AUTH PLAIN ****',
					'<- 535 Authentication failed',
				],
			},
		} );
		mockedSend.mockResolvedValueOnce( {
			sent: true,
			to: 'me@example.com',
			host: '127.0.0.1',
			port: 587,
			elapsed_ms: 80,
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.clear( await screen.findByLabelText( 'Send to' ) );
		await user.type( screen.getByLabelText( 'Send to' ), 'me@example.com' );
		await user.click(
			screen.getByRole( 'button', { name: 'Send test email' } )
		);
		expect( mockedSend ).toHaveBeenCalledWith( { to: 'me@example.com' } );
		expect(
			await screen.findByText( 'Not sent: Login refused', visible )
		).toBeInTheDocument();
		expect(
			screen.getByText(
				'The user name or password was refused.',
				visible
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( /535 Authentication failed/ )
		).toBeInTheDocument();

		await user.click(
			screen.getByRole( 'button', { name: 'Send test email' } )
		);
		expect(
			await screen.findByText(
				/The test email to me@example.com was accepted by 127.0.0.1 on port 587/,
				visible
			)
		).toBeInTheDocument();
	} );
} );
