/**
 * Smoke test of the README's first command, as a newcomer uses it: `npm run demo` comes up, the
 * printed admin logs in, and on the settings page (host and test login already filled in) "Test
 * ports" recommends a port, one click applies it, it is saved and a test email arrives at the demo's
 * SMTP server; a visitor's password reset goes out through that port; while the saved port is
 * closed, mail waits in the Outbox view and "Retry now" delivers it; Ctrl-C stops everything.
 * In WordPress Playground (SQLite) and on the native stack (MariaDB).
 *
 * Usage: node tests/smoke/demo-smoke.js [--playground|--native] [--runs=N]
 * Writes a JUnit report so the test command counts it.
 */
const { spawn } = require( 'child_process' );
const fs = require( 'fs' );
const net = require( 'net' );
const path = require( 'path' );
const {
	artifacts,
	createSuite,
	launchChromium,
	portOpen,
	root,
	sleep,
} = require( '../support/node-suite' );

const smtpPorts = ( process.env.SMTP_PORTS || '25,465,587,2525' )
	.split( ',' )
	.map( Number );
const runDir = process.env.RUN || path.join( root, '.run' );
const mailDir = process.env.SMTP_MAIL_DIR || path.join( runDir, 'smtp/mails' );
const modeArgument = process.argv.find( ( a ) =>
	[ '--playground', '--native' ].includes( a )
);
const modes = modeArgument
	? [ modeArgument.slice( 2 ) ]
	: [ 'playground', 'native' ];
const runs = Number(
	( process.argv.find( ( a ) => a.startsWith( '--runs=' ) ) || '=1' ).split(
		'='
	)[ 1 ]
);

/*
 * Playground's first requests compile WordPress in PHP-wasm: on 2 busy cores a first page can take
 * a minute. These limits are for that; a start slower still is reported as a slow start.
 */
const START_LIMIT = 240_000;
const FIRST_PAGE_LIMIT = 180_000;
const STEP_LIMIT = 60_000;

const deadline = ( ms ) => Date.now() + ms;

/**
 * The mail files the demo's SMTP servers have written so far.
 *
 * @return {Set<string>} File names.
 */
function mailFiles() {
	return new Set(
		fs.existsSync( mailDir )
			? fs.readdirSync( mailDir ).filter( ( f ) => f.endsWith( '.eml' ) )
			: []
	);
}

/**
 * The mails received after a snapshot of mailFiles() that contain a text, with their envelope.
 * (A snapshot, not a time: two steps a few milliseconds apart stay apart.)
 *
 * @param {string}      needle Text in the message.
 * @param {Set<string>} before mailFiles() before the step.
 * @return {Array<{envelope: Object, raw: string}>} Mails.
 */
function mailsWith( needle, before ) {
	return [ ...mailFiles() ]
		.filter( ( f ) => ! before.has( f ) )
		.map( ( f ) => fs.readFileSync( path.join( mailDir, f ), 'utf8' ) )
		.filter( ( raw ) => raw.includes( needle ) )
		.map( ( raw ) => ( {
			envelope: JSON.parse(
				raw
					.slice( 0, raw.indexOf( '\r\n' ) )
					.replace( /^X-Test-Envelope: /, '' )
			),
			raw,
		} ) );
}

/**
 * Waits until exactly one mail with the text has arrived.
 *
 * @param {string}      needle Text in the message.
 * @param {Set<string>} before mailFiles() before the step.
 * @return {Promise<{envelope: Object, raw: string}>} The mail.
 */
async function oneMailWith( needle, before ) {
	for ( const until = deadline( 30_000 ); ; ) {
		const found = mailsWith( needle, before );
		if ( found.length > 1 ) {
			throw new Error( `${ found.length } mails with "${ needle }"` );
		}
		if ( found.length === 1 ) {
			return found[ 0 ];
		}
		if ( Date.now() > until ) {
			throw new Error( `no mail with "${ needle }" arrived` );
		}
		await sleep( 250 );
	}
}

/**
 * A loopback port nothing listens on.
 *
 * @return {Promise<number>} Port.
 */
function closedPort() {
	return new Promise( ( resolve ) => {
		const server = net.createServer();
		server.listen( 0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close( () => resolve( port ) );
		} );
	} );
}

/**
 * Starts `bash env/demo.sh` in its own process group.
 *
 * @param {string} mode playground or native.
 * @return {Object} The process, its output so far and its exit code.
 */
function startDemo( mode ) {
	const args = [ path.join( root, 'env/demo.sh' ) ];
	if ( mode === 'native' ) {
		args.push( '--native' );
	}
	const demo = {
		output: '',
		exitCode: null,
		// The OAuth test servers are not part of the demo's main job.
		process: spawn( 'bash', args, {
			cwd: root,
			detached: true,
			env: { ...process.env, OAUTH_STACK: '0' },
		} ),
	};
	demo.process.stdout.on( 'data', ( d ) => ( demo.output += d ) );
	demo.process.stderr.on( 'data', ( d ) => ( demo.output += d ) );
	demo.process.on(
		'exit',
		( code, signal ) => ( demo.exitCode = code ?? signal )
	);
	return demo;
}

/**
 * The flow of one demo, each step a check.
 *
 * @param {Object} suite The suite.
 * @param {string} mode  playground or native.
 * @param {string} label Prefix of the check names.
 */
async function runDemo( suite, mode, label ) {
	const check = ( title, fn ) => suite.check( `${ label }${ title }`, fn );
	const demo = startDemo( mode );
	const ports =
		mode === 'native'
			? [ 8889, 3307, ...smtpPorts ]
			: [ Number( process.env.PLAYGROUND_PORT || 9400 ), ...smtpPorts ];

	let url = null;
	await check(
		'the demo comes up and prints the URL, the login and what to click',
		async () => {
			const until = deadline( START_LIMIT );
			while ( ! /demo ready: (\S+)/.test( demo.output ) ) {
				if ( demo.exitCode !== null ) {
					throw new Error(
						`demo exited (${ demo.exitCode }):\n${ demo.output }`
					);
				}
				if ( Date.now() > until ) {
					throw new Error(
						`slow start: no "demo ready" within ${
							START_LIMIT / 1000
						} s:\n${ demo.output }`
					);
				}
				await sleep( 200 );
			}
			url = demo.output.match( /demo ready: (\S+)/ )[ 1 ];
			for ( const text of [
				'options-general.php?page=smtp-port-helper',
				'admin / password',
				'Click "Test ports"',
			] ) {
				if ( ! demo.output.includes( text ) ) {
					throw new Error( `"${ text }" missing from the output` );
				}
			}
		}
	);

	if ( url ) {
		const browser = await launchChromium();
		try {
			await mainJob( check, browser, url, mode );
		} finally {
			await Promise.race( [ browser.close(), sleep( 10_000 ) ] );
		}
	}

	await check( 'Ctrl-C stops the demo and frees every port', async () => {
		if ( demo.exitCode === null ) {
			process.kill( -demo.process.pid, 'SIGINT' );
		}
		const until = deadline( 60_000 );
		while ( demo.exitCode === null ) {
			if ( Date.now() > until ) {
				process.kill( -demo.process.pid, 'SIGKILL' );
				throw new Error(
					'the demo did not stop within 60 s of Ctrl-C'
				);
			}
			await sleep( 200 );
		}
		for ( const port of ports ) {
			// The demo's cleanup waits for its processes, so ports are closed once it has exited.
			if ( await portOpen( port ) ) {
				throw new Error(
					`port ${ port } is still open after the demo stopped`
				);
			}
		}
		const pids = path.join( runDir, 'pids' );
		const left = fs.existsSync( pids )
			? fs
					.readdirSync( pids )
					.filter( ( f ) =>
						( mode === 'native'
							? /^(smtp|mariadb|apache|web)\.pid$/
							: /^(playground|smtp)\.pid$/
						).test( f )
					)
			: [];
		if ( left.length ) {
			throw new Error( `pid files left: ${ left.join( ', ' ) }` );
		}
	} );
}

/**
 * Logs in, tests the ports, applies and saves the recommendation, sends a test email, has a
 * visitor reset a password, and lets mail wait for a closed port.
 *
 * @param {Function} runCheck Runs a named check.
 * @param {Object}   browser  Chromium.
 * @param {string}   url      The demo's URL.
 * @param {string}   mode     playground or native.
 */
async function mainJob( runCheck, browser, url, mode ) {
	const page = await browser.newPage( {
		viewport: { width: 1280, height: 900 },
	} );
	page.setDefaultTimeout( STEP_LIMIT );
	const settingsUrl = `${ url }/wp-admin/options-general.php?page=smtp-port-helper`;
	const shot = ( name ) => {
		fs.mkdirSync( path.join( artifacts, 'screenshots' ), {
			recursive: true,
		} );
		return page.screenshot( {
			path: path.join(
				artifacts,
				`screenshots/demo-${ mode }-${ name }.png`
			),
			fullPage: true,
		} );
	};
	let step = 0;
	// A failed step leaves a screenshot of the page as it was.
	const check = ( title, fn ) =>
		runCheck( title, async () => {
			step++;
			try {
				await fn();
			} catch ( error ) {
				await shot( `failed-step-${ step }` ).catch( () => {} );
				throw error;
			}
		} );
	const host = page.getByRole( 'textbox', { name: 'Host', exact: true } );
	let loggedIn = false;
	let savedPort = 0;

	await check(
		'the printed admin logs in and the page opens with the demo servers filled in',
		async () => {
			const started = Date.now();
			try {
				// Waits for the page's own markup, not for a navigation event that a slow first
				// request can outlast.
				await page.goto( `${ url }/wp-login.php`, {
					timeout: FIRST_PAGE_LIMIT,
				} );
				await page.fill( '#user_login', 'admin' );
				await page.fill( '#user_pass', 'password' );
				await page.click( '#wp-submit' );
				await page
					.locator( '#wpadminbar' )
					.waitFor( { timeout: FIRST_PAGE_LIMIT } );
			} catch ( error ) {
				throw new Error(
					`slow start: WordPress did not serve the logged-in admin within ${
						( Date.now() - started ) / 1000
					} s (before any request reached the plugin's page): ${
						error.message
					}`
				);
			}
			loggedIn = true;
			await page.goto( settingsUrl, { timeout: FIRST_PAGE_LIMIT } );
			await host.waitFor( { timeout: FIRST_PAGE_LIMIT } );
			if ( ( await host.inputValue() ) !== '127.0.0.1' ) {
				throw new Error(
					`the host is "${ await host.inputValue() }", not the demo's servers`
				);
			}
			await shot( '1-start' );
		}
	);
	if ( ! loggedIn ) {
		return;
	}
	const portField = page.getByRole( 'textbox', {
		name: 'Port',
		exact: true,
	} );

	await check(
		'Test ports recommends a port that works, and one click applies it',
		async () => {
			await page.getByRole( 'button', { name: 'Test ports' } ).click();
			const apply = page.getByRole( 'button', {
				name: /^Use port \d+ with /,
			} );
			await apply.waitFor();
			await page
				.locator( '.smtp-port-helper__port.is-recommended' )
				.waitFor();
			savedPort = Number(
				( await apply.textContent() ).match( /Use port (\d+)/ )[ 1 ]
			);
			if ( ! smtpPorts.includes( savedPort ) || savedPort === 25 ) {
				throw new Error(
					`recommended ${ savedPort }, not a submission port of the demo`
				);
			}
			await shot( '2-tested' );
			await apply.click();
			if ( Number( await portField.inputValue() ) !== savedPort ) {
				throw new Error( 'the port field did not take the port' );
			}
		}
	);

	await check(
		'the recommendation is saved and a test email reaches the demo SMTP server',
		async () => {
			await page.getByRole( 'button', { name: 'Save settings' } ).click();
			// As root the recommendation is 587, the port a new install starts with: nothing to save.
			await page
				.locator( '.components-snackbar', {
					hasText: /Settings saved\.|No changes to save\./,
				} )
				.waitFor();
			const saved = await page.evaluate( () =>
				window.wp.apiFetch( {
					path: '/smtp-port-helper/v1/settings',
				} )
			);
			if ( saved.port !== savedPort || saved.host !== '127.0.0.1' ) {
				throw new Error(
					`saved ${ saved.host }:${ saved.port }, not 127.0.0.1:${ savedPort }`
				);
			}
			const before = mailFiles();
			const recipient = `demo-${ mode }-${ Date.now() }@example.com`;
			await page
				.getByRole( 'textbox', { name: 'Send to', exact: true } )
				.fill( recipient );
			await page
				.getByRole( 'button', { name: 'Send test email' } )
				.click();
			await page
				.locator( '.smtp-port-helper__test-email .components-notice', {
					hasText: 'was accepted by',
				} )
				.waitFor();
			await shot( '3-sent' );
			const mail = await oneMailWith( recipient, before );
			if (
				mail.envelope.port !== savedPort ||
				mail.envelope.tls !== true ||
				mail.envelope.user !== ( process.env.SMTP_USER || 'test' )
			) {
				throw new Error(
					`arrived as ${ JSON.stringify(
						mail.envelope
					) }, not over TLS with the login on ${ savedPort }`
				);
			}
		}
	);

	const askForReset = async () => {
		const visitor = await browser.newPage();
		try {
			await visitor.goto( `${ url }/wp-login.php?action=lostpassword` );
			await visitor.fill( '#user_login', 'admin' );
			await visitor.click( '#wp-submit' );
			await visitor
				.locator( '#login .message, #login .notice' )
				.first()
				.waitFor();
		} finally {
			await visitor.close();
		}
	};

	await check(
		"a visitor's password reset goes out through the saved port",
		async () => {
			const before = mailFiles();
			await askForReset();
			const mail = await oneMailWith(
				'requested a password reset',
				before
			);
			if (
				mail.envelope.port !== savedPort ||
				mail.envelope.tls !== true
			) {
				throw new Error(
					`arrived as ${ JSON.stringify( mail.envelope ) }`
				);
			}
		}
	);

	await check(
		'while the saved port is closed mail waits in the Outbox view; Retry now delivers it',
		async () => {
			const closed = await closedPort();
			// The page's own REST client (its nonce): a port nothing listens on, no fallback.
			const save = ( data ) =>
				page.evaluate(
					( body ) =>
						window.wp.apiFetch( {
							path: '/smtp-port-helper/v1/settings',
							method: 'POST',
							data: body,
						} ),
					data
				);
			await save( { port: closed, fallback: false } );
			const before = mailFiles();
			await askForReset();
			// The page lists waiting mail when it loads (a new hash alone would not reload it).
			await page.reload();
			const row = page
				.locator( 'tr', { hasText: 'Password Reset' } )
				.first();
			await row.waitFor();
			if (
				! /No connection|known to be down/.test( await row.innerText() )
			) {
				throw new Error(
					`the waiting message says: ${ await row.innerText() }`
				);
			}
			await shot( '4-outbox' );
			await save( { port: savedPort } );
			// Saving may already have made it due for WP-Cron (Playground runs it): then it is gone.
			const retry = row.getByRole( 'button', { name: 'Retry now' } );
			if ( await retry.isVisible() ) {
				await retry.click();
				await Promise.race( [
					page
						.locator( '.components-snackbar', {
							hasText: /Delivered: “.*Password Reset”/,
						} )
						.waitFor(),
					row.waitFor( { state: 'detached' } ),
				] );
			}
			const mail = await oneMailWith(
				'requested a password reset',
				before
			);
			if ( mail.envelope.port !== savedPort ) {
				throw new Error(
					`delivered on ${ mail.envelope.port }, not ${ savedPort }`
				);
			}
			await save( { fallback: true } );
		}
	);
}

async function main() {
	const suite = createSuite( 'demo-smoke', FIRST_PAGE_LIMIT + STEP_LIMIT );
	// Chromium's pipe can close before browser.close() settles; without a timer Node would then
	// find nothing left to wait for and quit silently before the last check.
	const keepAlive = setInterval( () => {}, 1000 );
	for ( let run = 1; run <= runs; run++ ) {
		for ( const mode of modes ) {
			const label = ( runs > 1 ? `run ${ run }: ` : '' ) + `${ mode }: `;
			console.log(
				`\n${ label }npm run demo${ mode === 'native' ? ' -- --native' : '' }`
			);
			await runDemo( suite, mode, label );
		}
	}
	clearInterval( keepAlive );
	process.exit( suite.finish() ? 1 : 0 );
}

// The whole smoke test stops by itself, whatever hangs: 12 minutes a demo at most.
setTimeout(
	() => {
		console.error( 'demo smoke test: no result in time' );
		process.exit( 1 );
	},
	runs * modes.length * 720_000
).unref();

main().catch( ( error ) => {
	console.error( error );
	process.exit( 1 );
} );
