import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

interface Props {
	isSaving: boolean;
	hasEdits: boolean;
}

/**
 * The submit button of the settings form, and whether there is something to save.
 */
export function SaveActions( { isSaving, hasEdits }: Props ) {
	return (
		<div className="smtp-port-helper__actions">
			<Button
				variant="primary"
				type="submit"
				isBusy={ isSaving }
				disabled={ isSaving }
				accessibleWhenDisabled
				__next40pxDefaultSize
			>
				{ __( 'Save settings', 'smtp-port-helper' ) }
			</Button>
			{ hasEdits && (
				<span className="smtp-port-helper__unsaved">
					{ __( 'Unsaved changes', 'smtp-port-helper' ) }
				</span>
			) }
		</div>
	);
}
