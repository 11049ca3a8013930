/**
 * The stack's local OAuth 2.0 authorization server (env/oauth, oidc-provider) in the role of
 * Microsoft's and Google's sign-in: its address, the test client and account, and its sign-in
 * pages as a person fills them in.
 */
import type { Page } from '@playwright/test';
import type { RequestUtils } from '@wordpress/e2e-test-utils-playwright';
import { expect } from '@wordpress/e2e-test-utils-playwright';

export const AUTH_SERVER = `http://127.0.0.1:${
	process.env.OAUTH_PORT ?? '9411'
}`;
export const CLIENT_ID = 'smtp-port-helper-test';
export const CLIENT_SECRET = 'local-oauth-test-client-secret';
export const ACCOUNT = 'owner@oauth.test';
export const ACCOUNT_PASSWORD = 'owner-password';

/** wp-config constants that point the Microsoft and Google endpoints at the local server. */
export const ENDPOINT_CONSTANTS = {
	SMTP_PORT_HELPER_OAUTH_AUTHORIZE_URL: `${ AUTH_SERVER }/authorize`,
	SMTP_PORT_HELPER_OAUTH_TOKEN_URL: `${ AUTH_SERVER }/token`,
};

/** Fails with the reason when the stack's authorization server does not answer. */
export async function expectAuthServerUp() {
	const health = await fetch( `${ AUTH_SERVER }/test/health` ).catch(
		() => null
	);
	expect(
		health?.ok,
		`the local authorization server answers on ${ AUTH_SERVER } (bash env/stack.sh start)`
	).toBe( true );
}

/**
 * On the authorization server's pages (after the plugin sent the browser there): signs in as the
 * test account and allows what the plugin asked for; returns once the browser is back on WordPress.
 * @param page
 */
export async function signInAtAuthServer( page: Page ) {
	await page.waitForURL( `${ AUTH_SERVER }/**` );
	await page.getByLabel( 'E-mail address' ).fill( ACCOUNT );
	await page.getByLabel( 'Password' ).fill( ACCOUNT_PASSWORD );
	await page.getByRole( 'button', { name: 'Sign in' } ).click();
	await page.getByRole( 'button', { name: 'Allow' } ).click();
	await page.waitForURL( /page=smtp-port-helper/ );
}

/**
 * Disconnects the site's sign-in (its tokens revoked and forgotten), then saves settings.
 * @param requestUtils The spec's REST helper (an administrator).
 * @param settings     The settings to save after.
 */
export async function disconnectThenSave(
	requestUtils: RequestUtils,
	settings: Record< string, unknown >
) {
	await requestUtils.rest( {
		path: '/smtp-port-helper/v1/oauth/disconnect',
		method: 'POST',
	} );
	await requestUtils.rest( {
		path: '/smtp-port-helper/v1/settings',
		method: 'POST',
		data: settings,
	} );
}
