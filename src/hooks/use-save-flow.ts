/**
 * The page's save: the form's save, then a snackbar, or the problem above the Save button with
 * the focus on the first field marked invalid.
 */
import { useDispatch } from '@wordpress/data';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { RefObject } from 'react';
import { store as noticesStore } from '@wordpress/notices';

import { notSavedText } from '../text/save-text';
import type { LoadedSettingsForm } from './use-settings-form';

export interface SaveFlow {
	/** Saves; resolves to whether the settings are now saved as the fields show. */
	save: () => Promise< boolean >;
	/** Why the last save did not go through (shown above the Save button), or null. */
	saveProblem: string | null;
}

/**
 * Moves focus to the first field marked invalid and scrolls it into view, so that the error is
 * seen next to its field and not only in a notice.
 *
 * @param root The form.
 */
function focusFirstInvalid( root: HTMLElement | null ) {
	const field = root?.querySelector< HTMLElement >( '[aria-invalid="true"]' );
	if ( ! field ) {
		return;
	}
	// Inside the folded advanced settings, unfold them first.
	const details = field.closest( 'details' );
	if ( details && ! details.open ) {
		details.open = true;
	}
	field.focus();
	field.scrollIntoView?.( { block: 'center' } );
}

/**
 * @param form    The loaded settings form.
 * @param formRef The form element (for the focus on an invalid field).
 */
export function useSaveFlow(
	form: LoadedSettingsForm,
	formRef: RefObject< HTMLFormElement >
): SaveFlow {
	const [ saveProblem, setSaveProblem ] = useState< string | null >( null );
	const { createSuccessNotice } = useDispatch( noticesStore );

	const save = async (): Promise< boolean > => {
		setSaveProblem( null );
		const result = await form.save();
		if ( result.status === 'failed' || result.status === 'invalid' ) {
			if ( ! result.fields.length ) {
				setSaveProblem(
					result.status === 'failed' ? result.message : null
				);
				return false;
			}
			setSaveProblem( notSavedText( result.fields ) );
			// After the render that marks the fields.
			window.setTimeout( () => focusFirstInvalid( formRef.current ) );
			return false;
		}
		let saved: string = __( 'No changes to save.', 'smtp-port-helper' );
		if ( result.status === 'saved' ) {
			saved = result.passwordForgotten
				? __(
						'Settings saved. The saved password was removed because the server or user name changed: enter the password for the new login.',
						'smtp-port-helper'
					)
				: __( 'Settings saved.', 'smtp-port-helper' );
		}
		createSuccessNotice( saved, { type: 'snackbar' } );
		return true;
	};

	return { save, saveProblem };
}
