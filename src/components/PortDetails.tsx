import { __, sprintf } from '@wordpress/i18n';

import type { PortResult } from '../types';
import { milliseconds } from '../text/field-labels';
import { readableDetail, stageLabel } from '../text/result-labels';
import { PortTlsDetails } from './PortTlsDetails';

/**
 * The folded technical details of one tested port: each stage with its time, the address, the
 * login methods and the certificate.
 */
export function PortDetails( {
	port,
	result,
}: {
	port: number;
	result: PortResult;
} ) {
	// "Connected" only when the connect stage succeeded: a refused or unanswered connect has an
	// address it tried, not one it reached.
	const connected = result.stages.some(
		( stage ) => stage.name === 'connect' && stage.ok
	);
	return (
		<details className="smtp-port-helper__more">
			<summary>
				{ sprintf(
					/* translators: %d: port number. */
					__( 'Technical details for port %d', 'smtp-port-helper' ),
					port
				) }
			</summary>
			<ol className="smtp-port-helper__stages">
				{ result.stages.map( ( stage, index ) => (
					<li
						key={ `${ stage.name }-${ index }` }
						className={ stage.ok ? 'is-ok' : 'is-failed' }
					>
						<span>{ stageLabel( stage.name ) }</span>{ ' ' }
						<span>{ milliseconds( stage.ms ) }</span>{ ' ' }
						<span>
							{ stage.ok
								? __( 'OK', 'smtp-port-helper' )
								: __( 'Failed', 'smtp-port-helper' ) }
						</span>
						{ stage.detail ? (
							<span className="smtp-port-helper__stage-detail">
								{ ' ' }
								{ readableDetail( stage.detail ) }
							</span>
						) : null }
					</li>
				) ) }
			</ol>
			{ result.address && (
				<p>
					{ connected
						? sprintf(
								/* translators: %s: an IP address. */
								__( 'Connected to %s', 'smtp-port-helper' ),
								result.address
							)
						: sprintf(
								/* translators: %s: an IP address. */
								__(
									'Tried to connect to %s (no connection)',
									'smtp-port-helper'
								),
								result.address
							) }
				</p>
			) }
			{ result.auth_mechanisms && result.auth_mechanisms.length > 0 && (
				<p>
					{ sprintf(
						/* translators: %s: list of login methods, e.g. PLAIN, LOGIN. */
						__( 'Login methods offered: %s', 'smtp-port-helper' ),
						result.auth_mechanisms.join( ', ' )
					) }
				</p>
			) }
			<PortTlsDetails result={ result } />
		</details>
	);
}
