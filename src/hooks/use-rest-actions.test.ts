import { act, renderHook } from '@testing-library/react';

import { mockedApi } from '../../tests/js/api-mock';
import { reportFixture, settingsFixture } from '../../tests/js/fixtures';
import { useRestActions } from './use-rest-actions';

jest.mock( '../api', () =>
	require( '../../tests/js/api-mock' ).mockApiModule()
);
const {
	getSettings: mockedGet,
	saveSettings: mockedSave,
	runPortTests: mockedRun,
	sendTestEmail: mockedSend,
} = mockedApi();

describe( 'useRestActions', () => {
	beforeEach( () => jest.resetAllMocks() );

	it( 'says an action is running until its answer arrives', async () => {
		let answer: (
			value: ReturnType< typeof reportFixture >
		) => void = () => {};
		mockedRun.mockReturnValue(
			new Promise( ( resolve ) => {
				answer = resolve;
			} )
		);
		const { result } = renderHook( () => useRestActions() );
		let pending: ReturnType< typeof result.current.testPorts > | undefined;
		act( () => {
			pending = result.current.testPorts( { host: 'h' } );
		} );
		expect( result.current.isRunning( 'portTest' ) ).toBe( true );
		expect( result.current.isRunning( 'save' ) ).toBe( false );
		await act( async () => {
			answer( reportFixture() );
			await pending;
		} );
		expect( result.current.isRunning( 'portTest' ) ).toBe( false );
		await expect( pending ).resolves.toEqual( {
			ok: true,
			value: reportFixture(),
		} );
	} );

	it( 'turns a failed load or save into the server’s message and field errors', async () => {
		mockedGet.mockRejectedValue( { code: 'fetch_error', message: '' } );
		mockedSave.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): port',
			data: { status: 400, params: { port: 'Bad port.' } },
		} );
		const { result } = renderHook( () => useRestActions() );
		let outcomes: unknown[] = [];
		await act( async () => {
			outcomes = [
				await result.current.loadSettings(),
				await result.current.saveSettings( { port: 'x' } ),
			];
		} );
		expect( outcomes ).toEqual( [
			{ ok: false, message: '', fieldErrors: {} },
			{
				ok: false,
				message: 'Invalid parameter(s): port',
				fieldErrors: { port: 'Bad port.' },
			},
		] );
		expect( mockedSave ).toHaveBeenCalledWith( { port: 'x' } );
	} );

	it( 'falls back to its own words when no REST error arrived', async () => {
		mockedGet.mockRejectedValue( new TypeError( 'Failed to fetch' ) );
		mockedSave.mockResolvedValue( settingsFixture() );
		const { result } = renderHook( () => useRestActions() );
		let outcomes: unknown[] = [];
		await act( async () => {
			outcomes = [
				await result.current.loadSettings(),
				await result.current.saveSettings( {} ),
			];
		} );
		expect( outcomes ).toEqual( [
			{
				ok: false,
				message: 'The settings could not be loaded.',
				fieldErrors: {},
			},
			{ ok: true, value: settingsFixture() },
		] );
	} );

	it( 'shows the server’s message for a rate-limited port test, and the field errors for bad input', async () => {
		mockedRun
			.mockRejectedValueOnce( {
				code: 'smtp_port_helper_rate_limited',
				message:
					'Too many port tests. Please wait 7 seconds and try again.',
				data: { status: 429, retry_after: 7 },
				retryAfter: 7,
			} )
			.mockRejectedValueOnce( {
				code: 'rest_invalid_param',
				message: 'Invalid parameter(s): host, ports',
				data: {
					status: 400,
					params: { host: 'Bad host.', ports: 'Too many ports.' },
				},
			} );
		const { result } = renderHook( () => useRestActions() );
		const messages: string[] = [];
		await act( async () => {
			for ( let i = 0; i < 2; i++ ) {
				const outcome = await result.current.testPorts( { host: 'h' } );
				messages.push( outcome.ok ? 'ok' : outcome.message );
			}
		} );
		expect( messages ).toEqual( [
			'Too many port tests. Please wait 7 seconds and try again.',
			'Bad host. Too many ports.',
		] );
	} );

	it( 'keeps the diagnosis of a test email the server could not send', async () => {
		mockedSend.mockRejectedValue( {
			code: 'smtp_port_helper_send_failed',
			message: 'The test email could not be sent.',
			data: {
				status: 502,
				verdict: 'auth_failed',
				diagnosis: 'Login refused.',
				transcript: [ '<- 535 no' ],
			},
		} );
		const { result } = renderHook( () => useRestActions() );
		let outcome: unknown;
		await act( async () => {
			outcome = await result.current.sendTestEmail( 'me@example.com' );
		} );
		expect( mockedSend ).toHaveBeenCalledWith( { to: 'me@example.com' } );
		expect( outcome ).toEqual( {
			ok: false,
			message: 'The test email could not be sent.',
			fieldErrors: {},
			diagnosis: {
				verdict: 'auth_failed',
				diagnosis: 'Login refused.',
				transcript: [ '<- 535 no' ],
			},
		} );
	} );
} );
