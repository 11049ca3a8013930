import { Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { PortResult } from '../types';
import { milliseconds, modeLabel, verdictLabel } from './labels';
import { PortDetails } from './PortDetails';

/**
 * One port of the check: "Testing…" until its result arrives, then the verdict, what it means, and its
 * technical details.
 * @param root0
 * @param root0.port
 * @param root0.result
 * @param root0.recommended
 */
export function PortResultCard( {
	port,
	result,
	recommended,
}: {
	port: number;
	result?: PortResult;
	recommended: boolean;
} ) {
	const title = sprintf(
		/* translators: %d: port number. */
		__( 'Port %d', 'smtp-port-helper' ),
		port
	);
	if ( ! result ) {
		return (
			<li className="smtp-port-helper__port is-testing" aria-busy="true">
				<h3 className="smtp-port-helper__port-title">{ title }</h3>
				<p>
					<Spinner /> { __( 'Testing…', 'smtp-port-helper' ) }
				</p>
			</li>
		);
	}
	const status = result.ok ? 'is-ok' : 'is-failed';
	return (
		<li
			className={ `smtp-port-helper__port ${ status }${
				recommended ? ' is-recommended' : ''
			}` }
		>
			<h3 className="smtp-port-helper__port-title">
				{ title }
				<span className="smtp-port-helper__badge">
					{ verdictLabel( result.verdict ) }
				</span>
				{ recommended && (
					<span className="smtp-port-helper__badge is-recommended">
						{ __( 'Recommended', 'smtp-port-helper' ) }
					</span>
				) }
			</h3>
			<p className="smtp-port-helper__message">{ result.message }</p>
			<p className="smtp-port-helper__meta">
				{ sprintf(
					/* translators: 1: encryption mode, 2: duration. */
					__( 'Encryption: %1$s · took %2$s', 'smtp-port-helper' ),
					modeLabel( result.mode ),
					milliseconds( result.elapsed_ms )
				) }
				{ result.detail ? ` · ${ result.detail }` : '' }
			</p>
			<PortDetails port={ port } result={ result } />
		</li>
	);
}
