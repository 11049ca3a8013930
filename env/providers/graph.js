/**
 * Microsoft Graph v1.0 in the role of graph.microsoft.com (facts and sources: docs/facts.md,
 * "HTTPS APIs"). Served under the path prefix /v1.0.
 *
 * - Auth: `Authorization: Bearer <access token>`, accepted ONLY when the local authorization
 *   server of the OAuth tests (env/oauth) says by introspection that the token is active and was
 *   issued to the plugin's client; the scopes granted decide what it may do (as Graph's delegated
 *   permissions): GET /me needs User.Read, POST /me/sendMail needs Mail.Send, POST
 *   /users/{id}/sendMail needs Mail.Send.Shared (or Mail.Send when {id} is the signed-in user).
 *   No, an unknown, an expired or a revoked token → 401 `InvalidAuthenticationToken` with
 *   `WWW-Authenticate: Bearer`; a scope missing → 403 `ErrorAccessDenied`. Errors:
 *   `{"error":{"code","message","innerError":{"date","request-id"}}}`.
 * - POST …/sendMail: the request against schemas/graph-send-mail.json — the MIME form
 *   (Content-Type text/plain, the message base64) or the JSON form; 202 without a body. Over
 *   4 MB → 413. The MIME message is read through mailparser; Graph sends to its To, Cc and Bcc
 *   headers and removes the Bcc header from what recipients see.
 * - GET /me: the signed-in user (the port test's call that sends nothing).
 * Env: the token check's (env/providers/introspection.js).
 */
const crypto = require( 'crypto' );
const oauth = require( '../oauth/settings' );
const { schema, fromMime, attachment, mailbox } = require( './mailbox' );
const { bearerToken } = require( './introspection' );

const validate = schema( 'graph-send-mail' );
const RESOURCE = 'https://graph.microsoft.com/';

const error = ( status, code, message, headers = {} ) => ( {
	status,
	headers: { 'request-id': crypto.randomUUID(), ...headers },
	json: {
		error: {
			code,
			message,
			innerError: {
				date: new Date().toISOString().replace( /\.\d+Z$/, '' ),
				'request-id': crypto.randomUUID(),
			},
		},
	},
} );

const invalidToken = ( message ) =>
	error( 401, 'InvalidAuthenticationToken', message, {
		'WWW-Authenticate': `Bearer realm="", authorization_uri="${ oauth.authorizeUrl }", client_id="00000003-0000-0000-c000-000000000000"`,
	} );

/**
 * Asks the authorization server about the bearer token (env/providers/introspection.js).
 *
 * @param {import('http').IncomingMessage} request The request.
 * @return {Promise<Object>} `{reply}` to refuse, else the token's account and scopes.
 */
async function authenticate( request ) {
	const token = await bearerToken( request );
	if ( token.refused === 'missing' ) {
		return { reply: invalidToken( 'Access token is empty.' ) };
	}
	if ( token.refused === 'unchecked' ) {
		return {
			reply: error(
				503,
				'ServiceNotAvailable',
				'The token could not be checked: ' + token.detail
			),
		};
	}
	if ( token.refused ) {
		return {
			reply: invalidToken(
				'Lifetime validation failed, the token is expired.'
			),
		};
	}
	return token;
}

const allowed = ( auth, permission ) =>
	auth.scopes.includes( RESOURCE + permission );

const denied = () =>
	error(
		403,
		'ErrorAccessDenied',
		'Access is denied. Check credentials and try again.'
	);

const fromJson = ( message ) => {
	const people = ( list ) =>
		( list || [] ).map( ( one ) =>
			mailbox( one.emailAddress.address, one.emailAddress.name || '' )
		);
	const body = message.body || {};
	const html = String( body.contentType || '' ).toLowerCase() === 'html';
	return {
		from: people( message.from ? [ message.from ] : [] ),
		to: people( message.toRecipients ),
		cc: people( message.ccRecipients ),
		bcc: people( message.bccRecipients ),
		reply_to: people( message.replyTo ),
		subject: message.subject || '',
		headers: Object.fromEntries(
			( message.internetMessageHeaders || [] ).map( ( one ) => [
				one.name.toLowerCase(),
				one.value,
			] )
		),
		text: html ? '' : body.content || '',
		html: html ? body.content || '' : '',
		attachments: ( message.attachments || [] ).map( ( one ) =>
			attachment( {
				filename: one.name,
				contentType: one.contentType || 'application/octet-stream',
				disposition: one.isInline ? 'inline' : 'attachment',
				contentId: one.contentId || '',
				content: Buffer.from( one.contentBytes, 'base64' ),
			} )
		),
	};
};

async function sendMail( { request, body, auth, mailbox: store, match } ) {
	const user = match[ 1 ] ? decodeURIComponent( match[ 1 ] ) : '';
	const own = ! user || user.toLowerCase() === auth.account.toLowerCase();
	if (
		! ( own
			? allowed( auth, 'Mail.Send' )
			: allowed( auth, 'Mail.Send.Shared' ) )
	) {
		return denied();
	}
	const contentType = String( request.headers[ 'content-type' ] || '' )
		.split( ';' )[ 0 ]
		.trim()
		.toLowerCase();
	const text = body.toString( 'utf8' );
	let read;
	if ( contentType === 'application/json' ) {
		try {
			read = { content_type: contentType, json: JSON.parse( text ) };
		} catch {
			return error(
				400,
				'BadRequest',
				'Unable to read JSON request payload.'
			);
		}
	} else {
		read = { content_type: contentType, mime_base64: text };
	}
	const invalid = validate( read );
	if ( invalid.length ) {
		return error(
			400,
			contentType === 'text/plain'
				? 'ErrorMimeContentInvalidBase64String'
				: 'ErrorInvalidRequest',
			invalid.join( '; ' )
		);
	}
	let message;
	if ( read.json ) {
		message = fromJson( read.json.message );
	} else {
		message = await fromMime( Buffer.from( text, 'base64' ) );
		// Graph delivers to the Bcc header and takes it out of the message recipients see.
		delete message.headers.bcc;
	}
	if ( ! message.to.length && ! message.cc.length && ! message.bcc.length ) {
		return error(
			400,
			'ErrorInvalidRecipients',
			'At least one recipient is not valid., Recipient is missing.'
		);
	}
	const stored = store.store( {
		provider: 'graph',
		message_id: '',
		request: {
			path: new URL( request.url, 'https://graph.test' ).pathname,
			content_type: contentType,
			account: auth.account,
			mailbox: user || auth.account,
		},
		message,
	} );
	return {
		status: 202,
		headers: { 'request-id': crypto.randomUUID() },
		stored,
	};
}

module.exports = {
	maxBytes: 4 * 1024 * 1024,
	authenticate,
	notFound: ( pathname ) =>
		error(
			400,
			'BadRequest',
			`Resource not found for the segment '${ pathname }'.`
		),
	tooLarge: () =>
		error(
			413,
			'RequestEntityTooLarge',
			'The request is larger than 4 MB. Use an upload session for large attachments.'
		),
	fault: ( fault ) =>
		fault.status === 429
			? error(
					429,
					'ApplicationThrottled',
					'Application is over its MailboxConcurrency limit.',
					fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {}
				)
			: error(
					fault.status,
					fault.status === 503
						? 'ServiceNotAvailable'
						: 'generalException',
					'The service is temporarily unavailable.'
				),
	routes: [
		{
			method: 'POST',
			path: /^\/v1\.0\/(?:me|users\/([^/]+))\/sendMail$/,
			sends: true,
			handle: sendMail,
		},
		{
			method: 'GET',
			path: /^\/v1\.0\/me$/,
			handle: async ( { auth } ) =>
				allowed( auth, 'User.Read' )
					? {
							status: 200,
							json: {
								'@odata.context':
									'https://graph.microsoft.com/v1.0/$metadata#users(id,userPrincipalName,mail)/$entity',
								id: crypto
									.createHash( 'sha256' )
									.update( auth.account )
									.digest( 'hex' )
									.slice( 0, 36 ),
								userPrincipalName: auth.account,
								mail: auth.account,
							},
						}
					: denied(),
		},
	],
};
