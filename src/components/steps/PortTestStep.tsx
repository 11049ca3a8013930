import { __, sprintf } from '@wordpress/i18n';

import type { Preset } from '../../presets';
import type { Recommendation } from '../../types';
import type { FieldContext } from '../Fields';
import { encryptionLabel } from '../labels';
import { PortCheck } from '../PortCheck';
import { PortHelp } from '../PortHelp';
import { Step } from './Step';

interface Props {
	ctx: FieldContext;
	preset?: Preset;
	announce: ( message: string ) => void;
}

/**
 * Step 2: test the ports of the host, with the login when one is filled in, and apply the
 * recommendation to the form.
 * @param root0
 * @param root0.ctx
 * @param root0.preset
 * @param root0.announce
 */
export function PortTestStep( { ctx, preset, announce }: Props ) {
	const { form, locked, setField } = ctx;
	const auth =
		form.auth && form.username.trim() !== ''
			? {
					username: form.username.trim(),
					...( form.password !== ''
						? { password: form.password }
						: {} ),
				}
			: undefined;

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
		<Step title={ __( '2. Test the ports', 'smtp-port-helper' ) }>
			<PortCheck
				host={ form.host }
				preset={ preset }
				auth={ auth }
				onApply={ apply }
				announce={ announce }
			/>
			<PortHelp />
		</Step>
	);
}
