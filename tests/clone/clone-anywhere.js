/**
 * The stack works from a checkout in a private (0700) directory, and for a normal user: a copy of
 * this working tree goes into a fresh 0700 directory, `env/stack.sh start` brings WordPress up from
 * there on other ports, and the checks prove that the web server's PHP reads the plugin (REST index,
 * built script) and that a logged-in port test reaches the copy's SMTP servers. As root the same
 * runs a second time as the user `nobody` in a directory only `nobody` may enter (Apache's worker
 * path, no sbin on PATH) — that half is skipped, with the reason, for a normal user.
 *
 * Bounded: each stack start has its own time limit and every stack is stopped in `finally`.
 * Usage: node tests/clone/clone-anywhere.js   (env: ARTIFACTS)
 */
const { execFileSync, spawnSync } = require( 'child_process' );
const fs = require( 'fs' );
const net = require( 'net' );
const os = require( 'os' );
const path = require( 'path' );
const {
	artifacts,
	assert,
	createSuite,
	logInRest,
	root,
} = require( '../support/node-suite' );

const isRoot = process.getuid() === 0;

/**
 * Loopback ports free right now, chosen by the kernel (a fixed choice collides with other stacks).
 *
 * @param {number} count How many.
 * @return {Promise<number[]>} The ports.
 */
async function freePorts( count ) {
	const servers = await Promise.all(
		Array.from(
			{ length: count },
			() =>
				new Promise( ( resolve ) => {
					const server = net.createServer();
					server.listen( 0, '127.0.0.1', () => resolve( server ) );
				} )
		)
	);
	const ports = servers.map( ( server ) => server.address().port );
	await Promise.all(
		servers.map( ( server ) => new Promise( ( r ) => server.close( r ) ) )
	);
	return ports;
}

/** The stack's ports for one copy: web, database, and the four SMTP servers (relay, TLS, submission, alternate). */
async function stackPorts() {
	const [ web, db, relay, tls, submission, alternate ] = await freePorts( 6 );
	return {
		WP_PORT: String( web ),
		DB_PORT: String( db ),
		SMTP_PORTS: [ relay, tls, submission, alternate ].join( ',' ),
		SMTP_TLS_PORTS: String( tls ),
		SMTP_RELAY_PORT: String( relay ),
	};
}

/**
 * The installed npm packages the stack runs (the SMTP test servers) with everything they need.
 *
 * @return {string[]} Package names, as folders of node_modules.
 */
function stackPackages() {
	const wanted = [ 'smtp-server' ];
	const found = new Set();
	while ( wanted.length ) {
		const name = wanted.pop();
		if ( ! found.has( name ) ) {
			found.add( name );
			const manifest = require(
				path.join( root, 'node_modules', name, 'package.json' )
			);
			wanted.push( ...Object.keys( manifest.dependencies || {} ) );
		}
	}
	return [ ...found ];
}

/**
 * Copies the working tree (tracked and new files, what git would not ignore) into `dest`, and hard
 * links what the stack reads from the installed dependencies and the pristine WordPress.
 *
 * @param {string} dest Empty directory.
 */
function copyCheckout( dest ) {
	const files = execFileSync(
		'git',
		[ 'ls-files', '-z', '--cached', '--others', '--exclude-standard' ],
		{ cwd: root }
	)
		.toString()
		.split( '\0' )
		.filter( ( f ) => f && fs.existsSync( path.join( root, f ) ) );
	for ( const file of files ) {
		fs.mkdirSync( path.dirname( path.join( dest, file ) ), {
			recursive: true,
		} );
		fs.copyFileSync( path.join( root, file ), path.join( dest, file ) );
	}
	const linked = [
		'build',
		'.cache/wordpress',
		// The SQLite integration the stack installs its SQLite WordPress from.
		'node_modules/@wp-playground/cli/sqlite-database-integration.zip',
		...stackPackages().map( ( name ) => `node_modules/${ name }` ),
	];
	for ( const dir of linked ) {
		fs.mkdirSync( path.dirname( path.join( dest, dir ) ), {
			recursive: true,
		} );
		execFileSync( 'cp', [
			'-al',
			path.join( root, dir ),
			path.join( dest, dir ),
		] );
	}
}

/**
 * Runs `bash env/stack.sh ACTION` in the copy, as `user` when given (root only).
 *
 * @param {string}      dir    The copy.
 * @param {string}      action start|stop.
 * @param {string|null} user   Another user, or null for this one.
 * @param {Object}      ports  The stack's ports (stackPorts()).
 */
function stack( dir, action, user, ports ) {
	// A normal user's PATH: without the sbin directories, which env/lib.sh must add itself.
	const env = {
		PATH: '/usr/local/bin:/usr/bin:/bin',
		HOME: dir,
		LANG: 'C.UTF-8',
		...ports,
		WP_URL: `http://127.0.0.1:${ ports.WP_PORT }`,
		// Not this test's subject, and its fixed ports are the main stack's (env/oauth/README.md).
		OAUTH_STACK: '0',
	};
	const command = [ 'bash', path.join( dir, 'env/stack.sh' ), action ];
	const args = user
		? [
				'-u',
				user,
				'--',
				'env',
				...Object.entries( env ).map( ( [ k, v ] ) => `${ k }=${ v }` ),
				...command,
			]
		: command.slice( 1 );
	const result = spawnSync( user ? 'runuser' : 'bash', args, {
		cwd: dir,
		env: user ? { PATH: '/usr/sbin:/usr/bin:/sbin:/bin' } : env,
		encoding: 'utf8',
		timeout: 180_000,
	} );
	if ( result.status !== 0 && action === 'start' ) {
		throw new Error(
			`stack.sh start failed (${ result.status ?? result.signal }):\n${ result.stdout }${ result.stderr }`.slice(
				-3000
			)
		);
	}
	return `${ result.stdout }${ result.stderr }`;
}

/**
 * The checks against a stack started from `dir`.
 *
 * @param {Object}      suite The suite.
 * @param {string}      label Which case.
 * @param {string}      dir   The copy, inside a 0700 directory.
 * @param {string|null} user  The user who runs it, or null for this one.
 */
async function checkCopy( suite, label, dir, user ) {
	const ports = await stackPorts();
	const url = `http://127.0.0.1:${ ports.WP_PORT }`;
	let log = '';
	try {
		const started = await suite.check(
			`${ label }: env/stack.sh starts WordPress from a 0700 checkout`,
			async () => {
				assert(
					fs.statSync( path.dirname( dir ) ).mode % 0o1000 === 0o700,
					'the copy is not in a 0700 directory'
				);
				log = stack( dir, 'start', user, ports );
				const login = await fetch( `${ url }/wp-login.php` );
				assert(
					login.status === 200,
					`wp-login.php answered ${ login.status }`
				);
			}
		);
		if ( ! started ) {
			return;
		}
		await suite.check(
			`${ label }: the web server's PHP loads the plugin and serves its built script`,
			async () => {
				const index = await fetch(
					`${ url }/wp-json/smtp-port-helper/v1`
				);
				assert(
					index.status === 200,
					`REST namespace answered ${ index.status }`
				);
				const routes = Object.keys( ( await index.json() ).routes );
				assert(
					routes.includes( '/smtp-port-helper/v1/port-tests' ),
					`routes: ${ routes.join( ', ' ) }`
				);
				const script = await fetch(
					`${ url }/wp-content/plugins/smtp-port-helper/build/index.js`
				);
				assert(
					script.status === 200,
					`build/index.js answered ${ script.status }`
				);
			}
		);
		await suite.check(
			`${ label }: a logged-in port test reaches the copy's SMTP servers`,
			async () => {
				const submission = Number( ports.SMTP_PORTS.split( ',' )[ 2 ] );
				const response = await fetch(
					`${ url }/wp-json/smtp-port-helper/v1/port-tests`,
					{
						method: 'POST',
						headers: {
							...( await logInRest( url ) ),
							'Content-Type': 'application/json',
						},
						body: JSON.stringify( {
							host: '127.0.0.1',
							ports: [ submission ],
							timeout: 5,
						} ),
					}
				);
				const body = await response.json();
				assert(
					response.status === 200,
					`port test answered ${ response.status }: ${ JSON.stringify( body ) }`
				);
				const result = body.results[ 0 ];
				assert(
					result.verdict === 'ok',
					`port ${ submission }: ${ result.verdict } — ${ result.message }`
				);
			}
		);
	} finally {
		log += stack( dir, 'stop', user, ports );
		fs.mkdirSync( artifacts, { recursive: true } );
		fs.writeFileSync(
			path.join( artifacts, `clone-anywhere-${ user || 'self' }.log` ),
			log
		);
	}
}

/**
 * A new 0700 directory under the system temp directory, owned by `user` when given.
 *
 * @param {string|null} user Owner, or null for this user.
 * @return {string} Its path.
 */
function privateDir( user ) {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'sph-clone-' ) );
	fs.chmodSync( dir, 0o700 );
	if ( user ) {
		execFileSync( 'chown', [ user, dir ] );
	}
	return dir;
}

/**
 * Files copied by root into a directory handed to `user`: theirs, except the hard links, which
 * stay root's (they are shared with this checkout) and are only read.
 *
 * @param {string} dir  The copy.
 * @param {string} user New owner.
 */
function handOver( dir, user ) {
	execFileSync( 'find', [
		dir,
		'(',
		'-path',
		'*/node_modules/*',
		'-o',
		'-path',
		path.join( dir, 'smtp-port-helper/build' ),
		'-o',
		'-path',
		path.join( dir, 'smtp-port-helper/.cache/wordpress' ),
		')',
		'-prune',
		'-o',
		'-exec',
		'chown',
		user,
		'{}',
		'+',
	] );
}

async function main() {
	const suite = createSuite( 'clone-anywhere', 240_000 );
	const cases = [ { label: isRoot ? 'root' : 'this user', user: null } ];
	if ( isRoot ) {
		cases.push( { label: 'the normal user nobody', user: 'nobody' } );
	}
	for ( const { label, user } of cases ) {
		const dir = privateDir( user );
		const checkout = path.join( dir, 'smtp-port-helper' );
		try {
			fs.mkdirSync( checkout );
			copyCheckout( checkout );
			if ( user ) {
				handOver( dir, user );
			}
			await checkCopy( suite, label, checkout, user );
		} finally {
			fs.rmSync( dir, { recursive: true, force: true } );
		}
	}
	if ( ! isRoot ) {
		suite.skip(
			'the normal user nobody: a second user in a directory only they may enter',
			'needs root to run as another user; CI runs it as root'
		);
	}
	process.exitCode = suite.finish() ? 1 : 0;
}

main();
