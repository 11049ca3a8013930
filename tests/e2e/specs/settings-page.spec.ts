/**
 * The settings page in the real WordPress: read over REST, save host and port, bad input, and a
 * wp_mail() sent by WordPress itself through the saved port, read back at the SMTP server.
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';

import { findMail, screenshotPath, smtpPorts } from '../helpers';

const ROUTE = '/smtp-port-helper/v1/settings';

const host = ( page: Page ) =>
	page.getByRole( 'textbox', { name: 'Host', exact: true } );
const port = ( page: Page ) =>
	page.getByRole( 'textbox', { name: 'Port', exact: true } );
const submissionPort = smtpPorts[ 2 ];

test.describe( 'Settings → SMTP Port Helper', () => {
	test.beforeEach( async ( { requestUtils } ) => {
		await requestUtils.rest( {
			path: ROUTE,
			method: 'POST',
			data: { host: 'smtp.example.com', port: 2525 },
		} );
	} );

	test( 'is reached from the Settings menu and shows the saved settings', async ( {
		admin,
		page,
	} ) => {
		await admin.visitAdminPage( 'index.php' );
		await page.locator( '#menu-settings > a' ).click();
		await page
			.locator( '#menu-settings' )
			.getByRole( 'link', { name: 'SMTP Port Helper' } )
			.click();
		await expect( page ).toHaveURL(
			/options-general\.php\?page=smtp-port-helper/
		);
		await expect(
			page.getByRole( 'heading', { level: 1, name: 'SMTP Port Helper' } )
		).toBeVisible();
		await expect( host( page ) ).toHaveValue( 'smtp.example.com' );
		await expect( port( page ) ).toHaveValue( '2525' );
		await page.screenshot( {
			path: screenshotPath( 'settings-page' ),
			fullPage: true,
		} );
	} );

	test( 'saves host and port, and WordPress then delivers its mail through them', async ( {
		admin,
		page,
		requestUtils,
	} ) => {
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		await host( page ).fill( '127.0.0.1' );
		await port( page ).fill( String( submissionPort ) );
		await page.getByRole( 'button', { name: 'Save settings' } ).click();
		await expect( page.locator( '.components-snackbar' ) ).toContainText(
			'Settings saved.'
		);
		await page.screenshot( {
			path: screenshotPath( 'settings-saved' ),
			fullPage: true,
		} );

		const saved = await requestUtils.rest< { host: string; port: number } >(
			{ path: ROUTE }
		);
		expect( saved ).toMatchObject( {
			host: '127.0.0.1',
			port: submissionPort,
		} );

		await page.reload();
		await expect( port( page ) ).toHaveValue( String( submissionPort ) );

		// The submission port requires AUTH: the credentials are settings (the password is saved
		// encrypted), set through the REST API so this test does not depend on the form's layout.
		await requestUtils.rest( {
			path: ROUTE,
			method: 'POST',
			data: {
				auth: true,
				username: process.env.SMTP_USER ?? 'test',
				password: process.env.SMTP_PASS ?? 'secret',
			},
		} );

		// WordPress's own "lost password" mail goes through wp_mail() in the web server.
		const started = Date.now();
		const context = await page.context().browser()!.newContext();
		const visitor = await context.newPage();
		await visitor.goto( '/wp-login.php?action=lostpassword' );
		await visitor.getByLabel( 'Username or Email Address' ).fill( 'admin' );
		await visitor
			.getByRole( 'button', { name: 'Get New Password' } )
			.click();
		await expect(
			visitor.getByText( 'Check your email for the confirmation link' )
		).toBeVisible();
		await context.close();

		const resetMails = () =>
			findMail( 'requested a password reset', started );
		await expect
			.poll( () => resetMails().length, { timeout: 10_000 } )
			.toBe( 1 );
		const [ mail ] = resetMails();
		expect( mail.envelope.port ).toBe( submissionPort );
		expect( mail.envelope.tls ).toBe( true );
		expect( mail.envelope.rcptTo ).toEqual( [ 'admin@example.com' ] );
		expect( Date.now() - started ).toBeLessThan( 30_000 );
	} );

	test( 'names the bad field and keeps the saved settings', async ( {
		admin,
		page,
		requestUtils,
	} ) => {
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		await port( page ).fill( 'abc' );
		await host( page ).fill( '' );
		await page.getByRole( 'button', { name: 'Save settings' } ).click();
		await expect( port( page ) ).toHaveAttribute( 'aria-invalid', 'true' );
		await expect( host( page ) ).toHaveAttribute( 'aria-invalid', 'true' );
		await page.screenshot( {
			path: screenshotPath( 'settings-bad-input' ),
			fullPage: true,
		} );

		const saved = await requestUtils.rest< { host: string; port: number } >(
			{ path: ROUTE }
		);
		expect( saved ).toMatchObject( {
			host: 'smtp.example.com',
			port: 2525,
		} );
	} );

	test( 'shows the saved settings without a REST round trip (preloaded)', async ( {
		admin,
		page,
	} ) => {
		const settingsRequests: string[] = [];
		page.on( 'request', ( request ) => {
			if ( request.url().includes( 'smtp-port-helper/v1/settings' ) ) {
				settingsRequests.push( request.method() );
			}
		} );
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		await expect( host( page ) ).toHaveValue( 'smtp.example.com' );
		expect( settingsRequests ).toEqual( [] );
	} );

	test( 'loads its script on its own screen only', async ( {
		admin,
		page,
	} ) => {
		await admin.visitAdminPage( 'index.php' );
		await expect(
			page.locator( 'script#smtp-port-helper-settings-js' )
		).toHaveCount( 0 );
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		await expect(
			page.locator( 'script#smtp-port-helper-settings-js' )
		).toHaveCount( 1 );
	} );
} );
