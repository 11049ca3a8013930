/**
 * An attacker's SMTP server for the trust-boundary tests: a real smtp-server with the stack's
 * trusted test certificate, offering AUTH PLAIN/LOGIN after STARTTLS, that accepts every login
 * and every message and appends each user name and password it receives, and each message
 * (envelope and text), to a file (one JSON line each: {user, password} or {event: "message", …}).
 * With PLAIN_TEXT=1 it offers no STARTTLS and takes AUTH in clear text (a server that invites a
 * client to send its password unencrypted).
 * Exits when stdin closes or after WATCHDOG_SECONDS (default 120), so it never outlives the test.
 *
 * Usage: node tests/php/servers/credential-recorder.js PORT OUT_FILE
 * Env:   SMTP_CERT_DIR (key.pem + cert.pem), PLAIN_TEXT=1
 */
const { SMTPServer } = require( 'smtp-server' );
require( '../../../env/smtp/greet-at-once' );
const fs = require( 'fs' );
const path = require( 'path' );
const { exitWithParent } = require( './exit-with-parent' );

const port = Number( process.argv[ 2 ] );
const outFile = process.argv[ 3 ];
const certDir = process.env.SMTP_CERT_DIR || '';
const plainText = process.env.PLAIN_TEXT === '1';

exitWithParent( 120 );

const server = new SMTPServer( {
	key: fs.readFileSync( path.join( certDir, 'key.pem' ) ),
	cert: fs.readFileSync( path.join( certDir, 'cert.pem' ) ),
	name: 'localhost',
	banner: 'credential recorder',
	disableReverseLookup: true,
	authMethods: [ 'PLAIN', 'LOGIN' ],
	allowInsecureAuth: plainText,
	disabledCommands: plainText ? [ 'STARTTLS' ] : [],
	onAuth( auth, session, callback ) {
		fs.appendFileSync(
			outFile,
			JSON.stringify( {
				user: auth.username,
				password: auth.password,
			} ) + '\n'
		);
		callback( null, { user: auth.username } );
	},
	onData( stream, session, callback ) {
		const chunks = [];
		stream.on( 'data', ( chunk ) => chunks.push( chunk ) );
		stream.on( 'end', () => {
			fs.appendFileSync(
				outFile,
				JSON.stringify( {
					event: 'message',
					from: session.envelope.mailFrom
						? session.envelope.mailFrom.address
						: '',
					to: session.envelope.rcptTo.map( ( rcpt ) => rcpt.address ),
					data: Buffer.concat( chunks ).toString( 'utf8' ),
				} ) + '\n'
			);
			callback();
		} );
	},
} );
server.on( 'error', ( error ) =>
	process.stdout.write(
		JSON.stringify( { event: 'error', message: String( error ) } ) + '\n'
	)
);
server.listen( port, '127.0.0.1', () =>
	process.stdout.write(
		JSON.stringify( { event: 'listening', port } ) + '\n'
	)
);
