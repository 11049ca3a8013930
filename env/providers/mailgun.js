/**
 * Mailgun in the role of api.mailgun.net and api.eu.mailgun.net (facts and sources:
 * docs/facts.md, "HTTPS APIs").
 *
 * - Auth: HTTP Basic, user `api`, password the API key. PROVIDER_MAILGUN_KEY (default
 *   `local-mailgun-key`) may send for PROVIDER_MAILGUN_DOMAIN (`mg.example.test`);
 *   PROVIDER_MAILGUN_READONLY_KEY (`local-mailgun-readonly-key`) is a valid key without the send
 *   permission → 403; any other → 401 with the body `Forbidden`, as Mailgun answers.
 * - POST /v3/{domain}/messages.mime: multipart/form-data with `to` (the envelope: every
 *   recipient, Bcc included) and the file `message` (the MIME message, untouched); the form against
 *   schemas/mailgun-messages-mime.json, the message through mailparser. 200
 *   `{"id":"<…>","message":"Queued. Thank you."}`. A domain that is not the account's → 404
 *   `{"message":"Domain not found: …"}`. Over 25 MB → 413. No idempotency key.
 * - GET /v4/domains/{domain}: the domain and its state (the port test's call that sends nothing).
 */
const crypto = require( 'crypto' );
const { schema, fromMime } = require( './mailbox' );

const goodKey = process.env.PROVIDER_MAILGUN_KEY || 'local-mailgun-key';
const readOnlyKey =
	process.env.PROVIDER_MAILGUN_READONLY_KEY || 'local-mailgun-readonly-key';
const domain = process.env.PROVIDER_MAILGUN_DOMAIN || 'mg.example.test';
const validate = schema( 'mailgun-messages-mime' );

const message = ( status, text, headers = {} ) => ( {
	status,
	headers,
	json: { message: text },
} );

function authenticate( request ) {
	const header = String( request.headers.authorization || '' );
	const match = header.match( /^Basic ([A-Za-z0-9+/=]+)$/ );
	const pair = match
		? Buffer.from( match[ 1 ], 'base64' ).toString( 'utf8' )
		: '';
	const user = pair.slice( 0, pair.indexOf( ':' ) );
	const key = pair.slice( pair.indexOf( ':' ) + 1 );
	if ( user !== 'api' || ( key !== goodKey && key !== readOnlyKey ) ) {
		return { reply: { status: 401, text: 'Forbidden' } };
	}
	return { canSend: key === goodKey };
}

/**
 * The form as an object: field => list of values; a file as {file: true, size, bytes}.
 *
 * @param {Buffer} body        The request body.
 * @param {string} contentType Its Content-Type (with the boundary).
 * @return {Promise<Object>} The fields.
 */
async function readForm( body, contentType ) {
	// The platform's own multipart/form-data parser (undici, in Node since 18).
	const form = await new Response( body, {
		headers: { 'content-type': contentType },
	} ).formData();
	const fields = {};
	for ( const [ name, value ] of form.entries() ) {
		const entry =
			typeof value === 'string'
				? value
				: {
						file: true,
						size: value.size,
						bytes: Buffer.from( await value.arrayBuffer() ),
					};
		( fields[ name ] = fields[ name ] || [] ).push( entry );
	}
	return fields;
}

async function messagesMime( { body, auth, mailbox: store, request, match } ) {
	if ( match[ 1 ] !== domain ) {
		return message( 404, `Domain not found: ${ match[ 1 ] }` );
	}
	if ( ! auth.canSend ) {
		return message( 403, 'Forbidden: the API key may not send' );
	}
	const contentType = String( request.headers[ 'content-type' ] || '' );
	if ( ! /^multipart\/form-data;\s*boundary=/i.test( contentType ) ) {
		return message( 400, "'message' parameter is not a file" );
	}
	let fields;
	try {
		fields = await readForm( body, contentType );
	} catch ( error ) {
		return message( 400, 'Invalid multipart form: ' + error.message );
	}
	const invalid = validate(
		Object.fromEntries(
			Object.entries( fields ).map( ( [ name, values ] ) => [
				name,
				values.map( ( one ) =>
					typeof one === 'string'
						? one
						: { file: one.file, size: one.size }
				),
			] )
		)
	);
	if ( invalid.length ) {
		return message( 400, invalid.join( '; ' ) );
	}
	const id = `<${ Date.now() }.${ crypto.randomBytes( 6 ).toString( 'hex' ) }@${ domain }>`;
	const stored = store.store( {
		provider: 'mailgun',
		message_id: id,
		request: {
			path: request.url,
			content_type: 'multipart/form-data',
			domain: match[ 1 ],
		},
		envelope: {
			to: fields.to.flatMap( ( one ) =>
				one
					.split( ',' )
					.map( ( address ) => address.trim().toLowerCase() )
			),
		},
		message: await fromMime( fields.message[ 0 ].bytes ),
	} );
	return { status: 200, json: { id, message: 'Queued. Thank you.' }, stored };
}

module.exports = {
	maxBytes: 25 * 1024 * 1024,
	authenticate,
	notFound: () => message( 404, 'Not Found' ),
	tooLarge: () => message( 413, 'Message size exceeds the 25 MB limit' ),
	fault: ( fault ) =>
		message(
			fault.status,
			fault.status === 429
				? 'Too many requests'
				: 'Internal Server Error',
			fault.retry_after
				? { 'Retry-After': String( fault.retry_after ) }
				: {}
		),
	routes: [
		{
			method: 'POST',
			path: /^\/v3\/([^/]+)\/messages\.mime$/,
			sends: true,
			handle: messagesMime,
		},
		{
			method: 'GET',
			path: /^\/v4\/domains\/([^/]+)$/,
			handle: async ( { match } ) =>
				match[ 1 ] === domain
					? {
							status: 200,
							json: {
								domain: {
									name: domain,
									state: 'active',
									type: 'custom',
									is_disabled: false,
								},
							},
						}
					: message( 404, `Domain not found: ${ match[ 1 ] }` ),
		},
	],
};
