import { Spinner } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { PortResult } from '../types';
import { milliseconds } from '../text/field-labels';
import { modeLabel, readableDetail } from '../text/result-labels';
import { PortDetails } from './PortDetails';
import { PortFamilies } from './PortFamilies';
import { ResultTitle } from './ResultTitle';

/**
 * One port of the check: "Testing…" until its result arrives, then the verdict, what it means, and its
 * technical details.
 */
export function PortResultCard( {
	port,
	result,
	recommended,
	neutral = false,
}: {
	port: number;
	result?: PortResult;
	recommended: boolean;
	/** A failure that needs no action (port 25 while another port works): not shown as an error. */
	neutral?: boolean;
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
	let status = 'is-failed';
	if ( result.ok ) {
		status = 'is-ok';
	} else if ( neutral ) {
		status = 'is-neutral';
	}
	return (
		<li
			className={ `smtp-port-helper__port ${ status }${
				recommended ? ' is-recommended' : ''
			}` }
		>
			<ResultTitle
				title={ title }
				verdict={ result.verdict }
				recommended={ recommended }
			/>
			<p className="smtp-port-helper__message">{ result.message }</p>
			<PortFamilies result={ result } />
			{ neutral && (
				<p className="smtp-port-helper__message">
					{ __(
						'Nothing to do: port 25 passes mail between mail servers and is not used for sending from a website.',
						'smtp-port-helper'
					) }
				</p>
			) }
			<p className="smtp-port-helper__meta">
				{ sprintf(
					/* translators: 1: encryption mode, 2: duration. */
					__( 'Encryption: %1$s · took %2$s', 'smtp-port-helper' ),
					modeLabel( result.mode ),
					milliseconds( result.elapsed_ms )
				) }
				{ result.detail
					? ` · ${ readableDetail( result.detail ) }`
					: '' }
			</p>
			<PortDetails port={ port } result={ result } />
		</li>
	);
}
