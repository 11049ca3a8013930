import { ExternalLink, Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { presetWarning } from '../../presets';

import type { FieldContext } from '../Fields';
import { TextField } from '../Fields';
import { ProviderPicker } from '../ProviderPicker';
import { Step } from './Step';

export interface ProviderChoice {
	presetId: string;
	region: string;
}

interface Props {
	ctx: FieldContext;
	choice: ProviderChoice;
	/** Picks a provider: fills in its host (and its fixed user name, with the login on). */
	onChoose: ( presetId: string, region: string ) => void;
}

/**
 * Step 1: the provider preset fills in the host (and the provider's fixed user name).
 */
export function ProviderStep( { ctx, choice, onChoose }: Props ) {
	return (
		<Step title={ __( '1. Your email provider', 'smtp-port-helper' ) }>
			<div className="smtp-port-helper__fields">
				<ProviderPicker
					presetId={ choice.presetId }
					region={ choice.region }
					disabled={ Boolean( ctx.locked.host ) }
					onChange={ onChoose }
				/>
				<TextField
					ctx={ ctx }
					name="host"
					label={ __( 'Host', 'smtp-port-helper' ) }
					placeholder="smtp.example.com"
				/>
			</div>
			<ProviderWarning presetId={ choice.presetId } />
		</Step>
	);
}

/**
 * The chosen provider's login policy, before the test (e.g. Microsoft 365's end of password login).
 */
function ProviderWarning( { presetId }: { presetId: string } ) {
	const warning = presetWarning( presetId );
	if ( ! warning ) {
		return null;
	}
	return (
		<Notice
			status="warning"
			isDismissible={ false }
			className="smtp-port-helper__preset-warning"
		>
			<p>{ warning.text }</p>
			<p>
				<ExternalLink href={ warning.source }>
					{ __( 'The provider’s page', 'smtp-port-helper' ) }
				</ExternalLink>
			</p>
		</Notice>
	);
}
