import { Notice, RadioControl, Spinner } from '@wordpress/components';
import { Suspense, lazy } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { missingPassword, saveForgetsPassword } from '../../port-test';
import type { Preset } from '../../presets';
import type { AuthMethod, SettingsResponse } from '../../types';
import { TextField, ToggleField } from '../Fields';
import { lockedHelp } from '../../text/field-labels';
import type { OAuthLoginProps } from '../oauth/OAuthLogin';
import { SavedPassword } from './SavedPassword';
import { Step } from './Step';

// Its own script chunk, loaded when OAuth 2.0 is chosen: a password login never loads it.
const OAuthLogin = lazy( () =>
	import( /* webpackChunkName: "oauth-login" */ '../oauth/OAuthLogin' ).then(
		( module ) => ( { default: module.OAuthLogin } )
	)
);

// Why a password login does not work here — no key to seal it, a saved one that can no longer
// be read, a provider that wants OAuth 2.0: states only some sites are in, one chunk of their own.
const PasswordProblems = lazy( () =>
	import(
		/* webpackChunkName: "password-problems" */ './PasswordProblems'
	).then( ( module ) => ( { default: module.PasswordProblems } ) )
);
const PasswordDeadEnd = lazy( () =>
	import(
		/* webpackChunkName: "password-problems" */ './PasswordProblems'
	).then( ( module ) => ( { default: module.PasswordDeadEnd } ) )
);

interface Props extends Omit< OAuthLoginProps, 'record' > {
	/**
	 * The saved settings: the saved login, whether a password is saved and can still be read,
	 * whether there is a key to seal one with, and the OAuth connection.
	 */
	record: Pick<
		SettingsResponse,
		| 'host'
		| 'username'
		| 'password_set'
		| 'password_unreadable'
		| 'key_unsafe'
	> &
		OAuthLoginProps[ 'record' ];
	/** The chosen provider: whether its password is an API key, whether it wants OAuth. */
	preset?: Preset;
}

function passwordHelp( { ctx, record, preset }: Props ): string {
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
 * Step 2: SMTP authentication, before the port test so that the test tries this login. The
 * password is never shown; an empty field keeps the saved one, which is only ever sent to the
 * host and user name it was saved with.
 */
export function LoginStep( props: Props ) {
	const { ctx, record, preset } = props;
	const oauthProvider = preset?.oauthProvider;
	return (
		<Step title={ __( '2. Login', 'smtp-port-helper' ) }>
			<ToggleField
				ctx={ ctx }
				name="auth"
				label={ __(
					'Log in to the SMTP server (SMTP authentication)',
					'smtp-port-helper'
				) }
			/>
			{ ctx.form.auth && (
				<RadioControl
					label={ __( 'Authentication method', 'smtp-port-helper' ) }
					selected={ ctx.form.auth_method }
					disabled={ Boolean( ctx.locked.auth_method ) }
					help={
						ctx.errors.auth_method ??
						lockedHelp( ctx.locked.auth_method )
					}
					options={ [
						{
							value: 'password',
							label: __(
								'User name and password',
								'smtp-port-helper'
							),
						},
						{
							value: 'oauth2',
							label: __(
								'Sign in with Microsoft 365 / Google (OAuth 2.0)',
								'smtp-port-helper'
							),
						},
					] }
					onChange={ ( value: string ) =>
						ctx.setField( 'auth_method', value as AuthMethod )
					}
				/>
			) }
			{ ctx.form.auth &&
				ctx.form.auth_method === 'password' &&
				oauthProvider && (
					<Suspense fallback={ null }>
						<PasswordDeadEnd
							provider={ oauthProvider }
							canSwitch={ ! ctx.locked.auth_method }
							onSwitch={ () => {
								ctx.setField( 'auth_method', 'oauth2' );
								props.onChooseProvider( oauthProvider );
							} }
						/>
					</Suspense>
				) }
			{ ctx.form.auth && ctx.form.auth_method === 'oauth2' && (
				<Suspense fallback={ <Spinner /> }>
					<OAuthLogin
						ctx={ ctx }
						record={ record }
						hasEdits={ props.hasEdits }
						onSave={ props.onSave }
						onDisconnected={ props.onDisconnected }
						onChooseProvider={ props.onChooseProvider }
					/>
				</Suspense>
			) }
			{ ctx.form.auth && ctx.form.auth_method === 'password' && (
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
			) }
		</Step>
	);
}
