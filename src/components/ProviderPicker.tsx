import { ExternalLink, SelectControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { OTHER, findPreset, presets } from '../presets';

interface Props {
	presetId: string;
	region: string;
	disabled: boolean;
	onChange: ( presetId: string, region: string ) => void;
}

/**
 * Step 1: the provider (fills the host) or "Other host".
 */
export function ProviderPicker( {
	presetId,
	region,
	disabled,
	onChange,
}: Props ) {
	const preset = findPreset( presetId );
	return (
		<div className="smtp-port-helper__provider">
			<SelectControl
				__nextHasNoMarginBottom
				__next40pxDefaultSize
				label={ __( 'Email provider', 'smtp-port-helper' ) }
				value={ presetId }
				disabled={ disabled }
				options={ [
					{
						value: OTHER,
						label: __( 'Other host', 'smtp-port-helper' ),
					},
					...presets().map( ( item ) => ( {
						value: item.id,
						label: item.name,
					} ) ),
				] }
				onChange={ ( id: string ) =>
					onChange( id, findPreset( id )?.defaultRegion ?? '' )
				}
			/>
			{ preset && preset.regions.length > 0 && (
				<SelectControl
					__nextHasNoMarginBottom
					__next40pxDefaultSize
					label={ __( 'Region', 'smtp-port-helper' ) }
					value={ region }
					disabled={ disabled }
					options={ preset.regions.map( ( item ) => ( {
						value: item,
						label: item,
					} ) ) }
					onChange={ ( value: string ) =>
						onChange( presetId, value )
					}
				/>
			) }
			{ preset && (
				<p className="description">
					<ExternalLink href={ preset.docs }>
						{ __(
							'The provider’s SMTP documentation',
							'smtp-port-helper'
						) }
					</ExternalLink>
				</p>
			) }
		</div>
	);
}
