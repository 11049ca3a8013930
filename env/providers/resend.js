/**
 * Resend in the role of api.resend.com (facts and sources: docs/facts.md, "HTTPS APIs").
 *
 * - Auth: `Authorization: Bearer <key>`. PROVIDER_RESEND_KEY (default `re_local_full_key`) has
 *   full access; PROVIDER_RESEND_SENDING_KEY (`re_local_sending_key`) may only send (GET /domains
 *   → 401 `restricted_api_key`, as Resend answers); no key → 401 `missing_api_key`; any other key
 *   → 403 `invalid_api_key`. Errors: `{"statusCode","name","message"}`.
 * - POST /emails: the body against schemas/resend-emails.json; 200 `{"id"}`. The
 *   `Idempotency-Key` header (at most 256 characters): the same key with the same body within
 *   24 hours gets the first answer again and nothing is sent again; the same key with another
 *   body → 409 `invalid_idempotent_request`. Over 40 MB → 413.
 * - GET /domains: the account's domains (the port test's call that sends nothing).
 */
const crypto = require( 'crypto' );
const { schema, attachment, addressLists } = require( './mailbox' );

const fullKey = process.env.PROVIDER_RESEND_KEY || 're_local_full_key';
const sendingKey =
	process.env.PROVIDER_RESEND_SENDING_KEY || 're_local_sending_key';
const validate = schema( 'resend-emails' );
const DAY = 24 * 3600 * 1000;

const error = ( statusCode, name, message, headers = {} ) => ( {
	status: statusCode,
	headers,
	json: { statusCode, name, message },
} );

function authenticate( request ) {
	const header = String( request.headers.authorization || '' );
	const match = header.match( /^Bearer (.+)$/ );
	if ( ! match ) {
		return {
			reply: error(
				401,
				'missing_api_key',
				'Missing API key in the authorization header.'
			),
		};
	}
	if ( match[ 1 ] !== fullKey && match[ 1 ] !== sendingKey ) {
		return { reply: error( 403, 'invalid_api_key', 'API key is invalid' ) };
	}
	return { full: match[ 1 ] === fullKey };
}

const list = ( value ) =>
	( Array.isArray( value ) ? value : [ value ] )
		.filter( Boolean )
		.join( ', ' );

// Idempotency key => {hash, reply, at}.
const seen = new Map();

async function send( { body, mailbox: store, request } ) {
	let data;
	try {
		data = JSON.parse( body.toString( 'utf8' ) );
	} catch {
		return error( 400, 'invalid_json', 'The body is not valid JSON.' );
	}
	const key = String( request.headers[ 'idempotency-key' ] || '' );
	if ( key.length > 256 ) {
		return error(
			400,
			'invalid_idempotency_key',
			'The key must be between 1-256 chars.'
		);
	}
	const hash = crypto.createHash( 'sha256' ).update( body ).digest( 'hex' );
	const earlier = key ? seen.get( key ) : undefined;
	if ( earlier && Date.now() - earlier.at < DAY ) {
		if ( earlier.hash !== hash ) {
			return error(
				409,
				'invalid_idempotent_request',
				'Same idempotency key used with a different request payload.'
			);
		}
		return { ...earlier.reply, repeated: true };
	}
	const invalid = validate( data );
	if ( invalid.length ) {
		return error( 422, 'validation_error', invalid.join( '; ' ) );
	}
	const addresses = await addressLists( {
		from: data.from,
		to: list( data.to ),
		cc: list( data.cc ),
		bcc: list( data.bcc ),
		reply_to: list( data.reply_to ),
	} );
	const id = crypto.randomUUID();
	const stored = store.store( {
		provider: 'resend',
		message_id: id,
		request: {
			path: '/emails',
			content_type: 'application/json',
			idempotency_key: key,
		},
		message: {
			...addresses,
			subject: data.subject,
			headers: Object.fromEntries(
				Object.entries( data.headers || {} ).map(
					( [ name, value ] ) => [ name.toLowerCase(), value ]
				)
			),
			text: data.text || '',
			html: data.html || '',
			attachments: ( data.attachments || [] ).map( ( one ) =>
				attachment( {
					filename: one.filename,
					contentType: one.content_type,
					disposition: one.content_id ? 'inline' : 'attachment',
					contentId: one.content_id || '',
					content: Buffer.from( one.content, 'base64' ),
				} )
			),
		},
	} );
	const reply = { status: 200, json: { id } };
	if ( key ) {
		seen.set( key, { hash, reply, at: Date.now() } );
	}
	return { ...reply, stored };
}

module.exports = {
	maxBytes: 40 * 1024 * 1024,
	authenticate,
	notFound: () =>
		error( 404, 'not_found', 'The requested endpoint does not exist.' ),
	tooLarge: () =>
		error(
			413,
			'validation_error',
			'The email may be at most 40MB including attachments.'
		),
	fault: ( fault ) =>
		fault.status === 429
			? error(
					429,
					'rate_limit_exceeded',
					'Too many requests.',
					fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {}
				)
			: error(
					fault.status,
					'application_error',
					'An unexpected error occurred.'
				),
	routes: [
		{ method: 'POST', path: /^\/emails$/, sends: true, handle: send },
		{
			method: 'GET',
			path: /^\/domains$/,
			handle: async ( { auth } ) =>
				auth.full
					? {
							status: 200,
							json: {
								object: 'list',
								has_more: false,
								data: [
									{
										id: 'd91cd9bd-1176-453e-8fc1-35364d380206',
										name: 'example.com',
										status: 'verified',
										region: 'us-east-1',
									},
								],
							},
						}
					: error(
							401,
							'restricted_api_key',
							'This API key is restricted to only send emails.'
						),
		},
	],
};
