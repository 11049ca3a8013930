import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { saveNetworkLock } from '../api';
import { NetworkLock } from './NetworkLock';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	saveNetworkLock: jest.fn(),
} ) );
const mockedSave = saveNetworkLock as jest.MockedFunction<
	typeof saveNetworkLock
>;

describe( 'NetworkLock', () => {
	beforeEach( () => mockedSave.mockReset() );

	it( "saves the lock at once and shows what the network's answer says", async () => {
		mockedSave.mockResolvedValue( {
			lock_site_destination: true,
		} as Awaited< ReturnType< typeof saveNetworkLock > > );
		const user = userEvent.setup();
		render( <NetworkLock locked={ false } /> );
		const toggle = screen.getByRole( 'checkbox', {
			name: 'Every site sends through these settings',
		} );
		expect( toggle ).not.toBeChecked();

		await user.click( toggle );

		expect( mockedSave ).toHaveBeenCalledWith( true );
		expect( toggle ).toBeChecked();
	} );

	it( 'stays as it was when the save is refused', async () => {
		mockedSave.mockRejectedValue( {
			code: 'rest_forbidden',
			message:
				'Sorry, you are not allowed to manage the network’s SMTP settings.',
		} );
		const user = userEvent.setup();
		render( <NetworkLock locked /> );
		const toggle = screen.getByRole( 'checkbox', {
			name: 'Every site sends through these settings',
		} );

		await user.click( toggle );

		expect( mockedSave ).toHaveBeenCalledWith( false );
		expect( toggle ).toBeChecked();
	} );
} );
