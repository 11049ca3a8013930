import { Button, Notice, RadioControl, Spinner } from '@wordpress/components';
import { Suspense, lazy } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { Preset } from '../../presets';
import type { AuthMethod, OAuthProvider } from '../../types';
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
					<Notice
						status="warning"
						isDismissible={ false }
						className="smtp-port-helper__oauth-advice"
					>
						<p>{ passwordDeadEnd( oauthProvider ) }</p>
						{ ! ctx.locked.auth_method && (
							<Button
								variant="secondary"
								onClick={ () => {
									ctx.setField( 'auth_method', 'oauth2' );
									props.onChooseProvider( oauthProvider );
								} }
							>
								{ oauthProvider === 'google'
									? __(
											'Use Sign in with Google',
											'smtp-port-helper'
										)
									: __(
											'Use Sign in with Microsoft',
											'smtp-port-helper'
										) }
							</Button>
						) }
					</Notice>
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
