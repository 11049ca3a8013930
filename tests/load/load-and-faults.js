/**
 * Load and fault script against the real local stack (Apache + MariaDB + SMTP servers). It stops by
 * itself: every phase has a fixed count and a time limit. Writes a JUnit report for the test command.
 *
 *   1. 50 concurrent port-test requests from one administrator: the rate limit answers 429 (with
 *      Retry-After) past its budget, nothing answers 5xx, no PHP fatal error is logged, and the site
 *      keeps serving pages during and after the burst.
 *   2. Port tests that hang on a silent server, sent in parallel: at most three run at once on
 *      the site (429 `smtp_port_helper_busy` for the others), and a finished one frees its slot.
 *   3. 500 wp_mail() calls while the main port is down and fallback is on: every message arrives
 *      exactly once at the SMTP server (tests/load/mail-burst.php sends, this script counts).
 *
 * Usage: node tests/load/load-and-faults.js   (env: WP_URL, RUN, ARTIFACTS)
 */
const { execFileSync } = require( 'child_process' );
const fs = require( 'fs' );
const net = require( 'net' );
const path = require( 'path' );
const {
	assert,
	createSuite,
	logInRest,
	root,
	sleep,
} = require( '../support/node-suite' );

const url = process.env.WP_URL || 'http://127.0.0.1:8889';
const run = process.env.RUN || path.join( root, '.run' );
const PORT_TEST_LIMIT = 10; // Plugin::boot(): Rate_Limiter( 'port_tests', 10, MINUTE_IN_SECONDS ).
const RUNNING_AT_ONCE = 3; // REST\Route_Guard::SLOTS.

function logSize( file ) {
	return fs.existsSync( file ) ? fs.statSync( file ).size : 0;
}

function newLogText( file, from ) {
	if ( ! fs.existsSync( file ) ) {
		return '';
	}
	const fd = fs.openSync( file, 'r' );
	const length = fs.statSync( file ).size - from;
	const buffer = Buffer.alloc( Math.max( 0, length ) );
	fs.readSync( fd, buffer, 0, buffer.length, from );
	fs.closeSync( fd );
	return buffer.toString( 'utf8' );
}

/**
 * Creates a fresh administrator (a whole rate-limit budget whatever other suites spent as admin
 * in this minute), runs the check with their REST headers, and deletes them again.
 *
 * @param {Function} check Takes the REST headers.
 */
async function asFreshAdministrator( check ) {
	const admin = await logInRest( url );
	const login = `load${ process.pid }`;
	const password = `load-${ Date.now() }-pass`;
	const created = await fetch( `${ url }/wp-json/wp/v2/users`, {
		method: 'POST',
		headers: { ...admin, 'Content-Type': 'application/json' },
		body: JSON.stringify( {
			username: login,
			password,
			email: `${ login }@example.com`,
			roles: [ 'administrator' ],
		} ),
	} );
	const user = await created.json();
	assert(
		created.status === 201,
		`could not create the load user: ${ JSON.stringify( user ) }`
	);
	try {
		await check( await logInRest( url, login, password ) );
	} finally {
		await fetch(
			`${ url }/wp-json/wp/v2/users/${ user.id }?force=true&reassign=1`,
			{ method: 'DELETE', headers: admin }
		);
	}
}

async function portTestBurst( headers ) {
	const logs = [
		path.join( run, 'logs/wp-debug.log' ),
		path.join( run, 'logs/web-error.log' ),
	];
	const before = logs.map( logSize );

	const pageStatuses = [];
	let bursting = true;
	const pages = ( async () => {
		while ( bursting ) {
			pageStatuses.push( ( await fetch( `${ url }/` ) ).status );
		}
	} )();

	const answers = await Promise.all(
		Array.from( { length: 50 }, async () => {
			const response = await fetch(
				`${ url }/wp-json/smtp-port-helper/v1/port-tests`,
				{
					method: 'POST',
					headers: { ...headers, 'Content-Type': 'application/json' },
					body: JSON.stringify( {
						host: '127.0.0.1',
						ports: [ 1 ],
						timeout: 2,
					} ),
				}
			);
			const body = await response.json();
			return {
				status: response.status,
				retryAfter: response.headers.get( 'retry-after' ),
				body,
			};
		} )
	);
	bursting = false;
	await pages;

	const count = ( status ) =>
		answers.filter( ( a ) => a.status === status ).length;
	const ok = count( 200 );
	const limited = count( 429 );
	console.log(
		`    50 requests: ${ ok } × 200, ${ limited } × 429; ${ pageStatuses.length } front-page loads meanwhile`
	);
	assert(
		ok + limited === 50,
		`unexpected statuses: ${ answers.map( ( a ) => a.status ).join( ',' ) }`
	);
	// A burst can straddle the minute boundary, which opens a second budget.
	assert(
		ok >= 1 && ok <= 2 * PORT_TEST_LIMIT,
		`${ ok } requests passed a limit of ${ PORT_TEST_LIMIT } per minute`
	);
	assert(
		limited >= 50 - 2 * PORT_TEST_LIMIT,
		`only ${ limited } requests were limited`
	);
	for ( const answer of answers.filter( ( a ) => a.status === 429 ) ) {
		assert(
			Number( answer.retryAfter ) >= 1 &&
				Number( answer.retryAfter ) <= 60,
			`bad Retry-After: ${ answer.retryAfter }`
		);
		// Past the budget, or while three others run (Route_Guard's slots).
		assert(
			[
				'smtp_port_helper_rate_limited',
				'smtp_port_helper_busy',
			].includes( answer.body.code ),
			'a 429 without its error code'
		);
	}
	for ( const answer of answers.filter( ( a ) => a.status === 200 ) ) {
		assert(
			answer.body.results[ 0 ].verdict === 'refused',
			'a port test answered without its result'
		);
	}
	assert(
		pageStatuses.length > 0 && pageStatuses.every( ( s ) => s === 200 ),
		`front page during the burst: ${ pageStatuses.join( ',' ) }`
	);
	assert(
		( await fetch( `${ url }/` ) ).status === 200,
		'the site stopped answering after the burst'
	);
	logs.forEach( ( file, i ) => {
		const text = newLogText( file, before[ i ] );
		assert(
			! /PHP (Fatal|Parse) error|Segmentation fault|child pid \d+ exit signal/.test(
				text
			),
			`${ path.basename( file ) }:\n${ text.slice( 0, 2000 ) }`
		);
	} );
}

/** A loopback server that accepts connections and never says a word (an SMTP server that hangs). */
function silentServer() {
	return new Promise( ( resolve ) => {
		const sockets = new Set();
		const server = net.createServer( ( socket ) => {
			sockets.add( socket );
			socket.on( 'close', () => sockets.delete( socket ) );
			socket.on( 'error', () => {} );
		} );
		server.listen( 0, '127.0.0.1', () =>
			resolve( {
				port: server.address().port,
				close: () => {
					sockets.forEach( ( s ) => s.destroy() );
					return new Promise( ( done ) => server.close( done ) );
				},
			} )
		);
	} );
}

async function parallelSlowPortTests( headers ) {
	const silent = await silentServer();
	const portTest = async ( port = silent.port ) => {
		const response = await fetch(
			`${ url }/wp-json/smtp-port-helper/v1/port-tests`,
			{
				method: 'POST',
				headers: { ...headers, 'Content-Type': 'application/json' },
				body: JSON.stringify( {
					host: '127.0.0.1',
					ports: [ port ],
					timeout: 3,
				} ),
			}
		);
		return { status: response.status, body: await response.json() };
	};
	try {
		// 150 ms apart, all within the 3 s the slow tests take: PHP's built-in server (the stack as
		// root in a private checkout) lets one worker accept several connections that arrive in the
		// same instant and then serves them one after the other, which would never overlap them.
		const answers = await Promise.all(
			Array.from( { length: 2 * RUNNING_AT_ONCE }, ( _, i ) =>
				sleep( i * 150 ).then( () => portTest() )
			)
		);
		const ran = answers.filter( ( a ) => a.status === 200 );
		const busy = answers.filter(
			( a ) => a.status === 429 && a.body.code === 'smtp_port_helper_busy'
		);
		console.log(
			`    ${ answers.length } parallel slow tests: ${ ran.length } ran, ${ busy.length } busy`
		);
		assert(
			ran.length === RUNNING_AT_ONCE && busy.length === RUNNING_AT_ONCE,
			`statuses: ${ answers
				.map( ( a ) => `${ a.status } ${ a.body.code || '' }` )
				.join( ', ' ) }`
		);
		for ( const answer of ran ) {
			assert(
				answer.body.results[ 0 ].verdict === 'no_banner',
				`a slow test answered ${ answer.body.results[ 0 ].verdict }`
			);
		}
		// Slots are per site, whatever the target: a port that refuses at once answers without
		// the 3 s a silent server takes, and a slot still held would make it 429 all the same.
		const after = await portTest( await closedPort() );
		assert(
			after.status === 200,
			`the finished tests kept their slots: ${ after.status } ${
				after.body.code || ''
			}`
		);
	} finally {
		await silent.close();
	}
}

/** A loopback port that refuses connections: bound by the kernel for us, then released. */
function closedPort() {
	return new Promise( ( resolve ) => {
		const server = net.createServer();
		server.listen( 0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close( () => resolve( port ) );
		} );
	} );
}

async function mailBurstWithFallback() {
	const count = 500;
	const submission = Number(
		( process.env.SMTP_PORTS || '25,465,587,2525' ).split( ',' )[ 2 ]
	);
	const mailDir = process.env.SMTP_MAIL_DIR || path.join( run, 'smtp/mails' );
	const runId = `${ Date.now() }-${ process.pid }`;
	const output = execFileSync(
		'php',
		[
			'-d',
			'sendmail_path=/bin/true',
			path.join( __dirname, 'mail-burst.php' ),
			String( count ),
			String( await closedPort() ),
			String( submission ),
			runId,
		],
		{ encoding: 'utf8', timeout: 300_000 }
	);
	const result = JSON.parse( output.trim().split( '\n' ).pop() );
	console.log(
		`    ${ result.sent } sent, ${ result.failed } failed in ${ result.seconds } s`
	);
	assert(
		result.sent === count && result.failed === 0,
		`wp_mail reported ${ result.failed } failures`
	);

	const seen = new Map();
	for ( const name of fs
		.readdirSync( mailDir )
		.filter( ( f ) => f.endsWith( '.eml' ) ) ) {
		const raw = fs.readFileSync( path.join( mailDir, name ), 'utf8' );
		const match = raw.match( new RegExp( `burst ${ runId } #(\\d+)` ) );
		if ( match ) {
			const envelope = JSON.parse(
				raw.slice( 'X-Test-Envelope: '.length, raw.indexOf( '\r\n' ) )
			);
			assert(
				envelope.port === submission && envelope.tls,
				`message ${ match[ 1 ] } arrived on ${ envelope.port }`
			);
			seen.set( match[ 1 ], ( seen.get( match[ 1 ] ) || 0 ) + 1 );
		}
	}
	const duplicates = [ ...seen ]
		.filter( ( [ , n ] ) => n > 1 )
		.map( ( [ id ] ) => id );
	const missing = Array.from( { length: count }, ( _, i ) =>
		String( i + 1 )
	).filter( ( id ) => ! seen.has( id ) );
	assert(
		duplicates.length === 0,
		`delivered more than once: ${ duplicates.slice( 0, 20 ).join( ', ' ) }`
	);
	assert(
		missing.length === 0,
		`never delivered: ${ missing.slice( 0, 20 ).join( ', ' ) }`
	);
}

( async () => {
	const suite = createSuite( 'load', 300_000 );
	await suite.check(
		'50 concurrent port tests: 429 past the budget, no 5xx, no fatal, the site keeps answering',
		() => asFreshAdministrator( portTestBurst )
	);
	await suite.check(
		'slow port tests in parallel: at most three run at once, a finished one frees its slot',
		() => asFreshAdministrator( parallelSlowPortTests )
	);
	await suite.check(
		'500 mails with the main port down and fallback on: each delivered exactly once',
		mailBurstWithFallback
	);
	process.exit( suite.finish() ? 1 : 0 );
} )();
