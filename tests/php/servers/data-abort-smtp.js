/**
 * An SMTP server (plain, no login) that accepts the envelope and then breaks the connection in the
 * middle of DATA, after the first --after bytes of the message: a server or network that fails while
 * a large message is under way. Logs {"event":"aborted","bytes":N} when it cut the connection.
 *
 * Usage: node data-abort-smtp.js --port P [--after BYTES] [--max-seconds 120]
 * Prints {"event":"listening","port":P}. Exits when stdin closes or after --max-seconds.
 */
const net = require( 'net' );

const args = process.argv.slice( 2 );
const option = ( name, fallback ) => {
	const index = args.indexOf( name );
	return index >= 0 ? args[ index + 1 ] : fallback;
};
const port = Number( option( '--port' ) );
const after = Number( option( '--after', 1048576 ) );
const maxSeconds = Number( option( '--max-seconds', 120 ) );

setTimeout( () => process.exit( 0 ), maxSeconds * 1000 ).unref();
process.stdin.on( 'end', () => process.exit( 0 ) );
process.stdin.on( 'error', () => process.exit( 0 ) );
process.stdin.resume();

const log = ( entry ) => process.stdout.write( JSON.stringify( entry ) + '\n' );

const server = net.createServer( ( socket ) => {
	let inData = false;
	let dataBytes = 0;
	let pending = '';
	socket.on( 'error', () => {} );
	socket.write( '220 localhost data-abort test SMTP\r\n' );
	socket.on( 'data', ( chunk ) => {
		if ( inData ) {
			dataBytes += chunk.length;
			if ( dataBytes >= after ) {
				log( { event: 'aborted', bytes: dataBytes } );
				socket.destroy();
			}
			return;
		}
		pending += chunk.toString( 'latin1' );
		let end;
		while ( ! inData && ( end = pending.indexOf( '\r\n' ) ) >= 0 ) {
			const command = pending.slice( 0, end ).toUpperCase();
			pending = pending.slice( end + 2 );
			if ( command.startsWith( 'EHLO' ) ) {
				socket.write( '250-localhost\r\n250 8BITMIME\r\n' );
			} else if ( command.startsWith( 'DATA' ) ) {
				inData = true;
				dataBytes = pending.length;
				socket.write( '354 End data with <CR><LF>.<CR><LF>\r\n' );
			} else if ( command.startsWith( 'QUIT' ) ) {
				socket.end( '221 Bye\r\n' );
			} else {
				socket.write( '250 OK\r\n' );
			}
		}
	} );
} );
server.listen( port, '127.0.0.1', () => log( { event: 'listening', port } ) );
