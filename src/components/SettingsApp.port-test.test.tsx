import { act, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { settingsPageApi } from '../../tests/js/api-mock';
import { reportFixture, settingsFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet, runPortTests: mockedRun } = settingsPageApi();
// The first test of this file also loads the port results' lazy chunk: on a busy machine running
// several test files at once it took over the 20 s default. A hang guard, no assertion changed.
jest.setTimeout( 60000 );

describe( 'SettingsApp: the port test', () => {
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
} );
