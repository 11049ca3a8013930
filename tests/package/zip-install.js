/**
 * Packaging test: `npm run plugin-zip` builds an installable zip of the runtime files only, and that
 * zip installs into a FRESH WordPress (its own copy of the pristine WordPress 6.8 in .cache, its own
 * table prefix `wpzip_` in the stack's MariaDB, no SMTP_PORT_HELPER_* constants, served by PHP's
 * built-in server), activates, and its settings page renders and talks to its REST API.
 *
 *   1. the zip: every entry under `smtp-port-helper/`, exactly the runtime set (plugin file,
 *      uninstall.php, readme.txt, includes/**, build/index.{js,asset.php,css}, index-rtl.css and
 *      the scripts and styles the page loads on demand (build/*.{js,css}: the Outbox view),
 *      languages/*.{po,mo,json,pot}): any extra or missing file is named;
 *   2. the unzipped copy's PHP code references neither vendor/ nor node_modules;
 *   3. install + activation through env/install-wp.php, without any PHP notice;
 *   4. in Chromium: log in, the plugin is active, the settings page renders (textbox "Host"), no PHP
 *      error text, no console error or failed request from the plugin's script, a screenshot, and
 *      GET ?rest_route=/smtp-port-helper/v1/settings through the page's window.wp.apiFetch;
 *   5. clean-up: the server's process group is gone, its port closed, .run/zip-wp and the wpzip_
 *      tables removed (also when a check failed).
 *
 * Each step is one function (buildZip, checkZipEntries, installIntoFreshWordPress,
 * checkNoVendorReference, startServer, checkSettingsPage, checkSettingsRoute, checkDebugLog, cleanUp);
 * main() runs them in that order as named checks, skipping a step whose prerequisite failed.
 *
 * Needs the stack's MariaDB (bash env/stack.sh start). Stops by itself (6 minutes at most).
 * Usage: node tests/package/zip-install.js   (env: DB_PORT, ZIP_WP_PORT, RUN, CACHE, ARTIFACTS)
 * Writes artifacts/junit/package.xml and artifacts/screenshots/zip-install-settings.png.
 */
const { execFileSync, spawn } = require( 'child_process' );
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

const run = process.env.RUN || path.join( root, '.run' );
const cache = process.env.CACHE || path.join( root, '.cache' );
const dbPort = Number( process.env.DB_PORT || 3307 );
const port = Number( process.env.ZIP_WP_PORT || 8890 );
const url = `http://127.0.0.1:${ port }`;
const slug = 'smtp-port-helper';
const zipFile = path.join( root, `${ slug }.zip` );
const wpDir = path.join( run, 'zip-wp' );
const pluginDir = path.join( wpDir, 'wp-content/plugins', slug );
const debugLog = path.join( run, 'logs/zip-wp-debug.log' );
const serverLog = path.join( run, 'logs/zip-wp-server.log' );
const prefix = 'wpzip_';

const suite = createSuite( 'package', 150_000 );
const check = suite.check;
const skip = suite.skip;

function sh( command, args, options = {} ) {
	return execFileSync( command, args, {
		cwd: root,
		encoding: 'utf8',
		stdio: [ 'ignore', 'pipe', 'pipe' ],
		timeout: 120_000,
		maxBuffer: 32 * 1024 * 1024,
		...options,
	} );
}

function sql( query ) {
	return sh( 'mariadb', [
		'--no-defaults',
		'-h127.0.0.1',
		`-P${ dbPort }`,
		'-uwp',
		'-pwp',
		'--batch',
		'--skip-column-names',
		'wordpress',
		'-e',
		query,
	] );
}
function zipTables() {
	return sql(
		`SELECT table_name FROM information_schema.tables WHERE table_schema = 'wordpress' AND table_name LIKE '${ prefix.replace( '_', '\\_' ) }%'`
	)
		.split( '\n' )
		.filter( Boolean );
}
function dropZipTables() {
	const tables = zipTables();
	if ( tables.length ) {
		sql(
			`DROP TABLE IF EXISTS ${ tables
				.map( ( t ) => `\`${ t }\`` )
				.join( ', ' ) }`
		);
	}
}

function filesUnder( dir, base = dir ) {
	if ( ! fs.existsSync( dir ) ) {
		return [];
	}
	return fs.readdirSync( dir, { withFileTypes: true } ).flatMap( ( e ) => {
		const full = path.join( dir, e.name );
		if ( e.isDirectory() ) {
			return filesUnder( full, base );
		}
		return [ path.relative( base, full ).split( path.sep ).join( '/' ) ];
	} );
}

/** The runtime set, from the working tree: what the zip must hold, and nothing else. */
function runtimeFiles() {
	const set = new Set( [
		`${ slug }.php`,
		'uninstall.php',
		'readme.txt',
		'build/index.js',
		'build/index.asset.php',
		'build/index.css',
		'build/index-rtl.css',
	] );
	// The chunks the page imports on demand (the Outbox view, the port results, …), as built.
	for ( const f of filesUnder( path.join( root, 'build' ) ) ) {
		if ( /^[^./][^/]*\.(js|css)$/.test( f ) ) {
			set.add( `build/${ f }` );
		}
	}
	for ( const f of filesUnder( path.join( root, 'includes' ) ) ) {
		if ( ! f.split( '/' ).some( ( part ) => part.startsWith( '.' ) ) ) {
			set.add( `includes/${ f }` );
		}
	}
	for ( const f of filesUnder( path.join( root, 'languages' ) ) ) {
		if ( /^[^./][^/]*\.(po|mo|json|pot)$/.test( f ) ) {
			set.add( `languages/${ f }` );
		}
	}
	return set;
}

// The PHP built-in server, leader of its own process group (workers included).
let server = null;
let serverExit = null;
function stopServerNow() {
	if ( server && serverExit === null ) {
		try {
			process.kill( -server.pid, 'SIGKILL' );
		} catch {}
	}
}
async function stopServer() {
	if ( ! server ) {
		return;
	}
	if ( serverExit === null ) {
		try {
			process.kill( -server.pid, 'SIGTERM' );
		} catch {}
		const until = Date.now() + 5000;
		while ( serverExit === null && Date.now() < until ) {
			await sleep( 100 );
		}
	}
	// Workers of the group that outlived their parent; wait until the group is gone.
	try {
		process.kill( -server.pid, 'SIGKILL' );
	} catch {}
	const until = Date.now() + 5000;
	while ( groupAlive( server.pid ) && Date.now() < until ) {
		await sleep( 100 );
	}
}
function groupAlive( pgid ) {
	try {
		return sh( 'pgrep', [ '-g', String( pgid ) ] ).trim();
	} catch {
		return ''; // pgrep exits 1 when nothing matches.
	}
}

function writeWpConfig() {
	const salts = [
		'AUTH_KEY',
		'SECURE_AUTH_KEY',
		'LOGGED_IN_KEY',
		'NONCE_KEY',
		'AUTH_SALT',
		'SECURE_AUTH_SALT',
		'LOGGED_IN_SALT',
		'NONCE_SALT',
	];
	fs.writeFileSync(
		path.join( wpDir, 'wp-config.php' ),
		`<?php
// Written by tests/package/zip-install.js: a fresh WordPress for the plugin zip, with no plugin
// constant at all, so the plugin runs on its defaults as on a newly set-up site.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', 'wp' );
define( 'DB_PASSWORD', 'wp' );
define( 'DB_HOST', '127.0.0.1:${ dbPort }' );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
foreach ( array( '${ salts.join( "', '" ) }' ) as $name ) {
	define( $name, 'zip-install-test-only-' . $name );
}
$table_prefix = '${ prefix }';
define( 'WP_HOME', '${ url }' );
define( 'WP_SITEURL', '${ url }' );
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_LOG', '${ debugLog }' );
define( 'WP_DEBUG_DISPLAY', true );
define( 'WP_ENVIRONMENT_TYPE', 'local' );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'DISABLE_WP_CRON', true );
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'FS_METHOD', 'direct' );
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`
	);
}

// PHP's own error output (display_errors with WP_DEBUG_DISPLAY), as HTML or as text.
const PHP_ERROR =
	/<b>(?:Fatal error|Warning|Notice|Deprecated|Parse error)<\/b>:|(?:PHP )?(?:Fatal error|Warning|Notice|Deprecated|Parse error): .+ on line \d+|There has been a critical error/;

/* ------------------------------------------------------------------ steps */

/** `npm run plugin-zip` (after a build when there is none) writes the zip. */
async function buildZip() {
	if ( ! fs.existsSync( path.join( root, 'build/index.js' ) ) ) {
		sh( 'npm', [ 'run', 'build' ], { timeout: 300_000 } );
	}
	fs.rmSync( zipFile, { force: true } );
	sh( 'npm', [ 'run', 'plugin-zip' ] );
	if ( ! fs.existsSync( zipFile ) ) {
		throw new Error( `${ zipFile } was not written` );
	}
	console.log( `    ${ fs.statSync( zipFile ).size } bytes` );
}

/** Every entry under `smtp-port-helper/`, exactly the runtime set. */
async function checkZipEntries() {
	const entries = sh( 'unzip', [ '-Z1', zipFile ] )
		.split( '\n' )
		.filter( Boolean );
	const outside = entries.filter( ( e ) => ! e.startsWith( `${ slug }/` ) );
	const files = entries
		.filter( ( e ) => e.startsWith( `${ slug }/` ) && ! e.endsWith( '/' ) )
		.map( ( e ) => e.slice( slug.length + 1 ) );
	const expected = runtimeFiles();
	const extra = files.filter( ( f ) => ! expected.has( f ) );
	const missing = [ ...expected ].filter( ( f ) => ! files.includes( f ) );
	const problems = [
		outside.length && `outside ${ slug }/: ${ outside.join( ', ' ) }`,
		extra.length && `extra: ${ extra.join( ', ' ) }`,
		missing.length && `missing: ${ missing.join( ', ' ) }`,
	].filter( Boolean );
	if ( problems.length ) {
		throw new Error( problems.join( '\n    ' ) );
	}
}

/** A fresh copy of WordPress with the unzipped plugin, installed and activated. */
async function installIntoFreshWordPress() {
	if ( await portOpen( port ) ) {
		throw new Error( `port ${ port } is already in use` );
	}
	if (
		! fs.existsSync(
			path.join( cache, 'wordpress/wp-includes/version.php' )
		)
	) {
		sh( 'bash', [ 'env/setup.sh', 'wordpress' ], { timeout: 300_000 } );
	}
	dropZipTables();
	fs.rmSync( wpDir, { recursive: true, force: true } );
	fs.cpSync( path.join( cache, 'wordpress' ), wpDir, { recursive: true } );
	fs.rmSync( pluginDir, { recursive: true, force: true } );
	fs.mkdirSync( path.dirname( debugLog ), { recursive: true } );
	fs.writeFileSync( debugLog, '' );
	writeWpConfig();
	sh( 'unzip', [
		'-q',
		zipFile,
		'-d',
		path.join( wpDir, 'wp-content/plugins' ),
	] );
	if (
		fs.lstatSync( pluginDir ).isSymbolicLink() ||
		! fs.existsSync( path.join( pluginDir, `${ slug }.php` ) )
	) {
		throw new Error( `${ pluginDir }/${ slug }.php is not a real copy` );
	}
	const out = sh(
		'php',
		[
			'-d',
			'sendmail_path=/bin/true',
			path.join( root, 'env/install-wp.php' ),
			wpDir,
		],
		{
			env: {
				...process.env,
				SMTP_PORT_HELPER_TABLE_PREFIX: prefix,
				WP_URL: url,
			},
		}
	);
	if (
		! /WordPress 6\.8.* installed, tables wpzip_\*, plugin active/.test(
			out
		)
	) {
		throw new Error( `install-wp.php said:\n${ out }` );
	}
	if ( PHP_ERROR.test( out ) ) {
		throw new Error( `PHP notices while installing:\n${ out }` );
	}
}

/** No PHP token outside comments mentions vendor/ or node_modules. */
async function checkNoVendorReference() {
	const php = filesUnder( pluginDir )
		.filter( ( f ) => f.endsWith( '.php' ) )
		.map( ( f ) => path.join( pluginDir, f ) );
	// Code only: a comment saying that no vendor/ is shipped is no reference.
	const hits = sh( 'php', [
		'-r',
		`foreach ( array_slice( $argv, 1 ) as $f ) {
			foreach ( token_get_all( file_get_contents( $f ) ) as $t ) {
				if ( is_array( $t ) && ! in_array( $t[0], array( T_COMMENT, T_DOC_COMMENT ), true ) && preg_match( '~vendor/|node_modules~i', $t[1] ) ) {
					echo $f, ':', $t[2], ': ', trim( $t[1] ), "\\n";
				}
			}
		}`,
		'--',
		...php,
	] ).trim();
	if ( php.length < 10 ) {
		throw new Error( `only ${ php.length } PHP files in ${ pluginDir }` );
	}
	if ( hits ) {
		throw new Error( hits );
	}
	let comments = '';
	try {
		comments = sh( 'grep', [
			'-rnE',
			'vendor/|node_modules',
			'--include=*.php',
			pluginDir,
		] ).trim();
	} catch {} // grep exits 1 when nothing matches.
	if ( comments ) {
		console.log(
			`    (in comments only: ${ comments
				.split( '\n' )
				.map( ( l ) => path.relative( pluginDir, l ) )
				.join( '; ' ) })`
		);
	}
}

/** PHP's built-in server answers wp-login.php with 200 within 20 s. */
async function startServer() {
	const log = fs.openSync( serverLog, 'w' );
	server = spawn( 'php', [ '-S', `127.0.0.1:${ port }`, '-t', wpDir ], {
		cwd: wpDir,
		detached: true,
		stdio: [ 'ignore', log, log ],
		env: { ...process.env, PHP_CLI_SERVER_WORKERS: '2' },
	} );
	fs.closeSync( log );
	server.on( 'exit', ( code, signal ) => ( serverExit = code ?? signal ) );
	const until = Date.now() + 20_000;
	for (;;) {
		if ( serverExit !== null ) {
			throw new Error(
				`php -S exited (${ serverExit }):\n${ fs.readFileSync( serverLog, 'utf8' ) }`
			);
		}
		try {
			const res = await fetch( `${ url }/wp-login.php` );
			if ( res.status === 200 ) {
				return;
			}
		} catch {}
		if ( Date.now() > until ) {
			throw new Error( 'no answer within 20 s' );
		}
		await sleep( 200 );
	}
}

// Debian's Chromium, while the page checks run.
let browser = null;

/**
 * A Chromium page that sorts console errors, uncaught errors and failed requests into those from
 * the plugin and the others.
 *
 * @return {Promise<{page: import('@playwright/test').Page, pluginErrors: string[], otherErrors: string[]}>} The page and its error lists.
 */
async function openWatchedPage() {
	const page = await browser.newPage( {
		viewport: { width: 1280, height: 900 },
	} );
	page.setDefaultTimeout( 30_000 );
	const fromPlugin = ( s ) => s.includes( `/plugins/${ slug }/` );
	const pluginErrors = [];
	const otherErrors = [];
	page.on( 'pageerror', ( error ) =>
		pluginErrors.push( `uncaught: ${ error.message }` )
	);
	page.on( 'console', ( message ) => {
		if ( message.type() !== 'error' ) {
			return;
		}
		const where = message.location().url || '';
		const text = `${ message.text() } (${ where })`;
		( fromPlugin( where ) || message.text().includes( slug )
			? pluginErrors
			: otherErrors
		).push( text );
	} );
	page.on( 'response', ( res ) => {
		if ( fromPlugin( res.url() ) && res.status() >= 400 ) {
			pluginErrors.push( `${ res.status() } ${ res.url() }` );
		}
	} );
	page.on( 'requestfailed', ( req ) => {
		if ( fromPlugin( req.url() ) ) {
			pluginErrors.push(
				`failed: ${ req.url() } ${ req.failure()?.errorText }`
			);
		}
	} );
	return { page, pluginErrors, otherErrors };
}

/**
 * Logged in, the plugin is active and its settings page renders (screenshot) without PHP
 * error text or errors from the plugin's script.
 *
 * @param {Awaited<ReturnType<typeof openWatchedPage>>} watched The page and its error lists.
 */
async function checkSettingsPage( { page, pluginErrors, otherErrors } ) {
	await logInPage( page, url );
	await page.goto( `${ url }/wp-admin/plugins.php` );
	await page.locator( `tr.active[data-slug="${ slug }"]` ).waitFor();
	const response = await page.goto(
		`${ url }/wp-admin/options-general.php?page=${ slug }`
	);
	if ( response.status() !== 200 ) {
		throw new Error( `the settings page answered ${ response.status() }` );
	}
	await page.getByRole( 'textbox', { name: 'Host', exact: true } ).waitFor();
	await page.waitForLoadState( 'networkidle' );
	fs.mkdirSync( path.join( artifacts, 'screenshots' ), { recursive: true } );
	await page.screenshot( {
		path: path.join( artifacts, 'screenshots/zip-install-settings.png' ),
		fullPage: true,
	} );
	const phpError = ( await page.content() ).match( PHP_ERROR );
	if ( phpError ) {
		throw new Error( `PHP error text on the page: ${ phpError[ 0 ] }` );
	}
	if ( otherErrors.length ) {
		console.log(
			`    (console errors not from the plugin: ${ otherErrors.join( '; ' ) })`
		);
	}
	if ( pluginErrors.length ) {
		throw new Error( pluginErrors.join( '\n    ' ) );
	}
}

/**
 * The settings route answers through the page's wp.apiFetch with a fresh site's defaults.
 *
 * @param {Awaited<ReturnType<typeof openWatchedPage>>} watched The page and its error lists.
 */
async function checkSettingsRoute( { page, pluginErrors } ) {
	const settings = await page.evaluate( () =>
		window.wp.apiFetch( {
			url: '/?rest_route=/smtp-port-helper/v1/settings',
		} )
	);
	for ( const key of [
		'enabled',
		'host',
		'port',
		'encryption',
		'password_set',
		'verify_tls',
		'locked',
	] ) {
		if ( ! ( key in settings ) ) {
			throw new Error(
				`no "${ key }" in ${ JSON.stringify( settings ) }`
			);
		}
	}
	if (
		Object.keys( settings.locked ).length ||
		settings.verify_tls !== true ||
		settings.password_set !== false
	) {
		throw new Error(
			`not a fresh site's defaults: ${ JSON.stringify( settings ) }`
		);
	}
	if ( pluginErrors.length ) {
		throw new Error( pluginErrors.join( '\n    ' ) );
	}
}

/** The two page checks in one Chromium, closed afterwards. */
async function checkInBrowser() {
	browser = await launchChromium();
	const watched = await openWatchedPage();
	const rendered = await check(
		'logged in as admin, the plugin is active and its settings page renders without PHP or console errors',
		() => checkSettingsPage( watched )
	);
	await checkIf(
		rendered,
		'GET ?rest_route=/smtp-port-helper/v1/settings answers through the page’s wp.apiFetch, with no constant locking a field',
		[
			'GET ?rest_route=/smtp-port-helper/v1/settings answers through wp.apiFetch',
			'the page did not render',
		],
		() => checkSettingsRoute( watched )
	);
	await closeBrowser();
}

async function closeBrowser() {
	if ( browser ) {
		await Promise.race( [ browser.close(), sleep( 10_000 ) ] );
		browser = null;
	}
}

/** Nothing from the plugin, and no fatal error, in the fresh site's debug log. */
async function checkDebugLog() {
	const entries = (
		fs.existsSync( debugLog ) ? fs.readFileSync( debugLog, 'utf8' ) : ''
	)
		.split( /^(?=\[)/m )
		.map( ( e ) => e.trim() )
		.filter( Boolean );
	// WordPress itself warns that it cannot reach WordPress.org (no internet here):
	// reported, not failed. Anything from the plugin, or any fatal error, fails. The site's own
	// folder is left out of the match: a checkout named smtp-port-helper (a plain `git clone`) is
	// in the path of every WordPress file, so each of those warnings looked like the plugin's.
	const ours = entries.filter(
		( e ) =>
			/smtp-port-helper|SmtpPortHelper|smtp_port_helper/i.test(
				e.split( wpDir ).join( '' )
			) || /PHP (Fatal|Parse) error/.test( e )
	);
	const others = entries.length - ours.length;
	if ( others ) {
		console.log(
			`    (${ others } log entries from WordPress itself, e.g. ${ entries
				.find( ( e ) => ! ours.includes( e ) )
				.slice( 0, 120 ) }…)`
		);
	}
	if ( ours.length ) {
		throw new Error( ours.slice( 0, 10 ).join( '\n' ) );
	}
}

/** Server group gone, port closed, .run/zip-wp and the wpzip_ tables removed. */
async function cleanUp() {
	await stopServer();
	const problems = [];
	if ( server && groupAlive( server.pid ) ) {
		problems.push( `processes left: ${ groupAlive( server.pid ) }` );
	}
	fs.rmSync( wpDir, { recursive: true, force: true } );
	dropZipTables();
	if ( await portOpen( port ) ) {
		problems.push( `port ${ port } is still open` );
	}
	if ( fs.existsSync( wpDir ) ) {
		problems.push( `${ wpDir } is still there` );
	}
	const tables = zipTables();
	if ( tables.length ) {
		problems.push( `tables left: ${ tables.join( ', ' ) }` );
	}
	if ( problems.length ) {
		throw new Error( problems.join( '\n    ' ) );
	}
}

/* ------------------------------------------------------------------- main */

/**
 * Runs a check when the step it needs passed, records it as skipped otherwise.
 *
 * @param {boolean}          ready   Whether the needed step passed.
 * @param {string}           title   Check name.
 * @param {[string, string]} skipped Name and reason recorded when not ready.
 * @param {Function}         body    Async body of the check.
 * @return {Promise<boolean>} Passed.
 */
async function checkIf( ready, title, [ skipTitle, why ], body ) {
	if ( ready ) {
		return check( title, body );
	}
	skip( skipTitle, why );
	return false;
}

async function main() {
	// Chromium's pipe can close before browser.close() settles; keep Node waiting for the end.
	const keepAlive = setInterval( () => {}, 1000 );
	try {
		const zipped = await check(
			'npm run plugin-zip writes smtp-port-helper.zip',
			buildZip
		);
		const noZip = 'no zip';
		await checkIf(
			zipped,
			'the zip holds exactly the runtime files, in a top-level smtp-port-helper/ folder',
			[ 'the zip holds exactly the runtime files', noZip ],
			checkZipEntries
		);
		const installed = await checkIf(
			zipped,
			'the zip unzips into a fresh WordPress 6.8, which installs and activates the plugin without a PHP notice',
			[ 'the zip installs into a fresh WordPress', noZip ],
			installIntoFreshWordPress
		);
		const noVendor =
			"the installed copy's PHP code references neither vendor/ nor node_modules";
		await checkIf(
			installed,
			noVendor,
			[ noVendor, 'not installed' ],
			checkNoVendorReference
		);
		const serves = "PHP's built-in server serves the fresh WordPress";
		const served = await checkIf(
			installed,
			serves,
			[ serves, 'not installed' ],
			startServer
		);
		if ( served ) {
			await checkInBrowser();
		}
		await check(
			'no PHP error, warning or notice from the plugin in the fresh site’s debug log',
			checkDebugLog
		);
	} finally {
		await closeBrowser();
		await check(
			'clean-up: the server and its workers are gone, the port is closed, .run/zip-wp and the wpzip_ tables are removed',
			cleanUp
		);
		clearInterval( keepAlive );
	}
	process.exit( suite.finish() ? 1 : 0 );
}

function abort( why ) {
	console.error( `package test: ${ why }` );
	stopServerNow();
	try {
		fs.rmSync( wpDir, { recursive: true, force: true } );
		dropZipTables();
	} catch {}
	suite.fail( 'the package test ran to the end', why );
	suite.finish();
	process.exit( 1 );
}
// The whole test stops by itself, whatever hangs; Ctrl-C also stops the server.
setTimeout( () => abort( 'no result after 6 minutes' ), 360_000 ).unref();
process.on( 'SIGINT', () => abort( 'interrupted' ) );
process.on( 'SIGTERM', () => abort( 'terminated' ) );

main().catch( ( error ) =>
	abort( String( error && error.stack ? error.stack : error ) )
);
