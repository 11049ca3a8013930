import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { mockedApi } from '../../tests/js/api-mock';
import { okResult, settingsFixture } from '../../tests/js/fixtures';
import type { PortTestReport } from '../types';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const {
	getSettings: mockedGet,
	runPortTests: mockedRun,
	saveSettings: mockedSave,
} = mockedApi();

function blockedReport(): PortTestReport {
	const refused = ( port: number ) =>
		okResult( port, {
			mode: 'unknown',
			verdict: 'refused',
			cause: 'network',
			ok: false,
			message: `Port ${ port } is closed.`,
		} );
	return {
		host: 'smtp.sendgrid.net',
		elapsed_ms: 300,
		results: [ refused( 587 ), refused( 2525 ), refused( 465 ) ],
		recommendation: {
			port: 443,
			encryption: 'implicit_tls',
			reason: 'No SMTP port works from this server (tested: 587, 2525, 465).',
			family: '',
			transport: 'sendgrid',
			key_needed: true,
		},
		api: {
			transport: 'sendgrid',
			label: 'SendGrid',
			account_label: '',
			regions: [ 'global', 'eu' ],
			key_saved: false,
			usable: true,
			message:
				'SendGrid’s HTTPS API (port 443) can be reached from this server.',
			result: okResult( 443, { mode: 'implicit_tls' } ),
		},
		advice: null,
		causes: [],
		markdown: '',
	};
}

describe( 'the HTTPS API from the port test', () => {
	beforeEach( () => {
		mockedGet.mockReset();
		mockedRun.mockReset();
		mockedSave.mockReset();
	} );

	it( 'shows the API row, applies it in one click, asks for the key and saves transport and key', async () => {
		const user = userEvent.setup();
		mockedGet.mockResolvedValue(
			settingsFixture( {
				host: 'smtp.sendgrid.net',
				auth: false,
				username: '',
			} )
		);
		mockedRun.mockResolvedValue( blockedReport() );
		mockedSave.mockResolvedValue(
			settingsFixture( {
				host: 'smtp.sendgrid.net',
				auth: false,
				username: '',
				transport: 'sendgrid',
				api_key_set: true,
			} )
		);
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Test ports' } )
		);
		const apply = await screen.findByRole( 'button', {
			name: 'Use the HTTPS API of SendGrid',
		} );
		const row = screen
			.getByText( 'HTTPS API (port 443) · SendGrid' )
			.closest( 'li' ) as HTMLElement;
		expect( within( row ).getByText( 'Recommended' ) ).toBeInTheDocument();
		expect( screen.queryByLabelText( 'API key' ) ).not.toBeInTheDocument();

		await user.click( apply );
		expect( await screen.findByLabelText( 'Send through' ) ).toHaveValue(
			'sendgrid'
		);
		expect(
			screen.getByText( /Enter the API key of SendGrid/, {
				selector: '.components-notice__content',
			} )
		).toBeInTheDocument();
		expect( screen.getByLabelText( 'API region' ) ).toHaveValue( '' );
		expect( screen.getByLabelText( 'Port' ) ).toHaveValue( '587' );

		await user.type( screen.getByLabelText( 'API key' ), 'SG.typed' );
		expect(
			screen.queryByText( /Enter the API key of SendGrid/, {
				selector: '.components-notice__content',
			} )
		).not.toBeInTheDocument();
		await user.click(
			screen.getByRole( 'button', { name: 'Save settings' } )
		);
		expect( mockedSave ).toHaveBeenCalledTimes( 1 );
		expect( mockedSave.mock.calls[ 0 ][ 0 ] ).toEqual(
			expect.objectContaining( {
				transport: 'sendgrid',
				api_key: 'SG.typed',
			} )
		);
	} );

	it( 'for Microsoft Graph asks for no key: it points to the OAuth 2.0 sign-in and switches to it', async () => {
		const user = userEvent.setup();
		const report = blockedReport();
		report.host = 'smtp.office365.com';
		report.recommendation = {
			...report.recommendation!,
			transport: 'microsoft-graph',
			reason: 'Microsoft 365 refuses SMTP logins for this mailbox (5.7.139), on every port.',
		};
		report.api = {
			...report.api!,
			transport: 'microsoft-graph',
			label: 'Microsoft Graph',
			regions: [],
		};
		mockedGet.mockResolvedValue(
			settingsFixture( {
				host: 'smtp.office365.com',
				auth: false,
				username: '',
			} )
		);
		mockedRun.mockResolvedValue( report );
		render( <SettingsApp /> );
		await user.click(
			await screen.findByRole( 'button', { name: 'Test ports' } )
		);
		await user.click(
			await screen.findByRole( 'button', {
				name: 'Use the HTTPS API of Microsoft Graph',
			} )
		);
		expect( await screen.findByLabelText( 'Send through' ) ).toHaveValue(
			'microsoft-graph'
		);
		expect( screen.queryByLabelText( 'API key' ) ).not.toBeInTheDocument();
		expect(
			screen.queryByText( /Enter the API key/, {
				selector: '.components-notice__content',
			} )
		).not.toBeInTheDocument();
		expect(
			screen.getByText( /Microsoft Graph needs no API key/ )
		).toBeInTheDocument();

		const switches = screen.getAllByRole( 'button', {
			name: 'Use Sign in with Microsoft',
		} );
		await user.click( switches[ switches.length - 1 ] );
		expect(
			screen.getByLabelText(
				'Sign in with Microsoft 365 / Google (OAuth 2.0)'
			)
		).toBeChecked();
	} );
} );
