/**
 * The local OAuth test stack's settings, from the environment with fixed test defaults: read by the
 * authorization server, the token helper and the tests, so they all agree without configuration.
 * Every value here is for loopback tests only; none of them is a secret of anything real.
 */
const wpUrl = process.env.WP_URL || 'http://127.0.0.1:8889';
const port = Number( process.env.OAUTH_PORT || 9411 );
const issuer = process.env.OAUTH_ISSUER || `http://127.0.0.1:${ port }`;

const account = process.env.OAUTH_ACCOUNT || 'owner@oauth.test';
const [ accountLocal, accountDomain ] = account.split( '@' );
const escapeRegExp = ( text ) => text.replace( /[.*+?^${}()|[\]\\]/g, '\\$&' );
// The test account's lane accounts: `<local>-<lane>@<domain>` (owner-sqlite@oauth.test).
const laneAccount = new RegExp(
	`^${ escapeRegExp( accountLocal ) }-[a-z0-9]+@${ escapeRegExp(
		accountDomain || ''
	) }$`
);

const list = ( value ) =>
	String( value )
		.split( ',' )
		.map( ( item ) => item.trim() )
		.filter( Boolean );

module.exports = {
	port,
	issuer,
	authorizeUrl: `${ issuer }/authorize`,
	tokenUrl: `${ issuer }/token`,
	revocationUrl: `${ issuer }/token/revocation`,
	introspectionUrl: `${ issuer }/token/introspection`,
	clientId: process.env.OAUTH_CLIENT_ID || 'smtp-port-helper-test',
	clientSecret:
		process.env.OAUTH_CLIENT_SECRET || 'local-oauth-test-client-secret',
	// How the client authenticates at the token and revocation endpoints: client_secret_post (id
	// and secret in the form body, as Microsoft and Google document it) or client_secret_basic.
	clientAuthMethod:
		process.env.OAUTH_CLIENT_AUTH_METHOD || 'client_secret_post',
	// The plugin's redirect URIs: the settings page and its network screen.
	redirectUris: list(
		process.env.OAUTH_REDIRECT_URIS ||
			[
				`${ wpUrl }/wp-admin/options-general.php?page=smtp-port-helper`,
				`${ wpUrl }/wp-admin/network/settings.php?page=smtp-port-helper`,
			].join( ',' )
	),
	// The resource server (Dovecot) asks the introspection endpoint with its own credentials.
	introspectionClientId:
		process.env.OAUTH_INTROSPECTION_CLIENT_ID || 'dovecot',
	introspectionClientSecret:
		process.env.OAUTH_INTROSPECTION_CLIENT_SECRET ||
		'local-oauth-test-introspection-secret',
	// The test account: its id is the mailbox, as the e-mail address in XOAUTH2. Its lane accounts
	// (`owner-<lane>@oauth.test`, same password) sign in too: a test suite that runs beside others
	// uses one of its own, so the server's per-account test settings and counters are its own.
	account,
	isAccount: ( id ) =>
		typeof id === 'string' && ( id === account || laneAccount.test( id ) ),
	accountPassword: process.env.OAUTH_ACCOUNT_PASSWORD || 'owner-password',
	// Seconds an access token lives; POST /test/access-token-ttl changes it while running.
	accessTokenTtl: Number( process.env.OAUTH_ACCESS_TOKEN_TTL || 3600 ),
	// Scopes the resource server grants: Microsoft's and Google's SMTP scopes and a generic one,
	// and the HTTPS APIs' delegated permissions (Microsoft Graph, the Gmail API).
	resourceScopes: [
		'https://outlook.office.com/SMTP.Send',
		'https://mail.google.com/',
		'smtp',
		'https://graph.microsoft.com/Mail.Send',
		'https://graph.microsoft.com/Mail.Send.Shared',
		'https://graph.microsoft.com/User.Read',
		'https://www.googleapis.com/auth/gmail.send',
	],
	resource: process.env.OAUTH_RESOURCE || 'urn:smtp-port-helper:smtp',
};
