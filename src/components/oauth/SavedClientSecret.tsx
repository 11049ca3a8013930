import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { FieldContext } from '../Fields';

/**
 * Marks the saved client secret for removal on the next save, or takes that back.
 * @param root0
 * @param root0.ctx
 */
export function SavedClientSecret( { ctx }: { ctx: FieldContext } ) {
	const markForRemoval = ( remove: boolean ) =>
		ctx.setField( 'clear_oauth_client_secret', remove );
	return (
		<p>
			{ ctx.form.clear_oauth_client_secret ? (
				<>
					{ __(
						'The saved client secret will be removed when you save.',
						'smtp-port-helper'
					) }{ ' ' }
					<Button
						variant="link"
						onClick={ () => markForRemoval( false ) }
					>
						{ __(
							'Keep the saved client secret',
							'smtp-port-helper'
						) }
					</Button>
				</>
			) : (
				<Button
					variant="link"
					isDestructive
					onClick={ () => markForRemoval( true ) }
				>
					{ __( 'Remove saved client secret', 'smtp-port-helper' ) }
				</Button>
			) }
		</p>
	);
}
