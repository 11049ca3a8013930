/**
 * Where the local Postfix delivers: a plain SMTP sink on loopback that stores every message it is
 * handed as an .eml file (env/smtp/mailbox.js, the envelope in a first `X-Test-Envelope` header),
 * so a test sees that a message sent with XOAUTH2 went through Postfix and arrived.
 *
 * Usage: node env/oauth/capture.js OUT_DIR     Env: OAUTH_CAPTURE_PORT (default 10026)
 */
const { SMTPServer } = require( 'smtp-server' );
require( '../smtp/greet-at-once' );
const { storeMessages } = require( '../smtp/mailbox' );

const outDir = process.argv[ 2 ];
if ( ! outDir ) {
	process.stderr.write( 'usage: node env/oauth/capture.js OUT_DIR\n' );
	process.exit( 2 );
}
const port = Number( process.env.OAUTH_CAPTURE_PORT || 10026 );
const log = ( entry ) =>
	process.stdout.write(
		JSON.stringify( { t: new Date().toISOString(), ...entry } ) + '\n'
	);

const server = new SMTPServer( {
	name: 'capture.oauth.test',
	banner: 'local OAuth stack mail capture',
	disableReverseLookup: true,
	authOptional: true,
	disabledCommands: [ 'AUTH', 'STARTTLS' ],
	onData: storeMessages( outDir, port, ( file, envelope ) =>
		log( { event: 'stored', file, ...envelope } )
	),
} );
server.on( 'error', ( error ) =>
	log( { event: 'error', error: error.message } )
);
server.listen( port, '127.0.0.1', () => log( { event: 'listening', port } ) );
// Messages are written synchronously: nothing to wait for.
const stop = () => process.exit( 0 );
process.on( 'SIGTERM', stop );
process.on( 'SIGINT', stop );
