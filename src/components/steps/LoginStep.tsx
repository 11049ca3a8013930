import { RadioControl, Spinner } from '@wordpress/components';
import { Suspense, lazy } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { Preset } from '../../presets';
import type { AuthMethod } from '../../types';
import { ToggleField } from '../Fields';
import { lockedHelp } from '../../text/field-labels';
import type { OAuthLoginProps } from '../oauth/OAuthLogin';
import type { PasswordLoginProps } from './PasswordLogin';
import { PasswordLogin } from './PasswordLogin';
import { Step } from './Step';

// Its own script chunk, loaded when OAuth 2.0 is chosen: a password login never loads it.
const OAuthLogin = lazy( () =>
	import( /* webpackChunkName: "oauth-login" */ '../oauth/OAuthLogin' ).then(
		( module ) => ( { default: module.OAuthLogin } )
	)
);

// Why a password login is a dead end for a provider that wants OAuth 2.0: one chunk with the
// password's other problems (PasswordLogin), loaded only in these states.
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
	record: PasswordLoginProps[ 'record' ] & OAuthLoginProps[ 'record' ];
	/** The chosen provider: whether its password is an API key, whether it wants OAuth. */
	preset?: Preset;
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
				<PasswordLogin
					ctx={ ctx }
					record={ record }
					preset={ preset }
				/>
			) }
		</Step>
	);
}
