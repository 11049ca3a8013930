import { SelectControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { OAUTH_PROVIDERS, oauthProfile } from '../../oauth';
import type { OAuthProvider, SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';
import { TextField } from '../Fields';
import { fieldLabel, lockedHelp } from '../../text/field-labels';
import { OAuthConnection } from './OAuthConnection';
import { RegistrationGuide } from './RegistrationGuide';
import { SavedClientSecret } from './SavedClientSecret';

export interface OAuthLoginProps {
	ctx: FieldContext;
	record: Pick<
		SettingsResponse,
		| 'oauth_connection'
		| 'oauth_provider'
		| 'oauth_client_id'
		| 'oauth_client_secret_set'
	>;
	hasEdits: boolean;
	onSave: () => Promise< boolean >;
	onDisconnected: ( settings: SettingsResponse ) => void;
	/** Picks a provider profile (and its SMTP host, when the host is not another's). */
	onChooseProvider: ( provider: OAuthProvider ) => void;
}

const ENDPOINT_FIELDS = [
	'oauth_authorize_url',
	'oauth_token_url',
	'oauth_scope',
] as const;

/**
 * The OAuth 2.0 login: provider profile, mailbox, app credentials (the secret write-only, like the
 * password), the connection, and how to register the app.
 */
export function OAuthLogin( props: OAuthLoginProps ) {
	const { ctx, record } = props;
	const provider = ctx.form.oauth_provider;
	// The generic profile's endpoints; another profile shows them only when wp-config.php sets them
	// (they then apply to every profile).
	const endpoints = ENDPOINT_FIELDS.filter(
		( name ) => provider === 'generic' || ctx.locked[ name ]
	);
	return (
		<>
			<div className="smtp-port-helper__fields is-even">
				<SelectControl
					__nextHasNoMarginBottom
					__next40pxDefaultSize
					label={ __( 'Provider', 'smtp-port-helper' ) }
					value={ provider }
					disabled={ Boolean( ctx.locked.oauth_provider ) }
					help={
						ctx.errors.oauth_provider ??
						lockedHelp( ctx.locked.oauth_provider )
					}
					options={ OAUTH_PROVIDERS.map( ( value ) => ( {
						value,
						label: oauthProfile( value ).label,
					} ) ) }
					onChange={ ( value: string ) =>
						props.onChooseProvider( value as OAuthProvider )
					}
				/>
				{ provider === 'microsoft' && (
					<TextField
						ctx={ ctx }
						name="oauth_tenant"
						label={ __( 'Tenant', 'smtp-port-helper' ) }
						help={ __(
							'The Directory (tenant) ID or your domain; "organizations" accepts any work or school account.',
							'smtp-port-helper'
						) }
						autoComplete="off"
					/>
				) }
			</div>
			{ endpoints.length > 0 && (
				<div className="smtp-port-helper__fields is-even">
					{ endpoints.map( ( name ) => (
						<TextField
							key={ name }
							ctx={ ctx }
							name={ name }
							label={ fieldLabel( name ) }
							autoComplete="off"
						/>
					) ) }
				</div>
			) }
			<div className="smtp-port-helper__fields is-even">
				<TextField
					ctx={ ctx }
					name="username"
					type="email"
					label={ __( 'User name', 'smtp-port-helper' ) }
					help={ __(
						'The mailbox’s e-mail address. Left empty, the address of the account you connect is used.',
						'smtp-port-helper'
					) }
					autoComplete="off"
				/>
				<TextField
					ctx={ ctx }
					name="oauth_client_id"
					label={ __( 'Client ID', 'smtp-port-helper' ) }
					autoComplete="off"
				/>
				<TextField
					ctx={ ctx }
					name="oauth_client_secret"
					type="password"
					label={ __( 'Client secret', 'smtp-port-helper' ) }
					autoComplete="new-password"
					placeholder={
						record.oauth_client_secret_set
							? __(
									'Saved — leave empty to keep',
									'smtp-port-helper'
								)
							: undefined
					}
					help={
						record.oauth_client_secret_set
							? __(
									'A client secret is saved. Leave the field empty to keep it.',
									'smtp-port-helper'
								)
							: __(
									'Stored encrypted; never shown again after saving.',
									'smtp-port-helper'
								)
					}
				/>
				<TextField
					ctx={ ctx }
					name="oauth_client_secret_expires"
					type="date"
					label={ fieldLabel( 'oauth_client_secret_expires' ) }
					help={ __(
						'Optional: the expiry date shown beside the secret in the app registration. You are warned 14 days ahead, before mail stops.',
						'smtp-port-helper'
					) }
					autoComplete="off"
				/>
			</div>
			{ record.oauth_client_secret_set &&
				! ctx.locked.oauth_client_secret && (
					<SavedClientSecret ctx={ ctx } />
				) }
			<OAuthConnection
				record={ record }
				provider={ provider }
				hasEdits={ props.hasEdits }
				onSave={ props.onSave }
				onDisconnected={ props.onDisconnected }
			/>
			<RegistrationGuide
				// A new provider's steps start open again.
				key={ provider }
				provider={ provider }
				transport={ ctx.form.transport }
				initialOpen={
					record.oauth_connection.state === 'none' &&
					record.oauth_client_id === '' &&
					! ctx.locked.oauth_client_id
				}
			/>
		</>
	);
}
