import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { SettingsResponse } from '../../types';

/**
 * Why a password cannot be saved (no key to seal it with) or must be entered again (the saved one
 * can no longer be read). Loaded only in these states (LoginStep).
 */
export function PasswordProblems( {
	record,
}: {
	record: Pick< SettingsResponse, 'key_unsafe' | 'password_unreadable' >;
} ) {
	return (
		<>
			{ record.key_unsafe && (
				<Notice status="error" isDismissible={ false }>
					{ __(
						"This site has no secret key to seal the SMTP password: the salts in wp-config.php are missing, still the placeholder, or repeated, so anyone who knows them could decrypt it. A password cannot be saved until you add define( 'SMTP_PORT_HELPER_KEY', '…' ) with a long random phrase to wp-config.php.",
						'smtp-port-helper'
					) }
				</Notice>
			) }
			{ record.password_unreadable && (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'The saved password can no longer be read, probably because the security keys in wp-config.php changed. Enter the password again and save.',
						'smtp-port-helper'
					) }
				</Notice>
			) }
		</>
	);
}
