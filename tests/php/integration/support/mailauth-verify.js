/**
 * Verifies one received message with mailauth (a real DKIM/SPF/DMARC verifier, npm) against the
 * test name server (NSD on 127.0.0.1:10053), as a receiving mail server would.
 *
 * Usage: node mailauth-verify.js <file.eml> <client ip> <envelope sender> [dns port]
 * Prints {dkim: [{domain, selector, result}], spf, dmarc, dmarcPolicy} as JSON.
 */
const fs = require( 'node:fs' );
const { Resolver } = require( 'node:dns' ).promises;
const { authenticate } = require( 'mailauth' );

async function main() {
	const [ file, ip, sender, port = '10053' ] = process.argv.slice( 2 );
	const resolver = new Resolver( { timeout: 2000, tries: 1 } );
	resolver.setServers( [ `127.0.0.1:${ port }` ] );
	// The capture server's own first line is the SMTP envelope, not part of the message.
	const message = fs
		.readFileSync( file, 'utf8' )
		.replace( /^X-Test-Envelope: [^\r\n]*\r?\n/, '' );
	const result = await authenticate( Buffer.from( message ), {
		ip,
		helo: 'relay.test',
		sender,
		mta: 'mx.receiver.test',
		resolver: ( name, type ) => resolver.resolve( name, type ),
	} );
	process.stdout.write(
		JSON.stringify( {
			dkim: result.dkim.results.map( ( signature ) => ( {
				domain: signature.signingDomain,
				selector: signature.selector,
				result: signature.status.result,
				comment: signature.status.comment || '',
			} ) ),
			spf: result.spf ? result.spf.status.result : 'none',
			dmarc: result.dmarc ? result.dmarc.status.result : 'none',
			dmarcPolicy: result.dmarc ? result.dmarc.policy || '' : '',
		} ) + '\n'
	);
}

main().catch( ( error ) => {
	process.stderr.write(
		String( error && error.stack ? error.stack : error ) + '\n'
	);
	process.exit( 2 );
} );
