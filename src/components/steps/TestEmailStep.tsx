import { __ } from '@wordpress/i18n';

import { SendTestEmail } from '../SendTestEmail';
import { Step } from './Step';

interface Props {
	/** The form has unsaved changes: the test email would use the old settings. */
	hasEdits: boolean;
	announce: ( message: string ) => void;
}

/**
 * Step 6, outside the settings form: a real message through the saved settings.
 * @param root0
 * @param root0.hasEdits
 * @param root0.announce
 */
export function TestEmailStep( { hasEdits, announce }: Props ) {
	return (
		<Step title={ __( '6. Send a test email', 'smtp-port-helper' ) }>
			<SendTestEmail dirty={ hasEdits } announce={ announce } />
		</Step>
	);
}
