/**
 * SendGrid v3 in the role of api.sendgrid.com (facts and sources: docs/facts.md, "HTTPS APIs").
 *
 * - Auth: `Authorization: Bearer <key>`. PROVIDER_SENDGRID_KEY (default `SG.local-sendgrid-key`)
 *   has the scope `mail.send`; PROVIDER_SENDGRID_READONLY_KEY (`SG.local-readonly-key`) is valid
 *   but lacks it (GET /v3/scopes lists no `mail.send`, mail/send → 403); any other key → 401.
 * - POST /v3/mail/send: the body against schemas/sendgrid-mail-send.json, then SendGrid's rules
 *   the schema cannot say (headers it forbids, at most 1000 recipients in all); 202 with an empty
 *   body and `X-Message-Id`. Over 30 MB → 413. Errors: `{"errors":[{"message","field","help"}]}`.
 * - GET /v3/scopes: `{"scopes":[…]}`. No idempotency key (the API takes none).
 */
const crypto = require( 'crypto' );
const { schema, attachment, mailbox } = require( './mailbox' );

const goodKey = process.env.PROVIDER_SENDGRID_KEY || 'SG.local-sendgrid-key';
const readOnlyKey =
	process.env.PROVIDER_SENDGRID_READONLY_KEY || 'SG.local-readonly-key';
const validate = schema( 'sendgrid-mail-send' );
const FORBIDDEN_HEADERS = [
	'x-sg-id',
	'x-sg-eid',
	'received',
	'dkim-signature',
	'content-type',
	'content-transfer-encoding',
	'to',
	'from',
	'subject',
	'reply-to',
	'cc',
	'bcc',
];

const errors = ( status, message, field = null, headers = {} ) => ( {
	status,
	headers,
	json: { errors: [ { message, field, help: null } ] },
} );

function authenticate( request ) {
	const header = String( request.headers.authorization || '' );
	const match = header.match( /^Bearer (.+)$/ );
	if ( ! match || ( match[ 1 ] !== goodKey && match[ 1 ] !== readOnlyKey ) ) {
		return {
			reply: errors(
				401,
				'The provided authorization grant is invalid, expired, or revoked'
			),
		};
	}
	return { canSend: match[ 1 ] === goodKey };
}

async function mailSend( { body, auth, mailbox: store } ) {
	if ( ! auth.canSend ) {
		return errors( 403, 'access forbidden' );
	}
	let data;
	try {
		data = JSON.parse( body.toString( 'utf8' ) );
	} catch {
		return errors( 400, 'Bad Request', null );
	}
	const invalid = validate( data );
	const headerNames = Object.keys( data.headers || {} ).map( ( name ) =>
		name.toLowerCase()
	);
	for ( const name of headerNames ) {
		if ( FORBIDDEN_HEADERS.includes( name ) ) {
			invalid.push( `/headers may not set ${ name }` );
		}
	}
	const personalization = ( data.personalizations || [] )[ 0 ] || {};
	const recipients = ( data.personalizations || [] ).reduce(
		( sum, one ) =>
			sum +
			( one.to || [] ).length +
			( one.cc || [] ).length +
			( one.bcc || [] ).length,
		0
	);
	if ( recipients > 1000 ) {
		invalid.push( '/personalizations more than 1000 recipients' );
	}
	if ( ! data.subject && ! personalization.subject ) {
		invalid.push( '/subject is required' );
	}
	if ( ! data.content ) {
		invalid.push( '/content is required' );
	}
	if ( invalid.length ) {
		return {
			status: 400,
			json: {
				errors: invalid.map( ( message ) => ( {
					message,
					field: message.split( ' ' )[ 0 ],
					help: null,
				} ) ),
			},
		};
	}
	const list = ( items ) =>
		( items || [] ).map( ( one ) => mailbox( one.email, one.name ) );
	const content = ( type ) =>
		( data.content.find( ( part ) => part.type === type ) || {} ).value ||
		'';
	const messageId = crypto.randomBytes( 11 ).toString( 'base64url' );
	const stored = store.store( {
		provider: 'sendgrid',
		message_id: messageId,
		request: { path: '/v3/mail/send', content_type: 'application/json' },
		message: {
			from: list( [ data.from ] ),
			to: list( personalization.to ),
			cc: list( personalization.cc ),
			bcc: list( personalization.bcc ),
			reply_to: list(
				data.reply_to_list || ( data.reply_to ? [ data.reply_to ] : [] )
			),
			subject: personalization.subject || data.subject,
			headers: Object.fromEntries(
				Object.entries( {
					...( data.headers || {} ),
					...( personalization.headers || {} ),
				} ).map( ( [ name, value ] ) => [ name.toLowerCase(), value ] )
			),
			text: content( 'text/plain' ),
			html: content( 'text/html' ),
			attachments: ( data.attachments || [] ).map( ( one ) =>
				attachment( {
					filename: one.filename,
					contentType: one.type,
					disposition: one.disposition,
					contentId: one.content_id,
					content: Buffer.from( one.content, 'base64' ),
				} )
			),
		},
	} );
	return { status: 202, headers: { 'X-Message-Id': messageId }, stored };
}

module.exports = {
	maxBytes: 30 * 1024 * 1024,
	authenticate,
	notFound: () => errors( 404, 'not found' ),
	tooLarge: () => errors( 413, 'content too large' ),
	fault: ( fault ) =>
		fault.status === 429
			? errors( 429, 'too many requests', null, {
					'X-RateLimit-Limit': '600',
					'X-RateLimit-Remaining': '0',
					'X-RateLimit-Reset': String(
						Math.floor( Date.now() / 1000 ) +
							Number( fault.retry_after || 60 )
					),
					...( fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {} ),
				} )
			: errors(
					fault.status,
					fault.status >= 500 ? 'internal server error' : 'error'
				),
	routes: [
		{
			method: 'POST',
			path: /^\/v3\/mail\/send$/,
			sends: true,
			handle: mailSend,
		},
		{
			method: 'GET',
			path: /^\/v3\/scopes$/,
			handle: async ( { auth } ) => ( {
				status: 200,
				json: {
					scopes: auth.canSend
						? [ 'mail.send', 'user.profile.read' ]
						: [ 'user.profile.read', 'stats.read' ],
				},
			} ),
		},
	],
};
