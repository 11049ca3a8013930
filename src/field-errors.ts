/**
 * The errors shown at the form's fields: the save's, and what the last port test learnt about the
 * host name and the password (pure, so the rule is tested without rendering the page).
 */
import { __ } from '@wordpress/i18n';

import type { FormState } from './form';
import type { PortTest } from './hooks/use-port-test';
import { sameHost } from './port-test';

/**
 * The save's errors, with the port test's findings at the Host and Password fields where the save
 * has none: the host name was not found (the last test of this host), the saved password was
 * refused (while no new one is typed).
 *
 * @param saveErrors The save's errors by field.
 * @param portTest   The page's port test.
 * @param form       The fields as edited.
 */
export function fieldErrors(
	saveErrors: Record< string, string >,
	portTest: Pick< PortTest, 'report' | 'running' | 'fieldErrors' >,
	form: Pick< FormState, 'host' | 'password' >
): Record< string, string > {
	const errors: Record< string, string > = { ...saveErrors };
	const report = portTest.report;
	const hostNotFound =
		!! report &&
		! portTest.running &&
		sameHost( report.host, form.host ) &&
		report.results.length > 0 &&
		report.results.every( ( result ) => result.cause === 'host_name' );
	if ( hostNotFound && ! errors.host ) {
		// Said here, not in src/text/port-check-text: that module is shared with a lazy chunk, and
		// an export of it costs the page's first script more than the words.
		errors.host = __(
			'The port test did not find this host name. Check its spelling.',
			'smtp-port-helper'
		);
	}
	const passwordRefused = portTest.fieldErrors[ 'auth.password' ];
	if ( passwordRefused && form.password === '' && ! errors.password ) {
		errors.password = passwordRefused;
	}
	return errors;
}
