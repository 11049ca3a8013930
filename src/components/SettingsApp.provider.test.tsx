import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { settingsPageApi } from '../../tests/js/api-mock';
import { settingsFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet, runPortTests: mockedRun } = settingsPageApi();

describe( 'SettingsApp: the provider', () => {
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
