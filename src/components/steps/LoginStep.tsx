import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';
import { TextField, ToggleField } from '../Fields';
import { SavedPassword } from './SavedPassword';
import { Step } from './Step';

interface Props {
	ctx: FieldContext;
	/** The saved settings: whether a password is saved, and whether it can still be read. */
	record: Pick< SettingsResponse, 'password_set' | 'password_unreadable' >;
}

/**
 * Step 4: SMTP authentication. The password is never shown; an empty field keeps the saved one.
 * @param root0
 * @param root0.ctx
 * @param root0.record
 */
export function LoginStep( { ctx, record }: Props ) {
	return (
		<Step title={ __( '4. Login', 'smtp-port-helper' ) }>
			<ToggleField
				ctx={ ctx }
				name="auth"
				label={ __(
					'Log in to the SMTP server (SMTP authentication)',
					'smtp-port-helper'
				) }
			/>
			{ ctx.form.auth && (
				<>
					{ record.password_unreadable && (
						<Notice status="warning" isDismissible={ false }>
							{ __(
								'The saved password can no longer be read, probably because the security keys in wp-config.php changed. Enter the password again and save.',
								'smtp-port-helper'
							) }
						</Notice>
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
							help={
								record.password_set
									? __(
											'A password is saved. Leave the field empty to keep it.',
											'smtp-port-helper'
										)
									: __(
											'Stored encrypted; never shown again after saving.',
											'smtp-port-helper'
										)
							}
						/>
					</div>
					{ record.password_set && ! ctx.locked.password && (
						<SavedPassword ctx={ ctx } />
					) }
				</>
			) }
		</Step>
	);
}
