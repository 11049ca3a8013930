import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import type { FieldContext } from '../Fields';

/**
 * Marks the saved password for removal on the next save, or takes that back.
 * @param root0
 * @param root0.ctx
 */
export function SavedPassword( { ctx }: { ctx: FieldContext } ) {
	const markForRemoval = ( remove: boolean ) =>
		ctx.setField( 'clear_password', remove );
	return (
		<p>
			{ ctx.form.clear_password ? (
				<>
					{ __(
						'The saved password will be removed when you save.',
						'smtp-port-helper'
					) }{ ' ' }
					<Button
						variant="link"
						onClick={ () => markForRemoval( false ) }
					>
						{ __( 'Keep the saved password', 'smtp-port-helper' ) }
					</Button>
				</>
			) : (
				<Button
					variant="link"
					isDestructive
					onClick={ () => markForRemoval( true ) }
				>
					{ __( 'Remove saved password', 'smtp-port-helper' ) }
				</Button>
			) }
		</p>
	);
}
