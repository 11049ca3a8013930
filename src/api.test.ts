import apiFetch from '@wordpress/api-fetch';

import {
	fieldErrors,
	getSettings,
	isRestError,
	parseRetryAfter,
	retryAfter,
	runPortTests,
	saveSettings,
	sendFailure,
	sendTestEmail,
} from './api';
import { bootDataFixture } from '../tests/js/boot-data';
import { reportFixture } from '../tests/js/fixtures';

/**
 * What apiFetch hands over with `parse: false`: the fetch Response.
 */
function fakeResponse(
	status: number,
	body: unknown,
	headers: Record< string, string > = {}
) {
	return {
		ok: status >= 200 && status < 300,
		status,
		headers: {
			get: ( name: string ) => headers[ name.toLowerCase() ] ?? null,
		},
		json: () => Promise.resolve( body ),
	};
}

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

	it( 'takes the REST namespace from the boot data', async () => {
		window.smtpPortHelper = bootDataFixture( { restNamespace: 'smtp/v9' } );
		mockedApiFetch.mockResolvedValue( { sent: true } );
		await sendTestEmail( { to: 'a@example.com' } );
		expect( mockedApiFetch.mock.calls[ 0 ][ 0 ].path ).toBe(
			'/smtp/v9/test-email'
		);
	} );

	it( 'cannot reach the server without boot data', () => {
		delete window.smtpPortHelper;
		expect( () => getSettings() ).toThrow( /smtpPortHelper is missing/ );
	} );

	describe( 'on the network screen', () => {
		it( 'reads and saves the network defaults', async () => {
			window.smtpPortHelper = bootDataFixture( { scope: 'network' } );
			mockedApiFetch.mockResolvedValue( { host: 'h', locked: {} } );
			await getSettings();
			expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
				path: '/smtp-port-helper/v1/network-settings',
			} );
			await saveSettings( { host: 'net.example.com' } );
			expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
				path: '/smtp-port-helper/v1/network-settings',
				method: 'POST',
				data: { host: 'net.example.com' },
			} );
		} );

		it( 'keeps port tests and the test email per site', async () => {
			window.smtpPortHelper = bootDataFixture( { scope: 'network' } );
			mockedApiFetch.mockResolvedValue( { sent: true } );
			await sendTestEmail( { to: 'a@example.com' } );
			expect( mockedApiFetch.mock.calls[ 0 ][ 0 ].path ).toBe(
				'/smtp-port-helper/v1/test-email'
			);
		} );

		it( 'uses /settings for scope site', async () => {
			window.smtpPortHelper = bootDataFixture( { scope: 'site' } );
			mockedApiFetch.mockResolvedValue( { host: 'h', locked: {} } );
			await getSettings();
			expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
				path: '/smtp-port-helper/v1/settings',
			} );
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

	it( 'runs the port tests and returns the report', async () => {
		mockedApiFetch.mockResolvedValue(
			fakeResponse( 200, reportFixture() )
		);
		const request = { host: '127.0.0.1', ports: [ 587, 2525, 465, 25 ] };
		await expect( runPortTests( request ) ).resolves.toEqual(
			reportFixture()
		);
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/smtp-port-helper/v1/port-tests',
			method: 'POST',
			data: request,
			parse: false,
		} );
	} );

	it( 'reads Retry-After when the port tests are rate limited', async () => {
		// apiFetch rejects with the Response itself when parse is false.
		mockedApiFetch.mockRejectedValue(
			fakeResponse(
				429,
				{
					code: 'smtp_port_helper_rate_limited',
					message: 'Slow down.',
					data: { status: 429 },
				},
				{ 'retry-after': '37' }
			)
		);
		const failure = await runPortTests( { host: 'h' } ).catch(
			( e: unknown ) => e
		);
		expect( isRestError( failure ) ).toBe( true );
		expect( retryAfter( failure ) ).toBe( 37 );
		expect( failure ).toMatchObject( {
			code: 'smtp_port_helper_rate_limited',
			data: { status: 429 },
		} );
	} );

	it( 'names the fields of a 400 from the port tests', async () => {
		mockedApiFetch.mockResolvedValue(
			fakeResponse( 400, {
				code: 'rest_invalid_param',
				message: 'Invalid parameter(s): host',
				data: { status: 400, params: { host: 'Enter a host.' } },
			} )
		);
		const failure = await runPortTests( { host: '' } ).catch(
			( e: unknown ) => e
		);
		expect( fieldErrors( failure ) ).toEqual( { host: 'Enter a host.' } );
		expect( retryAfter( failure ) ).toBeNull();
	} );

	it( 'keeps a network failure as it is', async () => {
		mockedApiFetch.mockRejectedValue( {
			code: 'fetch_error',
			message: 'offline',
		} );
		await expect( runPortTests( { host: 'h' } ) ).rejects.toEqual( {
			code: 'fetch_error',
			message: 'offline',
		} );
	} );

	it( 'sends a test email and reads the diagnosis of a failure', async () => {
		const success = {
			sent: true,
			to: 'a@b.test',
			host: 'h',
			port: 587,
			elapsed_ms: 9,
		};
		mockedApiFetch.mockResolvedValueOnce( fakeResponse( 200, success ) );
		await expect( sendTestEmail( { to: 'a@b.test' } ) ).resolves.toEqual(
			success
		);
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/smtp-port-helper/v1/test-email',
			method: 'POST',
			data: { to: 'a@b.test' },
			parse: false,
		} );

		mockedApiFetch.mockRejectedValueOnce(
			fakeResponse( 502, {
				code: 'smtp_port_helper_send_failed',
				message: 'Not sent.',
				data: {
					status: 502,
					verdict: 'timeout',
					diagnosis: 'Port 587 is blocked.',
					transcript: [ '-> EHLO' ],
				},
			} )
		);
		const failure = await sendTestEmail( { to: 'a@b.test' } ).catch(
			( e: unknown ) => e
		);
		expect( sendFailure( failure ) ).toEqual( {
			verdict: 'timeout',
			diagnosis: 'Port 587 is blocked.',
			transcript: [ '-> EHLO' ],
		} );
		expect( sendFailure( { code: 'x', message: 'y' } ) ).toBeNull();
	} );

	it( 'parses Retry-After as seconds or as a date', () => {
		expect( parseRetryAfter( '120' ) ).toBe( 120 );
		expect( parseRetryAfter( null ) ).toBeNull();
		expect( parseRetryAfter( 'soon' ) ).toBeNull();
		const now = Date.parse( 'Wed, 21 Oct 2026 07:28:00 GMT' );
		expect( parseRetryAfter( 'Wed, 21 Oct 2026 07:28:30 GMT', now ) ).toBe(
			30
		);
	} );
} );
