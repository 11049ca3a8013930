/**
 * Postmark in the role of api.postmarkapp.com (facts and sources: docs/facts.md, "HTTPS APIs").
 *
 * - Auth: `X-Postmark-Server-Token: <server token>`. PROVIDER_POSTMARK_TOKEN (default
 *   `local-postmark-server-token`) may send; PROVIDER_POSTMARK_PENDING_TOKEN
 *   (`local-postmark-pending-token`) belongs to an account that may not send yet (422, ErrorCode
 *   412 "Account is pending"); any other token → 401 with ErrorCode 10.
 * - POST /email: the body against schemas/postmark-email.json; at most 50 recipients in To, Cc
 *   and Bcc together; the message stream must exist on the server (`outbound`, the default, and
 *   `PROVIDER_POSTMARK_STREAMS`). 200 `{To, SubmittedAt, MessageID, ErrorCode: 0, Message: "OK"}`.
 *   A body over 10 MB → 413. Errors: `{ErrorCode, Message}`. No idempotency key.
 * - GET /server: the server's details (the port test's call that sends nothing).
 */
const crypto = require( 'crypto' );
const { schema, attachment, addressLists } = require( './mailbox' );

const goodToken =
	process.env.PROVIDER_POSTMARK_TOKEN || 'local-postmark-server-token';
const pendingToken =
	process.env.PROVIDER_POSTMARK_PENDING_TOKEN ||
	'local-postmark-pending-token';
const streams = [
	'outbound',
	...String( process.env.PROVIDER_POSTMARK_STREAMS || 'notifications' )
		.split( ',' )
		.filter( Boolean ),
];
const validate = schema( 'postmark-email' );

const error = ( status, code, message, headers = {} ) => ( {
	status,
	headers,
	json: { ErrorCode: code, Message: message },
} );

function authenticate( request ) {
	const token = String( request.headers[ 'x-postmark-server-token' ] || '' );
	if ( token !== goodToken && token !== pendingToken ) {
		return {
			reply: error(
				401,
				10,
				'The Server Token you provided in the X-Postmark-Server-Token request header was invalid. Please verify that you are using a valid token.'
			),
		};
	}
	return { canSend: token === goodToken };
}

async function send( { body, auth, mailbox: store, request } ) {
	if (
		! /^application\/json\b/.test(
			String( request.headers[ 'content-type' ] || '' )
		)
	) {
		return error( 415, 409, 'JSON required' );
	}
	let data;
	try {
		data = JSON.parse( body.toString( 'utf8' ) );
	} catch {
		return error( 422, 402, 'Invalid JSON' );
	}
	if ( ! auth.canSend ) {
		return error(
			422,
			412,
			'Your account is pending approval: you may only send to addresses of your own domain.'
		);
	}
	const invalid = validate( data );
	if ( invalid.length ) {
		return error(
			422,
			300,
			'Invalid email request: ' + invalid.join( '; ' )
		);
	}
	const message = await addressLists( {
		from: data.From,
		to: data.To,
		cc: data.Cc,
		bcc: data.Bcc,
		reply_to: data.ReplyTo,
	} );
	if ( message.to.length + message.cc.length + message.bcc.length > 50 ) {
		return error(
			422,
			300,
			'Invalid email request: more than 50 recipients in To, Cc and Bcc.'
		);
	}
	const stream = data.MessageStream || 'outbound';
	if ( ! streams.includes( stream ) ) {
		return error(
			422,
			1235,
			`The message stream for the provided 'ID' was not found: ${ stream }`
		);
	}
	const messageId = crypto.randomUUID();
	const stored = store.store( {
		provider: 'postmark',
		message_id: messageId,
		request: { path: '/email', content_type: 'application/json' },
		stream,
		message: {
			...message,
			subject: data.Subject || '',
			headers: Object.fromEntries(
				( data.Headers || [] ).map( ( one ) => [
					one.Name.toLowerCase(),
					one.Value,
				] )
			),
			text: data.TextBody || '',
			html: data.HtmlBody || '',
			attachments: ( data.Attachments || [] ).map( ( one ) =>
				attachment( {
					filename: one.Name,
					contentType: one.ContentType,
					disposition: one.ContentID ? 'inline' : 'attachment',
					contentId: String( one.ContentID || '' ).replace(
						/^cid:/,
						''
					),
					content: Buffer.from( one.Content, 'base64' ),
				} )
			),
		},
	} );
	return {
		status: 200,
		json: {
			To: data.To,
			SubmittedAt: new Date().toISOString(),
			MessageID: messageId,
			ErrorCode: 0,
			Message: 'OK',
		},
		stored,
	};
}

module.exports = {
	maxBytes: 10 * 1024 * 1024,
	authenticate,
	notFound: () => error( 404, 404, 'Not found' ),
	tooLarge: () =>
		error(
			413,
			300,
			'Request too large: the message with its attachments may be at most 10 MB.'
		),
	fault: ( fault ) =>
		fault.status === 429
			? error(
					429,
					429,
					'Rate limit exceeded',
					fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {}
				)
			: error(
					fault.status,
					fault.status >= 500 ? 100 : 300,
					fault.status >= 500 ? 'Maintenance' : 'Error'
				),
	routes: [
		{ method: 'POST', path: /^\/email$/, sends: true, handle: send },
		{
			method: 'GET',
			path: /^\/server$/,
			handle: async () => ( {
				status: 200,
				json: {
					ID: 1,
					Name: 'Local test server',
					Color: 'blue',
					DeliveryType: 'Live',
					ServerLink:
						'https://account.postmarkapp.com/servers/1/streams',
				},
			} ),
		},
	],
};
