import { act, renderHook, waitFor } from '@testing-library/react';

import { getSettings, saveSettings } from '../api';
import { settingsFixture } from '../../tests/js/fixtures';
import { isLoaded, useSettingsForm } from './use-settings-form';

jest.mock( '../api', () => ( {
	...jest.requireActual( '../api' ),
	getSettings: jest.fn(),
	saveSettings: jest.fn(),
} ) );
const mockedGet = getSettings as jest.MockedFunction< typeof getSettings >;
const mockedSave = saveSettings as jest.MockedFunction< typeof saveSettings >;

async function loadedForm( saved = settingsFixture() ) {
	mockedGet.mockResolvedValue( saved );
	const hook = renderHook( () => useSettingsForm() );
	await waitFor( () =>
		expect( isLoaded( hook.result.current ) ).toBe( true )
	);
	return hook;
}

describe( 'useSettingsForm', () => {
	beforeEach( () => jest.resetAllMocks() );

	it( 'has no record until the settings arrive, then no edits', async () => {
		mockedGet.mockReturnValue( new Promise( () => {} ) );
		const loading = renderHook( () => useSettingsForm() );
		expect( loading.result.current.record ).toBeNull();
		expect( loading.result.current.editedRecord ).toBeNull();
		expect( loading.result.current.hasEdits ).toBe( false );

		const { result } = await loadedForm(
			settingsFixture( { host: 'smtp.example.com' } )
		);
		expect( result.current.editedRecord?.host ).toBe( 'smtp.example.com' );
		expect( result.current.edits ).toEqual( {} );
		expect( result.current.hasEdits ).toBe( false );
	} );

	it( 'keeps the edits apart from the record', async () => {
		const { result } = await loadedForm();
		act( () =>
			result.current.edit( { host: 'smtp.new.test', port: '465' } )
		);
		expect( result.current.record?.host ).toBe( 'smtp.example.com' );
		expect( result.current.editedRecord?.host ).toBe( 'smtp.new.test' );
		expect( result.current.edits ).toEqual( {
			host: 'smtp.new.test',
			port: 465,
		} );
		expect( result.current.hasEdits ).toBe( true );
	} );

	it( 'says when the server forgot the password of the old login', async () => {
		const { result } = await loadedForm();
		mockedSave.mockResolvedValue( {
			...settingsFixture( {
				host: 'smtp.new.test',
				password_set: false,
			} ),
			password_forgotten: true,
		} );
		act( () => result.current.edit( { host: 'smtp.new.test' } ) );
		let saved: unknown;
		await act( async () => {
			saved = await result.current.save();
		} );
		expect( saved ).toEqual( { status: 'saved', passwordForgotten: true } );
		expect( result.current.record?.password_set ).toBe( false );
	} );

	it( 'saves the edits and takes the server’s answer as the new record', async () => {
		const { result } = await loadedForm();
		mockedSave.mockResolvedValue(
			settingsFixture( { host: 'smtp.new.test' } )
		);
		act( () => result.current.edit( { host: 'smtp.new.test' } ) );
		let saved: unknown;
		await act( async () => {
			saved = await result.current.save();
		} );
		expect( saved ).toEqual( {
			status: 'saved',
			passwordForgotten: false,
		} );
		expect( mockedSave ).toHaveBeenCalledWith( { host: 'smtp.new.test' } );
		expect( result.current.record?.host ).toBe( 'smtp.new.test' );
		expect( result.current.hasEdits ).toBe( false );
		expect( result.current.isSaving ).toBe( false );
	} );

	it( 'does not ask the server when nothing changed or the fallback ports are not numbers', async () => {
		const { result } = await loadedForm();
		const results: unknown[] = [];
		await act( async () => {
			results.push( await result.current.save() );
		} );
		act( () =>
			result.current.edit( { fallback: true, fallback_ports: '25x' } )
		);
		await act( async () => {
			results.push( await result.current.save() );
		} );
		expect( results ).toEqual( [
			{ status: 'unchanged' },
			{ status: 'invalid', fields: [ 'fallback_ports' ] },
		] );
		expect( result.current.errors ).toEqual( {
			fallback_ports:
				'Enter port numbers separated by commas, for example 2525, 465.',
		} );
		expect( mockedSave ).not.toHaveBeenCalled();
	} );

	it( 'keeps the typed values and names the fields the server refused', async () => {
		const { result } = await loadedForm();
		mockedSave.mockRejectedValue( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): port',
			data: { status: 400, params: { port: 'Bad port.' } },
		} );
		act( () => result.current.edit( { port: 'abc' } ) );
		let saved: unknown;
		await act( async () => {
			saved = await result.current.save();
		} );
		expect( saved ).toEqual( {
			status: 'failed',
			message: 'Invalid parameter(s): port',
			fields: [ 'port' ],
		} );
		expect( result.current.errors ).toEqual( { port: 'Bad port.' } );
		expect( result.current.editedRecord?.port ).toBe( 'abc' );
		expect( result.current.hasEdits ).toBe( true );
	} );

	it( 'says why the settings could not be loaded', async () => {
		mockedGet.mockRejectedValue( {
			code: 'rest_forbidden',
			message: 'Sorry, you are not allowed to do that.',
		} );
		const { result } = renderHook( () => useSettingsForm() );
		await waitFor( () =>
			expect( result.current.loadError ).toBe(
				'Sorry, you are not allowed to do that.'
			)
		);
		expect( result.current.record ).toBeNull();
	} );
} );
