import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { settingsPageApi } from '../../tests/js/api-mock';
import { settingsFixture } from '../../tests/js/fixtures';
import { visible } from '../../tests/js/queries';
import { SettingsApp } from './SettingsApp';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const { getSettings: mockedGet, saveSettings: mockedSave } = settingsPageApi();

describe( 'SettingsApp: the saved password', () => {
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
} );
