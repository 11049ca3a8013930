/**
 * An HTTP proxy that records each CONNECT it is asked for and refuses it (no dependencies): shows
 * whether a request went through a proxy instead of straight to the address the plugin checked.
 *
 * Usage: node connect-proxy.js --port 0 --out FILE
 *
 * Appends one line per CONNECT target ("host:port") to FILE and answers 403. Prints one JSON line
 * {"event":"listening","port":...}. Exits when stdin closes (the parent is gone).
 */
const http = require( 'http' );
const fs = require( 'fs' );

const args = process.argv.slice( 2 );
let port = 0;
let out = '';
for ( let i = 0; i < args.length; i++ ) {
	if ( args[ i ] === '--port' ) {
		port = Number( args[ ++i ] );
	} else if ( args[ i ] === '--out' ) {
		out = args[ ++i ];
	}
}

const server = http.createServer( ( request, response ) => {
	fs.appendFileSync( out, `${ request.method } ${ request.url }\n` );
	response.writeHead( 403 ).end();
} );
server.on( 'connect', ( request, socket ) => {
	fs.appendFileSync( out, `CONNECT ${ request.url }\n` );
	socket.end( 'HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n' );
} );
server.listen( port, '127.0.0.1', () => {
	process.stdout.write(
		JSON.stringify( { event: 'listening', port: server.address().port } ) +
			'\n'
	);
} );
process.stdin.on( 'end', () => process.exit( 0 ) );
process.stdin.resume();
