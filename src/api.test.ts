import apiFetch from '@wordpress/api-fetch';

import { fieldErrors, getSettings, isRestError, saveSettings } from './api';

jest.mock( '@wordpress/api-fetch', () => ( {
	__esModule: true,
	default: jest.fn(),
} ) );
const mockedApiFetch = apiFetch as unknown as jest.Mock;

describe( 'api', () => {
	beforeEach( () => mockedApiFetch.mockReset() );

	it( 'reads the settings from the plugin route', async () => {
		mockedApiFetch.mockResolvedValue( {
			host: 'smtp.example.com',
			port: 587,
			locked: {},
		} );
		await expect( getSettings() ).resolves.toEqual( {
			host: 'smtp.example.com',
			port: 587,
			locked: {},
		} );
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/smtp-port-helper/v1/settings',
		} );
	} );

	it( 'posts only the changed fields', async () => {
		mockedApiFetch.mockResolvedValue( {
			host: 'h',
			port: 2525,
			locked: {},
		} );
		await saveSettings( { port: 2525 } );
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/smtp-port-helper/v1/settings',
			method: 'POST',
			data: { port: 2525 },
		} );
	} );

	it( 'maps a rest_invalid_param error to field messages', () => {
		const error = {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): port',
			data: {
				status: 400,
				params: { port: 'port is not of type integer.' },
			},
		};
		expect( isRestError( error ) ).toBe( true );
		expect( fieldErrors( error ) ).toEqual( {
			port: 'port is not of type integer.',
		} );
	} );

	it( 'finds no field errors in other failures', () => {
		expect( isRestError( new Error( 'offline' ) ) ).toBe( false );
		expect( fieldErrors( new Error( 'offline' ) ) ).toEqual( {} );
		expect(
			fieldErrors( {
				code: 'rest_forbidden',
				message: 'no',
				data: { status: 403 },
			} )
		).toEqual( {} );
	} );
} );
