/**
 * Amazon SES v2 in the role of email.<region>.amazonaws.com (facts and sources: docs/facts.md,
 * "HTTPS APIs"): a proxy that checks what aws-ses-v2-local (npm, a local SES v2 emulator) does
 * not, in front of that emulator.
 *
 * aws-ses-v2-local itself only checks that an Authorization header starting with "AWS" is there.
 * This proxy checks Signature Version 4 in full, as SES does: the algorithm, the credential's
 * access key ID (PROVIDER_SES_ACCESS_KEY_ID, default `AKIALOCALSESTEST0001`; unknown → 403
 * `UnrecognizedClientException`), its scope date (= X-Amz-Date's day), region
 * (PROVIDER_SES_REGION, default `eu-central-1`) and service `ses`, X-Amz-Date within 15 minutes,
 * that Host and X-Amz-Date are signed, and the signature recomputed with the secret
 * (PROVIDER_SES_SECRET) over the canonical request of what arrived → 403 `SignatureDoesNotMatch`.
 * PROVIDER_SES_DENIED_ACCESS_KEY_ID (`AKIALOCALSESDENIED01`, same secret) signs correctly but its
 * IAM policy lacks ses:SendRawEmail → 403 `AccessDeniedException`. Then the body against
 * schemas/ses-v2-send-email.json, the raw message through mailparser into the mailbox, and the
 * request is forwarded to aws-ses-v2-local, whose answer (`{"MessageId"}`) goes back.
 * GET /v2/email/account (GetAccount): aws-ses-v2-local's, with the account in AWS_SES_ACCOUNT.
 * Errors carry `x-amzn-ErrorType` and `{"message"}`. No idempotency key in SendEmail.
 */
const crypto = require( 'crypto' );
const http = require( 'http' );
const { schema, fromMime } = require( './mailbox' );

const accessKeyId =
	process.env.PROVIDER_SES_ACCESS_KEY_ID || 'AKIALOCALSESTEST0001';
const deniedKeyId =
	process.env.PROVIDER_SES_DENIED_ACCESS_KEY_ID || 'AKIALOCALSESDENIED01';
const secret =
	process.env.PROVIDER_SES_SECRET ||
	'local/ses+secret/AAAAAAAAAAAAAAAAAAAAAAAA';
const region = process.env.PROVIDER_SES_REGION || 'eu-central-1';
const validate = schema( 'ses-v2-send-email' );

process.env.AWS_SES_ACCOUNT =
	process.env.AWS_SES_ACCOUNT ||
	JSON.stringify( {
		DedicatedIpAutoWarmupEnabled: false,
		Details: {
			AdditionalContactEmailAddresses: [],
			ContactLanguage: 'EN',
			MailType: 'TRANSACTIONAL',
			ReviewDetails: { CaseId: 'local', Status: 'GRANTED' },
			UseCaseDescription: 'Local test account',
			WebsiteURL: 'https://example.test',
		},
		EnforcementStatus: 'HEALTHY',
		ProductionAccessEnabled: true,
		SendingEnabled: true,
		SendQuota: {
			Max24HourSend: 50000,
			MaxSendRate: 14,
			SentLast24Hours: 0,
		},
		SuppressionAttributes: { SuppressedReasons: [ 'BOUNCE', 'COMPLAINT' ] },
	} );

const error = ( status, type, message, headers = {} ) => ( {
	status,
	headers: { 'x-amzn-ErrorType': type, ...headers },
	json: { message },
} );

// aws-ses-v2-local in this process, on a free loopback port.
const emulator = require( 'aws-ses-v2-local' )
	.default( { host: '127.0.0.1', port: 0 } )
	.then( ( server ) => server.address().port );

function authenticate( request ) {
	const header = String( request.headers.authorization || '' );
	const match = header.match(
		/^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/
	);
	if ( ! match ) {
		return {
			reply: error(
				403,
				'MissingAuthenticationTokenException',
				'Missing Authentication Token'
			),
		};
	}
	const [ , keyId, date, scopeRegion, service, signed, signature ] = match;
	if ( keyId !== accessKeyId && keyId !== deniedKeyId ) {
		return {
			reply: error(
				403,
				'UnrecognizedClientException',
				'The security token included in the request is invalid.'
			),
		};
	}
	if ( scopeRegion !== region || service !== 'ses' ) {
		return {
			reply: error(
				403,
				'InvalidSignatureException',
				`Credential should be scoped to a valid region and service: ${ region }/ses.`
			),
		};
	}
	return { keyId, date, scopeRegion, signed: signed.split( ';' ), signature };
}

/**
 * Why the request's signature is wrong, or '' when it is right.
 *
 * @param {import('http').IncomingMessage} request The request.
 * @param {Object}                         auth    The parsed Authorization header.
 * @param {Buffer}                         body    The body.
 * @return {string} The reason.
 */
function signatureProblem( request, auth, body ) {
	if (
		! auth.signed.includes( 'host' ) ||
		! auth.signed.includes( 'x-amz-date' )
	) {
		return 'Host and X-Amz-Date must be signed.';
	}
	const amzDate = String( request.headers[ 'x-amz-date' ] || '' );
	const when = Date.parse(
		amzDate.replace(
			/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/,
			'$1-$2-$3T$4:$5:$6Z'
		)
	);
	if (
		Number.isNaN( when ) ||
		Math.abs( Date.now() - when ) > 15 * 60 * 1000
	) {
		return 'Signature expired or X-Amz-Date missing: it must be within 15 minutes of the server time.';
	}
	if ( amzDate.slice( 0, 8 ) !== auth.date ) {
		return 'The credential scope date is not the day of X-Amz-Date.';
	}
	const url = new URL( request.url, 'https://local' );
	const path = url.pathname
		.split( '/' )
		.map( ( segment ) =>
			encodeURIComponent( decodeURIComponent( segment ) ).replace(
				/[!'()*]/g,
				( c ) => '%' + c.charCodeAt( 0 ).toString( 16 ).toUpperCase()
			)
		)
		.join( '/' );
	const query = [ ...url.searchParams.entries() ]
		.map(
			( [ k, v ] ) =>
				`${ encodeURIComponent( k ) }=${ encodeURIComponent( v ) }`
		)
		.sort()
		.join( '&' );
	const headers = auth.signed
		.map(
			( name ) =>
				`${ name }:${ String( request.headers[ name ] ?? '' )
					.trim()
					.replace( /\s+/g, ' ' ) }\n`
		)
		.join( '' );
	const canonical = [
		request.method,
		path,
		query,
		headers,
		auth.signed.join( ';' ),
		crypto.createHash( 'sha256' ).update( body ).digest( 'hex' ),
	].join( '\n' );
	const scope = `${ auth.date }/${ auth.scopeRegion }/ses/aws4_request`;
	const toSign = [
		'AWS4-HMAC-SHA256',
		amzDate,
		scope,
		crypto.createHash( 'sha256' ).update( canonical ).digest( 'hex' ),
	].join( '\n' );
	const hmac = ( key, data ) =>
		crypto.createHmac( 'sha256', key ).update( data ).digest();
	const key = [ auth.date, auth.scopeRegion, 'ses', 'aws4_request' ].reduce(
		( k, part ) => hmac( k, part ),
		Buffer.from( 'AWS4' + secret )
	);
	const expected = crypto
		.createHmac( 'sha256', key )
		.update( toSign )
		.digest( 'hex' );
	return crypto.timingSafeEqual(
		Buffer.from( expected ),
		Buffer.from( auth.signature )
	)
		? ''
		: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
}

/**
 * Forwards the request to aws-ses-v2-local and returns its answer.
 *
 * @param {import('http').IncomingMessage} request The request.
 * @param {Buffer}                         body    The body.
 * @return {Promise<Object>} The answer.
 */
async function forward( request, body ) {
	const port = await emulator;
	return new Promise( ( resolve, reject ) => {
		const out = http.request(
			{
				host: '127.0.0.1',
				port,
				method: request.method,
				path: request.url,
				headers: {
					'content-type': 'application/json',
					authorization: request.headers.authorization,
					'content-length': body.length,
				},
			},
			( answer ) => {
				const chunks = [];
				answer.on( 'data', ( chunk ) => chunks.push( chunk ) );
				answer.on( 'end', () => {
					const text = Buffer.concat( chunks ).toString( 'utf8' );
					let json;
					try {
						json = JSON.parse( text );
					} catch {
						json = { message: text };
					}
					resolve( { status: answer.statusCode, json } );
				} );
			}
		);
		out.on( 'error', reject );
		out.end( body );
	} );
}

async function checked( { request, body, auth }, denied ) {
	const problem = signatureProblem( request, auth, body );
	if ( problem ) {
		return error( 403, 'SignatureDoesNotMatch', problem );
	}
	if ( denied && auth.keyId === deniedKeyId ) {
		return error(
			403,
			'AccessDeniedException',
			`User: arn:aws:iam::000000000000:user/local is not authorized to perform: ${ denied }`
		);
	}
	return null;
}

module.exports = {
	maxBytes: 40 * 1024 * 1024,
	authenticate,
	notFound: () =>
		error( 404, 'UnknownOperationException', 'Unknown operation' ),
	tooLarge: () =>
		error( 400, 'MessageRejected', 'Message length is more than 40 MB.' ),
	fault: ( fault ) =>
		fault.status === 429
			? error(
					429,
					'TooManyRequestsException',
					'Too many requests',
					fault.retry_after
						? { 'Retry-After': String( fault.retry_after ) }
						: {}
				)
			: error(
					fault.status,
					'InternalFailure',
					'The request processing has failed because of an unknown error.'
				),
	routes: [
		{
			method: 'POST',
			path: /^\/v2\/email\/outbound-emails$/,
			sends: true,
			handle: async ( context ) => {
				const refused = await checked( context, 'ses:SendRawEmail' );
				if ( refused ) {
					return refused;
				}
				let data;
				try {
					data = JSON.parse( context.body.toString( 'utf8' ) );
				} catch {
					return error(
						400,
						'BadRequestException',
						'The body is not JSON.'
					);
				}
				const invalid = validate( data );
				if ( invalid.length ) {
					return error(
						400,
						'BadRequestException',
						invalid.join( '; ' )
					);
				}
				const destination = data.Destination || {};
				const recipients = [
					...( destination.ToAddresses || [] ),
					...( destination.CcAddresses || [] ),
					...( destination.BccAddresses || [] ),
				];
				if ( recipients.length > 50 ) {
					return error(
						400,
						'MessageRejected',
						'Recipient count exceeds 50.'
					);
				}
				const answer = await forward( context.request, context.body );
				if ( answer.status !== 200 ) {
					return answer;
				}
				const raw = Buffer.from( data.Content.Raw.Data, 'base64' );
				const stored = context.mailbox.store( {
					provider: 'ses',
					message_id: answer.json.MessageId,
					request: {
						path: '/v2/email/outbound-emails',
						content_type: 'application/json',
						region,
					},
					envelope: {
						to: recipients.map( ( one ) => one.toLowerCase() ),
					},
					message: await fromMime( raw ),
				} );
				return { ...answer, stored };
			},
		},
		{
			method: 'GET',
			path: /^\/v2\/email\/account$/,
			handle: async ( context ) =>
				( await checked( context, '' ) ) ||
				forward( context.request, context.body ),
		},
	],
};
