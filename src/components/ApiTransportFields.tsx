/**
 * The fields of the HTTPS API transport: which transport sends, the API key (write-only), the
 * account and the region. Its own chunk, loaded only when the form sends over an HTTPS API.
 */
import { Notice, SelectControl } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import { SMTP_TRANSPORT, apiKeyMissing } from '../api-transport';
import { bootData } from '../boot';
import type { ApiRow, SettingsResponse } from '../types';
import { lockedHelp } from '../text/field-labels';
import type { FieldContext } from './Fields';
import { TextField } from './Fields';
import { SavedSecret } from './steps/SavedSecret';
import { SignInInstead } from './SignInInstead';

interface Props {
	ctx: FieldContext;
	record: SettingsResponse;
	/** What the last port test learnt of this provider's API (labels, regions), if it tested it. */
	row?: ApiRow;
}

export default function ApiTransportFields( { ctx, record, row }: Props ) {
	const { form, setField, locked, errors } = ctx;
	const label = row?.label ?? form.transport;
	const keySaved = record.api_key_set && record.transport === form.transport;
	// Microsoft Graph and the Gmail API sign in with the site's OAuth 2.0 connection: no key.
	const signInProfile = bootData().oauthTransports?.[ form.transport ];
	const missing = ! signInProfile && apiKeyMissing( form, record );
	const accountLabel = row?.account_label ?? '';
	const regions = row?.regions ?? [];
	return (
		<div className="smtp-port-helper__api-transport">
			<SelectControl
				__nextHasNoMarginBottom
				__next40pxDefaultSize
				label={ __( 'Send through', 'smtp-port-helper' ) }
				value={ form.transport }
				disabled={ Boolean( locked.transport ) }
				help={ errors.transport ?? lockedHelp( locked.transport ) }
				options={ [
					{
						value: form.transport,
						label: sprintf(
							/* translators: %s: provider name, e.g. SendGrid. */
							__(
								'HTTPS API of %s (port 443)',
								'smtp-port-helper'
							),
							label
						),
					},
					{
						value: SMTP_TRANSPORT,
						label: __(
							'SMTP (host, port and login above)',
							'smtp-port-helper'
						),
					},
				] }
				onChange={ ( value: string ) => setField( 'transport', value ) }
			/>
			{ signInProfile && (
				<SignInInstead
					ctx={ ctx }
					label={ label }
					profile={ signInProfile }
				/>
			) }
			{ ! signInProfile && (
				<TextField
					ctx={ ctx }
					name="api_key"
					type="password"
					autoComplete="new-password"
					label={ __( 'API key', 'smtp-port-helper' ) }
					help={
						keySaved
							? __(
									'An API key is saved (it is never shown). Leave empty to keep it.',
									'smtp-port-helper'
								)
							: sprintf(
									/* translators: %s: provider name, e.g. SendGrid. */
									__(
										'The API key from your %s account. It is stored encrypted and never shown again.',
										'smtp-port-helper'
									),
									label
								)
					}
				/>
			) }
			{ ! signInProfile && keySaved && (
				<SavedSecret
					ctx={ ctx }
					flag="clear_api_key"
					texts={ {
						willBeRemoved: __(
							'The saved API key will be removed on save.',
							'smtp-port-helper'
						),
						keep: __( 'Keep it', 'smtp-port-helper' ),
						remove: __(
							'Remove the saved API key',
							'smtp-port-helper'
						),
					} }
				/>
			) }
			{ ( accountLabel !== '' || form.api_account !== '' ) && (
				<TextField
					ctx={ ctx }
					name="api_account"
					label={
						accountLabel !== ''
							? accountLabel
							: __( 'Account', 'smtp-port-helper' )
					}
				/>
			) }
			{ regions.length > 0 && (
				<SelectControl
					__nextHasNoMarginBottom
					__next40pxDefaultSize
					label={ __( 'API region', 'smtp-port-helper' ) }
					value={ form.api_region }
					disabled={ Boolean( locked.api_region ) }
					help={
						errors.api_region ?? lockedHelp( locked.api_region )
					}
					options={ [
						{
							value: '',
							label: __( 'Default', 'smtp-port-helper' ),
						},
						...regions.map( ( region ) => ( {
							value: region,
							label: region,
						} ) ),
					] }
					onChange={ ( value: string ) =>
						setField( 'api_region', value )
					}
				/>
			) }
			{ missing && (
				<Notice status="warning" isDismissible={ false }>
					{ sprintf(
						/* translators: %s: provider name, e.g. SendGrid. */
						__(
							'Enter the API key of %s: without it no mail can be sent this way.',
							'smtp-port-helper'
						),
						label
					) }
				</Notice>
			) }
		</div>
	);
}
