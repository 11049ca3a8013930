/**
 * Helpers shared by the browser specs: the stack's SMTP mailbox and servers, axe-core, screenshot paths.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import type { RequestUtils } from '@wordpress/e2e-test-utils-playwright';
import { expect } from '@wordpress/e2e-test-utils-playwright';
import { execSync } from 'child_process';
import fs from 'fs';
import path from 'path';

const root = path.join( __dirname, '../..' );
/** The stack's run folder: the browser lane's stack has one of its own (env/test-all.sh). */
export const runDir = process.env.RUN ?? path.join( root, '.run' );

export const mailDir =
	process.env.SMTP_MAIL_DIR ?? path.join( root, '.run/smtp/mails' );

export const screenshotDir = path.join(
	process.env.WP_ARTIFACTS_PATH ?? path.join( root, 'artifacts' ),
	'screenshots'
);

/** The stack's SMTP ports in the order 25, 465, 587, 2525 (high numbers without root). */
export const smtpPorts = ( process.env.SMTP_PORTS ?? '25,465,587,2525' )
	.split( ',' )
	.map( Number );

export interface ReceivedMail {
	envelope: {
		port: number;
		mailFrom: string | null;
		rcptTo: string[];
		user: string | null;
		tls: boolean;
	};
	raw: string;
}

/**
 * Every message the SMTP test servers stored (since a time, in ms) whose raw text contains the needle.
 * @param needle
 * @param since
 */
export function findMail( needle: string, since = 0 ): ReceivedMail[] {
	if ( ! fs.existsSync( mailDir ) ) {
		return [];
	}
	return fs
		.readdirSync( mailDir )
		.filter( ( name ) => name.endsWith( '.eml' ) )
		.map( ( name ) => path.join( mailDir, name ) )
		.filter( ( file ) => fs.statSync( file ).mtimeMs >= since )
		.map( ( file ) => fs.readFileSync( file, 'utf8' ) )
		.filter( ( raw ) => raw.includes( needle ) )
		.map( ( raw ) => {
			const first = raw.slice( 0, raw.indexOf( '\r\n' ) );
			return {
				envelope: JSON.parse(
					first.replace( /^X-Test-Envelope: /, '' )
				),
				raw,
			};
		} );
}

export function screenshotPath( name: string ): string {
	fs.mkdirSync( screenshotDir, { recursive: true } );
	return path.join( screenshotDir, `${ name }.png` );
}

/**
 * Sets the ports the stack's SMTP test servers listen on (e.g. without 25: a closed port), or back
 * to the stack's own. The running servers switch at a signal (env/smtp/servers.js, SIGUSR2) and
 * confirm in a file: a closed port refuses at once, an opened one listens before this returns —
 * milliseconds where a restart took a Node start (seconds on a busy machine). Falls back to the
 * restart when the servers are not running.
 * @param ports Comma-separated ports, or the stack's own.
 */
export function setSmtpPorts( ports?: string ) {
	const wanted = ports ?? ''; // Empty: the ports the servers started with.
	const control =
		process.env.SMTP_PORTS_FILE ?? path.join( mailDir, '../open-ports' );
	let pid = 0;
	try {
		pid = Number(
			fs.readFileSync( path.join( runDir, 'pids/smtp.pid' ), 'utf8' )
		);
		process.kill( pid, 0 );
	} catch {
		pid = 0;
	}
	if ( pid > 0 ) {
		fs.rmSync( control + '.done', { force: true } );
		fs.writeFileSync( control, wanted );
		process.kill( pid, 'SIGUSR2' );
		// A hang guard, not a wait: the servers answer within milliseconds.
		const until = Date.now() + 10_000;
		while ( Date.now() < until ) {
			if (
				fs.existsSync( control + '.done' ) &&
				fs.readFileSync( control + '.done', 'utf8' ) === wanted
			) {
				return;
			}
			Atomics.wait(
				new Int32Array( new SharedArrayBuffer( 4 ) ),
				0,
				0,
				10
			);
		}
	}
	const env = { ...process.env };
	if ( ports ) {
		env.SMTP_PORTS = ports;
	}
	execSync( 'bash env/stack.sh smtp-restart', {
		cwd: root,
		env,
		stdio: 'inherit',
	} );
}

/**
 * axe-core over the screen (or only the part given) except two pieces of WordPress core markup
 * this page does not control: the admin bar, whose menu items carry a role axe rejects
 * (aria-allowed-role), and the hidden intro text that @wordpress/a11y appends to <body> outside any
 * landmark (region).
 * @param page
 * @param include A selector to check alone, e.g. the page's root.
 */
export async function expectNoAxeViolations( page: Page, include?: string ) {
	// axe.run() in the page (legacy mode) instead of axe.runPartial() in each frame and finishRun()
	// in a blank page opened for it, into which axe-core's 500 KB are injected again: the same rules
	// over the same DOM (these screens have no cross-origin frame, the one thing only the other mode
	// reaches) for about a second less per check.
	let builder = new AxeBuilder( { page } )
		.setLegacyMode()
		.exclude( '#wpadminbar' )
		.exclude( '#a11y-speak-intro-text' );
	if ( include ) {
		builder = builder.include( include );
	}
	const results = await builder.analyze();
	expect(
		results.violations.map(
			( violation ) =>
				`${ violation.id }: ${ violation.nodes
					.map( ( node ) => node.target.join( ' ' ) )
					.join( ', ' ) }`
		)
	).toEqual( [] );
}

/**
 * Lists German among the installed languages and returns the way back. WordPress accepts a locale
 * only when a core .mo for it exists, so an empty catalogue is written when there is none (and
 * removed again by the way back).
 */
function installGermanCore(): () => void {
	const langDir = path.join( runDir, 'wp/wp-content/languages' );
	const coreMo = path.join( langDir, 'de_DE.mo' );
	if ( fs.existsSync( coreMo ) ) {
		return () => {};
	}
	fs.mkdirSync( langDir, { recursive: true } );
	// An empty catalogue (magic, revision 0, no strings): enough to list de_DE.
	const empty = Buffer.alloc( 28 );
	empty.writeUInt32LE( 0x950412de, 0 );
	empty.writeUInt32LE( 28, 12 );
	empty.writeUInt32LE( 28, 16 );
	fs.writeFileSync( coreMo, empty );
	return () => fs.rmSync( coreMo );
}

/**
 * Switches the logged-in user to German and returns the way back.
 * @param requestUtils The spec's REST helper (logged in as the user to switch).
 */
export async function switchUserToGerman(
	requestUtils: RequestUtils
): Promise< () => Promise< void > > {
	const uninstall = installGermanCore();
	await requestUtils.rest( {
		path: '/wp/v2/users/me',
		method: 'POST',
		data: { locale: 'de_DE' },
	} );
	return async () => {
		await requestUtils.rest( {
			path: '/wp/v2/users/me',
			method: 'POST',
			data: { locale: '' },
		} );
		uninstall();
	};
}

/**
 * Switches the site's language (Settings → General) to German and returns the way back; a user
 * without a language of their own, like the administrator, then sees the admin in German too.
 * @param requestUtils The spec's REST helper (an administrator).
 */
export async function switchSiteToGerman(
	requestUtils: RequestUtils
): Promise< () => Promise< void > > {
	const uninstall = installGermanCore();
	await requestUtils.rest( {
		path: '/wp/v2/settings',
		method: 'POST',
		data: { language: 'de_DE' },
	} );
	return async () => {
		await requestUtils.rest( {
			path: '/wp/v2/settings',
			method: 'POST',
			// '' is English: WordPress does not list en_US among the installed languages.
			data: { language: '' },
		} );
		uninstall();
	};
}
