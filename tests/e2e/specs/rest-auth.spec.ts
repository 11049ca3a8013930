/**
 * The settings route over real HTTP: the cookie alone is not enough, the REST nonce is required.
 */
import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from '@wordpress/e2e-test-utils-playwright';

const url = '/wp-json/smtp-port-helper/v1/settings';

test.describe( 'settings route authentication', () => {
	test( 'an anonymous request gets 401', async ( { baseURL } ) => {
		const anonymous = await playwrightRequest.newContext( { baseURL } );
		const response = await anonymous.get( url );
		expect( response.status() ).toBe( 401 );
		const post = await anonymous.post( url, { data: { port: 25 } } );
		expect( post.status() ).toBe( 401 );
		await anonymous.dispose();
	} );

	test( 'a logged-in cookie without the nonce is treated as logged out', async ( {
		baseURL,
	} ) => {
		const cookieOnly = await playwrightRequest.newContext( {
			baseURL,
			storageState: process.env.STORAGE_STATE_PATH,
		} );
		const response = await cookieOnly.post( url, { data: { port: 25 } } );
		expect( response.status() ).toBe( 401 );
		await cookieOnly.dispose();
	} );

	test( 'with the nonce the administrator reads the settings', async ( {
		requestUtils,
	} ) => {
		const settings = await requestUtils.rest< {
			port: number;
			locked: object;
		} >( {
			path: '/smtp-port-helper/v1/settings',
		} );
		expect( typeof settings.port ).toBe( 'number' );
		expect( settings ).toHaveProperty( 'locked' );
	} );
} );
