/**
 * TCP proxy that adds latency, for benchmarks on loopback (no dependencies).
 *
 * Usage: node latency-proxy.js [--delay-ms 40] [--target-host 127.0.0.1] [--max-seconds 300] LISTEN:TARGET ...
 *
 * Listens on 127.0.0.1:LISTEN (0: a free port chosen by the kernel) and forwards every accepted
 * connection to TARGET-HOST:TARGET. Every chunk is held back for --delay-ms in BOTH directions
 * (order preserved, end of stream included), so one request/reply round trip costs twice the
 * delay: 40 ms simulates a WAN round trip of 80 ms. Bytes are passed through unchanged, so TLS
 * (STARTTLS or implicit) works end to end. The TCP connect itself is local and not delayed.
 *
 * Prints one JSON line {"event":"listening","port":...,"target":...,"delay_ms":...} per
 * listener. Exits by itself after --max-seconds, or when stdin closes (the parent is gone).
 */
const net = require( 'net' );
const { performance } = require( 'perf_hooks' );

const args = process.argv.slice( 2 );
let delayMs = 40;
let targetHost = '127.0.0.1';
let maxSeconds = 300;
const routes = [];
for ( let i = 0; i < args.length; i++ ) {
	if ( args[ i ] === '--delay-ms' ) {
		delayMs = Number( args[ ++i ] );
	} else if ( args[ i ] === '--target-host' ) {
		targetHost = args[ ++i ];
	} else if ( args[ i ] === '--max-seconds' ) {
		maxSeconds = Number( args[ ++i ] );
	} else {
		const [ listen, target ] = args[ i ].split( ':' ).map( Number );
		routes.push( { listen, target } );
	}
}

const log = ( entry ) => process.stdout.write( JSON.stringify( entry ) + '\n' );

if (
	! Number.isFinite( delayMs ) ||
	delayMs < 0 ||
	routes.length === 0 ||
	routes.some(
		( r ) =>
			! Number.isInteger( r.listen ) ||
			! Number.isInteger( r.target ) ||
			r.listen < 0 ||
			r.listen > 65535 ||
			r.target < 1 ||
			r.target > 65535
	)
) {
	log( {
		event: 'error',
		error: 'usage: latency-proxy.js [--delay-ms N] LISTEN:TARGET ...',
	} );
	process.exit( 2 );
}

setTimeout( () => process.exit( 0 ), maxSeconds * 1000 ).unref();
process.stdin.on( 'end', () => process.exit( 0 ) );
process.stdin.on( 'error', () => process.exit( 0 ) );
process.stdin.resume();
process.on( 'SIGTERM', () => process.exit( 0 ) );

/**
 * Copies `from` to `to`, each chunk (and the end of the stream) delivered `delayMs` later.
 *
 * One queue per direction and a single timer for its head keep the order even when timers
 * fire late; chunks that are due together are written together.
 *
 * @param {import('net').Socket} from Source.
 * @param {import('net').Socket} to   Destination.
 */
function delayedPipe( from, to ) {
	const queue = [];
	let timer = null;
	const pump = () => {
		timer = null;
		// Timers have millisecond resolution: treat anything due within 1 ms as due.
		const now = performance.now() + 1;
		while ( queue.length > 0 && queue[ 0 ].at <= now ) {
			const item = queue.shift();
			if ( to.destroyed ) {
				continue;
			}
			if ( item.end ) {
				to.end();
			} else {
				to.write( item.data );
			}
		}
		if ( queue.length > 0 ) {
			timer = setTimeout(
				pump,
				Math.max( 0, queue[ 0 ].at - performance.now() )
			);
		}
	};
	const push = ( item ) => {
		item.at = performance.now() + delayMs;
		queue.push( item );
		if ( null === timer ) {
			timer = setTimeout( pump, delayMs );
		}
	};
	from.on( 'data', ( data ) => push( { data } ) );
	from.on( 'end', () => push( { end: true } ) );
}

const sockets = new Set();

for ( const route of routes ) {
	const server = net.createServer(
		{ allowHalfOpen: true, noDelay: true },
		( client ) => {
			const upstream = net.connect( {
				host: targetHost,
				port: route.target,
				allowHalfOpen: true,
				noDelay: true,
			} );
			client.setNoDelay( true );
			upstream.setNoDelay( true );
			for ( const socket of [ client, upstream ] ) {
				sockets.add( socket );
				socket.setTimeout( 60000, () => socket.destroy() );
			}
			// A reset or error on one side resets the other one (after the delay, like a real RST).
			const fail = () =>
				setTimeout( () => {
					client.destroy();
					upstream.destroy();
				}, delayMs );
			client.on( 'error', fail );
			upstream.on( 'error', fail );
			client.on( 'close', () => sockets.delete( client ) );
			upstream.on( 'close', () => sockets.delete( upstream ) );
			delayedPipe( client, upstream );
			delayedPipe( upstream, client );
		}
	);
	server.on( 'error', ( error ) =>
		log( { event: 'error', port: route.listen, error: error.message } )
	);
	server.listen( route.listen, '127.0.0.1', () =>
		log( {
			event: 'listening',
			port: server.address().port,
			target: route.target,
			delay_ms: delayMs,
		} )
	);
}
