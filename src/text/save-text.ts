/**
 * What the page says after a save.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import { fieldLabel } from './field-labels';

/**
 * "Not saved: correct the marked fields" with the fields' labels, in plain words.
 *
 * @param fields The fields the save refused.
 */
export function notSavedText( fields: string[] ): string {
	return sprintf(
		/* translators: %s: comma-separated field labels, e.g. "Port, Host". */
		_n(
			'The settings were not saved. Correct the marked field: %s.',
			'The settings were not saved. Correct the marked fields: %s.',
			fields.length,
			'smtp-port-helper'
		),
		fields.map( fieldLabel ).join( ', ' )
	);
}

/**
 * The snackbar of a save that went through.
 *
 * @param saved             Whether anything changed.
 * @param passwordForgotten Whether the save removed the saved password.
 */
export function savedText(
	saved: boolean,
	passwordForgotten: boolean
): string {
	if ( saved && passwordForgotten ) {
		return __(
			'Settings saved. The saved password was removed because the server or user name changed: enter the password for the new login.',
			'smtp-port-helper'
		);
	}
	return saved
		? __( 'Settings saved.', 'smtp-port-helper' )
		: __( 'No changes to save.', 'smtp-port-helper' );
}

export function disconnectedText(): string {
	return __( 'The account was disconnected.', 'smtp-port-helper' );
}
