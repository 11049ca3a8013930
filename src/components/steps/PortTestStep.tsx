import { __, sprintf } from '@wordpress/i18n';

import type { PortTest } from '../../hooks/use-port-test';
import { loginOf, missingPassword } from '../../port-test';
import type { Preset } from '../../presets';
import type { Recommendation, SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';
import { encryptionLabel } from '../../text/field-labels';
import { PortCheck } from '../PortCheck';
import { PortHelp } from '../PortHelp';
import { Step } from './Step';

interface Props {
	ctx: FieldContext;
	record: SettingsResponse;
	preset?: Preset;
	portTest: PortTest;
	announce: ( message: string ) => void;
	onUseHost: ( preset: Preset ) => void;
}

/**
 * Step 3: test the ports of the host with the login of step 2, and apply the recommendation to
 * the form.
 */
export function PortTestStep( {
	ctx,
	record,
	preset,
	portTest,
	announce,
	onUseHost,
}: Props ) {
	const { form, locked, setField } = ctx;

	const apply = ( recommendation: Recommendation ) => {
		if ( ! locked.port ) {
			setField( 'port', String( recommendation.port ) );
		}
		if ( ! locked.encryption ) {
			setField( 'encryption', recommendation.encryption );
		}
		announce(
			sprintf(
				/* translators: 1: port number, 2: encryption, e.g. STARTTLS. */
				__(
					'Port %1$d with %2$s filled in. Save the settings to use it.',
					'smtp-port-helper'
				),
				recommendation.port,
				encryptionLabel( recommendation.encryption )
			)
		);
	};

	return (
		<Step title={ __( '3. Test the ports', 'smtp-port-helper' ) }>
			<PortCheck
				portTest={ portTest }
				host={ form.host }
				preset={ preset }
				login={ loginOf( form ) }
				missingPassword={ missingPassword( form, record ) }
				saved={ { port: record.port, encryption: record.encryption } }
				onApply={ apply }
				announce={ announce }
				onUseHost={ onUseHost }
			/>
			<PortHelp />
		</Step>
	);
}
