/**
 * Smoke test of the README's demo command: it comes up, serves the settings page (logged in as the
 * printed user), WordPress sends mail through the demo's SMTP servers, and Ctrl-C stops everything.
 * Writes a JUnit report so the test command counts it. Usage: node tests/smoke/demo-smoke.js
 */
const { spawn } = require( 'child_process' );
const fs = require( 'fs' );
const path = require( 'path' );
const {
	artifacts,
	createSuite,
	launchChromium,
	logInPage,
	portOpen,
	root,
	sleep,
} = require( '../support/node-suite' );

const smtpPorts = ( process.env.SMTP_PORTS || '25,465,587,2525' )
	.split( ',' )
	.map( Number );
const mailDir =
	process.env.SMTP_MAIL_DIR || path.join( root, '.run/smtp/mails' );
const deadline = ( ms ) => Date.now() + ms;

async function main() {
	const suite = createSuite( 'demo-smoke', 300_000 );
	const check = suite.check;
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
		const browser = await launchChromium();
		const page = await browser.newPage( {
			viewport: { width: 1280, height: 800 },
		} );
		page.setDefaultTimeout( 30_000 );
		const submission = smtpPorts[ 2 ];
		await check(
			'the settings page is served to the printed login, in a real browser',
			async () => {
				await logInPage( page, url );
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
	process.exit( suite.finish() ? 1 : 0 );
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
