/**
 * The owner's texts, read in the browser in English and in German (the administrator's locale
 * switched over REST, as the other specs do): mail held because the SMTP server refused the login,
 * the daily self-check's switch to another port, and mail held because the provider refused the
 * mailbox's sign-in — one notice for that cause, not a second one about the login (issue #22).
 * The states are written by tests/e2e/support/notice-states.php and put back after the spec.
 */
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../support/test';
import type { RequestUtils } from '@wordpress/e2e-test-utils-playwright';

import { smtpPorts, switchUserToGerman } from '../helpers';

const root = path.join( __dirname, '../../..' );
const SUBMISSION = smtpPorts[ 2 ];
const gettextParser = require( 'gettext-parser' );
const catalogue = gettextParser.po.parse(
	fs.readFileSync( path.join( root, 'languages/smtp-port-helper-de_DE.po' ) )
);

/**
 * A text as the page shows it in a language: the German from the shipped catalogue, its
 * placeholders (%s, %1$s, %2$d …) standing for any words.
 * @param msgid The English text (a format string).
 * @param lang  en or de.
 */
function shown( msgid: string, lang: 'en' | 'de' ): RegExp {
	const text =
		lang === 'en'
			? msgid
			: ( catalogue.translations[ '' ][ msgid ]?.msgstr[ 0 ] ?? '' );
	expect( text, `German for "${ msgid }"` ).not.toBe( '' );
	const pattern = text
		.split( /%(?:\d+\$)?[sd]/ )
		.map( ( part: string ) =>
			part.replace( /[.*+?^${}()|[\]\\]/g, '\\$&' )
		)
		.join( '.+?' );
	return new RegExp( pattern );
}

const HELD_BY_LOGIN = 'Email is held: the SMTP server refused the login';
const SWITCHED =
	'SMTP Port Helper: on %1$s the daily self-check found that port %2$d no longer works and port %3$d does, and switched the settings to port %3$d before any mail failed.';
const HELD_BY_SIGN_IN =
	'SMTP Port Helper: mail is held in the outbox because the OAuth 2.0 sign-in of the mailbox stopped working. %s';

function setState( state: string ) {
	execFileSync(
		'php',
		[ path.join( root, 'tests/e2e/support/notice-states.php' ), state ],
		{ cwd: root, stdio: 'pipe' }
	);
}

/**
 * Writes a state, opens the dashboard as the administrator in a language and checks its notices;
 * the language and the state are put back whatever the check found.
 * @param state        The state of tests/e2e/support/notice-states.php.
 * @param lang         en or de.
 * @param page         The page.
 * @param requestUtils The REST utilities (the locale switch).
 * @param check        Checks the dashboard's notices.
 */
async function checkNotices(
	state: string,
	lang: 'en' | 'de',
	page: Page,
	requestUtils: RequestUtils,
	check: ( shownNotices: Locator ) => Promise< void >
) {
	setState( state );
	const back =
		lang === 'de' ? await switchUserToGerman( requestUtils ) : null;
	try {
		await page.goto( '/wp-admin/index.php' );
		await check( page.locator( '#wpbody-content .notice' ) );
	} finally {
		await back?.();
		setState( 'restore' );
	}
}

test.describe( "the owner's notices in English and German", () => {
	test.describe.configure( { mode: 'serial' } );

	test.afterAll( () => {
		setState( 'restore' );
	} );

	for ( const lang of [ 'en', 'de' ] as const ) {
		test( `held mail and the self-check's switch (${ lang })`, async ( {
			page,
			requestUtils,
		} ) => {
			await checkNotices(
				'password-held',
				lang,
				page,
				requestUtils,
				async ( shownNotices ) => {
					await expect(
						shownNotices.filter( {
							hasText: shown( HELD_BY_LOGIN, lang ),
						} )
					).toHaveCount( 1 );
					const switched = shownNotices.filter( {
						hasText: shown( SWITCHED, lang ),
					} );
					await expect( switched ).toHaveCount( 1 );
					await expect( switched ).toContainText( `${ SUBMISSION }` );
				}
			);
		} );

		test( `a refused sign-in is one notice (${ lang })`, async ( {
			page,
			requestUtils,
		} ) => {
			await checkNotices(
				'oauth-refused',
				lang,
				page,
				requestUtils,
				async ( shownNotices ) => {
					await expect(
						shownNotices.filter( {
							hasText: shown( HELD_BY_SIGN_IN, lang ),
						} )
					).toHaveCount( 1 );
					await expect(
						shownNotices.filter( {
							hasText: shown( HELD_BY_LOGIN, lang ),
						} ),
						'no second notice about the login'
					).toHaveCount( 0 );
				}
			);
		} );
	}
} );
