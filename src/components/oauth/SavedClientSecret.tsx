import { __ } from '@wordpress/i18n';

import type { FieldContext } from '../Fields';
import { SavedSecret } from '../steps/SavedSecret';

/**
 * Marks the saved client secret for removal on the next save, or takes that back.
 */
export function SavedClientSecret( { ctx }: { ctx: FieldContext } ) {
	return (
		<SavedSecret
			ctx={ ctx }
			flag="clear_oauth_client_secret"
			texts={ {
				willBeRemoved: __(
					'The saved client secret will be removed when you save.',
					'smtp-port-helper'
				),
				keep: __( 'Keep the saved client secret', 'smtp-port-helper' ),
				remove: __( 'Remove saved client secret', 'smtp-port-helper' ),
			} }
		/>
	);
}
