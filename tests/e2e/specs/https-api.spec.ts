/**
 * Sending over a provider's HTTPS API, chosen like a port: pick SendGrid, test the ports (its SMTP
 * host is not reachable from the stack, which has no internet), apply the recommended HTTPS API,
 * enter the API key, save, and the test email arrives once at the local SendGrid server
 * (env/providers/api-servers.js, which checks every request against SendGrid's API description).
 * The API's address is moved to the local server the way a site's wp-config.php would, with
 * SMTP_PORT_HELPER_API_ENDPOINT in a mu-plugin written for this run only.
 */
import { expect, test } from '@wordpress/e2e-test-utils-playwright';
import type { Page } from '@playwright/test';
import { spawn } from 'child_process';
import type { ChildProcess } from 'child_process';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';

import { expectNoAxeViolations, screenshotPath } from '../helpers';

const ROOT = path.join( __dirname, '../../..' );
const SETTINGS = '/smtp-port-helper/v1/settings';
const SENDGRID_KEY = 'SG.local-sendgrid-key';
const MU_PLUGIN = path.join(
	process.env.WP_DIR ?? path.join( ROOT, '.run/wp' ),
	'wp-content/mu-plugins/e2e-api-endpoint.php'
);
const CERT_DIR = path.dirname(
	process.env.SMTP_CA_FILE ?? path.join( ROOT, '.run/smtp/cert.pem' )
);

/** The settings before and after the spec: SMTP, no key, no login. */
const NOTHING_SAVED = {
	transport: 'smtp',
	clear_api_key: true,
	host: 'smtp.example.com',
	auth: false,
	username: '',
	clear_password: true,
};

let server: ChildProcess | undefined;
let storeDir = '';

function freePort(): Promise< number > {
	return new Promise( ( resolve, reject ) => {
		const probe = net.createServer();
		probe.once( 'error', reject );
		probe.listen( 0, '127.0.0.1', () => {
			const address = probe.address();
			probe.close( () =>
				resolve(
					typeof address === 'object' && address ? address.port : 0
				)
			);
		} );
	} );
}

/**
 * Starts the local SendGrid server and resolves once it listens.
 * @param port
 */
function startSendgrid( port: number ): Promise< void > {
	storeDir = fs.mkdtempSync( path.join( os.tmpdir(), 'sph-e2e-api-' ) );
	server = spawn(
		'node',
		[ path.join( ROOT, 'env/providers/api-servers.js' ), storeDir ],
		{
			env: {
				...process.env,
				PROVIDER_API_PORTS: `sendgrid=${ port }`,
				PROVIDER_API_CERT_DIR: CERT_DIR,
			},
			stdio: [ 'ignore', 'pipe', 'inherit' ],
		}
	);
	return new Promise( ( resolve, reject ) => {
		let output = '';
		server?.stdout?.on( 'data', ( chunk: Buffer ) => {
			output += chunk.toString();
			if ( output.includes( 'listening' ) ) {
				resolve();
			}
		} );
		server?.once( 'exit', ( code ) =>
			reject(
				new Error( `api-servers.js ended (${ code }): ${ output }` )
			)
		);
	} );
}

/** What the local SendGrid server received (one JSON file per accepted send). */
function received(): Array< Record< string, unknown > > {
	const dir = path.join( storeDir, 'sendgrid' );
	if ( ! fs.existsSync( dir ) ) {
		return [];
	}
	return fs
		.readdirSync( dir )
		.filter( ( name ) => name.endsWith( '.json' ) )
		.map( ( name ) =>
			JSON.parse( fs.readFileSync( path.join( dir, name ), 'utf8' ) )
		);
}

const field = ( page: Page, name: string ) =>
	page
		.locator( '#smtp-port-helper-root' )
		.getByLabel( name, { exact: true } );

test.describe( 'HTTPS API chosen like a port', () => {
	test.describe.configure( { mode: 'serial' } );

	test.beforeAll( async ( { requestUtils } ) => {
		const port = await freePort();
		await startSendgrid( port );
		fs.writeFileSync(
			MU_PLUGIN,
			`<?php
// Written by tests/e2e/specs/https-api.spec.ts for its run only, then removed.
define( 'SMTP_PORT_HELPER_API_ENDPOINT', 'https://127.0.0.1:${ port }' );
`
		);
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
		fs.rmSync( MU_PLUGIN, { force: true } );
		server?.kill();
		if ( storeDir ) {
			fs.rmSync( storeDir, { recursive: true, force: true } );
		}
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
