/**
 * What the page says after a refused save.
 */
import { _n, sprintf } from '@wordpress/i18n';

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
