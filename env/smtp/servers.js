/**
 * Local SMTP test servers (nodemailer's smtp-server), one Node process for all ports.
 *
 * - implicit TLS on the ports in SMTP_TLS_PORTS (default 465), STARTTLS on every other port;
 * - AUTH PLAIN/LOGIN is offered only after TLS; on the relay port (SMTP_RELAY_PORT, default 25)
 *   AUTH is optional, everywhere else it is required before MAIL FROM;
 * - on the ports in SMTP_LOGIN_REFUSED_PORTS (default none) every login is refused with 535, as
 *   by a provider that allows login only on some ports (tests of "the same login works on 2525");
 * - every accepted message is written to OUT_DIR as <time>-<port>-<n>.eml, plus one JSON line
 *   per event on stdout (the stack script keeps it as the server log);
 * - the greeting goes out at once (greet-at-once.js), not after smtp-server's 100 ms pause;
 * - on SIGUSR2 it listens on exactly the ports in SMTP_PORTS_FILE (default: `open-ports` beside
 *   OUT_DIR; empty: the ports it started with) and then copies the request to that file +
 *   `.done`: a port closed and opened again in milliseconds, without a restart.
 *
 * Usage: node env/smtp/servers.js OUT_DIR
 * Env:   SMTP_PORTS=25,465,587,2525  SMTP_TLS_PORTS=465  SMTP_RELAY_PORT=25
 *        SMTP_CERT_DIR (key.pem + cert.pem)  SMTP_USER=test  SMTP_PASS=secret  SMTP_HOST=127.0.0.1
 *        SMTP_LOGIN_REFUSED_PORTS= (comma-separated)
 */
const fs = require( 'fs' );
const path = require( 'path' );
const { SMTPServer } = require( 'smtp-server' );
require( './greet-at-once' );
const { storeMessages } = require( './mailbox' );
const { certificate, log, stopOnSignals } = require( '../local-servers' );

const outDir = process.argv[ 2 ];
if ( ! outDir ) {
	process.stderr.write( 'usage: node servers.js OUT_DIR\n' );
	process.exit( 2 );
}

const list = ( value ) =>
	String( value )
		.split( ',' )
		.map( ( p ) => Number( p.trim() ) )
		.filter( ( p ) => Number.isInteger( p ) && p > 0 && p < 65536 );

const ports = list( process.env.SMTP_PORTS || '25,465,587,2525' );
const tlsPorts = list( process.env.SMTP_TLS_PORTS || '465' );
const relayPort = Number( process.env.SMTP_RELAY_PORT || 25 );
const loginRefusedPorts = list( process.env.SMTP_LOGIN_REFUSED_PORTS || '' );
const certDir = process.env.SMTP_CERT_DIR || __dirname;
const listenHost = process.env.SMTP_HOST || '127.0.0.1';
const user = process.env.SMTP_USER || 'test';
const pass = process.env.SMTP_PASS || 'secret';
const { key, cert } = certificate( certDir );

function listen( port, onListening = () => {} ) {
	const secure = tlsPorts.includes( port );
	const server = new SMTPServer( {
		secure,
		key,
		cert,
		name: 'localhost',
		banner: `local test SMTP on ${ port }`,
		disableReverseLookup: true,
		authMethods: [ 'PLAIN', 'LOGIN' ],
		authOptional: port === relayPort,
		allowInsecureAuth: false,
		hideSTARTTLS: secure,
		size: 10 * 1024 * 1024,
		onAuth( auth, session, callback ) {
			const ok =
				! loginRefusedPorts.includes( port ) &&
				auth.username === user &&
				auth.password === pass;
			log( {
				port,
				event: 'auth',
				method: auth.method,
				user: auth.username,
				ok,
				tls: Boolean( session.secure ),
			} );
			if ( ! ok ) {
				const error = new Error( 'Invalid username or password' );
				error.responseCode = 535;
				return callback( error );
			}
			return callback( null, { user: auth.username } );
		},
		onData: storeMessages( outDir, port, ( file, envelope ) =>
			log( { event: 'message', file, ...envelope } )
		),
	} );
	server.on( 'error', ( error ) =>
		log( { port, event: 'error', error: error.message } )
	);
	server.listen( port, listenHost, () => {
		log( { port, event: 'listening', secure } );
		onListening();
	} );
	return server;
}

// Every server, for stopOnSignals (which reads the array when the signal comes).
const servers = [];
const byPort = new Map();
for ( const port of ports ) {
	byPort.set( port, listen( port ) );
	servers.push( byPort.get( port ) );
}

/**
 * SIGUSR2: listen on exactly the ports in the control file (comma-separated; empty: the ports
 * this process started with), then copy the request to `<control file>.done`. A test closes a port (the server refuses connections at once; sessions
 * already open finish) and opens it again without restarting this process — a restart costs a
 * Node start and a new TLS context, seconds on a busy machine (tests/e2e/helpers.ts setSmtpPorts).
 */
const controlFile =
	process.env.SMTP_PORTS_FILE ||
	path.join( path.dirname( path.resolve( outDir ) ), 'open-ports' );
process.on( 'SIGUSR2', () => {
	let request;
	try {
		request = fs.readFileSync( controlFile, 'utf8' );
	} catch ( error ) {
		log( { event: 'error', error: `ports file: ${ error.message }` } );
		return;
	}
	const wanted = request.trim() === '' ? ports : list( request );
	for ( const [ port, server ] of byPort ) {
		if ( ! wanted.includes( port ) ) {
			server.close(); // Stops listening now; open sessions end by themselves.
			byPort.delete( port );
			servers.splice( servers.indexOf( server ), 1 );
			log( { port, event: 'closed' } );
		}
	}
	const opening = wanted.filter( ( port ) => ! byPort.has( port ) );
	let left = opening.length;
	const done = () => fs.writeFileSync( controlFile + '.done', request );
	for ( const port of opening ) {
		const server = listen( port, () => --left === 0 && done() );
		byPort.set( port, server );
		servers.push( server );
	}
	if ( opening.length === 0 ) {
		done();
	}
} );

stopOnSignals( servers );
