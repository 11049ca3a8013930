import { Button } from '@wordpress/components';

import type { FieldContext } from '../Fields';

/** The words of one saved secret's removal link (each caller passes its own translated strings). */
export interface SavedSecretTexts {
	willBeRemoved: string;
	keep: string;
	remove: string;
}

/**
 * Marks a saved secret (the password, the OAuth client secret) for removal on the next save, or
 * takes that back. The secret itself is never in the form: only the flag that forgets it.
 */
export function SavedSecret( {
	ctx,
	flag,
	texts,
}: {
	ctx: FieldContext;
	flag: 'clear_password' | 'clear_oauth_client_secret' | 'clear_api_key';
	texts: SavedSecretTexts;
} ) {
	const markForRemoval = ( remove: boolean ) => ctx.setField( flag, remove );
	return (
		<p>
			{ ctx.form[ flag ] ? (
				<>
					{ texts.willBeRemoved }{ ' ' }
					<Button
						variant="link"
						onClick={ () => markForRemoval( false ) }
					>
						{ texts.keep }
					</Button>
				</>
			) : (
				<Button
					variant="link"
					isDestructive
					onClick={ () => markForRemoval( true ) }
				>
					{ texts.remove }
				</Button>
			) }
		</p>
	);
}
