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

	it( 'asks for SMTP_PORT_HELPER_KEY when the salts cannot seal a password', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { auth: true, key_unsafe: true } )
		);
		render( <SettingsApp /> );
		expect(
			await screen.findByText(
				/no secret key to seal the SMTP password/,
				visible
			)
		).toHaveTextContent( 'SMTP_PORT_HELPER_KEY' );
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

	it( 'asks for the login before the port test', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		render( <SettingsApp /> );
		await screen.findByLabelText( 'Host' );
		expect(
			screen
				.getAllByRole( 'heading', { level: 2 } )
				.map( ( heading ) => heading.textContent )
		).toEqual( [
			'1. Your email provider',
			'2. Login',
			'3. Test the ports',
			'4. Connection',
			'5. Sender',
			'6. Send a test email',
		] );
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

	it( 'asks for the password before testing another host, and warns that saving would forget it', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( {
				host: 'smtp.example.com',
				username: 'bob',
				password_set: true,
			} )
		);
		mockedRun.mockResolvedValue( reportFixture() );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const host = await screen.findByLabelText( 'Host' );
		await user.clear( host );
		await user.type( host, 'smtp.other.test' );
		const test = screen.getByRole( 'button', { name: 'Test ports' } );
		expect( test ).toHaveAttribute( 'aria-disabled', 'true' );
		expect( test ).toHaveAccessibleDescription(
			'Enter the password to test the ports with this login: the saved password is only sent to smtp.example.com as bob.'
		);
		expect(
			screen.getByText(
				'The saved password is only sent to smtp.example.com as bob. If you save another host or user name without entering its password, the saved password is removed.',
				visible
			)
		).toBeInTheDocument();
		await user.click( test );
		expect( mockedRun ).not.toHaveBeenCalled();

		await user.type( screen.getByLabelText( 'Password' ), 'new-secret' );
		expect(
			screen.queryByText( /If you save another host/, visible )
		).not.toBeInTheDocument();
		await user.click( test );
		expect( mockedRun ).toHaveBeenCalledWith(
			expect.objectContaining( {
				host: 'smtp.other.test',
				auth: { username: 'bob', password: 'new-secret' },
			} )
		);
	} );

	it( 'shows the server’s refusal of the saved password at the password field', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { username: 'bob', password_set: true } )
		);
		mockedRun.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): auth.password',
			data: {
				status: 400,
				params: {
					'auth.password':
						'Enter the password for this server: the saved password is only sent to smtp.example.com as bob.',
				},
			},
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Test ports' } )
		);
		await waitFor( () =>
			expect( screen.getByLabelText( 'Password' ) ).toHaveAttribute(
				'aria-invalid',
				'true'
			)
		);
	} );

	it( 'switches the login on for SendGrid, with the user name apikey and the API key as password', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { auth: false, username: 'someone' } )
		);
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.selectOptions(
			await screen.findByLabelText( 'Email provider' ),
			'sendgrid'
		);
		expect(
			screen.getByRole( 'checkbox', {
				name: 'Log in to the SMTP server (SMTP authentication)',
			} )
		).toBeChecked();
		expect( screen.getByLabelText( 'User name' ) ).toHaveValue( 'apikey' );
		expect(
			screen.getByLabelText( 'Password' )
		).toHaveAccessibleDescription(
			/For SendGrid the password is an API key/
		);
	} );

	it( 'fills "Send to" with the admin’s address and says why the button is off without one', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const to = await screen.findByLabelText( 'Send to' );
		expect( to ).toHaveValue( 'admin@example.com' );
		await user.clear( to );
		expect(
			screen.getByRole( 'button', { name: 'Send test email' } )
		).toHaveAccessibleDescription(
			'Enter the address to send the test email to.'
		);
	} );

	it( 'offers a way back to the port test after a failed test email', async () => {
		mockedGet.mockResolvedValue( settingsFixture() );
		mockedSend.mockRejectedValue( {
			code: 'smtp_port_helper_send_failed',
			message: 'The test email could not be sent.',
			data: {
				status: 502,
				verdict: 'timeout',
				diagnosis: 'Nothing answered.',
				transcript: [],
			},
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Send test email' } )
		);
		await user.click(
			await screen.findByRole( 'button', {
				name: 'Go back to the port test',
			} )
		);
		expect(
			screen.getByRole( 'button', { name: 'Test ports' } )
		).toHaveFocus();
	} );

	it( 'suggests the preset host a typo away, at the host field too, and fills it in', async () => {
		mockedGet.mockResolvedValue(
			settingsFixture( { host: 'smtp.gmial.com' } )
		);
		mockedRun.mockResolvedValue( {
			host: 'smtp.gmial.com',
			elapsed_ms: 20,
			results: [ 587, 2525, 465, 25 ].map( ( port ) => ( {
				port,
				mode: 'unknown' as const,
				verdict: 'dns_failed' as const,
				cause: 'host_name' as const,
				ok: false,
				elapsed_ms: 5,
				stages: [
					{ name: 'dns' as const, ok: false, ms: 5, detail: '' },
				],
				detail: '',
				message: 'The host name could not be found.',
			} ) ),
			recommendation: null,
			advice: null,
			causes: [
				{
					cause: 'host_name',
					ports: [ 587 ],
					text: 'The host name smtp.gmial.com was not found.',
				},
			],
			markdown: '',
		} );
		const user = userEvent.setup();
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Test ports' } )
		);
		const host = screen.getByLabelText( 'Host' );
		await waitFor( () =>
			expect( host ).toHaveAccessibleDescription(
				'The port test did not find this host name. Check its spelling.'
			)
		);
		await user.click(
			screen.getByRole( 'button', {
				name: 'Did you mean smtp.gmail.com?',
			} )
		);
		expect( host ).toHaveValue( 'smtp.gmail.com' );
		expect( screen.getByLabelText( 'Email provider' ) ).toHaveValue(
			'google'
		);
		expect( host ).not.toHaveAttribute( 'aria-invalid', 'true' );
		expect(
			screen.getByText(
				/These results were for smtp\.gmial\.com/,
				visible
			)
		).toBeInTheDocument();
	} );
} );
