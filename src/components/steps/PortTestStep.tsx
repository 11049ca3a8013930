import { Suspense, lazy } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { SMTP_TRANSPORT } from '../../api-transport';

import type { PortTest } from '../../hooks/use-port-test';
import { loginOf, missingPassword } from '../../port-test';
import type { Preset } from '../../presets';
import type { Recommendation, SettingsResponse } from '../../types';
import type { FieldContext } from '../Fields';
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
		// With the results' chunk: it is loaded, it shows the button.
		void import(
			/* webpackChunkName: "port-results" */ '../../recommendation-edits'
		).then( ( { recommendationEdits, appliedText } ) => {
			const edits = recommendationEdits( recommendation, locked );
			for ( const key of Object.keys( edits ) as Array<
				keyof typeof edits
			> ) {
				setField( key, edits[ key ] as never );
			}
			announce( appliedText( recommendation ) );
		} );
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
