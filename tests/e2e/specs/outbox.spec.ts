/**
 * The Outbox view in the real WordPress against the real SMTP test servers (issue #10): a visitor
 * asks for a password reset while the submission port is closed, so the message waits in the
 * outbox; the admin notice links to the settings page's Outbox section, whose table (loaded on
 * demand) lists it without its body, also at a phone's width. Once the server is back, "Retry
 * now" delivers it (it arrives once at the server) and "Delete" removes another after a
 * confirmation. Then the same in German (the admin's locale switched over REST).
 */
import type { Browser, Page } from '@playwright/test';
import type { RequestUtils } from '@wordpress/e2e-test-utils-playwright';
import { expect, test } from '../support/test';

import {
	expectNoAxeViolations,
	findMail,
	setSmtpPorts,
	screenshotPath,
	smtpPorts,
	switchUserToGerman,
} from '../helpers';

const SETTINGS = '/smtp-port-helper/v1/settings';
const OUTBOX = '/smtp-port-helper/v1/outbox';
/** The submission port (587, or the port that stands for it without root). */
const SUBMISSION = smtpPorts[ 2 ];
const READER = {
	username: 'outbox-reader',
	email: 'outbox-reader@example.com',
	password: 'a long test password 4711',
};

interface OutboxList {
	messages: { id: number; to: string[]; subject: string }[];
}

const root = ( page: Page ) => page.locator( '#smtp-port-helper-root' );
const outboxRow = ( page: Page, recipient: string ) =>
	root( page ).locator( 'tr', { hasText: recipient } );

/** The SMTP servers without the submission port: mail to it cannot leave. */
function closeSubmissionPort() {
	setSmtpPorts(
		smtpPorts.filter( ( port ) => port !== SUBMISSION ).join( ',' )
	);
}

/**
 * A visitor (not logged in) asks for a password reset: WordPress sends the link with wp_mail().
 * @param browser
 * @param login
 */
async function askForPasswordReset( browser: Browser, login: string ) {
	const context = await browser.newContext( {
		baseURL: process.env.WP_BASE_URL,
	} );
	const visitor = await context.newPage();
	await visitor.goto( '/wp-login.php?action=lostpassword' );
	await visitor.locator( '#user_login' ).fill( login );
	await visitor.locator( '#wp-submit' ).click();
	// wp_mail() returned true (the mail is accepted for delivery), so the visitor is told to check
	// their email instead of "The email could not be sent".
	await expect( visitor ).toHaveURL( /checkemail=confirm/ );
	await context.close();
}

async function emptyOutbox( requestUtils: RequestUtils ) {
	const list = ( await requestUtils.rest( {
		path: OUTBOX,
		params: { per_page: 500 },
	} ) ) as OutboxList;
	for ( const message of list.messages ) {
		await requestUtils.rest( {
			path: `${ OUTBOX }/${ message.id }`,
			method: 'DELETE',
		} );
	}
}

async function openOutbox( admin: {
	visitAdminPage: ( a: string, b: string ) => Promise< unknown >;
} ) {
	await admin.visitAdminPage(
		'options-general.php',
		'page=smtp-port-helper#outbox'
	);
}

test.describe( 'the Outbox view', () => {
	test.describe.configure( { mode: 'serial' } );
	// Each test closes and opens an SMTP port, sends through the real wp-login.php and loads the table's
	// script for the first time: on a busy shared machine that takes minutes.
	test.slow();

	let readerId = 0;
	let adminEmail = '';

	test.beforeAll( async ( { requestUtils } ) => {
		await emptyOutbox( requestUtils );
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			data: {
				enabled: true,
				host: '127.0.0.1',
				port: SUBMISSION,
				encryption: 'starttls',
				auth: true,
				username: 'test',
				password: 'secret',
				fallback: false,
			},
		} );
		readerId = ( await requestUtils.createUser( READER ) ).id;
		adminEmail = (
			( await requestUtils.rest( {
				path: '/wp/v2/users/me',
				params: { context: 'edit' },
			} ) ) as { email: string }
		 ).email;
	} );

	test.afterAll( async ( { requestUtils } ) => {
		setSmtpPorts();
		await emptyOutbox( requestUtils );
		if ( readerId ) {
			await requestUtils.rest( {
				path: `/wp/v2/users/${ readerId }`,
				method: 'DELETE',
				params: { force: true, reassign: 1 },
			} );
		}
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			data: { auth: false, username: '', clear_password: true },
		} );
	} );

	test( 'mail that could not leave waits in the table; Retry now delivers it, Delete removes another', async ( {
		admin,
		browser,
		page,
		requestUtils,
	} ) => {
		const scriptErrors: string[] = [];
		page.on( 'console', ( message ) => {
			if ( message.type() === 'error' ) {
				scriptErrors.push( message.text() );
			}
		} );
		page.on( 'requestfailed', ( request ) =>
			scriptErrors.push( `${ request.url() } failed` )
		);
		page.on( 'response', ( response ) => {
			if ( response.status() >= 400 ) {
				scriptErrors.push(
					`${ response.url() }: ${ response.status() }`
				);
			}
		} );
		const since = Date.now();
		closeSubmissionPort();
		await askForPasswordReset( browser, 'admin' );
		await askForPasswordReset( browser, READER.username );

		// Every admin screen says so, and links to the view.
		await admin.visitAdminPage( 'index.php', '' );
		const notice = page.locator( '.notice', {
			hasText: 'Email waits in the outbox',
		} );
		await expect( notice ).toContainText(
			'2 messages could not be handed to the SMTP server yet.'
		);
		await notice.getByRole( 'link', { name: 'Open the outbox' } ).click();
		await expect( page ).toHaveURL(
			/options-general\.php\?page=smtp-port-helper#outbox$/
		);
		await expect(
			root( page ).getByRole( 'heading', { name: 'Outbox' } )
		).toBeVisible( { timeout: 20_000 } );
		// The table's script loads on demand, once: give it time on a busy machine.
		await expect(
			root( page ).getByRole( 'columnheader', { name: 'Recipient' } )
		).toBeVisible( { timeout: 30_000 } );

		for ( const header of [
			'Recipient',
			'Subject',
			'Queued at',
			'Attempts',
			'Next try',
			'Last error',
		] ) {
			await expect(
				root( page ).getByRole( 'columnheader', { name: header } )
			).toBeVisible();
		}
		const mine = outboxRow( page, adminEmail );
		const theirs = outboxRow( page, READER.email );
		await expect( mine ).toContainText( 'Password Reset' );
		await expect( mine ).toContainText(
			/No connection|Every port known to be down/
		);
		await expect( mine ).toContainText( 'retried automatically' );
		await expect( theirs ).toContainText( 'Password Reset' );
		await expect( root( page ) ).toContainText(
			'2 messages in the outbox.'
		);
		// The reset link is a secret: the body never reaches the page.
		await expect( root( page ) ).not.toContainText( 'action=rp' );
		await expectNoAxeViolations( page, '#smtp-port-helper-root' );
		await page.screenshot( {
			path: screenshotPath( 'outbox-waiting' ),
			fullPage: true,
		} );

		// At a phone's width (375 px) each message is a block of labelled lines: nothing sticks
		// out sideways, and both actions stay in reach.
		await page.setViewportSize( { width: 375, height: 800 } );
		for ( const name of [ 'Retry now', 'Delete' ] ) {
			const box = await mine
				.getByRole( 'button', { name } )
				.boundingBox();
			expect( box ).not.toBeNull();
			expect( box!.x ).toBeGreaterThanOrEqual( 0 );
			expect( box!.x + box!.width ).toBeLessThanOrEqual( 375 );
		}
		const { scrollWidth, innerWidth } = await page.evaluate( () => ( {
			scrollWidth: document.documentElement.scrollWidth,
			innerWidth: window.innerWidth,
		} ) );
		expect( scrollWidth ).toBeLessThanOrEqual( innerWidth );
		await page.screenshot( {
			path: screenshotPath( 'outbox-375' ),
			fullPage: true,
		} );
		await page.setViewportSize( { width: 1280, height: 800 } );

		// Delete asks first; Cancel keeps the message. (Before the server is back: Retry now runs
		// every message that is due, and on a slow machine this one may be due by then.)
		await theirs.getByRole( 'button', { name: 'Delete' } ).click();
		const dialog = page.getByRole( 'dialog' );
		await expect( dialog ).toContainText( 'Password Reset' );
		await expect( dialog ).toContainText( `to ${ READER.email }?` );
		await dialog.getByRole( 'button', { name: 'Cancel' } ).click();
		await expect( theirs ).toHaveCount( 1 );
		await theirs.getByRole( 'button', { name: 'Delete' } ).click();
		await page
			.getByRole( 'dialog' )
			.getByRole( 'button', { name: 'Delete message' } )
			.click();
		await expect( theirs ).toHaveCount( 0 );
		await expect(
			root( page ).getByText(
				/^Deleted: “.*Password Reset”\. It will not be sent\.$/
			)
		).toBeVisible();

		// The server is back: Retry now delivers at once, exactly once.
		setSmtpPorts();
		await mine.getByRole( 'button', { name: 'Retry now' } ).click();
		await expect(
			root( page ).getByText( /^Delivered: “.*Password Reset”\.$/ )
		).toBeVisible();
		await expect( mine ).toHaveCount( 0 );
		const delivered = findMail( 'action=rp', since ).filter( ( mail ) =>
			mail.envelope.rcptTo.includes( adminEmail )
		);
		expect( delivered ).toHaveLength( 1 );

		await expect( root( page ) ).toContainText(
			'The outbox is empty: every message was handed to the SMTP server.'
		);
		await page.screenshot( {
			path: screenshotPath( 'outbox-drained' ),
			fullPage: true,
		} );

		const left = ( await requestUtils.rest( {
			path: OUTBOX,
		} ) ) as OutboxList;
		expect( left.messages ).toEqual( [] );
		expect(
			findMail( 'action=rp', since ).filter( ( mail ) =>
				mail.envelope.rcptTo.includes( READER.email )
			)
		).toHaveLength( 0 );
		expect( scriptErrors ).toEqual( [] );

		// The drained queue: the notice says how many were delivered late, once.
		await admin.visitAdminPage( 'index.php', '' );
		await expect(
			page.locator( '.notice', {
				hasText: '1 message was delivered late',
			} )
		).toBeVisible();
	} );

	test.describe( 'in German', () => {
		let backToEnglish: () => Promise< void > = async () => {};

		test.beforeAll( async ( { requestUtils } ) => {
			backToEnglish = await switchUserToGerman( requestUtils );
		} );

		test.afterAll( async () => {
			await backToEnglish();
		} );

		test( 'the same view, translated', async ( {
			admin,
			browser,
			page,
		} ) => {
			closeSubmissionPort();
			await askForPasswordReset( browser, READER.username );
			await openOutbox( admin );

			await expect(
				root( page ).getByRole( 'heading', { name: 'Postausgang' } )
			).toBeVisible( { timeout: 20_000 } );
			await expect(
				root( page ).getByRole( 'columnheader', { name: 'Empfänger' } )
			).toBeVisible( { timeout: 30_000 } );
			for ( const header of [
				'Empfänger',
				'Versuche',
				'Nächster Versuch',
				'Letzter Fehler',
			] ) {
				await expect(
					root( page ).getByRole( 'columnheader', { name: header } )
				).toBeVisible();
			}
			const row = outboxRow( page, READER.email );
			await expect( row ).toContainText(
				/Keine Verbindung|Alle Ports bekanntermaßen gestört/
			);
			await expect( row ).toContainText( 'automatisch' );
			await expect( root( page ) ).toContainText(
				'1 Nachricht im Postausgang.'
			);
			await expect(
				row.getByRole( 'button', { name: 'Jetzt erneut senden' } )
			).toBeVisible();
			await expectNoAxeViolations( page, '#smtp-port-helper-root' );
			await page.screenshot( {
				path: screenshotPath( 'outbox-de' ),
				fullPage: true,
			} );

			await row.getByRole( 'button', { name: 'Löschen' } ).click();
			await page
				.getByRole( 'dialog' )
				.getByRole( 'button', { name: 'Nachricht löschen' } )
				.click();
			await expect( row ).toHaveCount( 0 );
			await expect(
				root( page ).getByText( /^Gelöscht: „.*“\./ )
			).toBeVisible();
			await expect( root( page ) ).toContainText(
				'Der Postausgang ist leer'
			);
		} );
	} );
} );
