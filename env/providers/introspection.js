/**
 * The bearer-token check the OAuth-signed API servers share (Microsoft Graph, the Gmail API): a
 * token counts only when the local authorization server of the OAuth tests (env/oauth) says by
 * introspection (RFC 7662, with the resource server's own client) that it is active, is an access
 * token and was issued to the plugin's client. Each server answers a refusal in its own error shape.
 *
 * Env: OAUTH_API_INTROSPECTION_URL (default: the OAuth stack's), OAUTH_API_INTROSPECTION_CLIENT_ID/_SECRET
 * (GRAPH_INTROSPECTION_* are read too).
 */
const oauth = require( '../oauth/settings' );

const env = ( name ) =>
	process.env[ 'OAUTH_API_' + name ] || process.env[ 'GRAPH_' + name ];
const introspectionUrl = env( 'INTROSPECTION_URL' ) || oauth.introspectionUrl;
const introspectionAuth = Buffer.from(
	`${ env( 'INTROSPECTION_CLIENT_ID' ) || oauth.introspectionClientId }:${
		env( 'INTROSPECTION_CLIENT_SECRET' ) || oauth.introspectionClientSecret
	}`
).toString( 'base64' );

/**
 * What the authorization server says about the request's bearer token.
 *
 * @param {import('http').IncomingMessage} request The request.
 * @return {Promise<{refused: 'missing'|'inactive'|'unchecked', detail?: string}|{account: string, scopes: string[]}>}
 *     Why the token is refused, or its account and scopes.
 */
async function bearerToken( request ) {
	const match = String( request.headers.authorization || '' ).match(
		/^Bearer ([\x21-\x7e]+)$/
	);
	if ( ! match ) {
		return { refused: 'missing' };
	}
	let info;
	try {
		const answer = await fetch( introspectionUrl, {
			method: 'POST',
			headers: {
				Authorization: `Basic ${ introspectionAuth }`,
				'Content-Type': 'application/x-www-form-urlencoded',
			},
			body: new URLSearchParams( { token: match[ 1 ] } ),
		} );
		info = await answer.json();
	} catch ( failure ) {
		return { refused: 'unchecked', detail: failure.message };
	}
	if (
		! info.active ||
		info.client_id !== oauth.clientId ||
		info.token_type === 'refresh_token'
	) {
		return { refused: 'inactive' };
	}
	return {
		account: String( info.email || info.sub || '' ),
		scopes: String( info.scope || '' )
			.split( ' ' )
			.filter( Boolean ),
	};
}

module.exports = { bearerToken };
