/**
 * What a site owner meets on the settings page (issue #14), at a phone's width (375 px) and a
 * desktop's (1280 px), in the real WordPress against the real SMTP test servers with port 25
 * closed: the login before the port test, results tied to what they were tested with, errors at
 * their field, causes sent to the right party, a layout that holds, details that match the
 * verdict, and no stale hints or dead ends. Screenshots go to the suite's artifacts.
 *
 * Needs the real port numbers (587, 2525, 465, 25), i.e. the stack started as root (CI).
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';

import {
	expectNoAxeViolations,
	setSmtpPorts,
	screenshotPath,
} from '../helpers';

const SETTINGS = '/smtp-port-helper/v1/settings';
const isRoot = process.getuid?.() === 0;
const LOGIN = 'Log in to the SMTP server (SMTP authentication)';

const root = ( page: Page ) => page.locator( '#smtp-port-helper-root' );
const field = ( page: Page, name: string ) =>
	root( page ).getByLabel( name, { exact: true } );
const button = ( page: Page, name: string | RegExp ) =>
	root( page ).getByRole( 'button', { name } );

async function openPage(
	page: Page,
	admin: { visitAdminPage: ( a: string, b: string ) => Promise< unknown > }
) {
	await admin.visitAdminPage(
		'options-general.php',
		'page=smtp-port-helper'
	);
	await expect( field( page, 'Host' ) ).toBeVisible();
}

/**
 * The page is no wider than the window: nothing sticks out sideways.
 * @param page
 */
async function expectNoHorizontalOverflow( page: Page ) {
	const { scrollWidth, innerWidth } = await page.evaluate( () => ( {
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
	} ) );
	expect( scrollWidth ).toBeLessThanOrEqual( innerWidth );
}

async function testPorts( page: Page ) {
	await button( page, 'Test ports' ).click();
	await expect(
		root( page ).locator( '.smtp-port-helper__elapsed' )
	).toBeVisible( { timeout: 30_000 } );
}

/**
 * Opens the page, types a host and tests its ports (no login).
 * @param page
 * @param admin
 * @param host
 */
async function testHost(
	page: Page,
	admin: Parameters< typeof openPage >[ 1 ],
	host: string
) {
	await openPage( page, admin );
	await field( page, 'Host' ).fill( host );
	await testPorts( page );
}

test.describe( 'what a site owner meets', () => {
	test.describe.configure( { mode: 'serial' } );
	test.skip( ! isRoot, 'needs the real SMTP port numbers (run as root)' );

	test.beforeAll( () => setSmtpPorts( '465,587,2525' ) );
	test.afterAll( async ( { requestUtils } ) => {
		setSmtpPorts();
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			data: { auth: false, username: '', clear_password: true },
		} );
	} );

	for ( const width of [ 375, 1280 ] ) {
		test.describe( `at ${ width } px`, () => {
			test.use( { viewport: { width, height: 800 } } );
			const shot = ( page: Page, name: string ) =>
				page.screenshot( {
					path: screenshotPath( `site-owner-${ width }-${ name }` ),
					fullPage: true,
				} );

			test.beforeEach( async ( { requestUtils } ) => {
				await requestUtils.rest( {
					path: SETTINGS,
					method: 'POST',
					data: {
						host: 'smtp.example.com',
						port: 2525,
						encryption: 'starttls',
						auth: false,
						username: '',
						clear_password: true,
					},
				} );
			} );

			test( 'the login comes before the test, which uses it; a changed login or host makes the results stale', async ( {
				admin,
				page,
			} ) => {
				await openPage( page, admin );
				const headings = await root( page )
					.locator( 'h2' )
					.allTextContents();
				expect( headings.slice( 0, 3 ) ).toEqual( [
					'1. Your email provider',
					'2. Login',
					'3. Test the ports',
				] );

				await field( page, 'Host' ).fill( '127.0.0.1' );
				await root( page )
					.getByRole( 'checkbox', { name: LOGIN } )
					.check();
				await field( page, 'User name' ).fill( 'test' );
				await field( page, 'Password' ).fill( 'secret' );
				const request = page.waitForRequest( ( r ) =>
					r.url().includes( 'port-tests' )
				);
				await testPorts( page );
				expect( ( await request ).postDataJSON().auth ).toEqual( {
					username: 'test',
					password: 'secret',
				} );
				await expect(
					button( page, 'Use port 587 with STARTTLS' )
				).toBeVisible();

				// Another password: the results no longer describe this login.
				await field( page, 'Password' ).fill( 'other' );
				await expect(
					root( page ).getByText(
						'These results were for 127.0.0.1 with another login — test again.'
					)
				).toBeVisible();
				await expect( button( page, /Use port/ ) ).toHaveCount( 0 );
				await expectNoAxeViolations( page, '#smtp-port-helper-root' );
				await shot( page, '1-stale-login' );
				await field( page, 'Password' ).fill( 'secret' );
				await expect( button( page, /Use port 587/ ) ).toBeVisible();

				// Another host: the old cards and their apply button go.
				await field( page, 'Host' ).fill( 'localhost' );
				await expect(
					root( page ).getByText(
						'These results were for 127.0.0.1, not for the host entered now — test again.'
					)
				).toBeVisible();
				await expect( button( page, /Use port/ ) ).toHaveCount( 0 );
				await expect(
					root( page ).locator( '.smtp-port-helper__port' )
				).toHaveCount( 0 );
				await shot( page, '2-stale-host' );
				await button( page, 'Test again' ).click();
				await expect( button( page, /Use port 587/ ) ).toBeVisible( {
					timeout: 30_000,
				} );
			} );

			test( 'a bad save names its fields once, in plain words, with the focus on the first', async ( {
				admin,
				page,
			} ) => {
				await openPage( page, admin );
				await field( page, 'Port' ).fill( '' );
				await field( page, 'Port' ).pressSequentially( 'abc' );
				await expect( field( page, 'Port' ) ).toHaveValue( '' );
				await field( page, 'Host' ).fill( '' );
				await button( page, 'Save settings' ).click();
				await expect(
					root( page ).getByText(
						'The settings were not saved. Correct the marked fields: Host, Port.'
					)
				).toBeVisible();
				await expect( field( page, 'Host' ) ).toBeFocused();
				await expect( field( page, 'Host' ) ).toBeInViewport();
				await expect(
					page.getByText( /Invalid parameter/ )
				).toHaveCount( 0 );
				await shot( page, '3-save-errors' );
			} );

			test( 'a mistyped host is the host name’s fault, with the preset it meant', async ( {
				admin,
				page,
			} ) => {
				await testHost( page, admin, 'smtp.gmial.com' );
				await expect(
					root( page ).getByText(
						/The host name smtp\.gmial\.com was not found/
					)
				).toBeVisible();
				await expect(
					root( page ).getByText( /web host/i )
				).toHaveCount( 0 );
				await expect(
					field( page, 'Host' )
				).toHaveAccessibleDescription(
					'The port test did not find this host name. Check its spelling.'
				);
				await expectNoHorizontalOverflow( page );
				await expectNoAxeViolations( page, '#smtp-port-helper-root' );
				await shot( page, '4-did-you-mean' );
				await button( page, 'Did you mean smtp.gmail.com?' ).click();
				await expect( field( page, 'Host' ) ).toHaveValue(
					'smtp.gmail.com'
				);
				await expect( field( page, 'Email provider' ) ).toHaveValue(
					'google'
				);
			} );

			test( 'after a test the layout holds, every detail unfolded', async ( {
				admin,
				page,
			} ) => {
				await testHost( page, admin, '127.0.0.1' );
				for ( const card of await root( page )
					.locator( '.smtp-port-helper__port' )
					.all() ) {
					await card.locator( 'summary' ).click();
				}
				await expectNoHorizontalOverflow( page );
				await shot( page, '5-tested' );
			} );

			test( 'closed port 25 is neutral while others work, its details match the verdict, and the save hint goes once saved', async ( {
				admin,
				page,
			} ) => {
				await testHost( page, admin, '127.0.0.1' );
				const port25 = root( page )
					.locator( '.smtp-port-helper__port' )
					.filter( { hasText: 'Port 25' } )
					.last();
				await expect( port25 ).toHaveClass( /is-neutral/ );
				await port25.locator( 'summary' ).click();
				await expect( port25 ).not.toContainText( 'Connected to' );

				await button( page, 'Use port 587 with STARTTLS' ).click();
				const hint = root( page ).getByText(
					'Port and encryption are filled in. Save the settings to use them.'
				);
				await expect( hint ).toBeVisible();
				await button( page, 'Save settings' ).click();
				await expect(
					page.locator( '.components-snackbar' )
				).toContainText( 'Settings saved.' );
				await expect( hint ).toHaveCount( 0 );
			} );

			test( 'the saved password goes only to its own server: the page asks for it before testing another', async ( {
				admin,
				page,
				requestUtils,
			} ) => {
				await requestUtils.rest( {
					path: SETTINGS,
					method: 'POST',
					data: {
						host: '127.0.0.1',
						auth: true,
						username: 'test',
						password: 'secret',
					},
				} );
				await openPage( page, admin );
				await field( page, 'Host' ).fill( 'localhost' );
				const testButton = button( page, 'Test ports' );
				await expect( testButton ).toHaveAttribute(
					'aria-disabled',
					'true'
				);
				await expect( testButton ).toHaveAccessibleDescription(
					'Enter the password to test the ports with this login: the saved password is only sent to 127.0.0.1 as test.'
				);
				await expect(
					root( page ).getByText(
						/If you save another host or user name without entering its password, the saved password is removed\./
					)
				).toBeVisible();
				await expectNoAxeViolations( page, '#smtp-port-helper-root' );
				await shot( page, '6-saved-login' );
				await field( page, 'Password' ).fill( 'secret' );
				await expect( testButton ).not.toHaveAttribute(
					'aria-disabled',
					'true'
				);
			} );

			test( 'SendGrid switches the login on; the test email is addressed to the admin; a failed one leads back to the port test', async ( {
				admin,
				page,
				requestUtils,
			} ) => {
				await openPage( page, admin );
				await field( page, 'Email provider' ).selectOption(
					'sendgrid'
				);
				await expect(
					root( page ).getByRole( 'checkbox', { name: LOGIN } )
				).toBeChecked();
				await expect( field( page, 'User name' ) ).toHaveValue(
					'apikey'
				);
				await expect(
					field( page, 'Password' )
				).toHaveAccessibleDescription( /password is an API key/ );

				// A saved port that is closed (25): the test email fails.
				await requestUtils.rest( {
					path: SETTINGS,
					method: 'POST',
					data: { host: '127.0.0.1', port: 25, encryption: 'none' },
				} );
				await page.reload();
				await expect( field( page, 'Send to' ) ).toHaveValue( /@/ );
				await button( page, 'Send test email' ).click();
				const back = button( page, 'Go back to the port test' );
				await expect( back ).toBeVisible( { timeout: 30_000 } );
				await expectNoHorizontalOverflow( page );
				await shot( page, '7-send-failed' );
				await back.click();
				await expect( button( page, 'Test ports' ) ).toBeFocused();
				await expect( button( page, 'Test ports' ) ).toBeInViewport();
			} );
		} );
	}
} );
