import { Notice } from '@wordpress/components';
import { Suspense, lazy } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { missingPassword, saveForgetsPassword } from '../../port-test';
import type { Preset } from '../../presets';
import type { SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';
import { TextField } from '../Fields';
import { SavedPassword } from './SavedPassword';

// Why a password cannot be saved or read: states only some sites are in, a chunk of their own.
const PasswordProblems = lazy( () =>
	import(
		/* webpackChunkName: "password-problems" */ './PasswordProblems'
	).then( ( module ) => ( { default: module.PasswordProblems } ) )
);

export interface PasswordLoginProps {
	ctx: FieldContext;
	/** The saved login, whether a password is saved and can still be read, and a key to seal one. */
	record: Pick<
		SettingsResponse,
		| 'host'
		| 'username'
		| 'password_set'
		| 'password_unreadable'
		| 'key_unsafe'
	>;
	/** The chosen provider: whether its password is an API key. */
	preset?: Preset;
}

function passwordHelp( { ctx, record, preset }: PasswordLoginProps ): string {
	if ( preset?.apiKeyPassword ) {
		return sprintf(
			/* translators: %s: provider name, e.g. SendGrid. */
			__(
				'For %s the password is an API key you create in your account there, not your account password.',
				'smtp-port-helper'
			),
			preset.name
		);
	}
	const missing = missingPassword( ctx.form, record );
	if ( missing ) {
		return missing;
	}
	return record.password_set
		? __(
				'A password is saved. Leave the field empty to keep it.',
				'smtp-port-helper'
			)
		: __(
				'Stored encrypted; never shown again after saving.',
				'smtp-port-helper'
			);
}

/**
 * Step 2 with a password login: the user name and the write-only password, why a password cannot
 * be saved or read, and what saving another host or user name does to the saved one.
 */
export function PasswordLogin( props: PasswordLoginProps ) {
	const { ctx, record } = props;
	return (
		<>
			{ ( record.key_unsafe || record.password_unreadable ) && (
				<Suspense fallback={ null }>
					<PasswordProblems record={ record } />
				</Suspense>
			) }
			<div className="smtp-port-helper__fields is-even">
				<TextField
					ctx={ ctx }
					name="username"
					label={ __( 'User name', 'smtp-port-helper' ) }
					autoComplete="off"
				/>
				<TextField
					ctx={ ctx }
					name="password"
					type="password"
					label={ __( 'Password', 'smtp-port-helper' ) }
					autoComplete="new-password"
					placeholder={
						record.password_set
							? __(
									'Saved — leave empty to keep',
									'smtp-port-helper'
								)
							: undefined
					}
					help={ passwordHelp( props ) }
				/>
			</div>
			{ ! ctx.locked.password &&
				saveForgetsPassword( ctx.form, record ) && (
					<Notice
						status="warning"
						isDismissible={ false }
						className="smtp-port-helper__forget-warning"
					>
						{ sprintf(
							/* translators: 1: saved SMTP host, 2: saved SMTP user name. */
							__(
								'The saved password is only sent to %1$s as %2$s. If you save another host or user name without entering its password, the saved password is removed.',
								'smtp-port-helper'
							),
							record.host,
							record.username
						) }
					</Notice>
				) }
			{ record.password_set && ! ctx.locked.password && (
				<SavedPassword ctx={ ctx } />
			) }
		</>
	);
}
