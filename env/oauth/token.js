/**
 * Drives the local authorization server without a browser, over plain HTTP, like a user who signs
 * in and allows: for the tests that need a real token from the code flow with PKCE, and for a PHP
 * or browser test that must complete an authorization the plugin started.
 *
 * As a module: const oauth = require( './env/oauth/token' );
 *   await oauth.approve( authorizeUrl )   → the redirect URI with ?code=…&state=… (not followed)
 *   await oauth.codeFlowTokens( { scope } ) → { access_token, refresh_token, expires_in, … }
 *   await oauth.refresh( refreshToken )   → the token endpoint's answer (JSON; error answers too)
 *   await oauth.revokeGrants( account )   → withdraws the account's consent (test endpoint)
 *   await oauth.setAccessTokenTtl( seconds )
 *
 * On the command line (prints JSON, or the URL for `approve`):
 *   node env/oauth/token.js tokens [scope]         default scope: Microsoft's SMTP.Send offline_access
 *   node env/oauth/token.js approve '<authorize URL>'
 *   node env/oauth/token.js refresh <refresh token>
 *   node env/oauth/token.js revoke-grants [account]
 *   node env/oauth/token.js access-token-ttl <seconds>
 * Signs in as, and changes the test settings of, OAUTH_ACCOUNT (default: the test account); a test
 * suite that runs beside others sets it to a lane account of its own (env/oauth/settings.js).
 */
const crypto = require( 'crypto' );
const settings = require( './settings' );

const MICROSOFT_SCOPE = 'https://outlook.office.com/SMTP.Send offline_access';

/**
 * Follows the authorization server's redirects with a cookie jar, signing in and allowing on the
 * way, until it redirects anywhere else (the client's redirect URI), and returns that URL.
 *
 * @param {string} authorizeUrl The authorization request (as the plugin builds it).
 * @param {Object} [account]    { email, password } to sign in with (default: the test account).
 * @return {Promise<string>} The redirect back to the client, with code and state (or error).
 */
async function approve( authorizeUrl, account = {} ) {
	const email = account.email || settings.account;
	const password = account.password || settings.accountPassword;
	const jar = new Map();
	const origin = new URL( settings.issuer ).origin;
	let url = authorizeUrl;
	let method = 'GET';
	let body;
	for ( let step = 0; step < 12; step++ ) {
		const response = await fetch( url, {
			method,
			redirect: 'manual',
			headers: {
				Cookie: [ ...jar ]
					.map( ( [ k, v ] ) => `${ k }=${ v }` )
					.join( '; ' ),
				...( body
					? { 'Content-Type': 'application/x-www-form-urlencoded' }
					: {} ),
			},
			body,
		} );
		for ( const cookie of response.headers.getSetCookie() ) {
			const [ pair ] = cookie.split( ';' );
			const [ name, ...value ] = pair.split( '=' );
			if ( /expires=Thu, 01 Jan 1970/i.test( cookie ) ) {
				jar.delete( name.trim() );
			} else {
				jar.set( name.trim(), value.join( '=' ) );
			}
		}
		method = 'GET';
		body = undefined;
		if ( response.status >= 300 && response.status < 400 ) {
			const next = new URL( response.headers.get( 'location' ), url );
			if ( next.origin !== origin ) {
				return next.toString();
			}
			url = next.toString();
			continue;
		}
		const html = await response.text();
		const login = html.match( /action="(\/interaction\/[\w-]+\/login)"/ );
		const confirm = html.match(
			/action="(\/interaction\/[\w-]+\/confirm)"/
		);
		if ( response.status === 200 && login ) {
			url = origin + login[ 1 ];
			method = 'POST';
			body = new URLSearchParams( { email, password } ).toString();
		} else if ( response.status === 200 && confirm ) {
			url = origin + confirm[ 1 ];
			method = 'POST';
			body = '';
		} else {
			const error = html.match( /id="error"[^>]*>([^<]*)</ );
			throw new Error(
				`authorization stopped at ${ url } (HTTP ${ response.status }): ${ error ? error[ 1 ] : html.slice( 0, 200 ) }`
			);
		}
	}
	throw new Error( 'authorization did not finish in 12 steps' );
}

/**
 * Posts a form to the token endpoint as the plugin's client (secret in the body or Basic header,
 * as the server registered it).
 *
 * @param {Object} fields Form fields.
 * @param {string} [path] Endpoint URL (default: the token endpoint).
 * @return {Promise<{status: number, json: Object}>} The answer.
 */
async function clientPost( fields, path = settings.tokenUrl ) {
	const headers = { 'Content-Type': 'application/x-www-form-urlencoded' };
	const form = new URLSearchParams( fields );
	if ( settings.clientAuthMethod === 'client_secret_basic' ) {
		headers.Authorization =
			'Basic ' +
			Buffer.from(
				`${ encodeURIComponent( settings.clientId ) }:${ encodeURIComponent( settings.clientSecret ) }`
			).toString( 'base64' );
	} else {
		form.set( 'client_id', settings.clientId );
		form.set( 'client_secret', settings.clientSecret );
	}
	const response = await fetch( path, {
		method: 'POST',
		headers,
		body: form,
	} );
	const text = await response.text();
	let json;
	try {
		json = JSON.parse( text || '{}' );
	} catch {
		json = { raw: text };
	}
	return { status: response.status, json };
}

/**
 * The whole authorization code flow with PKCE and state, as the plugin does it.
 *
 * @param {Object} [options]             Options.
 * @param {string} [options.scope]       Scope (default Microsoft's).
 * @param {string} [options.redirectUri] One of the registered redirect URIs.
 * @return {Promise<Object>} The token answer: access_token, refresh_token, expires_in, scope.
 */
async function codeFlowTokens( options = {} ) {
	const scope = options.scope || MICROSOFT_SCOPE;
	const redirectUri = options.redirectUri || settings.redirectUris[ 0 ];
	const verifier = crypto.randomBytes( 32 ).toString( 'base64url' );
	const challenge = crypto
		.createHash( 'sha256' )
		.update( verifier )
		.digest( 'base64url' );
	const state = crypto.randomBytes( 16 ).toString( 'base64url' );
	const authorize = new URL( settings.authorizeUrl );
	authorize.search = new URLSearchParams( {
		client_id: settings.clientId,
		response_type: 'code',
		redirect_uri: redirectUri,
		scope,
		state,
		code_challenge: challenge,
		code_challenge_method: 'S256',
	} ).toString();
	const back = new URL(
		await approve( authorize.toString(), options.account )
	);
	if ( back.searchParams.get( 'state' ) !== state ) {
		throw new Error( `state changed on the way back: ${ back }` );
	}
	const code = back.searchParams.get( 'code' );
	if ( ! code ) {
		throw new Error(
			`no code: ${ back.searchParams.get( 'error' ) } ${ back.searchParams.get( 'error_description' ) }`
		);
	}
	const { status, json } = await clientPost( {
		grant_type: 'authorization_code',
		code,
		redirect_uri: redirectUri,
		code_verifier: verifier,
	} );
	if ( status !== 200 ) {
		throw new Error(
			`token endpoint: HTTP ${ status } ${ JSON.stringify( json ) }`
		);
	}
	return json;
}

/**
 * @param {string} refreshToken The refresh token.
 * @return {Promise<{status: number, json: Object}>} The token endpoint's answer.
 */
function refresh( refreshToken ) {
	return clientPost( {
		grant_type: 'refresh_token',
		refresh_token: refreshToken,
	} );
}

async function testPost( name, fields ) {
	const response = await fetch( `${ settings.issuer }/test/${ name }`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams( fields ),
	} );
	const json = await response.json();
	if ( ! response.ok ) {
		throw new Error(
			`/test/${ name }: HTTP ${ response.status } ${ JSON.stringify( json ) }`
		);
	}
	return json;
}

const revokeGrants = ( account = settings.account ) =>
	testPost( 'revoke-grants', { account } );
const setAccessTokenTtl = ( seconds, account = settings.account ) =>
	testPost( 'access-token-ttl', { seconds: String( seconds ), account } );

module.exports = {
	MICROSOFT_SCOPE,
	approve,
	clientPost,
	codeFlowTokens,
	refresh,
	revokeGrants,
	setAccessTokenTtl,
	settings,
};

if ( require.main === module ) {
	const [ command, arg ] = process.argv.slice( 2 );
	const commands = {
		tokens: () => codeFlowTokens( { scope: arg } ),
		approve: () => approve( arg ),
		refresh: () => refresh( arg ),
		'revoke-grants': () => revokeGrants( arg ),
		'access-token-ttl': () => setAccessTokenTtl( Number( arg ) ),
	};
	if ( ! commands[ command ] ) {
		process.stderr.write(
			'usage: node env/oauth/token.js tokens [scope] | approve <url> | refresh <token> | revoke-grants [account] | access-token-ttl <seconds>\n'
		);
		process.exit( 2 );
	}
	commands[ command ]()
		.then( ( out ) =>
			process.stdout.write(
				( typeof out === 'string' ? out : JSON.stringify( out ) ) + '\n'
			)
		)
		.catch( ( error ) => {
			process.stderr.write( `${ error.message }\n` );
			process.exit( 1 );
		} );
}
