import { Button, Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { OAuthProvider, SettingsResponse } from '../../types';

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

/**
 * The way out of a provider's password login, for the providers that want OAuth 2.0 (why it is a
 * dead end, with its date and source, is the preset's warning in step 1, in PHP's words).
 */
function passwordDeadEnd( provider: OAuthProvider ): string {
	return provider === 'google'
		? __(
				'A Google password works for SMTP only as an app password (see step 1). Sign in with Google instead: the site then sends with a token, and no password is stored.',
				'smtp-port-helper'
			)
		: __(
				'Microsoft 365 is ending password login for SMTP (see step 1). Sign in with Microsoft instead: the site then sends with a token, and no password is stored.',
				'smtp-port-helper'
			);
}

/**
 * For a provider that wants OAuth 2.0 while a password login is chosen: why, and the switch.
 */
export function PasswordDeadEnd( {
	provider,
	canSwitch,
	onSwitch,
}: {
	provider: OAuthProvider;
	canSwitch: boolean;
	onSwitch: () => void;
} ) {
	return (
		<Notice
			status="warning"
			isDismissible={ false }
			className="smtp-port-helper__oauth-advice"
		>
			<p>{ passwordDeadEnd( provider ) }</p>
			{ canSwitch && (
				<Button variant="secondary" onClick={ onSwitch }>
					{ provider === 'google'
						? __( 'Use Sign in with Google', 'smtp-port-helper' )
						: __(
								'Use Sign in with Microsoft',
								'smtp-port-helper'
							) }
				</Button>
			) }
		</Notice>
	);
}
