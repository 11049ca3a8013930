import { __ } from '@wordpress/i18n';

import { findPreset, presetHost } from '../../presets';
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
	onChoose: ( choice: ProviderChoice ) => void;
}

/**
 * Step 1: the provider preset fills in the host (and the provider's fixed user name).
 * @param root0
 * @param root0.ctx
 * @param root0.choice
 * @param root0.onChoose
 */
export function ProviderStep( { ctx, choice, onChoose }: Props ) {
	const choose = ( presetId: string, region: string ) => {
		onChoose( { presetId, region } );
		const preset = findPreset( presetId );
		if ( ! preset ) {
			return;
		}
		if ( ! ctx.locked.host ) {
			ctx.setField( 'host', presetHost( preset, region ) );
		}
		if (
			preset.username &&
			! ctx.locked.username &&
			ctx.form.username === ''
		) {
			ctx.setField( 'username', preset.username );
		}
	};

	return (
		<Step title={ __( '1. Your email provider', 'smtp-port-helper' ) }>
			<div className="smtp-port-helper__fields">
				<ProviderPicker
					presetId={ choice.presetId }
					region={ choice.region }
					disabled={ Boolean( ctx.locked.host ) }
					onChange={ choose }
				/>
				<TextField
					ctx={ ctx }
					name="host"
					label={ __( 'Host', 'smtp-port-helper' ) }
					placeholder="smtp.example.com"
				/>
			</div>
		</Step>
	);
}
