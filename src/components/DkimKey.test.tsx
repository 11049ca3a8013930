import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { changeDkimKey, getDkimKey, removeDkimKey } from '../api';
import type { DkimKeyState } from '../types';
import { visible } from '../../tests/js/queries';
import { DkimKey } from './DkimKey';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	getDkimKey: jest.fn(),
	changeDkimKey: jest.fn(),
	removeDkimKey: jest.fn(),
} ) );
const mockedGet = getDkimKey as jest.MockedFunction< typeof getDkimKey >;
const mockedChange = changeDkimKey as jest.MockedFunction<
	typeof changeDkimKey
>;
const mockedRemove = removeDkimKey as jest.MockedFunction<
	typeof removeDkimKey
>;

const none: DkimKeyState = {
	key: null,
	readable: false,
	signing: false,
	can_generate: true,
	default_domain: 'site.test',
};
const withKey = ( selector: string ): DkimKeyState => ( {
	...none,
	readable: true,
	key: {
		domain: 'site.test',
		selector,
		key_type: 'rsa',
		bits: 2048,
		created: '2026-12-06T08:00:00+00:00',
		record: {
			type: 'TXT',
			name: `${ selector }._domainkey.site.test`,
			value: `v=DKIM1; k=rsa; p=KEY-OF-${ selector }`,
		},
	},
} );

describe( 'DkimKey', () => {
	beforeEach( () => {
		mockedGet.mockReset();
		mockedChange.mockReset();
		mockedRemove.mockReset();
	} );

	it( 'generates a key and shows the record to publish, then rotates and removes it', async () => {
		mockedGet.mockResolvedValue( none );
		mockedChange.mockResolvedValueOnce( withKey( 'sph20261206-aaaa' ) );
		render( <DkimKey /> );
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Generate DKIM key' } )
		);
		expect( mockedChange ).toHaveBeenCalledWith( 'generate' );
		expect(
			await screen.findByText(
				'Publish a TXT record at sph20261206-aaaa._domainkey.site.test:'
			)
		).toBeInTheDocument();
		expect(
			screen.getByText( 'v=DKIM1; k=rsa; p=KEY-OF-sph20261206-aaaa' )
		).toBeInTheDocument();
		expect(
			screen.getByText(
				'DKIM key for site.test, selector sph20261206-aaaa, RSA 2048 bits.'
			)
		).toBeInTheDocument();

		mockedChange.mockResolvedValueOnce( withKey( 'sph20261206-bbbb' ) );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Rotate key' } )
		);
		expect( mockedChange ).toHaveBeenLastCalledWith( 'rotate' );
		expect(
			await screen.findByText(
				'v=DKIM1; k=rsa; p=KEY-OF-sph20261206-bbbb'
			)
		).toBeInTheDocument();

		mockedRemove.mockResolvedValue( none );
		await userEvent.click(
			screen.getByRole( 'button', { name: 'Remove key' } )
		);
		expect(
			await screen.findByRole( 'button', { name: 'Generate DKIM key' } )
		).toBeInTheDocument();
	} );

	it( 'says why a key could not be made', async () => {
		mockedGet.mockResolvedValue( none );
		mockedChange.mockRejectedValue( {
			message: 'The DKIM key cannot be stored safely.',
		} );
		render( <DkimKey /> );
		await userEvent.click(
			await screen.findByRole( 'button', { name: 'Generate DKIM key' } )
		);
		expect(
			await screen.findByText(
				'The DKIM key cannot be stored safely.',
				visible
			)
		).toBeInTheDocument();
	} );

	it( 'offers no generation where the key cannot be stored', async () => {
		mockedGet.mockResolvedValue( { ...none, can_generate: false } );
		render( <DkimKey /> );
		expect(
			await screen.findByRole( 'button', { name: 'Generate DKIM key' } )
		).toBeDisabled();
	} );
} );
