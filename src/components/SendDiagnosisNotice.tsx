import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { SendDiagnosis } from '../hooks/use-rest-actions';
import { verdictLabel } from '../text/result-labels';

/**
 * Why a test email was not sent, and the SMTP conversation that led there.
 */
export function SendDiagnosisNotice( {
	diagnosis,
}: {
	diagnosis: SendDiagnosis;
} ) {
	return (
		<div className="smtp-port-helper__send-failure">
			<Notice status="error" isDismissible={ false }>
				<strong>
					{ sprintf(
						/* translators: %s: short verdict, e.g. "Login refused". */
						__( 'Not sent: %s', 'smtp-port-helper' ),
						verdictLabel( diagnosis.verdict )
					) }
				</strong>{ ' ' }
				{ diagnosis.diagnosis }
			</Notice>
			{ diagnosis.transcript.length > 0 && (
				<details>
					<summary>
						{ __(
							'SMTP conversation (passwords hidden)',
							'smtp-port-helper'
						) }
					</summary>
					<pre className="smtp-port-helper__transcript">
						{ diagnosis.transcript.join( '\n' ) }
					</pre>
				</details>
			) }
		</div>
	);
}
