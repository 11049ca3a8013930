import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { mockedApi } from '../../../tests/js/api-mock';
import { settingsFixture } from '../../../tests/js/fixtures';
import { visible } from '../../../tests/js/queries';
import generated from '../../generated/rest-schemas.json';
import { SettingsApp } from '../SettingsApp';

jest.mock( '../../api', () =>
	require( '../../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet, runPortTests: mockedRun } = mockedApi();

describe( 'ProviderStep', () => {
	beforeEach( () => {
		mockedGet.mockReset();
		mockedRun.mockReset();
		mockedGet.mockResolvedValue( settingsFixture( { host: '' } ) );
	} );

	it( 'warns about the provider’s login policy before any test, in PHP’s words', async () => {
		const user = userEvent.setup();
		render( <SettingsApp /> );
		const picker = await screen.findByLabelText( 'Email provider' );
		expect(
			screen.queryByText( /SMTP AUTH|app password/, visible )
		).not.toBeInTheDocument();

		await user.selectOptions( picker, 'microsoft365' );
		const microsoft = screen.getByText(
			/at the end of December 2026/,
			visible
		).textContent;
		expect( microsoft ).toBe(
			generated.bootData.presetWarnings.microsoft365.text
		);
		expect( microsoft ).toContain( 'Authenticated SMTP' );
		expect(
			screen.getByRole( 'link', { name: /The provider’s page/ } )
		).toHaveAttribute(
			'href',
			generated.bootData.presetWarnings.microsoft365.source
		);

		await user.selectOptions( picker, 'google' );
		expect(
			screen.getByText( /create an app password/, visible )
		).toHaveTextContent( '2-step verification' );
		expect(
			screen.queryByText( /December 2026/, visible )
		).not.toBeInTheDocument();

		await user.selectOptions( picker, 'sendgrid' );
		expect(
			screen.queryByText( /app password|December 2026/, visible )
		).not.toBeInTheDocument();
		expect( mockedRun ).not.toHaveBeenCalled();
	} );
} );
