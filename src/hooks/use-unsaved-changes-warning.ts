import { useEffect } from '@wordpress/element';

/**
 * While there are unsaved changes, the browser asks before leaving the page.
 */
export function useUnsavedChangesWarning( hasUnsavedChanges: boolean ) {
	useEffect( () => {
		if ( ! hasUnsavedChanges ) {
			return undefined;
		}
		const warn = ( event: BeforeUnloadEvent ) => {
			event.preventDefault();
			// Older browsers need a returnValue to show the prompt.
			event.returnValue = '';
		};
		window.addEventListener( 'beforeunload', warn );
		return () => window.removeEventListener( 'beforeunload', warn );
	}, [ hasUnsavedChanges ] );
}
