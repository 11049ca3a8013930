/**
 * What the stack's local servers share (env/smtp/servers.js, env/providers/api-servers.js): the
 * stack's certificate and key, one JSON line per event on stdout, and a clean stop on SIGTERM or
 * SIGINT (each server closed, then exit; at most 2 s).
 */
const fs = require( 'fs' );
const path = require( 'path' );

/**
 * The certificate and key of a directory (key.pem + cert.pem).
 *
 * @param {string} certDir The directory.
 * @return {{key: Buffer, cert: Buffer}} Both, as the TLS servers take them.
 */
function certificate( certDir ) {
	return {
		key: fs.readFileSync( path.join( certDir, 'key.pem' ) ),
		cert: fs.readFileSync( path.join( certDir, 'cert.pem' ) ),
	};
}

/**
 * Writes one event as a JSON line with its time.
 *
 * @param {Object} entry The event.
 */
function log( entry ) {
	process.stdout.write(
		JSON.stringify( { t: new Date().toISOString(), ...entry } ) + '\n'
	);
}

/**
 * Closes every server on SIGTERM or SIGINT, then exits.
 *
 * @param {Array<{close: Function}>} servers The listening servers.
 */
function stopOnSignals( servers ) {
	const shutdown = ( signal ) => {
		log( { event: 'stopping', signal } );
		let open = servers.length;
		const done = () => --open <= 0 && process.exit( 0 );
		servers.forEach( ( s ) => s.close( done ) );
		setTimeout( () => process.exit( 0 ), 2000 ).unref();
	};
	process.on( 'SIGTERM', () => shutdown( 'SIGTERM' ) );
	process.on( 'SIGINT', () => shutdown( 'SIGINT' ) );
}

module.exports = { certificate, log, stopOnSignals };
