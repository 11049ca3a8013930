/**
 * Smoke test of the README's demo command: it comes up, serves the settings page (logged in as the
 * printed user), WordPress sends mail through the demo's SMTP servers, and Ctrl-C stops everything.
 * Writes a JUnit report so the test command counts it. Usage: node tests/smoke/demo-smoke.js
 */
const { spawn } = require( 'child_process' );
const fs = require( 'fs' );
const net = require( 'net' );
const path = require( 'path' );
const { chromium } = require( '@playwright/test' );

const root = path.join( __dirname, '../..' );
const artifacts = process.env.ARTIFACTS || path.join( root, 'artifacts' );
const smtpPorts = ( process.env.SMTP_PORTS || '25,465,587,2525' )
	.split( ',' )
	.map( Number );
const mailDir =
	process.env.SMTP_MAIL_DIR || path.join( root, '.run/smtp/mails' );
const deadline = ( ms ) => Date.now() + ms;
const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

const results = [];
async function check( name, fn ) {
	const started = Date.now();
	try {
		await fn();
		results.push( { name, ms: Date.now() - started } );
		console.log( `  ✓ ${ name }` );
	} catch ( error ) {
		results.push( {
			name,
			ms: Date.now() - started,
			error: String( error && error.stack ? error.stack : error ),
		} );
		console.log( `  ✘ ${ name }\n    ${ error }` );
	}
}

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

function writeJunit() {
	const esc = ( s ) =>
		s.replace(
			/[<>&"]/g,
			( c ) =>
				( { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' } )[
					c
				]
		);
	const failures = results.filter( ( r ) => r.error ).length;
	const cases = results
		.map(
			( r ) =>
				`  <testcase classname="demo-smoke" name="${ esc( r.name ) }" time="${ r.ms / 1000 }">` +
				( r.error
					? `<failure message="failed">${ esc( r.error ) }</failure>`
					: '' ) +
				'</testcase>'
		)
		.join( '\n' );
	fs.mkdirSync( path.join( artifacts, 'junit' ), { recursive: true } );
	fs.writeFileSync(
		path.join( artifacts, 'junit/demo-smoke.xml' ),
		`<?xml version="1.0"?>\n<testsuite name="demo-smoke" tests="${ results.length }" failures="${ failures }">\n${ cases }\n</testsuite>\n`
	);
	return failures;
}

async function main() {
	// Chromium's pipe can close before browser.close() settles; without a timer Node would then
	// find nothing left to wait for and quit silently before the last check.
	const keepAlive = setInterval( () => {}, 1000 );
	const demo = spawn( 'bash', [ path.join( root, 'env/demo.sh' ) ], {
		cwd: root,
		detached: true,
		env: process.env,
	} );
	let output = '';
	demo.stdout.on( 'data', ( d ) => ( output += d ) );
	demo.stderr.on( 'data', ( d ) => ( output += d ) );
	let exitCode = null;
	demo.on( 'exit', ( code, signal ) => ( exitCode = code ?? signal ) );

	let url = null;
	await check(
		'the demo command comes up and prints the settings page URL and login',
		async () => {
			const until = deadline( 240_000 );
			while ( ! /demo ready: (\S+)/.test( output ) ) {
				if ( exitCode !== null ) {
					throw new Error(
						`demo exited (${ exitCode }):\n${ output }`
					);
				}
				if ( Date.now() > until ) {
					throw new Error(
						`no "demo ready" after 240 s:\n${ output }`
					);
				}
				await sleep( 200 );
			}
			url = output.match( /demo ready: (\S+)/ )[ 1 ];
			if (
				! output.includes(
					'options-general.php?page=smtp-port-helper'
				) ||
				! output.includes( 'admin / password' )
			) {
				throw new Error( 'URL or login missing from the output' );
			}
		}
	);

	if ( url ) {
		const browser = await chromium.launch( {
			executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
			],
		} );
		const page = await browser.newPage( {
			viewport: { width: 1280, height: 800 },
		} );
		page.setDefaultTimeout( 30_000 );
		const submission = smtpPorts[ 2 ];
		await check(
			'the settings page is served to the printed login, in a real browser',
			async () => {
				await page.goto( `${ url }/wp-login.php` );
				await page.fill( '#user_login', 'admin' );
				await page.fill( '#user_pass', 'password' );
				await Promise.all( [
					page.waitForNavigation(),
					page.click( '#wp-submit' ),
				] );
				await page.goto(
					`${ url }/wp-admin/options-general.php?page=smtp-port-helper`
				);
				await page
					.getByRole( 'textbox', { name: 'Host', exact: true } )
					.waitFor();
				fs.mkdirSync( path.join( artifacts, 'screenshots' ), {
					recursive: true,
				} );
				await page.screenshot( {
					path: path.join(
						artifacts,
						'screenshots/demo-settings-page.png'
					),
					fullPage: true,
				} );
			}
		);
		await check(
			'WordPress in the demo sends its mail through the saved port',
			async () => {
				await page
					.getByRole( 'textbox', { name: 'Host', exact: true } )
					.fill( '127.0.0.1' );
				await page
					.getByRole( 'textbox', { name: 'Port', exact: true } )
					.fill( String( submission ) );
				await page
					.getByRole( 'button', { name: 'Save settings' } )
					.click();
				await page
					.locator( '.components-snackbar', {
						hasText: 'Settings saved.',
					} )
					.waitFor();
				// The submission port requires AUTH: save the test servers' credentials through the
				// REST API (the page's own apiFetch, with its nonce), whatever the form looks like.
				await page.evaluate(
					( credentials ) =>
						window.wp.apiFetch( {
							path: '/smtp-port-helper/v1/settings',
							method: 'POST',
							data: { auth: true, ...credentials },
						} ),
					{
						username: process.env.SMTP_USER || 'test',
						password: process.env.SMTP_PASS || 'secret',
					}
				);
				const since = Date.now() - 1000;
				const visitor = await browser.newPage();
				await visitor.goto(
					`${ url }/wp-login.php?action=lostpassword`
				);
				await visitor.fill( '#user_login', 'admin' );
				await Promise.all( [
					visitor.waitForNavigation(),
					visitor.click( '#wp-submit' ),
				] );
				const until = deadline( 20_000 );
				for (;;) {
					const found =
						fs.existsSync( mailDir ) &&
						fs
							.readdirSync( mailDir )
							.map( ( f ) => path.join( mailDir, f ) )
							.filter(
								( f ) =>
									f.endsWith( '.eml' ) &&
									fs.statSync( f ).mtimeMs >= since
							)
							.map( ( f ) => fs.readFileSync( f, 'utf8' ) )
							.find( ( raw ) =>
								raw.includes( 'requested a password reset' )
							);
					if ( found ) {
						if (
							! found.includes( `"port":${ submission }` ) ||
							! found.includes( '"tls":true' )
						) {
							throw new Error(
								'the mail did not arrive over TLS on the saved port'
							);
						}
						break;
					}
					if ( Date.now() > until ) {
						throw new Error( 'no mail arrived at the SMTP server' );
					}
					await sleep( 250 );
				}
			}
		);
		await Promise.race( [ browser.close(), sleep( 10_000 ) ] );
	}

	await check( 'Ctrl-C stops the demo and frees every port', async () => {
		if ( exitCode === null ) {
			process.kill( -demo.pid, 'SIGINT' );
		}
		const until = deadline( 30_000 );
		while ( exitCode === null ) {
			if ( Date.now() > until ) {
				process.kill( -demo.pid, 'SIGKILL' );
				throw new Error(
					'the demo did not stop within 30 s of Ctrl-C'
				);
			}
			await sleep( 200 );
		}
		for ( const port of [
			Number( process.env.PLAYGROUND_PORT || 9400 ),
			...smtpPorts,
		] ) {
			// The demo's cleanup waits for its processes, so ports are closed once it has exited.
			if ( await portOpen( port ) ) {
				throw new Error(
					`port ${ port } is still open after the demo stopped`
				);
			}
		}
		const pids = path.join( root, '.run/pids' );
		const left = fs.existsSync( pids )
			? fs
					.readdirSync( pids )
					.filter( ( f ) => /playground|smtp/.test( f ) )
			: [];
		if ( left.length ) {
			throw new Error( `pid files left: ${ left.join( ', ' ) }` );
		}
	} );

	clearInterval( keepAlive );
	process.exit( writeJunit() ? 1 : 0 );
}

// The whole smoke test stops by itself, whatever hangs.
setTimeout( () => {
	console.error( 'demo smoke test: no result after 6 minutes' );
	process.exit( 1 );
}, 360_000 ).unref();

main().catch( ( error ) => {
	console.error( error );
	process.exit( 1 );
} );
