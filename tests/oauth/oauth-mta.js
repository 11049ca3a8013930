/**
 * The local OAuth stack on its own (issue #13): a token from the real authorization server
 * (oidc-provider, code flow with PKCE) is checked by a real Postfix whose SASL is Dovecot's oauth2
 * passdb, introspecting the token at that server. Starts env/oauth/servers.sh and stops it.
 * Needs root (Postfix's master starts as root): for a normal user every check is skipped.
 * Writes artifacts/junit/oauth-mta.xml. Usage: node tests/oauth/oauth-mta.js
 */
const { execFileSync } = require( 'child_process' );
const fs = require( 'fs' );
const path = require( 'path' );
const {
	assert,
	createSuite,
	portOpen,
	root,
	sleep,
} = require( '../support/node-suite' );
const oauth = require( '../../env/oauth/token' );
const {
	connectStartTls,
	authXoauth2,
	sendMessage,
} = require( './smtp-client' );

const run = process.env.RUN || path.join( root, '.run' );
const mailDir = process.env.OAUTH_MAIL_DIR || path.join( run, 'oauth/mails' );
const dovecotLog = path.join( run, 'logs/dovecot.log' );
// The first listener of env/oauth/servers.sh: 127.0.0.1:10587 unless OAUTH_MTA_LISTEN says else.
const [ mtaHost, mtaPort ] = (
	process.env.OAUTH_MTA_LISTEN || '127.0.0.1:10587'
)
	.split( ',' )[ 0 ]
	.split( ':' );
const account = oauth.settings.account;

const TITLES = [
	'a token from the code flow with PKCE: Postfix accepts AUTH XOAUTH2 and the message arrives',
	'the authorization server refuses a request without PKCE',
	'an expired access token is refused with 535; the refreshed one is accepted',
	'a revoked grant: refresh fails with invalid_grant, the access token is refused',
	'a valid token with another user name is refused with 535',
];

const servers = ( command ) =>
	execFileSync(
		'bash',
		[ path.join( root, 'env/oauth/servers.sh' ), command ],
		{
			cwd: root,
			stdio: [ 'ignore', 'inherit', 'inherit' ],
			timeout: 150_000,
		}
	);

/**
 * Connects with STARTTLS and tries AUTH XOAUTH2; the dialog stays open only when it succeeded.
 *
 * @param {string} user  Mailbox (XOAUTH2's user=).
 * @param {string} token Access token.
 * @return {Promise<Object>} { dialog, reply }.
 */
async function login( user, token ) {
	const ca = fs.readFileSync(
		process.env.SMTP_CA || path.join( run, 'smtp/cert.pem' )
	);
	const { dialog, ehlo } = await connectStartTls( {
		host: mtaHost,
		port: Number( mtaPort ),
		ca,
	} );
	assert(
		/AUTH[ =].*XOAUTH2/.test( ehlo ),
		`no XOAUTH2 after STARTTLS: ${ ehlo }`
	);
	const reply = await authXoauth2( dialog, user, token );
	if ( reply.code !== 235 ) {
		dialog.close();
	}
	return { dialog, reply };
}

/**
 * Dovecot's log lines written since `from` bytes (its reasons for refusing).
 *
 * @param {number} from Log size before the attempt.
 * @return {string} The new lines.
 */
function dovecotSince( from ) {
	const text = fs.existsSync( dovecotLog )
		? fs.readFileSync( dovecotLog, 'utf8' )
		: '';
	return text.slice( from );
}
const dovecotSize = () =>
	fs.existsSync( dovecotLog ) ? fs.statSync( dovecotLog ).size : 0;

async function waitForMail( subject, ms = 30_000 ) {
	const until = Date.now() + ms;
	while ( Date.now() < until ) {
		for ( const name of fs.existsSync( mailDir )
			? fs.readdirSync( mailDir )
			: [] ) {
			if ( ! name.endsWith( '.eml' ) ) {
				continue;
			}
			const text = fs.readFileSync( path.join( mailDir, name ), 'utf8' );
			if ( text.includes( `Subject: ${ subject }` ) ) {
				return text;
			}
		}
		await sleep( 200 );
	}
	throw new Error(
		`no message "${ subject }" in ${ mailDir } within ${ ms / 1000 } s`
	);
}

async function main() {
	const suite = createSuite( 'oauth-mta', 90_000 );
	const asRoot =
		typeof process.getuid !== 'function' || process.getuid() === 0;
	// Running already (the stack starts them too): use them and leave them running.
	const running =
		( await fetch( `${ oauth.settings.issuer }/test/health` ).then(
			( response ) => response.ok,
			() => false
		) ) &&
		( ! asRoot || ( await portOpen( Number( mtaPort ) ) ) );
	try {
		if ( ! running ) {
			servers( 'start' );
		}
	} catch ( error ) {
		for ( const title of TITLES ) {
			suite.fail(
				title,
				`env/oauth/servers.sh start failed: ${ error.message }`
			);
		}
		return suite.finish();
	}
	const check = suite.check;
	try {
		// The authorization server alone: runs for every user.
		await check( TITLES[ 1 ], async () => {
			const authorize = new URL( oauth.settings.authorizeUrl );
			authorize.search = new URLSearchParams( {
				client_id: oauth.settings.clientId,
				response_type: 'code',
				redirect_uri: oauth.settings.redirectUris[ 0 ],
				scope: oauth.MICROSOFT_SCOPE,
				state: 'no-pkce',
			} ).toString();
			const back = new URL( await oauth.approve( authorize.toString() ) );
			assert(
				! back.searchParams.get( 'code' ),
				`a code without PKCE: ${ back }`
			);
			assert(
				back.searchParams.get( 'error' ) === 'invalid_request' &&
					/PKCE/.test( back.searchParams.get( 'error_description' ) ),
				`expected invalid_request about PKCE, got ${ back.search }`
			);
		} );
		if ( ! asRoot ) {
			for ( const title of TITLES.filter( ( _, i ) => i !== 1 ) ) {
				suite.skip(
					title,
					"needs root: Postfix's master process starts as root (the CI runs as root)"
				);
			}
			return suite.finish();
		}

		await check( TITLES[ 0 ], async () => {
			const tokens = await oauth.codeFlowTokens();
			assert(
				tokens.refresh_token,
				'no refresh token with offline_access'
			);
			const { dialog, reply } = await login(
				account,
				tokens.access_token
			);
			assert( reply.code === 235, `AUTH XOAUTH2: ${ reply.text }` );
			const subject = `OAuth stack ${ Date.now() }`;
			const sent = await sendMessage(
				dialog,
				account,
				'recipient@example.test',
				subject
			);
			dialog.close();
			assert( sent.code === 250, `end of DATA: ${ sent.text }` );
			const mail = await waitForMail( subject );
			const envelope = JSON.parse(
				mail.split( '\r\n' )[ 0 ].replace( 'X-Test-Envelope: ', '' )
			);
			assert(
				envelope.mailFrom === account,
				`envelope sender: ${ envelope.mailFrom }`
			);
			assert(
				mail.includes( `(Authenticated sender: ${ account })` ),
				'Postfix did not record the authenticated sender'
			);
			assert(
				/with ESMTPSA/.test( mail ),
				'not received over TLS with AUTH (ESMTPSA)'
			);
		} );

		await check( TITLES[ 2 ], async () => {
			await oauth.setAccessTokenTtl( 2 );
			let tokens;
			try {
				tokens = await oauth.codeFlowTokens();
			} finally {
				await oauth.setAccessTokenTtl( 3600 );
			}
			assert(
				tokens.expires_in <= 2,
				`expires_in ${ tokens.expires_in }`
			);
			await sleep( 3000 );
			const logFrom = dovecotSize();
			const expired = await login( account, tokens.access_token );
			assert(
				expired.reply.code === 535,
				`expired token: ${ expired.reply.text }`
			);
			assert(
				/"status":"401"/.test( expired.reply.challenge ),
				`no XOAUTH2 error challenge: ${ expired.reply.challenge }`
			);
			assert(
				/oauth2 failed/.test( dovecotSince( logFrom ) ),
				'Dovecot logged no oauth2 refusal'
			);
			const refreshed = await oauth.refresh( tokens.refresh_token );
			assert(
				refreshed.status === 200,
				`refresh: ${ JSON.stringify( refreshed.json ) }`
			);
			assert(
				refreshed.json.access_token !== tokens.access_token,
				'the same access token again'
			);
			const fresh = await login( account, refreshed.json.access_token );
			assert(
				fresh.reply.code === 235,
				`refreshed token: ${ fresh.reply.text }`
			);
			fresh.dialog.close();
		} );

		await check( TITLES[ 3 ], async () => {
			const tokens = await oauth.codeFlowTokens();
			const before = await login( account, tokens.access_token );
			assert(
				before.reply.code === 235,
				`before the revocation: ${ before.reply.text }`
			);
			before.dialog.close();
			const { revoked } = await oauth.revokeGrants( account );
			assert( revoked >= 1, `no grant revoked (${ revoked })` );
			const refreshed = await oauth.refresh( tokens.refresh_token );
			assert(
				refreshed.status === 400 &&
					refreshed.json.error === 'invalid_grant',
				`refresh after revocation: HTTP ${ refreshed.status } ${ JSON.stringify( refreshed.json ) }`
			);
			const after = await login( account, tokens.access_token );
			assert(
				after.reply.code === 535,
				`access token after revocation: ${ after.reply.text }`
			);
		} );

		await check( TITLES[ 4 ], async () => {
			const tokens = await oauth.codeFlowTokens();
			const logFrom = dovecotSize();
			const other = await login(
				'someone-else@oauth.test',
				tokens.access_token
			);
			assert(
				other.reply.code === 535,
				`another user name: ${ other.reply.text }`
			);
			assert(
				/did not match/.test( dovecotSince( logFrom ) ),
				`Dovecot gave another reason: ${ dovecotSince( logFrom ).trim() }`
			);
			const own = await login( account, tokens.access_token );
			assert(
				own.reply.code === 235,
				`the token's own user: ${ own.reply.text }`
			);
			own.dialog.close();
		} );
	} finally {
		try {
			if ( ! running ) {
				servers( 'stop' );
			}
		} catch ( error ) {
			suite.fail( 'env/oauth/servers.sh stop', error.message );
		}
	}
	return suite.finish();
}

main().then(
	( failures ) => process.exit( failures > 0 ? 1 : 0 ),
	( error ) => {
		console.error( error );
		process.exit( 1 );
	}
);
