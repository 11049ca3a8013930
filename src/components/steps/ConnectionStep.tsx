import { SelectControl } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { Encryption } from '../../types';
import type { FieldContext } from '../Fields';
import { TextField, ToggleField } from '../Fields';
import { encryptionLabel, lockedHelp } from '../../text/field-labels';
import { Step } from './Step';

const ENCRYPTIONS: Encryption[] = [ 'starttls', 'implicit_tls', 'none' ];

/**
 * Step 4: switch sending on, and the port and encryption to send through.
 */
export function ConnectionStep( { ctx }: { ctx: FieldContext } ) {
	return (
		<Step title={ __( '4. Connection', 'smtp-port-helper' ) }>
			<ToggleField
				ctx={ ctx }
				name="enabled"
				label={ __(
					'Send WordPress mail through this SMTP server',
					'smtp-port-helper'
				) }
			/>
			<div className="smtp-port-helper__fields">
				<TextField
					ctx={ ctx }
					name="port"
					label={ __( 'Port', 'smtp-port-helper' ) }
					inputMode="numeric"
					digitsOnly
				/>
				<SelectControl
					__nextHasNoMarginBottom
					__next40pxDefaultSize
					label={ __( 'Encryption', 'smtp-port-helper' ) }
					value={ ctx.form.encryption }
					disabled={ Boolean( ctx.locked.encryption ) }
					help={
						ctx.errors.encryption ??
						lockedHelp( ctx.locked.encryption )
					}
					options={ ENCRYPTIONS.map( ( value ) => ( {
						value,
						label: encryptionLabel( value ),
					} ) ) }
					onChange={ ( value: string ) =>
						ctx.setField( 'encryption', value as Encryption )
					}
				/>
			</div>
		</Step>
	);
}
