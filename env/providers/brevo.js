/**
 * Brevo (formerly Sendinblue) in the role of api.brevo.com (facts and sources: docs/facts.md,
 * "HTTPS APIs").
 *
 * - Auth: the header `api-key: <key>`. PROVIDER_BREVO_KEY (default `xkeysib-local-brevo-key`)
 *   may send; PROVIDER_BREVO_NO_CREDITS_KEY (`xkeysib-local-no-credits`) belongs to an account
 *   without sending credits (402 `not_enough_credits`); any other → 401 `unauthorized`
 *   "Key not found". Errors: `{"code","message"}`.
 * - POST /v3/smtp/email: the body against schemas/brevo-smtp-email.json; 201 `{"messageId"}`.
 *   Over 20 MB → 413. No idempotency guarantee is documented (a header `idempotencyKey` appears
 *   only in an example of `headers`), so this server does not deduplicate.
 * - GET /v3/account: the account (the port test's call that sends nothing).
 */
const crypto = require( 'crypto' );
const { schema, attachment, mailbox } = require( './mailbox' );

const goodKey = process.env.PROVIDER_BREVO_KEY || 'xkeysib-local-brevo-key';
const noCreditsKey =
	process.env.PROVIDER_BREVO_NO_CREDITS_KEY || 'xkeysib-local-no-credits';
const validate = schema( 'brevo-smtp-email' );

const error = ( status, code, message, headers = {} ) => ( {
	status,
	headers,
	json: { code, message },
} );

function authenticate( request ) {
	const key = String( request.headers[ 'api-key' ] || '' );
	if ( key !== goodKey && key !== noCreditsKey ) {
		return { reply: error( 401, 'unauthorized', 'Key not found' ) };
	}
	return { canSend: key === goodKey };
}

async function send( { body, auth, mailbox: store } ) {
	let data;
	try {
		data = JSON.parse( body.toString( 'utf8' ) );
	} catch {
		return error( 400, 'bad_request', 'Input must be a valid JSON object' );
	}
	if ( ! auth.canSend ) {
		return error(
			402,
			'not_enough_credits',
			'You do not have enough credits to send emails.'
		);
	}
	const invalid = validate( data );
	if ( invalid.length ) {
		return error( 400, 'invalid_parameter', invalid.join( '; ' ) );
	}
	const list = ( items ) =>
		( items || [] ).map( ( one ) => mailbox( one.email, one.name ) );
	const messageId = `<${ Date.now() }.${ crypto.randomBytes( 6 ).toString( 'hex' ) }@smtp-relay.mailin.fr>`;
	const stored = store.store( {
		provider: 'brevo',
		message_id: messageId,
		request: { path: '/v3/smtp/email', content_type: 'application/json' },
		message: {
			from: list( [ data.sender ] ),
			to: list( data.to ),
			cc: list( data.cc ),
			bcc: list( data.bcc ),
			reply_to: list( data.replyTo ? [ data.replyTo ] : [] ),
			subject: data.subject,
			headers: Object.fromEntries(
				Object.entries( data.headers || {} ).map(
					( [ name, value ] ) => [ name.toLowerCase(), value ]
				)
			),
			text: data.textContent || '',
			html: data.htmlContent || '',
			// Brevo's attachment has a name and content only: type from the name, never inline.
			attachments: ( data.attachment || [] ).map( ( one ) =>
				attachment( {
					filename: one.name,
					contentType: '',
					disposition: 'attachment',
					content: Buffer.from( one.content, 'base64' ),
				} )
			),
		},
	} );
	return { status: 201, json: { messageId }, stored };
}

module.exports = {
	maxBytes: 20 * 1024 * 1024,
	authenticate,
	notFound: () => error( 404, 'document_not_found', 'Not found' ),
	tooLarge: () =>
		error(
			413,
			'invalid_parameter',
			'The email may be at most 20 MB with its attachments.'
		),
	fault: ( fault ) =>
		fault.status === 429
			? error(
					429,
					'too_many_requests',
					'Too many requests',
					fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {}
				)
			: error( fault.status, 'internal_error', 'Internal server error' ),
	routes: [
		{
			method: 'POST',
			path: /^\/v3\/smtp\/email$/,
			sends: true,
			handle: send,
		},
		{
			method: 'GET',
			path: /^\/v3\/account$/,
			handle: async () => ( {
				status: 200,
				json: {
					email: 'owner@example.test',
					firstName: 'Local',
					lastName: 'Test',
					companyName: 'Local test account',
					plan: [
						{
							type: 'free',
							credits: 300,
							creditsType: 'sendLimit',
						},
					],
					relay: {
						enabled: true,
						data: {
							userName: 'owner@example.test',
							relay: 'smtp-relay.brevo.com',
							port: 587,
						},
					},
				},
			} ),
		},
	],
};
