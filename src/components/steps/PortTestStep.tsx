import { Suspense, lazy } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { SMTP_TRANSPORT, recommendationEdits } from '../../api-transport';

import type { PortTest } from '../../hooks/use-port-test';
import { loginOf, missingPassword } from '../../port-test';
import type { Preset } from '../../presets';
import type { Recommendation, SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';
import { encryptionLabel } from '../../text/field-labels';
import { PortCheck } from '../PortCheck';
import { PortHelp } from '../PortHelp';
import { Step } from './Step';

// The HTTPS API's fields: a chunk of their own, loaded when the form sends over an API.
const ApiTransportFields = lazy(
	() =>
		import(
			/* webpackChunkName: "api-transport-fields" */ '../ApiTransportFields'
		)
);

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
	const apiRow = portTest.report?.api ?? undefined;

	const apply = ( recommendation: Recommendation ) => {
		const edits = recommendationEdits( recommendation, locked );
		for ( const key of Object.keys( edits ) as Array<
			keyof typeof edits
		> ) {
			setField( key, edits[ key ] as never );
		}
		if ( recommendation.transport ) {
			announce(
				__(
					'The HTTPS API is chosen. Enter the API key, then save the settings.',
					'smtp-port-helper'
				)
			);
			return;
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
				saved={ {
					port: record.port,
					encryption: record.encryption,
					transport: record.transport,
				} }
				onApply={ apply }
				announce={ announce }
				onUseHost={ onUseHost }
			/>
			{ form.transport !== SMTP_TRANSPORT && (
				<Suspense fallback={ null }>
					<ApiTransportFields
						ctx={ ctx }
						record={ record }
						row={
							apiRow?.transport === form.transport
								? apiRow
								: undefined
						}
					/>
				</Suspense>
			) }
			<PortHelp />
		</Step>
	);
}
