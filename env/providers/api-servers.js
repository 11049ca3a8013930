/**
 * Local HTTPS servers in the role of the mail providers' APIs (issue #21): one Node process, one
 * loopback port per provider, each with its route table (env/providers/<provider>.js).
 *
 * Every request is checked as the provider would: the auth header (the good key, a key without
 * the send permission → 403, anything else → 401, in the provider's own error shape), the body
 * size (→ 413), and the body against a JSON schema written from the provider's published API
 * description (env/providers/schemas, sources in docs/facts.md) with ajv. An accepted message is
 * read back as a person's mail client would see it — raw MIME through mailparser, a JSON API's
 * fields as the provider documents them — and written as one JSON file per message to
 * OUT_DIR/<provider>/ (tests/php/integration/Provider_Api_Mailbox.php reads them). The key never
 * reaches a log or a file.
 *
 * Faults for the tests, per port (loopback only, like the OAuth stack's /test endpoints):
 *   POST /__test/faults  {"faults":[{"status":429,"retry_after":"7"},{"lose_answer":true},…]}
 *     — each later request to a send route takes the next fault: `status` answers with the
 *       provider's error of that status (and Retry-After when given) without accepting the message;
 *       `lose_answer` accepts and stores the message, then closes the connection unanswered
 *       (a response lost on the way back: the client cannot know the message arrived).
 * Every request to the provider's routes is logged (method and path, never a header or the body).
 *   GET  /__test/health  {"ok":true,"api_connections":N} — N: the TLS connections that carried
 *     requests to the provider's routes so far (not /__test/), so a test can count how many
 *     connections a client opened for its requests.
 *
 * Usage: node env/providers/api-servers.js OUT_DIR
 * Env:   PROVIDER_API_PORTS=sendgrid=10461,postmark=10462,mailgun=10463,resend=10464,brevo=10465,ses=10466,graph=10467,gmail=10468 (provider=port, comma-separated;
 *        provider=address:port listens on that loopback address instead of PROVIDER_API_HOST)
 *        PROVIDER_API_CERT_DIR (key.pem + cert.pem: the stack's, which WordPress trusts through
 *        SMTP_PORT_HELPER_CA_FILE)  PROVIDER_API_HOST=127.0.0.1
 *        PROVIDER_API_EXIT_WITH_STDIN=1 (a test's child: exit when the parent's pipe closes)
 */
const https = require( 'https' );
const path = require( 'path' );
const { Mailbox } = require( './mailbox' );
const { certificate, log, stopOnSignals } = require( '../local-servers' );

const PROVIDERS = {
	sendgrid: require( './sendgrid' ),
	postmark: require( './postmark' ),
	mailgun: require( './mailgun' ),
	resend: require( './resend' ),
	brevo: require( './brevo' ),
	ses: require( './ses' ),
	graph: require( './graph' ),
	gmail: require( './gmail' ),
};

const outDir = process.argv[ 2 ];
if ( ! outDir ) {
	process.stderr.write( 'usage: node api-servers.js OUT_DIR\n' );
	process.exit( 2 );
}

if ( process.env.PROVIDER_API_EXIT_WITH_STDIN === '1' ) {
	process.stdin.on( 'end', () => process.exit( 0 ) );
	process.stdin.on( 'error', () => process.exit( 0 ) );
	process.stdin.resume();
	setTimeout( () => process.exit( 0 ), 600 * 1000 ).unref();
}

const defaultHost = process.env.PROVIDER_API_HOST || '127.0.0.1';
const ports = String(
	process.env.PROVIDER_API_PORTS ||
		'sendgrid=10461,postmark=10462,mailgun=10463,resend=10464,brevo=10465,ses=10466,graph=10467,gmail=10468'
)
	.split( ',' )
	.map( ( pair ) => pair.trim().split( '=' ) )
	.map( ( [ name, address = '' ] ) => {
		const at = address.lastIndexOf( ':' );
		return at < 0
			? [ name, address, defaultHost ]
			: [ name, address.slice( at + 1 ), address.slice( 0, at ) ];
	} )
	.filter( ( [ name, port ] ) => PROVIDERS[ name ] && Number( port ) > 0 );
const certDir = process.env.PROVIDER_API_CERT_DIR || process.env.SMTP_CERT_DIR;
const tls = certificate( certDir );

/**
 * Reads a request body, stopping at `limit` bytes (the rest is drained, not kept).
 *
 * @param {import('http').IncomingMessage} request The request.
 * @param {number}                         limit   Bytes to keep at most.
 * @return {Promise<{body: Buffer, size: number}>} The body and its full size.
 */
function readBody( request, limit ) {
	return new Promise( ( resolve, reject ) => {
		const chunks = [];
		let size = 0;
		request.on( 'data', ( chunk ) => {
			size += chunk.length;
			if ( size <= limit ) {
				chunks.push( chunk );
			}
		} );
		request.on( 'end', () =>
			resolve( { body: Buffer.concat( chunks ), size } )
		);
		request.on( 'error', reject );
	} );
}

function answer( response, reply ) {
	const headers = { ...( reply.headers || {} ) };
	let body = '';
	if ( reply.json !== undefined ) {
		headers[ 'Content-Type' ] = 'application/json; charset=utf-8';
		body = JSON.stringify( reply.json );
	} else if ( reply.text !== undefined ) {
		headers[ 'Content-Type' ] = 'text/plain; charset=utf-8';
		body = reply.text;
	}
	response.writeHead( reply.status, headers );
	response.end( body );
}

function serve( name, port, host ) {
	const provider = PROVIDERS[ name ];
	const mailbox = new Mailbox( path.join( outDir, name ) );
	const faults = [];
	const apiSockets = new WeakSet();
	let apiConnections = 0;

	const server = https.createServer( tls, async ( request, response ) => {
		const url = new URL( request.url, `https://${ host }:${ port }` );
		try {
			if ( url.pathname === '/__test/health' ) {
				return answer( response, {
					status: 200,
					json: { ok: true, api_connections: apiConnections },
				} );
			}
			if (
				! url.pathname.startsWith( '/__test/' ) &&
				! apiSockets.has( request.socket )
			) {
				apiSockets.add( request.socket );
				apiConnections++;
			}
			if (
				url.pathname === '/__test/faults' &&
				request.method === 'POST'
			) {
				const { body } = await readBody( request, 65536 );
				const given = JSON.parse( body.toString( 'utf8' ) || '{}' );
				faults.splice( 0, faults.length, ...( given.faults || [] ) );
				log( { port, provider: name, event: 'faults', faults } );
				return answer( response, { status: 204 } );
			}
			log( {
				port,
				provider: name,
				event: 'request',
				method: request.method,
				path: url.pathname,
			} );
			const route = provider.routes.find(
				( candidate ) =>
					candidate.method === request.method &&
					candidate.path.test( url.pathname )
			);
			if ( ! route ) {
				return answer( response, provider.notFound( url.pathname ) );
			}
			const auth = await provider.authenticate( request, url );
			if ( auth.reply ) {
				log( {
					port,
					provider: name,
					event: 'refused',
					status: auth.reply.status,
					path: url.pathname,
				} );
				// Read (and drop) the body, so the client sees the answer, not a reset connection.
				await readBody( request, 0 );
				return answer( response, auth.reply );
			}
			const { body, size } = await readBody( request, provider.maxBytes );
			if ( size > provider.maxBytes ) {
				log( { port, provider: name, event: 'too-large', size } );
				return answer( response, provider.tooLarge( size ) );
			}
			const fault = route.sends ? faults.shift() : undefined;
			if ( fault && fault.status ) {
				log( {
					port,
					provider: name,
					event: 'fault',
					status: fault.status,
				} );
				return answer( response, provider.fault( fault ) );
			}
			const reply = await route.handle( {
				request,
				url,
				body,
				auth,
				mailbox,
				match: url.pathname.match( route.path ),
			} );
			if ( reply.repeated ) {
				log( { port, provider: name, event: 'idempotent-repeat' } );
			}
			if ( reply.stored ) {
				log( {
					port,
					provider: name,
					event: 'message',
					file: reply.stored,
				} );
			}
			if ( fault && fault.lose_answer ) {
				log( {
					port,
					provider: name,
					event: 'answer-lost',
					file: reply.stored,
				} );
				request.socket.destroy();
				return;
			}
			return answer( response, reply );
		} catch ( error ) {
			log( {
				port,
				provider: name,
				event: 'error-in-request',
				error: error.message,
			} );
			return answer( response, {
				status: 500,
				json: { error: 'local test server: ' + error.message },
			} );
		}
	} );
	server.on( 'error', ( error ) =>
		log( { port, provider: name, event: 'error', error: error.message } )
	);
	server.listen( Number( port ), host, () =>
		log( {
			host,
			port: Number( port ),
			provider: name,
			event: 'listening',
		} )
	);
	return server;
}

const servers = ports.map( ( [ name, port, host ] ) =>
	serve( name, port, host )
);

stopOnSignals( servers );
