/**
 * The settings page set for an OAuth 2.0 login (src/components/oauth/OAuthLogin*.test.tsx): the
 * saved settings of a Microsoft 365 sign-in, a connected account, and the page's state reset
 * before each test (mocks, the DKIM panel left loading, the URL without a callback).
 */
import { getDkimKey } from '../../src/api';
import type { SettingsResponse } from '../../src/types';
import { settingsFixture } from './fixtures';

export function oauthSettings(
	overrides: Partial< SettingsResponse > = {}
): SettingsResponse {
	return settingsFixture( {
		host: 'smtp.office365.com',
		auth: true,
		auth_method: 'oauth2',
		oauth_provider: 'microsoft',
		username: 'mailer@contoso.example',
		oauth_client_id: 'app-1',
		oauth_client_secret_set: true,
		...overrides,
	} );
}

export const connected = {
	state: 'connected' as const,
	account: 'mailer@contoso.example',
	connected_at: '2026-11-29T10:00:00Z',
	code: '',
	message: '',
};

/** Before each test of the file (after its jest.mock() of the REST module). */
export function resetOAuthPageEachTest() {
	beforeEach( () => {
		jest.resetAllMocks();
		// The DKIM key panel of step 5 asks when shown: these tests leave it loading.
		jest.mocked( getDkimKey ).mockReturnValue( new Promise( () => {} ) );
		window.history.replaceState(
			null,
			'',
			'/wp-admin/options-general.php?page=smtp-port-helper'
		);
	} );
}
