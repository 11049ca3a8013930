/**
 * Sending over a provider's HTTPS API, chosen like a port: pick SendGrid, test the ports (its SMTP
 * host is not reachable from the stack, which has no internet), apply the recommended HTTPS API,
 * enter the API key, save, and the test email arrives once at the local SendGrid server
 * (env/providers/api-servers.js, which checks every request against SendGrid's API description).
 * The API's address is moved to the local server the way a site's wp-config.php would, with
 * SMTP_PORT_HELPER_API_ENDPOINT in a mu-plugin written for this run only.
 */
import { expect, test } from '../support/test';
import type { Page } from '@playwright/test';
import fs from 'fs';

import { expectNoAxeViolations, screenshotPath } from '../helpers';
import type { LocalApi } from '../support/provider-api';
import {
	muPluginPath,
	startLocalApi,
	writeConstants,
} from '../support/provider-api';

const SETTINGS = '/smtp-port-helper/v1/settings';
const SENDGRID_KEY = 'SG.local-sendgrid-key';
const MU_PLUGIN = 'e2e-api-endpoint.php';

/** The settings before and after the spec: SMTP, no key, no login. */
const NOTHING_SAVED = {
	transport: 'smtp',
	clear_api_key: true,
	host: 'smtp.example.com',
	auth: false,
	username: '',
	clear_password: true,
};

let sendgrid: LocalApi | undefined;
const received = () => sendgrid?.received() ?? [];

const field = ( page: Page, name: string ) =>
	page
		.locator( '#smtp-port-helper-root' )
		.getByLabel( name, { exact: true } );

test.describe( 'HTTPS API chosen like a port', () => {
	test.describe.configure( { mode: 'serial' } );

	test.beforeAll( async ( { requestUtils } ) => {
		sendgrid = await startLocalApi( 'sendgrid' );
		writeConstants( MU_PLUGIN, 'tests/e2e/specs/https-api.spec.ts', {
			SMTP_PORT_HELPER_API_ENDPOINT: sendgrid.baseUrl,
		} );
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			data: NOTHING_SAVED,
		} );
	} );

	test.afterAll( async ( { requestUtils } ) => {
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			data: NOTHING_SAVED,
		} );
		fs.rmSync( muPluginPath( MU_PLUGIN ), { force: true } );
		sendgrid?.stop();
	} );

	test( 'pick SendGrid, test ports, apply the HTTPS API, enter the key, save, the test email arrives once', async ( {
		admin,
		page,
	} ) => {
		const shot = ( step: string ) =>
			page.screenshot( {
				path: screenshotPath( `https-api-${ step }` ),
				fullPage: true,
			} );
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		await field( page, 'Email provider' ).selectOption( {
			label: 'SendGrid',
		} );
		await expect( field( page, 'Host' ) ).toHaveValue(
			'smtp.sendgrid.net'
		);
		// SendGrid's SMTP password is an API key too: the port test logs in with it.
		await field( page, 'Password' ).fill( SENDGRID_KEY );

		await page.getByRole( 'button', { name: 'Test ports' } ).click();
		const apply = page.getByRole( 'button', {
			name: 'Use the HTTPS API of SendGrid',
		} );
		await expect( apply ).toBeVisible( { timeout: 60_000 } );
		const row = page.locator(
			'.smtp-port-helper__port[data-transport="sendgrid"]'
		);
		await expect( row ).toHaveClass( /is-recommended/ );
		await expect( row ).toContainText( 'HTTPS API (port 443)' );
		await expect(
			page.locator( '.smtp-port-helper__recommendation' )
		).toContainText( 'No SMTP port works from this server' );
		await expectNoAxeViolations( page );
		await shot( '1-tested' );

		await apply.click();
		await expect( field( page, 'Send through' ) ).toHaveValue( 'sendgrid' );
		await expect(
			page
				.locator( '#smtp-port-helper-root' )
				.getByText( 'Enter the API key of SendGrid' )
		).toBeVisible();
		await field( page, 'API key' ).fill( SENDGRID_KEY );
		await page.getByRole( 'button', { name: 'Save settings' } ).click();
		await expect( page.locator( '.components-snackbar' ) ).toContainText(
			'Settings saved.'
		);
		await expect( field( page, 'API key' ) ).toHaveValue( '' );
		await expect(
			page
				.locator( '#smtp-port-helper-root' )
				.getByText( 'An API key is saved (it is never shown)' )
		).toBeVisible();
		await shot( '2-saved' );

		const recipient = `https-api-${ Date.now() }@example.com`;
		await field( page, 'Send to' ).fill( recipient );
		await page.getByRole( 'button', { name: 'Send test email' } ).click();
		await expect(
			page.locator(
				'.smtp-port-helper__test-email .components-notice:not(.smtp-port-helper__domain-check *)'
			)
		).toContainText( 'was accepted by', { timeout: 30_000 } );
		await shot( '3-sent' );

		await expect
			.poll( () => received().length, { timeout: 15_000 } )
			.toBe( 1 );
		const body = JSON.stringify( received()[ 0 ] );
		expect( body ).toContain( recipient );
		expect( body ).toContain( 'Test message from' );
		expect( body ).not.toContain( SENDGRID_KEY );
	} );
} );
