import { Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { TestEmailSuccess } from '../types';
import { milliseconds } from '../text/field-labels';

/** Which server took the test email, on which port and how fast (in the after-send chunk). */
export function TestEmailAccepted( {
	success,
}: {
	success: TestEmailSuccess;
} ) {
	return (
		<Notice status="success" isDismissible={ false }>
			{ success.api !== undefined && success.endpoint !== undefined
				? sprintf(
						/* translators: 1: email address, 2: provider, e.g. SendGrid, 3: the API's address, 4: duration. */
						__(
							'The test email to %1$s was accepted by the HTTPS API of %2$s at %3$s (%4$s). Check the inbox, and the spam folder.',
							'smtp-port-helper'
						),
						success.to,
						success.api,
						success.endpoint,
						milliseconds( success.elapsed_ms )
					)
				: sprintf(
						/* translators: 1: email address, 2: host, 3: port, 4: duration. */
						__(
							'The test email to %1$s was accepted by %2$s on port %3$d (%4$s). Check the inbox, and the spam folder.',
							'smtp-port-helper'
						),
						success.to,
						success.host,
						success.port,
						milliseconds( success.elapsed_ms )
					) }
		</Notice>
	);
}
