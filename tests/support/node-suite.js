/**
 * Shared by the Node script suites (demo smoke test, load and faults, package) and the browser
 * benchmarks: named checks with a time limit, their JUnit report for the test command's summary,
 * Debian's Chromium, and a few loopback helpers.
 */
const fs = require( 'fs' );
const net = require( 'net' );
const path = require( 'path' );

const root = path.join( __dirname, '../..' );
const artifacts = process.env.ARTIFACTS || path.join( root, 'artifacts' );

/** Flags for Chromium on a machine without network (and as root). */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * How to start Debian's Chromium (never a downloaded browser): for the Node suites and Playwright's config.
 *
 * @return {{executablePath: string, args: string[]}} Launch options.
 */
function chromiumLaunchOptions() {
	return {
		executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
		args: CHROMIUM_ARGS,
	};
}

/**
 * Debian's Chromium through Playwright.
 *
 * @return {Promise<import('@playwright/test').Browser>} The browser.
 */
function launchChromium() {
	const { chromium } = require( '@playwright/test' );
	return chromium.launch( chromiumLaunchOptions() );
}

/**
 * Logs a page in through wp-login.php.
 *
 * @param {import('@playwright/test').Page} page     The page.
 * @param {string}                          url      Site URL.
 * @param {string}                          login    User name.
 * @param {string}                          password Password.
 */
async function logInPage( page, url, login = 'admin', password = 'password' ) {
	await page.goto( `${ url }/wp-login.php` );
	await page.fill( '#user_login', login );
	await page.fill( '#user_pass', password );
	await Promise.all( [
		page.waitForNavigation(),
		page.click( '#wp-submit' ),
	] );
}

/**
 * Whether something accepts connections on a loopback port (settles within 2 s either way).
 *
 * @param {number} port Port.
 * @return {Promise<boolean>} Open or not.
 */
function portOpen( port ) {
	return new Promise( ( resolve ) => {
		const socket = net.connect( { host: '127.0.0.1', port } );
		socket.setTimeout( 2000 );
		const done = ( open ) => {
			socket.destroy();
			resolve( open );
		};
		socket.once( 'connect', () => done( true ) );
		socket.once( 'timeout', () => done( false ) );
		socket.once( 'error', () => done( false ) );
	} );
}

/**
 * @param {*}      condition Must be truthy.
 * @param {string} message   Failure message.
 */
function assert( condition, message ) {
	if ( ! condition ) {
		throw new Error( message );
	}
}

/**
 * Logs in through wp-login.php and asks WordPress for a REST nonce, like the admin page does.
 *
 * @param {string} url      Site URL.
 * @param {string} login    User name.
 * @param {string} password Password.
 * @return {Promise<Object>} Cookie and X-WP-Nonce headers.
 */
async function logInRest( url, login = 'admin', password = 'password' ) {
	const response = await fetch( `${ url }/wp-login.php`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			'Content-Type': 'application/x-www-form-urlencoded',
			Cookie: 'wordpress_test_cookie=WP%20Cookie%20check',
		},
		body: new URLSearchParams( {
			log: login,
			pwd: password,
			testcookie: '1',
		} ),
	} );
	const cookie = response.headers
		.getSetCookie()
		.map( ( c ) => c.split( ';' )[ 0 ] )
		.join( '; ' );
	assert( cookie.includes( 'wordpress_logged_in' ), 'login failed' );
	const nonce = await (
		await fetch( `${ url }/wp-admin/admin-ajax.php?action=rest-nonce`, {
			headers: { Cookie: cookie },
		} )
	).text();
	assert(
		/^[0-9a-f]{10}$/.test( nonce ),
		`no REST nonce: ${ nonce.slice( 0, 80 ) }`
	);
	return { Cookie: cookie, 'X-WP-Nonce': nonce };
}

/**
 * A suite of named checks that writes artifacts/junit/<name>.xml.
 *
 * @param {string} name           Suite (and report) name.
 * @param {number} checkTimeoutMs Time limit of each check.
 * @return {{check: Function, skip: Function, finish: Function}} The suite.
 */
function createSuite( name, checkTimeoutMs = 120_000 ) {
	const results = [];
	return {
		/**
		 * Runs one check; a thrown error or the time limit fails it.
		 *
		 * @param {string}   title Check name.
		 * @param {Function} fn    Async body.
		 * @return {Promise<boolean>} Passed.
		 */
		async check( title, fn ) {
			const started = Date.now();
			let timer;
			try {
				await Promise.race( [
					fn(),
					new Promise( ( _, reject ) => {
						timer = setTimeout(
							() =>
								reject(
									new Error(
										`timed out after ${ checkTimeoutMs / 1000 } s`
									)
								),
							checkTimeoutMs
						);
					} ),
				] );
				results.push( { title, ms: Date.now() - started } );
				console.log( `  ✓ ${ title } (${ Date.now() - started } ms)` );
				return true;
			} catch ( error ) {
				results.push( {
					title,
					ms: Date.now() - started,
					error: String( error && error.stack ? error.stack : error ),
				} );
				console.log(
					`  ✘ ${ title }\n    ${ error && error.message ? error.message : error }`
				);
				return false;
			} finally {
				clearTimeout( timer );
			}
		},
		/**
		 * Records a failure outside any check (e.g. the whole suite was aborted).
		 *
		 * @param {string} title Check name.
		 * @param {string} why   Reason.
		 */
		fail( title, why ) {
			results.push( { title, ms: 0, error: why } );
			console.log( `  ✘ ${ title }\n    ${ why }` );
		},
		/**
		 * Records a check that could not run.
		 *
		 * @param {string} title Check name.
		 * @param {string} why   Reason.
		 */
		skip( title, why ) {
			results.push( { title, ms: 0, skipped: why } );
			console.log( `  - ${ title } (skipped: ${ why })` );
		},
		/**
		 * Writes the JUnit report.
		 *
		 * @return {number} Number of failed checks.
		 */
		finish() {
			const esc = ( s ) =>
				String( s ).replace(
					/[<>&"]/g,
					( c ) =>
						( {
							'<': '&lt;',
							'>': '&gt;',
							'&': '&amp;',
							'"': '&quot;',
						} )[ c ]
				);
			const failures = results.filter( ( r ) => r.error ).length;
			const cases = results
				.map(
					( r ) =>
						`  <testcase classname="${ name }" name="${ esc( r.title ) }" time="${ r.ms / 1000 }">` +
						( r.error
							? `<failure message="failed">${ esc( r.error ) }</failure>`
							: '' ) +
						( r.skipped
							? `<skipped message="${ esc( r.skipped ) }"/>`
							: '' ) +
						'</testcase>'
				)
				.join( '\n' );
			fs.mkdirSync( path.join( artifacts, 'junit' ), {
				recursive: true,
			} );
			fs.writeFileSync(
				path.join( artifacts, `junit/${ name }.xml` ),
				`<?xml version="1.0"?>\n<testsuite name="${ name }" tests="${ results.length }" failures="${ failures }">\n${ cases }\n</testsuite>\n`
			);
			return failures;
		},
	};
}

module.exports = {
	assert,
	chromiumLaunchOptions,
	createSuite,
	launchChromium,
	logInPage,
	logInRest,
	portOpen,
	sleep,
	root,
	artifacts,
};
