import { __, sprintf } from '@wordpress/i18n';

import type { ApiRow } from '../types';
import { milliseconds } from '../text/field-labels';
import { PortDetails } from './PortDetails';
import { ResultTitle } from './ResultTitle';

/**
 * The port test's row "HTTPS API (port 443)": the provider's API tested like a port (look-up,
 * connect, TLS with the certificate check, an authenticated call that sends nothing).
 */
export function ApiRowCard( {
	row,
	recommended,
}: {
	row: ApiRow;
	recommended: boolean;
} ) {
	const { result } = row;
	return (
		<li
			className={ `smtp-port-helper__port ${
				row.usable ? 'is-ok' : 'is-failed'
			}${ recommended ? ' is-recommended' : '' }` }
			data-transport={ row.transport }
		>
			<ResultTitle
				title={ sprintf(
					/* translators: %s: provider name, e.g. SendGrid. */
					__( 'HTTPS API (port 443) · %s', 'smtp-port-helper' ),
					row.label
				) }
				verdict={ result.verdict }
				recommended={ recommended }
			/>
			<p className="smtp-port-helper__message">{ row.message }</p>
			<p className="smtp-port-helper__meta">
				{ sprintf(
					/* translators: %s: duration. */
					__( 'Encryption: HTTPS · took %s', 'smtp-port-helper' ),
					milliseconds( result.elapsed_ms )
				) }
			</p>
			<PortDetails port={ result.port } result={ result } />
		</li>
	);
}
