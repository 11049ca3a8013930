/**
 * An SMTP server for the outbox tests: STARTTLS with the stack's certificate, AUTH test/secret
 * required, answers chosen by the recipient's local part, every accepted message written to OUT_DIR
 * (with the X-Test-Envelope first line of env/smtp/servers.js). Stopped and started again by the
 * tests to stand for an outage.
 *
 * Usage: node outbox-smtp.js --port P --out DIR --cert-dir DIR [--max-seconds 300]
 *        [--rate N --window S]
 * --rate N --window S: a mailbox's sending limit, as Microsoft 365's 30 messages a minute: at most
 *             N messages per S seconds (fixed windows from the epoch, as Date.now() counts); MAIL
 *             FROM above it is answered `451 4.7.0 … rate limit exceeded` and logged as
 *             {"event":"throttled"}; each accepted MAIL FROM is logged as {"event":"accepted"}.
 * Recipients: greylist…@  451 the first time each address is seen by this process, then accepted
 *             defer…@     451 always
 *             refuse…@    550 always
 *             quota…@     554 5.2.0 …SubmissionQuotaExceededException (Microsoft 365's daily limit)
 *             reject-content…@  accepted, then the message refused for good at the end of DATA
 *                         (554 5.6.0, as a content filter does); nothing is stored
 *             anyone else accepted
 * Prints {"event":"listening","port":P}. Exits when stdin closes or after --max-seconds.
 */
const { SMTPServer } = require( 'smtp-server' );
require( '../../../env/smtp/greet-at-once' );
const { storeMessages } = require( '../../../env/smtp/mailbox' );
const fs = require( 'fs' );
const path = require( 'path' );

const args = process.argv.slice( 2 );
const option = ( name, fallback ) => {
	const index = args.indexOf( name );
	return index >= 0 ? args[ index + 1 ] : fallback;
};
const port = Number( option( '--port' ) );
const outDir = option( '--out' );
const certDir = option( '--cert-dir' );
const maxSeconds = Number( option( '--max-seconds', 300 ) );
const rate = Number( option( '--rate', 0 ) );
const windowMs = Number( option( '--window', 60 ) ) * 1000;
const windows = new Map();

setTimeout( () => process.exit( 0 ), maxSeconds * 1000 ).unref();
process.stdin.on( 'end', () => process.exit( 0 ) );
process.stdin.on( 'error', () => process.exit( 0 ) );
process.stdin.resume();

const log = ( entry ) => process.stdout.write( JSON.stringify( entry ) + '\n' );
const greylisted = new Set();
const store = storeMessages( outDir, port );

const answer = ( code, text ) => {
	const error = new Error( text );
	error.responseCode = code;
	return error;
};

const server = new SMTPServer( {
	key: fs.readFileSync( path.join( certDir, 'key.pem' ) ),
	cert: fs.readFileSync( path.join( certDir, 'cert.pem' ) ),
	name: 'localhost',
	banner: `outbox test SMTP on ${ port }`,
	disableReverseLookup: true,
	authMethods: [ 'PLAIN', 'LOGIN' ],
	allowInsecureAuth: false,
	size: 10 * 1024 * 1024,
	onAuth( auth, session, callback ) {
		if ( auth.username === 'test' && auth.password === 'secret' ) {
			return callback( null, { user: auth.username } );
		}
		return callback( answer( 535, 'Invalid username or password' ) );
	},
	onMailFrom( address, session, callback ) {
		if ( rate > 0 ) {
			const now = Date.now();
			const index = Math.floor( now / windowMs );
			const taken = windows.get( index ) || 0;
			if ( taken >= rate ) {
				log( { event: 'throttled', at: now, window: index } );
				return callback(
					answer(
						451,
						'4.7.0 Message submission rate limit exceeded, try again later'
					)
				);
			}
			windows.set( index, taken + 1 );
			windows.delete( index - 2 );
			log( { event: 'accepted', at: now, window: index } );
		}
		return callback();
	},
	onRcptTo( address, session, callback ) {
		const local = address.address.split( '@' )[ 0 ];
		if ( local.startsWith( 'refuse' ) ) {
			return callback(
				answer(
					550,
					`5.1.1 <${ address.address }>: mailbox unavailable`
				)
			);
		}
		if ( local.startsWith( 'quota' ) ) {
			return callback(
				answer(
					554,
					'5.2.0 STOREDRV.Submission.Exception:SubmissionQuotaExceededException; Failed to process message due to a permanent exception'
				)
			);
		}
		if ( local.startsWith( 'defer' ) ) {
			return callback( answer( 451, '4.3.0 Try again later' ) );
		}
		if (
			local.startsWith( 'greylist' ) &&
			! greylisted.has( address.address )
		) {
			greylisted.add( address.address );
			return callback(
				answer( 451, '4.7.1 Greylisted, try again later' )
			);
		}
		return callback();
	},
	onData( stream, session, callback ) {
		const refused = session.envelope.rcptTo.some( ( rcpt ) =>
			rcpt.address.split( '@' )[ 0 ].startsWith( 'reject-content' )
		);
		if ( ! refused ) {
			return store( stream, session, callback );
		}
		stream.on( 'data', () => {} );
		stream.on( 'end', () =>
			callback(
				answer( 554, '5.6.0 Message content rejected by policy' )
			)
		);
	},
} );
server.on( 'error', ( error ) =>
	log( { event: 'error', error: error.message } )
);
server.listen( port, '127.0.0.1', () => log( { event: 'listening', port } ) );
