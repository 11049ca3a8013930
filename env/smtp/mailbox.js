/**
 * The test servers' mailbox: every accepted message is written to a directory as
 * `<time>-<port>-<pid>-<n>.eml`, its envelope in a first header line `X-Test-Envelope: {json}` so
 * tests can assert the Return-Path, the port, the login and TLS (tests/php/integration/Smtp_Mailbox.php
 * reads them). Written to `.part` first and renamed, so a reader never sees half a message.
 */
const fs = require( 'fs' );
const path = require( 'path' );

/**
 * An `onData` handler for smtp-server that stores each message.
 *
 * @param {string}   outDir    Directory of the .eml files (created if missing).
 * @param {number}   port      The listening port (part of the envelope and the file name).
 * @param {Function} [onSaved] Called with the file and the envelope of each stored message.
 * @return {Function} smtp-server's onData( stream, session, callback ).
 */
function storeMessages( outDir, port, onSaved = () => {} ) {
	fs.mkdirSync( outDir, { recursive: true } );
	let counter = 0;
	return ( stream, session, callback ) => {
		const chunks = [];
		stream.on( 'data', ( chunk ) => chunks.push( chunk ) );
		stream.on( 'end', () => {
			counter++;
			const file = path.join(
				outDir,
				`${ Date.now() }-${ port }-${ process.pid }-${ counter }.eml`
			);
			const envelope = {
				port,
				mailFrom: session.envelope.mailFrom
					? session.envelope.mailFrom.address
					: null,
				rcptTo: session.envelope.rcptTo.map( ( r ) => r.address ),
				user: session.user || null,
				tls: Boolean( session.secure ),
			};
			const head = `X-Test-Envelope: ${ JSON.stringify( envelope ) }\r\n`;
			fs.writeFileSync(
				file + '.part',
				Buffer.concat( [ Buffer.from( head ), ...chunks ] )
			);
			fs.renameSync( file + '.part', file );
			onSaved( file, envelope );
			callback( null, 'Queued as ' + path.basename( file ) );
		} );
	};
}

module.exports = { storeMessages };
