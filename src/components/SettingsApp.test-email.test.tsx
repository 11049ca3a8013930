import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { settingsPageApi } from '../../tests/js/api-mock';
import { settingsFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet, sendTestEmail: mockedSend } = settingsPageApi();

describe( 'SettingsApp: the test email', () => {
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
} );
