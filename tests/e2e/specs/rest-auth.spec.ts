/**
 * Every route of the plugin over real HTTP (Apache): no answer without a login, and the login
 * cookie alone is not enough — WordPress requires the REST nonce, so a cross-site request forged
 * with the administrator's cookie is treated as logged out.
 */
import { request as playwrightRequest } from '@playwright/test';
import { expect, test } from '../support/test';

const routes: Array< { method: 'GET' | 'POST'; path: string; data?: object } > =
	[
		{ method: 'GET', path: 'settings' },
		{ method: 'POST', path: 'settings', data: { port: 25 } },
		{
			method: 'POST',
			path: 'port-tests',
			data: { host: '127.0.0.1', ports: [ 1 ] },
		},
		{
			method: 'POST',
			path: 'test-email',
			data: { to: 'someone@example.com' },
		},
		{ method: 'GET', path: 'site-health/port-check' },
	];

const call = (
	context: Awaited< ReturnType< typeof playwrightRequest.newContext > >,
	route: ( typeof routes )[ number ]
) => {
	const url = `/wp-json/smtp-port-helper/v1/${ route.path }`;
	return route.method === 'GET'
		? context.get( url )
		: context.post( url, { data: route.data } );
};

test.describe( 'REST routes over HTTP', () => {
	test( 'an anonymous request gets 401 on every route', async ( {
		baseURL,
	} ) => {
		const anonymous = await playwrightRequest.newContext( { baseURL } );
		for ( const route of routes ) {
			const response = await call( anonymous, route );
			expect(
				response.status(),
				`${ route.method } ${ route.path }`
			).toBe( 401 );
		}
		await anonymous.dispose();
	} );

	test( 'a logged-in cookie without the nonce is treated as logged out on every route', async ( {
		baseURL,
	} ) => {
		const cookieOnly = await playwrightRequest.newContext( {
			baseURL,
			storageState: process.env.STORAGE_STATE_PATH,
		} );
		for ( const route of routes ) {
			const response = await call( cookieOnly, route );
			expect(
				response.status(),
				`${ route.method } ${ route.path }`
			).toBe( 401 );
		}
		await cookieOnly.dispose();
	} );

	test( 'with the nonce the administrator reads the settings, never the password', async ( {
		requestUtils,
	} ) => {
		const settings = await requestUtils.rest< Record< string, unknown > >( {
			path: '/smtp-port-helper/v1/settings',
		} );
		expect( typeof settings.port ).toBe( 'number' );
		expect( settings ).toHaveProperty( 'locked' );
		expect( settings ).toHaveProperty( 'password_set' );
		expect( settings ).not.toHaveProperty( 'password' );
	} );
} );
