/**
 * A DNS proxy that adds a fixed latency to every query, for the domain check's benchmark: UDP and
 * TCP on 127.0.0.1:<listen>, each query held <ms> before it goes on to the name server on
 * 127.0.0.1:<upstream>, so one round trip costs at least <ms>, as to a name server far away.
 *
 * Usage: node tests/bench/dns-latency-proxy.js <listen port> <upstream port> <ms>
 * Prints "ready" when it listens; stops on SIGTERM.
 */
const dgram = require( 'node:dgram' );
const net = require( 'node:net' );

const [ listen, upstream, delay ] = process.argv.slice( 2 ).map( Number );

const udp = dgram.createSocket( 'udp4' );
udp.on( 'message', ( query, client ) => {
	setTimeout( () => {
		const out = dgram.createSocket( 'udp4' );
		out.on( 'message', ( answer ) => {
			udp.send( answer, client.port, client.address );
			out.close();
		} );
		out.send( query, upstream, '127.0.0.1' );
		// A query the name server never answers: drop its socket (close() throws if already closed).
		const timer = setTimeout( () => out.close(), 5000 );
		out.on( 'close', () => clearTimeout( timer ) );
	}, delay );
} );

const tcp = net.createServer( ( client ) => {
	client.pause();
	setTimeout( () => {
		const server = net.connect( upstream, '127.0.0.1', () => {
			client.pipe( server ).pipe( client );
			client.resume();
		} );
		server.on( 'error', () => client.destroy() );
		client.on( 'error', () => server.destroy() );
	}, delay );
} );

let listening = 0;
const ready = () => {
	if ( ++listening === 2 ) {
		process.stdout.write( 'ready\n' );
	}
};
udp.bind( listen, '127.0.0.1', ready );
tcp.listen( listen, '127.0.0.1', ready );
process.on( 'SIGTERM', () => process.exit( 0 ) );
