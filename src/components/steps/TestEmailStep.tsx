import { __ } from '@wordpress/i18n';

import { SendTestEmail } from '../SendTestEmail';
import { Step } from './Step';

interface Props {
	/** The form has unsaved changes: the test email would use the old settings. */
	hasEdits: boolean;
	announce: ( message: string ) => void;
	/** After a failed send: back to the port test. */
	onBackToPortTest: () => void;
}

/**
 * Step 6, outside the settings form: a real message through the saved settings.
 */
export function TestEmailStep( {
	hasEdits,
	announce,
	onBackToPortTest,
}: Props ) {
	return (
		<Step title={ __( '6. Send a test email', 'smtp-port-helper' ) }>
			<SendTestEmail
				dirty={ hasEdits }
				announce={ announce }
				onBackToPortTest={ onBackToPortTest }
			/>
		</Step>
	);
}
