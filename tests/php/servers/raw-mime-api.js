/**
 * A minimal HTTPS mail API for the transport seam's tests: it takes a message as raw MIME, the
 * way Amazon SES, Mailgun (messages.mime) and Postmark-style APIs do, with the stack's trusted
 * certificate, a bearer key and an idempotency key. Not a provider: the providers' own servers,
 * with their published schemas, are in the providers' tests.
 *
 *   GET  /v1/account                       authenticated, sends nothing: 200 {"account": "test"}
 *   POST /v1/messages                      body: the MIME bytes; X-Envelope-From, X-Envelope-To
 *                                          (comma list), Idempotency-Key → 202 {"id": "…"}; the
 *                                          same Idempotency-Key again → 200 with the first id, not
 *                                          stored twice
 *   POST /control/fault                    {"status": 429, "headers": {...}, "body": {...}, "count": 1}:
 *                                          the next `count` API requests get that answer instead
 * A wrong or missing key: 401 {"message": "…"}. Every accepted message is one JSON line in
 * OUT_FILE: {from, to, data, idempotency_key, authorization_ok}.
 * Exits when stdin closes or after WATCHDOG_SECONDS (default 120), so it never outlives the test.
 *
 * Usage: node tests/php/servers/raw-mime-api.js PORT OUT_FILE
 * Env:   SMTP_CERT_DIR (key.pem + cert.pem), API_KEY
 */
const https = require( 'https' );
const fs = require( 'fs' );
const path = require( 'path' );
const { exitWithParent } = require( './exit-with-parent' );

const port = Number( process.argv[ 2 ] );
const outFile = process.argv[ 3 ];
const certDir = process.env.SMTP_CERT_DIR || '';
const apiKey = process.env.API_KEY || '';

exitWithParent( 120 );

const faults = [];
const seen = new Map();
let next = 1;

function answer( res, status, body, headers = {} ) {
	res.writeHead( status, { 'Content-Type': 'application/json', ...headers } );
	res.end( JSON.stringify( body ) );
}

const server = https.createServer(
	{
		key: fs.readFileSync( path.join( certDir, 'key.pem' ) ),
		cert: fs.readFileSync( path.join( certDir, 'cert.pem' ) ),
	},
	( req, res ) => {
		const chunks = [];
		req.on( 'data', ( chunk ) => chunks.push( chunk ) );
		req.on( 'end', () => {
			const body = Buffer.concat( chunks ).toString( 'utf8' );
			if ( req.method === 'POST' && req.url === '/control/fault' ) {
				const fault = JSON.parse( body );
				for ( let i = 0; i < ( fault.count || 1 ); i++ ) {
					faults.push( fault );
				}
				return answer( res, 200, { queued: faults.length } );
			}
			if ( faults.length > 0 ) {
				const fault = faults.shift();
				return answer(
					res,
					fault.status,
					fault.body || {},
					fault.headers || {}
				);
			}
			if ( req.headers.authorization !== 'Bearer ' + apiKey ) {
				return answer( res, 401, {
					message: 'The API key is not valid.',
				} );
			}
			if ( req.method === 'GET' && req.url === '/v1/account' ) {
				return answer( res, 200, { account: 'test' } );
			}
			if ( req.method === 'POST' && req.url === '/v1/messages' ) {
				if (
					! /^message\/rfc822/.test(
						req.headers[ 'content-type' ] || ''
					)
				) {
					return answer( res, 415, {
						message: 'Send message/rfc822.',
					} );
				}
				const key = req.headers[ 'idempotency-key' ] || '';
				if ( key !== '' && seen.has( key ) ) {
					return answer( res, 200, { id: seen.get( key ) } );
				}
				const id = 'msg-' + next++;
				if ( key !== '' ) {
					seen.set( key, id );
				}
				fs.appendFileSync(
					outFile,
					JSON.stringify( {
						from: req.headers[ 'x-envelope-from' ] || '',
						to: ( req.headers[ 'x-envelope-to' ] || '' )
							.split( ',' )
							.filter( Boolean ),
						data: body,
						idempotency_key: key,
					} ) + '\n'
				);
				return answer( res, 202, { id } );
			}
			return answer( res, 404, { message: 'Not found.' } );
		} );
	}
);
server.listen( port, '127.0.0.1', () => {
	process.stdout.write(
		JSON.stringify( { event: 'listening', port } ) + '\n'
	);
} );
