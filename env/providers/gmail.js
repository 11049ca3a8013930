/**
 * The Gmail API v1 in the role of gmail.googleapis.com (facts and sources: docs/facts.md, "HTTPS
 * APIs"): users.messages.send, as Google's discovery document for gmail v1 describes it.
 *
 * - Auth: `Authorization: Bearer <access token>`, accepted ONLY when the local authorization server
 *   of the OAuth tests says by introspection that the token is active and the plugin's
 *   (env/providers/introspection.js). messages.send needs one of the scopes the discovery document
 *   lists for it: gmail.send, gmail.compose, gmail.modify, gmail.addons.current.action.compose or
 *   https://mail.google.com/; without one → 403 `insufficientPermissions`
 *   (ACCESS_TOKEN_SCOPE_INSUFFICIENT). No, an unknown, an expired or a revoked token → 401
 *   `authError` with `WWW-Authenticate: Bearer … error="invalid_token"`. A userId other than `me`
 *   or the token's own address → 403 "Delegation denied". Errors: Google's
 *   `{"error":{"code","message","errors":[{"message","domain","reason"}],"status"}}`.
 * - POST /gmail/v1/users/{userId}/messages/send: JSON `{"raw": base64url MIME}`; POST
 *   /upload/gmail/v1/users/{userId}/messages/send?uploadType=media: the MIME bytes as `message/*`
 *   (at most 36700160 bytes, the discovery document's maxSize → 413). Both against
 *   schemas/gmail-users-messages-send.json (query parameters too). No `raw` → 400
 *   `invalidArgument`; no recipient in To, Cc or Bcc → 400 "Recipient address required". Gmail
 *   sends to the To, Cc and Bcc headers and takes the Bcc header out of what recipients see.
 *   200 `{"id","threadId","labelIds":["SENT"]}`. No idempotency key.
 * - A 429 fault names its retry time in the message (`Retry after <time>`), as Gmail does, with
 *   the Retry-After header only when the fault gives one; `{"status":403,"reason":"userRateLimitExceeded"}`
 *   answers Gmail's 403 form of a rate limit, `{"status":400,"reason":"failedPrecondition"}` an
 *   account without Gmail ("Mail service not enabled").
 */
const crypto = require( 'crypto' );
const { schema, fromMime } = require( './mailbox' );
const { bearerToken } = require( './introspection' );

const validate = schema( 'gmail-users-messages-send' );
const MAX_UPLOAD = 36700160;
const SEND_SCOPES = [
	'https://mail.google.com/',
	'https://www.googleapis.com/auth/gmail.addons.current.action.compose',
	'https://www.googleapis.com/auth/gmail.compose',
	'https://www.googleapis.com/auth/gmail.modify',
	'https://www.googleapis.com/auth/gmail.send',
];
const STATUS = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	413: 'INVALID_ARGUMENT',
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	503: 'UNAVAILABLE',
};

const error = ( code, message, reason, extra = {} ) => ( {
	status: code,
	headers: extra.headers || {},
	json: {
		error: {
			code,
			message,
			errors: [
				{
					message: extra.detail || message,
					domain: extra.domain || 'global',
					reason,
					...( extra.location || {} ),
				},
			],
			status: extra.status || STATUS[ code ] || 'UNKNOWN',
			...( extra.details ? { details: extra.details } : {} ),
		},
	},
} );

const invalidToken = () =>
	error(
		401,
		'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
		'authError',
		{
			detail: 'Invalid Credentials',
			location: { location: 'Authorization', locationType: 'header' },
			headers: {
				'WWW-Authenticate':
					'Bearer realm="https://accounts.google.com/", error="invalid_token"',
			},
		}
	);

async function authenticate( request ) {
	const token = await bearerToken( request );
	if ( token.refused === 'unchecked' ) {
		return {
			reply: error(
				503,
				'The service is currently unavailable.',
				'backendError'
			),
		};
	}
	return token.refused ? { reply: invalidToken() } : token;
}

const insufficientScope = () =>
	error(
		403,
		'Request had insufficient authentication scopes.',
		'insufficientPermissions',
		{
			detail: 'Insufficient Permission',
			headers: {
				'WWW-Authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${ SEND_SCOPES.join(
					' '
				) }"`,
			},
			details: [
				{
					'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
					reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
					domain: 'googleapis.com',
					metadata: { service: 'gmail.googleapis.com' },
				},
			],
		}
	);

const invalid = ( message ) => error( 400, message, 'invalidArgument' );

/**
 * The request as the schema reads it, or the answer refusing it.
 *
 * @param {Object}                         context         The route's context.
 * @param {import('http').IncomingMessage} context.request The request.
 * @param {URL}                            context.url     Its URL.
 * @param {Buffer}                         context.body    Its body.
 * @param {boolean}                        upload          The /upload form.
 * @return {Promise<{read: Object, raw: Buffer}|{reply: Object}>} What arrived.
 */
async function readRequest( { request, url, body }, upload ) {
	if ( upload ) {
		const contentType = String( request.headers[ 'content-type' ] || '' )
			.split( ';' )[ 0 ]
			.trim()
			.toLowerCase();
		if ( ! contentType.startsWith( 'message/' ) ) {
			return {
				reply: invalid(
					`Media type '${ contentType }' is not supported. Valid media types: [message/*]`
				),
			};
		}
		return {
			read: {
				query: Object.fromEntries( url.searchParams.entries() ),
				media: { content_type: contentType, size: body.length },
			},
			raw: body,
		};
	}
	let message;
	try {
		message = JSON.parse( body.toString( 'utf8' ) || '{}' );
	} catch {
		return { reply: invalid( 'Invalid JSON payload received.' ) };
	}
	if ( ! message || typeof message !== 'object' || ! message.raw ) {
		return {
			reply: invalid(
				"'raw' RFC822 payload message string or uploading message via /upload/* URL required"
			),
		};
	}
	return {
		read: {
			query: Object.fromEntries( url.searchParams.entries() ),
			message,
		},
		raw: Buffer.from( String( message.raw ), 'base64url' ),
	};
}

function send( upload ) {
	return async ( context ) => {
		const { auth, mailbox: store, match, request } = context;
		if (
			! SEND_SCOPES.some( ( scope ) => auth.scopes.includes( scope ) )
		) {
			return insufficientScope();
		}
		const user = decodeURIComponent( match[ 1 ] );
		if (
			user !== 'me' &&
			user.toLowerCase() !== auth.account.toLowerCase()
		) {
			return error( 403, `Delegation denied for ${ user }`, 'forbidden' );
		}
		const arrived = await readRequest( context, upload );
		if ( arrived.reply ) {
			return arrived.reply;
		}
		const problems = validate( arrived.read );
		if ( problems.length ) {
			return invalid( problems.join( '; ' ) );
		}
		const message = await fromMime( arrived.raw );
		if (
			! message.to.length &&
			! message.cc.length &&
			! message.bcc.length
		) {
			return invalid( 'Recipient address required' );
		}
		// Gmail sends to the Bcc header and takes it out of the message recipients see.
		delete message.headers.bcc;
		const id = crypto.randomBytes( 8 ).toString( 'hex' );
		const stored = store.store( {
			provider: 'gmail',
			message_id: id,
			request: {
				path: new URL( request.url, 'https://gmail.test' ).pathname,
				upload_type: arrived.read.query.uploadType || '',
				content_type: upload
					? arrived.read.media.content_type
					: 'application/json',
				account: auth.account,
				user_id: user,
				bytes: arrived.raw.length,
			},
			envelope: {
				to: [ ...message.to, ...message.cc, ...message.bcc ].map(
					( one ) => one.address
				),
			},
			message,
		} );
		return {
			status: 200,
			json: { id, threadId: id, labelIds: [ 'SENT' ] },
			stored,
		};
	};
}

const retryMessage = ( seconds ) =>
	`User-rate limit exceeded.  Retry after ${ new Date(
		Date.now() + Number( seconds || 1 ) * 1000
	).toISOString() }`;

module.exports = {
	// The upload route's limit; the JSON form is bounded by the same message size.
	maxBytes: MAX_UPLOAD,
	authenticate,
	notFound: () => error( 404, 'Not Found', 'notFound' ),
	tooLarge: () =>
		error(
			413,
			`Request payload size exceeds the limit: ${ MAX_UPLOAD } bytes.`,
			'uploadTooLarge'
		),
	fault: ( fault ) => {
		if ( fault.reason === 'failedPrecondition' ) {
			return error( 400, 'Mail service not enabled', fault.reason, {
				status: 'FAILED_PRECONDITION',
			} );
		}
		if ( fault.status === 429 || fault.reason ) {
			return error(
				fault.status,
				retryMessage( fault.retry_in || fault.retry_after ),
				fault.reason || 'rateLimitExceeded',
				{
					domain: 'usageLimits',
					headers: fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {},
				}
			);
		}
		return fault.status === 503
			? error(
					503,
					'The service is currently unavailable.',
					'backendError'
				)
			: error( fault.status, 'Backend Error', 'backendError' );
	},
	routes: [
		{
			method: 'POST',
			path: /^\/gmail\/v1\/users\/([^/]+)\/messages\/send$/,
			sends: true,
			handle: send( false ),
		},
		{
			method: 'POST',
			path: /^\/upload\/gmail\/v1\/users\/([^/]+)\/messages\/send$/,
			sends: true,
			handle: send( true ),
		},
	],
};
