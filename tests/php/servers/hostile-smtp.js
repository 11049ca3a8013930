/**
 * Broken and hostile "SMTP" servers for the probe tests, all on 127.0.0.1.
 *
 * Usage: node hostile-smtp.js --cert-dir DIR [--intercept-cert-dir DIR] [--max-seconds 120] MODE:PORT ...
 * Prints one JSON line {"event":"listening","mode":...,"port":...} per listener. Exits by itself
 * after --max-seconds, or when stdin closes (the parent test process is gone).
 *
 * Modes:
 *   silent          accepts, never sends anything
 *   http            answers any input with an HTTP 400 response, then closes
 *   drip            sends a greeting one byte per second
 *   huge_line       sends a 1 MB greeting line
 *   huge_reply      sends a 1 MB multi-line greeting (lines of 1000 bytes)
 *   reject          greets with 554 (refuses service)
 *   stall           greets, then never answers commands
 *   no_starttls     plain SMTP, AUTH offered, no STARTTLS
 *   starttls_refuse STARTTLS offered, answered with 454
 *   close_tls       STARTTLS accepted, connection closed when the ClientHello arrives
 *   close_implicit  closes when the first byte (a ClientHello) arrives
 *   tls_garbage     answers the ClientHello with bytes that look like TLS but are not
 *   no_auth         STARTTLS works (good certificate), no AUTH offered after TLS
 *   auth_reject     STARTTLS works, AUTH offered, every login refused with 535
 *   intercept       greets as smtp.interceptor.example, STARTTLS with a certificate for that name
 *   login_only      STARTTLS works, only AUTH LOGIN offered; accepts test / secret
 *   m365_auth_off   STARTTLS works, every login refused as Microsoft 365 does with SMTP AUTH off (535 5.7.139)
 *   m365_basic      STARTTLS works, every login refused with Microsoft's 550 5.7.30 (basic auth not supported)
 *   gmail_app       STARTTLS works, every login refused as Gmail does without an app password (534 5.7.9, two lines)
 */
const net = require( 'net' );
const tls = require( 'tls' );
const fs = require( 'fs' );
const path = require( 'path' );

const args = process.argv.slice( 2 );
let certDir = null;
let interceptDir = null;
let maxSeconds = 120;
const listeners = [];
for ( let i = 0; i < args.length; i++ ) {
	if ( args[ i ] === '--cert-dir' ) {
		certDir = args[ ++i ];
	} else if ( args[ i ] === '--intercept-cert-dir' ) {
		interceptDir = args[ ++i ];
	} else if ( args[ i ] === '--max-seconds' ) {
		maxSeconds = Number( args[ ++i ] );
	} else {
		const [ mode, port ] = args[ i ].split( ':' );
		listeners.push( { mode, port: Number( port ) } );
	}
}

setTimeout( () => process.exit( 0 ), maxSeconds * 1000 ).unref();
process.stdin.on( 'end', () => process.exit( 0 ) );
process.stdin.on( 'error', () => process.exit( 0 ) );
process.stdin.resume();

const loadCert = ( dir ) =>
	dir
		? {
				key: fs.readFileSync( path.join( dir, 'key.pem' ) ),
				cert: fs.readFileSync( path.join( dir, 'cert.pem' ) ),
			}
		: null;
const goodCert = loadCert( certDir );
const interceptCert = loadCert( interceptDir );

const sockets = new Set();
const log = ( entry ) => process.stdout.write( JSON.stringify( entry ) + '\n' );

/**
 * A tiny SMTP dialogue with switches for the broken behaviours.
 *
 * @param {import('net').Socket} socket The accepted connection.
 * @param {Object}               opt    Behaviour switches (starttls, auth, loginOnly, cert, name, banner).
 */
function smtp( socket, opt ) {
	let sock = socket;
	let secure = false;
	let buf = '';
	let login = null;
	const name = opt.name || 'localhost';
	const write = ( text ) => {
		if ( ! sock.destroyed ) {
			sock.write( text );
		}
	};
	const onData = ( data ) => {
		buf += data.toString( 'latin1' );
		if ( buf.length > 65536 ) {
			sock.destroy();
			return;
		}
		let i;
		while ( ( i = buf.indexOf( '\n' ) ) >= 0 ) {
			const line = buf.slice( 0, i ).replace( /\r$/, '' );
			buf = buf.slice( i + 1 );
			handle( line );
		}
	};
	const handle = ( line ) => {
		if ( login ) {
			const value = Buffer.from( line, 'base64' ).toString();
			if ( login.step === 'user' ) {
				login = { step: 'pass', user: value };
				write( '334 UGFzc3dvcmQ6\r\n' );
			} else {
				const ok = login.user === 'test' && value === 'secret';
				login = null;
				write(
					ok
						? '235 2.7.0 Authentication successful\r\n'
						: '535 5.7.8 Authentication credentials invalid\r\n'
				);
			}
			return;
		}
		const cmd = line.split( ' ' )[ 0 ].toUpperCase();
		if ( cmd === 'QUIT' ) {
			write( '221 2.0.0 Bye\r\n' );
			sock.end();
			return;
		}
		if ( opt.stall ) {
			return;
		}
		if ( cmd === 'EHLO' || cmd === 'HELO' ) {
			const ext = [ '8BITMIME', 'SIZE 1000000' ];
			if ( ! secure && opt.starttls ) {
				ext.push( 'STARTTLS' );
			}
			if ( opt.auth && ( secure || ! opt.starttls ) ) {
				ext.push( opt.loginOnly ? 'AUTH LOGIN' : 'AUTH PLAIN LOGIN' );
			}
			const lines = [ `${ name } Hello`, ...ext ];
			write(
				lines
					.map(
						( l, n ) =>
							`250${ n === lines.length - 1 ? ' ' : '-' }${ l }\r\n`
					)
					.join( '' )
			);
		} else if ( cmd === 'STARTTLS' && opt.starttls && ! secure ) {
			if ( opt.starttls === 'refuse' ) {
				write( '454 4.7.0 TLS not available due to local problem\r\n' );
				return;
			}
			write( '220 2.0.0 Ready to start TLS\r\n' );
			sock.removeListener( 'data', onData );
			if ( opt.starttls === 'close' ) {
				sock.once( 'data', () => sock.destroy() );
				return;
			}
			const secured = new tls.TLSSocket( sock, {
				isServer: true,
				...opt.cert,
			} );
			secured.on( 'error', () => sock.destroy() );
			secured.on( 'data', onData );
			sock = secured;
			secure = true;
			buf = '';
		} else if (
			cmd === 'AUTH' &&
			opt.loginOnly &&
			secure &&
			/^AUTH LOGIN$/i.test( line )
		) {
			login = { step: 'user' };
			write( '334 VXNlcm5hbWU6\r\n' );
		} else if ( cmd === 'AUTH' && opt.auth && opt.authReply ) {
			write( opt.authReply );
		} else if ( cmd === 'AUTH' ) {
			write(
				opt.auth
					? '535 5.7.8 Authentication credentials invalid\r\n'
					: '503 5.5.1 AUTH not available\r\n'
			);
		} else if ( cmd === 'NOOP' || cmd === 'RSET' ) {
			write( '250 2.0.0 OK\r\n' );
		} else {
			write( '502 5.5.2 Command not implemented\r\n' );
		}
	};
	sock.on( 'data', onData );
	write( `220 ${ name } ESMTP ${ opt.banner || 'hostile test server' }\r\n` );
}

const handlers = {
	silent: () => {},
	http: ( s ) =>
		s.once( 'data', () => {
			s.end(
				'HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request'
			);
		} ),
	drip: ( s ) => {
		const text =
			'220 localhost ESMTP slow greeting that takes a very long time\r\n';
		let i = 0;
		const timer = setInterval( () => {
			if ( s.destroyed || i >= text.length ) {
				clearInterval( timer );
				return;
			}
			s.write( text[ i++ ] );
		}, 1000 );
		s.on( 'close', () => clearInterval( timer ) );
	},
	huge_line: ( s ) => {
		s.write( '220 ' + 'x'.repeat( 1024 * 1024 ) + '\r\n' );
	},
	huge_reply: ( s ) => {
		const line = '220-' + 'y'.repeat( 996 ) + '\r\n';
		s.write( line.repeat( 1024 ) + '220 end\r\n' );
	},
	reject: ( s ) =>
		s.end( '554 5.7.1 Service unavailable; client host blocked\r\n' ),
	stall: ( s ) => smtp( s, { stall: true } ),
	no_starttls: ( s ) => smtp( s, { auth: true } ),
	starttls_refuse: ( s ) => smtp( s, { starttls: 'refuse', auth: true } ),
	close_tls: ( s ) => smtp( s, { starttls: 'close', auth: true } ),
	close_implicit: ( s ) => s.once( 'data', () => s.destroy() ),
	tls_garbage: ( s ) =>
		s.once( 'data', () => {
			const junk = Buffer.alloc( 64, 0x41 );
			s.write(
				Buffer.concat( [
					Buffer.from( [ 0x16, 0x03, 0x03, 0x00, 0x40 ] ),
					junk,
				] )
			);
			setTimeout( () => s.destroy(), 3000 );
		} ),
	no_auth: ( s ) =>
		smtp( s, { starttls: 'upgrade', auth: false, cert: goodCert } ),
	auth_reject: ( s ) =>
		smtp( s, { starttls: 'upgrade', auth: true, cert: goodCert } ),
	login_only: ( s ) =>
		smtp( s, {
			starttls: 'upgrade',
			auth: true,
			loginOnly: true,
			cert: goodCert,
		} ),
	// The providers' own words (see includes/Probe/Provider_Login_Policy.php for the sources).
	m365_auth_off: ( s ) =>
		smtp( s, {
			starttls: 'upgrade',
			auth: true,
			cert: goodCert,
			authReply:
				'535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information. [AM0PR01CA0001.eurprd01.prod.exchangelabs.com]\r\n',
		} ),
	m365_basic: ( s ) =>
		smtp( s, {
			starttls: 'upgrade',
			auth: true,
			cert: goodCert,
			authReply:
				'550 5.7.30 Basic authentication is not supported for Client Submission.\r\n',
		} ),
	gmail_app: ( s ) =>
		smtp( s, {
			starttls: 'upgrade',
			auth: true,
			cert: goodCert,
			authReply:
				'534-5.7.9 Application-specific password required. Learn more at\r\n534 5.7.9  https://support.google.com/mail/?p=InvalidSecondFactor a1-20020a170906000000b00000000000sm1.2 - gsmtp\r\n',
		} ),
	intercept: ( s ) =>
		smtp( s, {
			starttls: 'upgrade',
			auth: true,
			cert: interceptCert,
			name: 'smtp.interceptor.example',
			banner: 'relay',
		} ),
};

for ( const { mode, port } of listeners ) {
	const handler = handlers[ mode ];
	if ( ! handler ) {
		process.stderr.write( `unknown mode ${ mode }\n` );
		process.exit( 2 );
	}
	const server = net.createServer( ( socket ) => {
		sockets.add( socket );
		socket.on( 'close', () => sockets.delete( socket ) );
		socket.on( 'error', () => {} );
		socket.setTimeout( 60000, () => socket.destroy() );
		handler( socket );
	} );
	server.on( 'error', ( error ) =>
		log( { event: 'error', mode, port, error: error.message } )
	);
	server.listen( port, '127.0.0.1', () =>
		log( { event: 'listening', mode, port } )
	);
}
process.on( 'SIGTERM', () => process.exit( 0 ) );
