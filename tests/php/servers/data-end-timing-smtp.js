/**
 * An SMTP server (plain, no login) that measures how long the end of each message's DATA (the
 * `.` line) arrived after the message itself: a client that sends the `.` in a write of its own
 * with Nagle's algorithm on waits for the ACK of the message first, which this server (like any
 * that answers only after the `.`) delays — 40 ms on Linux. Accepts any number of messages per
 * connection. Logs {"event":"data-end","wait_ms":N,"bytes":B} for each message: N is 0 when the
 * `.` came in the same read as the end of the message.
 *
 * Usage: node data-end-timing-smtp.js --port P
 * Prints {"event":"listening","port":P}. Exits when stdin closes or after 120 s (WATCHDOG_SECONDS).
 */
const net = require( 'net' );
const { exitWithParent } = require( './exit-with-parent' );

exitWithParent( 120 );
const port = Number( process.argv[ process.argv.indexOf( '--port' ) + 1 ] );

const log = ( entry ) => process.stdout.write( JSON.stringify( entry ) + '\n' );
const TERMINATOR = '\r\n.\r\n';

const server = net.createServer( ( socket ) => {
	// The server's replies go out at once: only the client's writes are measured.
	socket.setNoDelay( true );
	socket.on( 'error', () => {} );
	let inData = false;
	let pending = '';
	let data = '';
	let lastContentAt = 0;

	const command = ( line ) => {
		const verb = line.slice( 0, 4 ).toUpperCase();
		if ( verb === 'EHLO' ) {
			socket.write( '250-localhost\r\n250 8BITMIME\r\n' );
		} else if ( verb === 'DATA' ) {
			inData = true;
			data = '\r\n'; // The message may be empty: `.` right after DATA's line ends it.
			lastContentAt = process.hrtime.bigint();
			socket.write( '354 End data with <CR><LF>.<CR><LF>\r\n' );
		} else if ( verb === 'QUIT' ) {
			socket.end( '221 Bye\r\n' );
		} else {
			socket.write( '250 OK\r\n' );
		}
	};

	socket.write( '220 localhost data-end timing test SMTP\r\n' );
	socket.on( 'data', ( chunk ) => {
		const arrived = process.hrtime.bigint();
		let text = chunk.toString( 'latin1' );
		while ( text !== '' ) {
			if ( inData ) {
				const before = data.length;
				data += text;
				text = '';
				const end = data.indexOf( TERMINATOR );
				if ( end < 0 ) {
					lastContentAt = arrived;
					continue;
				}
				// Did this read bring anything of the message, or only (the rest of) the `.` line?
				const onlyTheEnd = before >= end;
				log( {
					event: 'data-end',
					wait_ms: onlyTheEnd
						? Number( arrived - lastContentAt ) / 1e6
						: 0,
					bytes: end - 2,
				} );
				text = data.slice( end + TERMINATOR.length );
				inData = false;
				data = '';
				socket.write( '250 OK queued\r\n' );
				continue;
			}
			pending += text;
			text = '';
			let lineEnd;
			while ( ! inData && ( lineEnd = pending.indexOf( '\r\n' ) ) >= 0 ) {
				const line = pending.slice( 0, lineEnd );
				pending = pending.slice( lineEnd + 2 );
				command( line );
			}
			if ( inData ) {
				text = pending;
				pending = '';
			}
		}
	} );
} );
server.listen( port, '127.0.0.1', () => log( { event: 'listening', port } ) );
