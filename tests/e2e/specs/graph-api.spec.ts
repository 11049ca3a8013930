/**
 * Microsoft 365 over Microsoft Graph, chosen like a port (issue #21): the administrator picks
 * Microsoft 365, tests the ports — smtp.office365.com cannot be reached from the stack, which has
 * no internet, so no SMTP port works — and the HTTPS API row (Graph's `GET /me` on port 443) is
 * the recommendation; one click applies it, Connect signs in at the local authorization server
 * (env/oauth, in Microsoft's role), and the test email arrives once, intact, at the local Graph
 * server (env/providers/graph.js: it accepts only tokens that server issued and checks each
 * request against Graph's API description). The same flow again with the site's language German.
 */
import type { Page } from '@playwright/test';
import type { RequestUtils } from '@wordpress/e2e-test-utils-playwright';
import { expect, test } from '../support/test';
import fs from 'fs';

import {
	expectNoAxeViolations,
	screenshotPath,
	switchSiteToGerman,
} from '../helpers';
import {
	ACCOUNT,
	CLIENT_ID,
	CLIENT_SECRET,
	disconnectThenSave,
	ENDPOINT_CONSTANTS,
	expectAuthServerUp,
	signInAtAuthServer,
} from '../support/oauth-server';
import type { LocalApi } from '../support/provider-api';
import {
	muPluginPath,
	startLocalApi,
	writeConstants,
} from '../support/provider-api';

const MU_PLUGIN = 'e2e-graph-endpoints.php';

/** The page's words in each language (languages/smtp-port-helper-de_DE.po). */
const TEXTS = {
	en: {
		provider: 'Email provider',
		testPorts: 'Test ports',
		apiRow: 'HTTPS API (port 443)',
		noSmtpPort: 'No SMTP port works from this server',
		apply: 'Use the HTTPS API of Microsoft 365 (Graph API)',
		sendThrough: 'Send through',
		noKey: 'Microsoft 365 (Graph API) needs no API key',
		clientId: 'Client ID',
		clientSecret: 'Client secret',
		connect: 'Connect with Microsoft',
		connected: `Connected as ${ ACCOUNT }.`,
		sendTo: 'Send to',
		sendTestEmail: 'Send test email',
		accepted: 'Check the inbox, and the spam folder.',
		subject: 'Test message from',
	},
	de: {
		provider: 'E-Mail-Anbieter',
		testPorts: 'Ports testen',
		apiRow: 'HTTPS-API (Port 443)',
		noSmtpPort: 'Von diesem Server aus funktioniert kein SMTP-Port',
		apply: 'HTTPS-API von Microsoft 365 (Graph-API) verwenden',
		sendThrough: 'Senden über',
		noKey: 'Microsoft 365 (Graph-API) braucht keinen API-Schlüssel',
		clientId: 'Client-ID',
		clientSecret: 'Geheimer Clientschlüssel',
		connect: 'Mit Microsoft verbinden',
		connected: `Verbunden als ${ ACCOUNT }.`,
		sendTo: 'Senden an',
		sendTestEmail: 'Test-E-Mail senden',
		accepted: 'Prüfen Sie den Posteingang und den Spam-Ordner.',
		subject: 'Testnachricht von',
	},
};
type Texts = ( typeof TEXTS )[ 'en' ];

/** Nothing chosen yet: SMTP to a host without a login, no sign-in, no API. */
const startFromNothing = ( requestUtils: RequestUtils ) =>
	disconnectThenSave( requestUtils, {
		transport: 'smtp',
		host: 'smtp.example.com',
		auth: false,
		auth_method: 'password',
		username: '',
		clear_password: true,
		oauth_client_id: '',
		clear_oauth_client_secret: true,
		api_account: '',
	} );

const field = ( page: Page, name: string ) =>
	page
		.locator( '#smtp-port-helper-root' )
		.getByLabel( name, { exact: true } );

/**
 * The whole way from the empty page to a test email Graph accepted, in one language.
 * @param page
 * @param graph The local Graph server.
 * @param t     The page's words.
 * @param lang  For the screenshots' names.
 */
async function sendOverGraph(
	page: Page,
	graph: LocalApi,
	t: Texts,
	lang: string
) {
	const shot = ( step: string ) =>
		page.screenshot( {
			path: screenshotPath( `graph-api-${ lang }-${ step }` ),
			fullPage: true,
		} );
	await page.goto( '/wp-admin/options-general.php?page=smtp-port-helper' );
	await field( page, t.provider ).selectOption( 'microsoft365' );
	await expect( field( page, 'Host' ) ).toHaveValue( 'smtp.office365.com' );

	await page.getByRole( 'button', { name: t.testPorts } ).click();
	const apply = page.getByRole( 'button', { name: t.apply } );
	await expect( apply ).toBeVisible( { timeout: 60_000 } );
	const row = page.locator(
		'.smtp-port-helper__port[data-transport="microsoft-graph"]'
	);
	await expect( row ).toHaveClass( /is-recommended/ );
	await expect( row ).toContainText( t.apiRow );
	await expect(
		page.locator( '.smtp-port-helper__recommendation' )
	).toContainText( t.noSmtpPort );
	await expectNoAxeViolations( page );
	await shot( '1-tested' );

	// One click: the transport is Graph, which signs in instead of taking a key.
	await apply.click();
	await expect( field( page, t.sendThrough ) ).toHaveValue(
		'microsoft-graph'
	);
	const root = page.locator( '#smtp-port-helper-root' );
	await expect( root.getByText( t.noKey ) ).toBeVisible();
	await expect( field( page, 'API key' ) ).toHaveCount( 0 );
	await field( page, t.clientId ).fill( CLIENT_ID );
	await field( page, t.clientSecret ).fill( CLIENT_SECRET );
	await shot( '2-applied' );

	// Connect saves the edits, then the sign-in asks for Graph's Mail.Send.
	await page.getByRole( 'button', { name: t.connect } ).click();
	await signInAtAuthServer( page );
	await expect(
		page.locator( '.smtp-port-helper__oauth-result' )
	).toContainText( t.connected );
	await expect( field( page, t.sendThrough ) ).toHaveValue(
		'microsoft-graph'
	);
	await shot( '3-connected' );

	const recipient = `graph-${ lang }-${ Date.now() }@example.com`;
	await field( page, t.sendTo ).fill( recipient );
	await page.getByRole( 'button', { name: t.sendTestEmail } ).click();
	const answer = page.locator(
		'.smtp-port-helper__test-email .components-notice:not(.smtp-port-helper__domain-check *)'
	);
	await expect( answer ).toHaveClass( /is-success/, { timeout: 30_000 } );
	await expect( answer ).toContainText( recipient );
	await expect( answer ).toContainText( t.accepted );
	await shot( '4-sent' );

	// Exactly once, sent as the signed-in mailbox, the message as the recipient reads it.
	await expect.poll( () => graph.received().length ).toBe( 1 );
	const [ record ] = graph.received() as Array< {
		request: { path: string; account: string; mailbox: string };
		message: {
			to: Array< { address: string } >;
			subject: string;
			text: string;
		};
	} >;
	expect( record.request ).toMatchObject( {
		path: '/v1.0/me/sendMail',
		account: ACCOUNT,
		mailbox: ACCOUNT,
	} );
	expect( record.message.to.map( ( one ) => one.address ) ).toEqual( [
		recipient,
	] );
	expect( record.message.subject ).toContain( t.subject );
	expect( record.message.text ).not.toBe( '' );
	expect( JSON.stringify( record ) ).not.toContain( CLIENT_SECRET );
}

test.describe( 'Microsoft 365 over Microsoft Graph, chosen like a port', () => {
	test.describe.configure( { mode: 'serial' } );

	let graph: LocalApi;

	test.beforeAll( async () => {
		await expectAuthServerUp();
		graph = await startLocalApi( 'graph' );
		writeConstants( MU_PLUGIN, 'tests/e2e/specs/graph-api.spec.ts', {
			...ENDPOINT_CONSTANTS,
			SMTP_PORT_HELPER_API_ENDPOINT: `${ graph.baseUrl }/v1.0`,
		} );
	} );

	test.beforeEach( async ( { requestUtils } ) => {
		await startFromNothing( requestUtils );
		graph.clear();
	} );

	test.afterAll( async ( { requestUtils } ) => {
		await startFromNothing( requestUtils );
		fs.rmSync( muPluginPath( MU_PLUGIN ), { force: true } );
		graph?.stop();
	} );

	test( 'pick Microsoft 365, test ports, apply Graph, sign in, the test email arrives once', async ( {
		page,
	} ) => {
		await sendOverGraph( page, graph, TEXTS.en, 'en' );
	} );

	test( 'the same in German (the site language)', async ( {
		page,
		requestUtils,
	} ) => {
		const restore = await switchSiteToGerman( requestUtils );
		try {
			await sendOverGraph( page, graph, TEXTS.de, 'de' );
		} finally {
			await restore();
		}
	} );
} );
