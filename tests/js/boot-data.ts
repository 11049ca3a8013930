/**
 * Boot data as the settings screen prints it: the vocabulary parts come from the PHP side
 * (src/generated/rest-schemas.json, checked against PHP by Rest_Types_Test), so the tests keep no
 * copy of the ports, the encryption labels or the presets' warnings.
 */
import generated from '../../src/generated/rest-schemas.json';
import type { BootData } from '../../src/types';

export function bootDataFixture(
	overrides: Partial< BootData > = {}
): BootData {
	const { presetWarnings, ...vocabulary } = generated.bootData;
	return {
		...( vocabulary as unknown as Omit<
			BootData,
			'restNamespace' | 'presetWarnings'
		> ),
		presetWarnings,
		restNamespace: 'smtp-port-helper/v1',
		adminEmail: 'admin@example.com',
		sendPath: { status: 'unknown', messages: [] },
		outboxCounts: { queued: 0, sending: 0, held: 0, failed: 0 },
		oauthRedirectUri:
			'https://example.com/wp-admin/options-general.php?page=smtp-port-helper',
		oauthFailure: { code: '', message: '' },
		...overrides,
	};
}
