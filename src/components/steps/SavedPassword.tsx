import { __ } from '@wordpress/i18n';

import type { FieldContext } from '../Fields';
import { SavedSecret } from './SavedSecret';

/**
 * Marks the saved password for removal on the next save, or takes that back.
 */
export function SavedPassword( { ctx }: { ctx: FieldContext } ) {
	return (
		<SavedSecret
			ctx={ ctx }
			flag="clear_password"
			texts={ {
				willBeRemoved: __(
					'The saved password will be removed when you save.',
					'smtp-port-helper'
				),
				keep: __( 'Keep the saved password', 'smtp-port-helper' ),
				remove: __( 'Remove saved password', 'smtp-port-helper' ),
			} }
		/>
	);
}
