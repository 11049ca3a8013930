/**
 * A real OAuth 2.0 authorization server on loopback for the tests of OAuth sign-in (issue #13):
 * oidc-provider (the OpenID-certified server library) with one confidential client — the plugin —
 * the authorization code flow with PKCE required, refresh tokens, token introspection (Dovecot asks
 * it whether a token is active and whose it is) and revocation. Its own minimal login and consent
 * pages, so a browser test signs in like at Microsoft or Google.
 *
 * Accounts: the test account (settings.account) and its lane accounts `<local>-<lane>@<domain>`
 * (owner-sqlite@oauth.test, …), same password. Every test setting below is kept per account, so
 * test suites that run at the same time, each signing in with an account of its own, never see
 * each other's token lifetimes, withdrawn grants or refresh counts (tests/php/bootstrap-wordpress.php).
 *
 * Test-only endpoints under /test/ (loopback only, like the whole server); `account` defaults to
 * the test account:
 *   GET  /test/health                      200 when ready
 *   POST /test/revoke-grants  account=...  forgets every grant of the account and its tokens, as an
 *                                          administrator who withdraws consent (refresh → invalid_grant)
 *   POST /test/access-token-ttl seconds=N [account=...]  lifetime of the account's access tokens
 *                                          issued from now on
 *   POST /test/revoke-access-tokens account=...  makes the account's access tokens inactive before
 *                                          they expire while its refresh tokens still work (sessions
 *                                          revoked, continuous access evaluation)
 *   POST /test/refresh-token-expires-in seconds=N [account=...]  the account's token answers carry
 *                                          refresh_token_expires_in=N (Google's time-limited grants;
 *                                          0: left out again)
 *   GET  /test/stats[?account=...]         {"account", "refreshes": N}: the account's refresh grants
 *                                          answered since start
 *
 * Usage: node env/oauth/authorization-server.js     (settings: env/oauth/settings.js)
 */
const crypto = require( 'crypto' );
const http = require( 'http' );
const settings = require( './settings' );
const { createAdapter } = require( './memory-adapter' );
const { page, loginForm, consentForm } = require( './pages' );

const log = ( entry ) =>
	process.stdout.write(
		JSON.stringify( { t: new Date().toISOString(), ...entry } ) + '\n'
	);

/**
 * The test settings and counters of each account that signed in or was configured.
 *
 * @type {Map<string, {accessTokenTtl: number, refreshTokenExpiresIn: number, refreshes: number}>}
 */
const accountStates = new Map();
const stateOf = ( account ) => {
	if ( ! accountStates.has( account ) ) {
		accountStates.set( account, {
			accessTokenTtl: settings.accessTokenTtl,
			refreshTokenExpiresIn: 0,
			refreshes: 0,
		} );
	}
	return accountStates.get( account );
};

/**
 * Reads a urlencoded or JSON request body (at most 64 KiB).
 *
 * @param {http.IncomingMessage} req Request.
 * @return {Promise<Object>} Fields.
 */
function readForm( req ) {
	return new Promise( ( resolve, reject ) => {
		let body = '';
		req.setEncoding( 'utf8' );
		req.on( 'data', ( chunk ) => {
			body += chunk;
			if ( body.length > 65536 ) {
				reject( new Error( 'request body too large' ) );
				req.destroy();
			}
		} );
		req.on( 'end', () => {
			if ( ( req.headers[ 'content-type' ] || '' ).includes( 'json' ) ) {
				try {
					resolve( JSON.parse( body || '{}' ) );
				} catch ( error ) {
					reject( error );
				}
				return;
			}
			resolve( Object.fromEntries( new URLSearchParams( body ) ) );
		} );
		req.on( 'error', reject );
	} );
}

function send( res, status, body, type = 'text/html; charset=utf-8' ) {
	res.writeHead( status, {
		'Content-Type': type,
		'Cache-Control': 'no-store',
	} );
	res.end( body );
}

const sendJson = ( res, status, value ) =>
	send( res, status, JSON.stringify( value ), 'application/json' );

async function main() {
	const { default: Provider, errors } = await import( 'oidc-provider' );
	const adapter = createAdapter();

	// A signing key of this run (ID tokens only; access tokens are opaque).
	const signingKey = crypto
		.generateKeyPairSync( 'rsa', { modulusLength: 2048 } )
		.privateKey.export( { format: 'jwk' } );
	const provider = new Provider( settings.issuer, {
		adapter: adapter.Adapter,
		jwks: { keys: [ { ...signingKey, alg: 'RS256', use: 'sig' } ] },
		clients: [
			{
				client_id: settings.clientId,
				client_secret: settings.clientSecret,
				redirect_uris: settings.redirectUris,
				grant_types: [ 'authorization_code', 'refresh_token' ],
				response_types: [ 'code' ],
				token_endpoint_auth_method: settings.clientAuthMethod,
			},
			{
				// The resource server: may only introspect, never sign anyone in.
				client_id: settings.introspectionClientId,
				client_secret: settings.introspectionClientSecret,
				redirect_uris: [],
				grant_types: [],
				response_types: [],
				token_endpoint_auth_method: 'client_secret_basic',
			},
		],
		async findAccount( ctx, id ) {
			if ( ! settings.isAccount( id ) ) {
				return undefined;
			}
			return {
				accountId: id,
				claims: () => ( {
					sub: id,
					email: id,
					email_verified: true,
				} ),
			};
		},
		claims: { openid: [ 'sub' ], email: [ 'email', 'email_verified' ] },
		scopes: [ 'openid', 'offline_access', 'email' ],
		routes: { authorization: '/authorize' },
		pkce: { required: () => true },
		// The e-mail address in the ID token (scope "openid email"): where the plugin reads which
		// account was connected, as from Microsoft's and Google's ID tokens.
		conformIdTokenClaims: false,
		features: {
			devInteractions: { enabled: false },
			introspection: {
				enabled: true,
				// Only the resource server may ask, and it may ask about any token.
				allowedPolicy: async ( ctx, client ) =>
					client.clientId === settings.introspectionClientId,
			},
			revocation: { enabled: true },
			resourceIndicators: {
				enabled: true,
				// The plugin names no resource (Microsoft and Google derive it from the scope).
				defaultResource: () => settings.resource,
				useGrantedResource: () => true,
				getResourceServerInfo: ( ctx, resourceIndicator ) => {
					if ( resourceIndicator !== settings.resource ) {
						throw new errors.InvalidTarget();
					}
					return {
						scope: settings.resourceScopes.join( ' ' ),
						audience: settings.resource,
						accessTokenFormat: 'opaque',
					};
				},
			},
		},
		// The mailbox in the introspection answer, where Dovecot reads the user name.
		extraTokenClaims: async ( ctx, token ) =>
			token.kind === 'AccessToken'
				? { email: token.accountId }
				: undefined,
		// Refresh tokens for every code grant, with or without offline_access (Google's
		// access_type=offline works the same way), and not bound to the browser session.
		issueRefreshToken: async ( ctx, client ) =>
			client.grantTypeAllowed( 'refresh_token' ),
		expiresWithSession: async () => false,
		ttl: {
			AccessToken: ( ctx, token ) =>
				stateOf( token.accountId ).accessTokenTtl,
			AuthorizationCode: 600,
			Grant: 14 * 24 * 3600,
			Interaction: 3600,
			RefreshToken: 14 * 24 * 3600,
			Session: 14 * 24 * 3600,
		},
		interactions: {
			url: ( ctx, pending ) => `/interaction/${ pending.uid }`,
		},
		cookies: { keys: [ 'local-oauth-test-cookie-key' ] },
		renderError: async ( ctx, out ) => {
			ctx.type = 'html';
			ctx.body = page(
				'Sign-in error',
				`<h1>Sign-in error</h1><p id="error">${ escape( out.error ) }: ${ escape( out.error_description || '' ) }</p>`
			);
		},
	} );
	provider.on( 'server_error', ( ctx, error ) =>
		log( { event: 'server_error', error: String( error && error.stack ) } )
	);
	for ( const event of [
		'grant.success',
		'grant.error',
		'introspection.error',
		'revocation.error',
		'authorization.error',
	] ) {
		provider.on( event, ( ctx, error ) =>
			log( {
				event,
				path: ctx.path,
				error: error
					? `${ error.error || error.message }: ${ error.error_description || '' }`
					: undefined,
			} )
		);
	}
	provider.on( 'grant.success', ( ctx ) => {
		if (
			ctx.oidc.params.grant_type === 'refresh_token' &&
			ctx.oidc.account
		) {
			stateOf( ctx.oidc.account.accountId ).refreshes++;
		}
	} );
	// Google adds refresh_token_expires_in to the answers of time-limited grants.
	provider.use( async ( ctx, next ) => {
		await next();
		const seconds =
			ctx.oidc && ctx.oidc.account
				? stateOf( ctx.oidc.account.accountId ).refreshTokenExpiresIn
				: 0;
		if (
			seconds > 0 &&
			ctx.path === '/token' &&
			ctx.body &&
			typeof ctx.body === 'object' &&
			ctx.body.access_token
		) {
			ctx.body = {
				...ctx.body,
				refresh_token_expires_in: seconds,
			};
		}
	} );
	const providerCallback = provider.callback();

	async function interaction( req, res, uid, action ) {
		const details = await provider.interactionDetails( req, res );
		if ( details.uid !== uid ) {
			return send(
				res,
				400,
				page( 'Error', '<p>Unknown interaction.</p>' )
			);
		}
		const { prompt, params } = details;
		if ( req.method === 'GET' && ! action ) {
			return send(
				res,
				200,
				prompt.name === 'login'
					? loginForm( uid, params, '' )
					: consentForm( uid, params )
			);
		}
		if ( req.method !== 'POST' ) {
			return send(
				res,
				405,
				page( 'Error', '<p>Method not allowed.</p>' )
			);
		}
		const form = await readForm( req );
		if ( action === 'login' && prompt.name === 'login' ) {
			if (
				! settings.isAccount( form.email ) ||
				form.password !== settings.accountPassword
			) {
				log( {
					event: 'login.refused',
					email: String( form.email || '' ),
				} );
				return send(
					res,
					401,
					loginForm(
						uid,
						params,
						'The e-mail address or password is wrong.',
						String( form.email || '' )
					)
				);
			}
			log( { event: 'login.success', account: form.email } );
			return provider.interactionFinished(
				req,
				res,
				{ login: { accountId: form.email } },
				{ mergeWithLastSubmission: false }
			);
		}
		if ( action === 'confirm' && prompt.name === 'consent' ) {
			const { details: missing } = prompt;
			const grant = details.grantId
				? await provider.Grant.find( details.grantId )
				: new provider.Grant( {
						accountId: details.session.accountId,
						clientId: params.client_id,
					} );
			if ( missing.missingOIDCScope ) {
				grant.addOIDCScope( missing.missingOIDCScope.join( ' ' ) );
			}
			if ( missing.missingOIDCClaims ) {
				grant.addOIDCClaims( missing.missingOIDCClaims );
			}
			for ( const [ indicator, scopes ] of Object.entries(
				missing.missingResourceScopes || {}
			) ) {
				grant.addResourceScope( indicator, scopes.join( ' ' ) );
			}
			const grantId = await grant.save();
			log( {
				event: 'consent.given',
				account: details.session.accountId,
			} );
			return provider.interactionFinished(
				req,
				res,
				{ consent: { grantId } },
				{ mergeWithLastSubmission: true }
			);
		}
		if ( action === 'abort' ) {
			return provider.interactionFinished(
				req,
				res,
				{
					error: 'access_denied',
					error_description: 'The user declined the consent.',
				},
				{ mergeWithLastSubmission: false }
			);
		}
		return send( res, 400, page( 'Error', '<p>Unexpected step.</p>' ) );
	}

	async function testEndpoint( req, res, name ) {
		if ( name === 'health' ) {
			return sendJson( res, 200, { ok: true, issuer: settings.issuer } );
		}
		if ( name === 'stats' ) {
			const account =
				new URL( req.url, settings.issuer ).searchParams.get(
					'account'
				) || settings.account;
			return sendJson( res, 200, {
				account,
				refreshes: stateOf( account ).refreshes,
			} );
		}
		if ( req.method !== 'POST' ) {
			return sendJson( res, 405, { error: 'POST only' } );
		}
		const form = await readForm( req );
		const account = form.account || settings.account;
		if ( name === 'revoke-grants' ) {
			const revoked = await adapter.revokeAccount( account );
			log( { event: 'test.revoke-grants', account, revoked } );
			return sendJson( res, 200, { account, revoked } );
		}
		if ( name === 'revoke-access-tokens' ) {
			const revoked = adapter.revokeAccessTokens( account );
			log( { event: 'test.revoke-access-tokens', account, revoked } );
			return sendJson( res, 200, { account, revoked } );
		}
		if ( name === 'refresh-token-expires-in' ) {
			const seconds = Number( form.seconds );
			if ( ! Number.isInteger( seconds ) || seconds < 0 ) {
				return sendJson( res, 400, {
					error: 'seconds: a whole number ≥ 0',
				} );
			}
			stateOf( account ).refreshTokenExpiresIn = seconds;
			log( { event: 'test.refresh-token-expires-in', account, seconds } );
			return sendJson( res, 200, { account, seconds } );
		}
		if ( name === 'access-token-ttl' ) {
			const seconds = Number( form.seconds );
			if ( ! Number.isInteger( seconds ) || seconds < 1 ) {
				return sendJson( res, 400, {
					error: 'seconds: a whole number ≥ 1',
				} );
			}
			stateOf( account ).accessTokenTtl = seconds;
			log( { event: 'test.access-token-ttl', account, seconds } );
			return sendJson( res, 200, { account, seconds } );
		}
		return sendJson( res, 404, { error: 'unknown test endpoint' } );
	}

	const server = http.createServer( ( req, res ) => {
		const url = new URL( req.url, settings.issuer );
		const interactionMatch = url.pathname.match(
			/^\/interaction\/([\w-]+)(?:\/(login|confirm|abort))?$/
		);
		const testMatch = url.pathname.match( /^\/test\/([\w-]+)$/ );
		let handled;
		if ( interactionMatch ) {
			handled = interaction(
				req,
				res,
				interactionMatch[ 1 ],
				interactionMatch[ 2 ]
			);
		} else if ( testMatch ) {
			handled = testEndpoint( req, res, testMatch[ 1 ] );
		} else {
			return providerCallback( req, res );
		}
		handled.catch( ( error ) => {
			log( {
				event: 'error',
				path: url.pathname,
				error: String( error && error.message ),
			} );
			if ( ! res.headersSent ) {
				send(
					res,
					error instanceof errors.SessionNotFound ? 400 : 500,
					page(
						'Error',
						`<p id="error">${ escape( error.message ) }</p>`
					)
				);
			}
		} );
	} );
	server.listen( settings.port, '127.0.0.1', () =>
		log( {
			event: 'listening',
			issuer: settings.issuer,
			port: settings.port,
		} )
	);
	// Nothing to flush (state is in memory); idle keep-alive connections would delay a close.
	const stop = () => {
		server.closeAllConnections();
		process.exit( 0 );
	};
	process.on( 'SIGTERM', stop );
	process.on( 'SIGINT', stop );
}

function escape( value ) {
	return String( value ).replace(
		/[<>&"']/g,
		( c ) => `&#${ c.charCodeAt( 0 ) };`
	);
}

main().catch( ( error ) => {
	log( { event: 'fatal', error: String( error && error.stack ) } );
	process.exit( 1 );
} );
