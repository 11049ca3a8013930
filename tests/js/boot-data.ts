/**
 * Boot data as the settings screen prints it: the vocabulary parts come from the PHP side
 * (src/generated/rest-schemas.json, checked against PHP by Rest_Types_Test), so the tests keep no
 * copy of the ports or the encryption labels.
 */
import generated from '../../src/generated/rest-schemas.json';
import type { BootData } from '../../src/types';

export function bootDataFixture(
	overrides: Partial< BootData > = {}
): BootData {
	return {
		...( generated.bootData as Omit< BootData, 'restNamespace' > ),
		restNamespace: 'smtp-port-helper/v1',
		adminEmail: 'admin@example.com',
		sendPath: { status: 'unknown', messages: [] },
		oauthRedirectUri:
			'https://example.com/wp-admin/options-general.php?page=smtp-port-helper',
		oauthFailure: { code: '', message: '' },
		...overrides,
	};
}
