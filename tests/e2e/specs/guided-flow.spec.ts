/**
 * The guided flow in the real WordPress against the real SMTP test servers, with port 25 closed:
 * custom host → Test ports → 587 recommended → apply → credentials → save → test email → the
 * message arrives. Once in English, once in German (the admin's locale switched over REST), once by
 * keyboard alone; axe-core checks every step.
 *
 * Needs the real port numbers (587, 2525, 465, 25), i.e. the stack started as root (CI).
 */
import type { Page } from '@playwright/test';
import { expect, test } from '../support/test';

import {
	expectNoAxeViolations,
	findMail,
	setSmtpPorts,
	screenshotPath,
	switchUserToGerman,
} from '../helpers';

const SETTINGS = '/smtp-port-helper/v1/settings';
const isRoot = process.getuid?.() === 0;

/** The page's texts in both languages (from languages/smtp-port-helper-de_DE.po). */
const TEXT = {
	en: {
		host: 'Host',
		port: 'Port',
		encryption: 'Encryption',
		login: 'Log in to the SMTP server (SMTP authentication)',
		user: 'User name',
		password: 'Password',
		testPorts: 'Test ports',
		use587: 'Use port 587 with STARTTLS',
		finished: 'Port test finished',
		works: 'Works',
		closed: 'Closed',
		save: 'Save settings',
		saved: 'Settings saved.',
		sendTo: 'Send to',
		send: 'Send test email',
		accepted: 'was accepted by',
		locked: 'in wp-config.php',
	},
	de: {
		host: 'Host',
		port: 'Port',
		encryption: 'Verschlüsselung',
		login: 'Am SMTP-Server anmelden (SMTP-Authentifizierung)',
		user: 'Benutzername',
		password: 'Passwort',
		testPorts: 'Ports testen',
		use587: 'Port 587 mit STARTTLS verwenden',
		finished: 'Porttest abgeschlossen',
		works: 'Funktioniert',
		closed: 'Geschlossen',
		save: 'Einstellungen speichern',
		saved: 'Einstellungen gespeichert.',
		sendTo: 'Senden an',
		send: 'Test-E-Mail senden',
		accepted: 'wurde von',
		locked: 'in der wp-config.php',
	},
};
type Texts = ( typeof TEXT )[ 'en' ];

const field = ( page: Page, name: string ) =>
	page
		.locator( '#smtp-port-helper-root' )
		.getByLabel( name, { exact: true } );

async function runFlow( page: Page, t: Texts, lang: string ) {
	const shot = ( step: string ) =>
		page.screenshot( {
			path: screenshotPath( `guided-${ lang }-${ step }` ),
			fullPage: true,
		} );
	await expect( field( page, t.host ) ).toBeVisible();
	await expectNoAxeViolations( page );
	await shot( '1-start' );

	await field( page, t.host ).fill( '127.0.0.1' );
	await page.getByRole( 'button', { name: t.testPorts } ).click();
	const apply = page.getByRole( 'button', { name: t.use587 } );
	await expect( apply ).toBeVisible( { timeout: 30_000 } );
	const results = page.locator( '.smtp-port-helper__port' );
	await expect( results ).toHaveCount( 4 );
	await expect(
		page.locator( '.smtp-port-helper__port.is-recommended' )
	).toContainText( '587' );
	const port25 = results.filter( { hasText: /\b25\b/ } ).last();
	await expect( port25 ).toContainText( t.closed );
	await expect( page.getByRole( 'status' ).first() ).toContainText(
		t.finished
	);
	// The technical details: stages and certificate.
	await page
		.locator( '.smtp-port-helper__port.is-recommended summary' )
		.click();
	await expect(
		page.locator( '.smtp-port-helper__port.is-recommended dl' )
	).toContainText( 'TLS' );
	await expectNoAxeViolations( page );
	await shot( '2-tested' );

	await apply.click();
	await expect( field( page, t.port ) ).toHaveValue( '587' );
	await expect( field( page, t.encryption ) ).toHaveValue( 'starttls' );

	// Credentials test/secret, unless wp-config.php fixes them (SMTP_PORT_HELPER_USER/PASS).
	const login = page.getByRole( 'checkbox', { name: t.login } );
	if ( ! ( await login.isChecked() ) ) {
		await login.check();
	}
	const user = field( page, t.user );
	if ( await user.isEnabled() ) {
		await user.fill( 'test' );
		await field( page, t.password ).fill( 'secret' );
	} else {
		await expect( user ).toHaveValue( 'test' );
		await expect(
			page.getByText( `SMTP_PORT_HELPER_USER ${ t.locked }` )
		).toBeVisible();
	}
	await shot( '3-applied' );

	await page.getByRole( 'button', { name: t.save } ).click();
	await expect( page.locator( '.components-snackbar' ) ).toContainText(
		t.saved
	);
	await shot( '4-saved' );

	const started = Date.now();
	const recipient = `guided-${ lang }-${ started }@example.com`;
	await field( page, t.sendTo ).fill( recipient );
	await page.getByRole( 'button', { name: t.send } ).click();
	await expect(
		page.locator(
			'.smtp-port-helper__test-email .components-notice:not(.smtp-port-helper__domain-check *)'
		)
	).toContainText( t.accepted, { timeout: 30_000 } );
	await expectNoAxeViolations( page );
	await shot( '5-sent' );

	await expect
		.poll( () => findMail( recipient, started - 1000 ).length, {
			timeout: 15_000,
		} )
		.toBe( 1 );
	const [ mail ] = findMail( recipient, started - 1000 );
	expect( mail.envelope.port ).toBe( 587 );
	expect( mail.envelope.tls ).toBe( true );
	expect( mail.envelope.user ).toBe( 'test' );
	expect( mail.envelope.rcptTo ).toEqual( [ recipient ] );
}

test.describe( 'guided settings flow', () => {
	test.describe.configure( { mode: 'serial' } );
	test.skip( ! isRoot, 'needs the real SMTP port numbers (run as root)' );

	test.beforeAll( async ( { requestUtils } ) => {
		// Port 25 closed, 465/587/2525 open.
		setSmtpPorts( '465,587,2525' );
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			// A site owner who has not set a login yet: the saved password only ever goes to its
			// own host, so a test of another host would (rightly) ask for the password first.
			data: {
				host: 'smtp.example.com',
				port: 2525,
				auth: false,
				username: '',
			},
		} );
	} );

	test.afterAll( async ( { requestUtils } ) => {
		setSmtpPorts();
		// Leave no saved login behind for the other suites.
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			data: { auth: false, username: '', clear_password: true },
		} );
	} );

	test( 'from a custom host to a delivered test email', async ( {
		admin,
		page,
	} ) => {
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		await runFlow( page, TEXT.en, 'en' );
	} );

	test( 'by keyboard alone', async ( { admin, page, requestUtils } ) => {
		await requestUtils.rest( {
			path: SETTINGS,
			method: 'POST',
			// A site owner who has not set a login yet: the saved password only ever goes to its
			// own host, so a test of another host would (rightly) ask for the password first.
			data: {
				host: 'smtp.example.com',
				port: 2525,
				auth: false,
				username: '',
			},
		} );
		await admin.visitAdminPage(
			'options-general.php',
			'page=smtp-port-helper'
		);
		const t = TEXT.en;
		const host = field( page, t.host );
		await host.focus();
		await page.keyboard.press( 'ControlOrMeta+a' );
		await page.keyboard.type( '127.0.0.1' );

		const tabTo = async ( target: ReturnType< Page[ 'locator' ] > ) => {
			for ( let i = 0; i < 80; i++ ) {
				await page.keyboard.press( 'Tab' );
				if (
					await target.evaluate(
						( element ) =>
							element === element.ownerDocument.activeElement
					)
				) {
					return;
				}
			}
			throw new Error( 'not reached by Tab' );
		};

		await tabTo( page.getByRole( 'button', { name: t.testPorts } ) );
		await page.keyboard.press( 'Enter' );
		const apply = page.getByRole( 'button', { name: t.use587 } );
		await expect( apply ).toBeVisible( { timeout: 30_000 } );
		await tabTo( apply );
		await page.keyboard.press( 'Enter' );
		await expect( field( page, t.port ) ).toHaveValue( '587' );

		// The help opens with the keyboard too.
		const help = page.locator( '.smtp-port-helper__help summary' );
		await tabTo( help );
		await page.keyboard.press( 'Enter' );
		await expect(
			page.locator( '.smtp-port-helper__help' )
		).toHaveAttribute( 'open', '' );

		await tabTo( page.getByRole( 'button', { name: t.save } ) );
		await page.keyboard.press( 'Enter' );
		await expect( page.locator( '.components-snackbar' ) ).toContainText(
			t.saved
		);
		await page.screenshot( {
			path: screenshotPath( 'guided-keyboard' ),
			fullPage: true,
		} );
	} );

	test.describe( 'in German', () => {
		let backToEnglish: () => Promise< void > = async () => {};

		test.beforeAll( async ( { requestUtils } ) => {
			backToEnglish = await switchUserToGerman( requestUtils );
			await requestUtils.rest( {
				path: SETTINGS,
				method: 'POST',
				// A site owner who has not set a login yet: the saved password only ever goes to its
				// own host, so a test of another host would (rightly) ask for the password first.
				data: {
					host: 'smtp.example.com',
					port: 2525,
					auth: false,
					username: '',
				},
			} );
		} );

		test.afterAll( async () => {
			await backToEnglish();
		} );

		test( 'the same flow, translated', async ( { admin, page } ) => {
			await admin.visitAdminPage(
				'options-general.php',
				'page=smtp-port-helper'
			);
			await expect(
				page.getByRole( 'heading', { name: '1. Ihr E-Mail-Anbieter' } )
			).toBeVisible();
			await runFlow( page, TEXT.de, 'de' );
		} );
	} );
} );
