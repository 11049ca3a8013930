/**
 * Sign in with Microsoft 365 (OAuth 2.0) on the real stack: the local authorization server
 * (oidc-provider) stands in for Microsoft's endpoints through wp-config constants, and a private
 * Postfix checks the XOAUTH2 token through Dovecot's oauth2 passdb (env/oauth/README.md).
 * Postfix needs root: the spec is skipped with that reason otherwise.
 */
import type { Browser, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import fs from 'fs';
import path from 'path';

import { runDir, screenshotPath } from '../helpers';
import {
	ACCOUNT,
	CLIENT_ID,
	CLIENT_SECRET,
	disconnectThenSave,
	ENDPOINT_CONSTANTS,
	expectAuthServerUp,
	signInAtAuthServer,
} from '../support/oauth-server';
import { muPluginPath, writeConstants } from '../support/provider-api';

const SETTINGS = '/smtp-port-helper/v1/settings';
const PAGE = 'options-general.php?page=smtp-port-helper';
const MTA_HOST = '127.0.0.2';
const OAUTH_MAIL_DIR =
	process.env.OAUTH_MAIL_DIR ?? path.join( runDir, 'oauth/mails' );
const OAUTH_LOG = path.join( runDir, 'logs/oauth-server.log' );
// Test-only: points Microsoft's endpoints at the local server, as a site's wp-config.php would.
const MU_PLUGIN = 'e2e-oauth-endpoints.php';
const isRoot = process.getuid?.() === 0;

interface Connection {
	state: string;
	account: string;
}

/**
 * Every message Postfix relayed to the capture since a time (ms).
 * @param since
 */
function capturedSince( since: number ): string[] {
	if ( ! fs.existsSync( OAUTH_MAIL_DIR ) ) {
		return [];
	}
	return fs
		.readdirSync( OAUTH_MAIL_DIR )
		.filter( ( name ) => name.endsWith( '.eml' ) )
		.map( ( name ) => path.join( OAUTH_MAIL_DIR, name ) )
		.filter( ( file ) => fs.statSync( file ).mtimeMs >= since )
		.map( ( file ) => fs.readFileSync( file, 'utf8' ) );
}

/**
 * Long random-looking words the authorization server may have issued (opaque tokens, codes).
 * @param text
 */
function tokenLike( text: string ): string[] {
	return text.match( /[A-Za-z0-9_-]{40,}/g ) ?? [];
}

const field = ( page: Page, name: string ) =>
	page
		.locator( '#smtp-port-helper-root' )
		.getByLabel( name, { exact: true } );

async function loginAs( browser: Browser, user: string, password: string ) {
	const context = await browser.newContext( {
		baseURL: process.env.WP_BASE_URL,
	} );
	const page = await context.newPage();
	await page.goto( '/wp-login.php' );
	await page.locator( '#user_login' ).fill( user );
	await page.locator( '#user_pass' ).fill( password );
	await page.locator( '#wp-submit' ).click();
	await page.waitForURL( /wp-admin/ );
	return { context, page };
}

test.describe( 'Sign in with Microsoft 365 (OAuth 2.0)', () => {
	test.skip(
		! isRoot,
		'Needs root: the private Postfix and Dovecot that check XOAUTH2 run only as root (env/oauth/README.md).'
	);

	test.beforeAll( async ( { requestUtils } ) => {
		await expectAuthServerUp();
		writeConstants(
			MU_PLUGIN,
			'tests/e2e/specs/oauth.spec.ts',
			ENDPOINT_CONSTANTS
		);
		await disconnectThenSave( requestUtils, {
			host: 'smtp.example.com',
			port: 587,
			encryption: 'starttls',
			auth: false,
			auth_method: 'password',
			username: '',
			oauth_client_id: '',
			clear_oauth_client_secret: true,
			// Postfix wants a sender address with a domain (not wordpress@127.0.0.1).
			from_email: ACCOUNT,
			enabled: true,
		} );
	} );

	test.afterAll( async ( { requestUtils } ) => {
		await disconnectThenSave( requestUtils, {
			auth_method: 'password',
			auth: false,
		} );
		fs.rmSync( muPluginPath( MU_PLUGIN ), { force: true } );
	} );

	test( 'a callback with a wrong state is refused and connects nothing', async ( {
		admin,
		page,
		requestUtils,
	} ) => {
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper&code=made-up-code&state=not-the-state-we-sent'
		);
		// Redirected with oauth=failed&oauth_code=oauth_state_invalid; the page then drops those.
		await expect(
			page.locator( '.smtp-port-helper__oauth-result' )
		).toContainText( 'did not belong to a sign-in started here by you' );
		await expect( page ).not.toHaveURL( /code=|state=|oauth=/ );
		const saved = await requestUtils.rest< {
			oauth_connection: Connection;
		} >( { path: SETTINGS } );
		expect( saved.oauth_connection.state ).toBe( 'none' );
	} );

	test( 'an editor opening the callback is refused', async ( {
		browser,
		requestUtils,
	} ) => {
		const username = `oauth-editor-${ Date.now() }`;
		const password = 'editor-password-1';
		await requestUtils.createUser( {
			username,
			email: `${ username }@example.com`,
			password,
			roles: [ 'editor' ],
		} );
		const { context, page } = await loginAs( browser, username, password );
		try {
			const response = await page.goto(
				`/wp-admin/${ PAGE }&code=made-up-code&state=not-the-state-we-sent`
			);
			expect( response?.status() ).toBe( 403 );
			await expect( page.locator( 'body' ) ).toContainText(
				'Sorry, you are not allowed to access this page.'
			);
		} finally {
			await context.close();
		}
		const saved = await requestUtils.rest< {
			oauth_connection: Connection;
		} >( { path: SETTINGS } );
		expect( saved.oauth_connection.state ).toBe( 'none' );
	} );

	test( 'connects through the page, tests AUTH with XOAUTH2 and sends through Postfix', async ( {
		admin,
		page,
		requestUtils,
	} ) => {
		test.setTimeout( 120_000 );
		await admin.visitAdminPage(
			'options-general.php',
			PAGE.split( '?' )[ 1 ]
		);

		// Microsoft 365 leads to the sign-in; the host is the local Postfix instead of Microsoft's.
		await page
			.getByLabel( 'Email provider' )
			.selectOption( 'microsoft365' );
		await expect(
			page.getByRole( 'radio', {
				name: 'Sign in with Microsoft 365 / Google (OAuth 2.0)',
			} )
		).toBeChecked();
		await expect( field( page, 'Provider' ) ).toHaveValue( 'microsoft' );
		// wp-config.php (here the test's mu-plugin) replaces Microsoft's endpoints: shown locked.
		await expect( field( page, 'Authorization URL' ) ).toBeDisabled();
		await expect(
			page.getByText(
				'Set by SMTP_PORT_HELPER_OAUTH_AUTHORIZE_URL in wp-config.php.'
			)
		).toBeVisible();
		await expect( page.getByLabel( 'Redirect URI' ) ).toHaveValue(
			`${ process.env.WP_BASE_URL }/wp-admin/${ PAGE }`
		);
		await field( page, 'Host' ).fill( MTA_HOST );
		await field( page, 'User name' ).fill( ACCOUNT );
		await field( page, 'Client ID' ).fill( CLIENT_ID );
		await field( page, 'Client secret' ).fill( CLIENT_SECRET );
		await page.screenshot( {
			path: screenshotPath( 'oauth-1-entered' ),
			fullPage: true,
		} );

		// Connect saves the edits first, then goes to the provider's sign-in.
		await page
			.getByRole( 'button', { name: 'Connect with Microsoft' } )
			.click();
		await signInAtAuthServer( page );

		// Back on the page: connected, the account shown, the address cleaned.
		await expect(
			page.locator( '.smtp-port-helper__oauth-result' )
		).toContainText( `Connected as ${ ACCOUNT }.` );
		await expect(
			page.locator( '.smtp-port-helper__oauth-account' )
		).toContainText( `Connected as ${ ACCOUNT }` );
		await expect( page ).not.toHaveURL( /oauth=connected/ );
		await expect( field( page, 'Client secret' ) ).toHaveValue( '' );
		await expect( field( page, 'Client secret' ) ).toHaveAttribute(
			'placeholder',
			'Saved — leave empty to keep'
		);
		await page.screenshot( {
			path: screenshotPath( 'oauth-2-connected' ),
			fullPage: true,
		} );

		// The port test logs in to Postfix with the token: AUTH ok, XOAUTH2.
		await page.getByRole( 'button', { name: 'Test ports' } ).click();
		const port587 = page
			.locator( '.smtp-port-helper__port' )
			.filter( { hasText: '587' } )
			.first();
		await expect( port587 ).toContainText( 'Works', { timeout: 60_000 } );
		await port587.locator( 'summary' ).click();
		await expect( port587 ).toContainText( 'XOAUTH2' );
		await page.screenshot( {
			path: screenshotPath( 'oauth-3-port-test' ),
			fullPage: true,
		} );

		// A test email is accepted by Postfix (Dovecot checked the token) and reaches its capture.
		const started = Date.now();
		const recipient = `oauth-e2e-${ started }@example.com`;
		await field( page, 'Send to' ).fill( recipient );
		await page.getByRole( 'button', { name: 'Send test email' } ).click();
		await expect(
			page.locator(
				'.smtp-port-helper__test-email .components-notice:not(.smtp-port-helper__domain-check *)'
			)
		).toContainText( 'was accepted by', { timeout: 60_000 } );
		await expect
			.poll(
				() =>
					capturedSince( started - 1000 ).filter( ( raw ) =>
						raw.includes( recipient )
					).length,
				{ timeout: 30_000 }
			)
			.toBe( 1 );
		const [ mail ] = capturedSince( started - 1000 ).filter( ( raw ) =>
			raw.includes( recipient )
		);
		expect( mail ).toContain( `(Authenticated sender: ${ ACCOUNT })` );

		// Neither the page nor the settings answer carries the secret or a token.
		const html = await page.content();
		const settings = JSON.stringify(
			await requestUtils.rest( { path: SETTINGS } )
		);
		for ( const text of [ html, settings ] ) {
			expect( text ).not.toContain( CLIENT_SECRET );
			expect( text ).not.toMatch( /access_token|refresh_token/ );
		}
		// Whatever long random word the authorization server logged (token ids, grants).
		const issued = fs.existsSync( OAUTH_LOG )
			? tokenLike( fs.readFileSync( OAUTH_LOG, 'utf8' ) )
			: [];
		for ( const word of issued ) {
			expect( html ).not.toContain( word );
			expect( settings ).not.toContain( word );
		}
		const saved = JSON.parse( settings ) as {
			oauth_connection: Connection;
			oauth_client_secret_set: boolean;
		};
		expect( saved.oauth_connection ).toMatchObject( {
			state: 'connected',
			account: ACCOUNT,
		} );
		expect( saved.oauth_client_secret_set ).toBe( true );

		// Disconnect, confirmed.
		await page.getByRole( 'button', { name: 'Disconnect' } ).click();
		await page
			.getByRole( 'dialog' )
			.getByRole( 'button', { name: 'Disconnect' } )
			.click();
		await expect(
			page.getByRole( 'button', { name: 'Connect with Microsoft' } )
		).toBeVisible();
		const after = await requestUtils.rest< {
			oauth_connection: Connection;
		} >( { path: SETTINGS } );
		expect( after.oauth_connection.state ).toBe( 'none' );
	} );
} );
