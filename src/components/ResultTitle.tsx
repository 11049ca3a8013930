import { __ } from '@wordpress/i18n';

import type { Verdict } from '../types';
import { verdictLabel } from '../text/result-labels';

/**
 * The heading of one row of the port test (a port, or the HTTPS API): its name, the verdict and
 * whether it is the recommended one.
 */
export function ResultTitle( {
	title,
	verdict,
	recommended,
}: {
	title: string;
	verdict: Verdict;
	recommended: boolean;
} ) {
	return (
		<h3 className="smtp-port-helper__port-title">
			{ title }
			<span className="smtp-port-helper__badge">
				{ verdictLabel( verdict ) }
			</span>
			{ recommended && (
				<span className="smtp-port-helper__badge is-recommended">
					{ __( 'Recommended', 'smtp-port-helper' ) }
				</span>
			) }
		</h3>
	);
}
