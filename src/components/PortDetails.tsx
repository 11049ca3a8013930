import { __, _n, sprintf } from '@wordpress/i18n';

import type { PortResult } from '../types';
import { milliseconds, stageLabel } from './labels';

function yesNo( value: boolean ): string {
	return value
		? __( 'Yes', 'smtp-port-helper' )
		: __( 'No', 'smtp-port-helper' );
}

function TlsDetailsList( { result }: { result: PortResult } ) {
	const tls = result.tls;
	if ( ! tls ) {
		return null;
	}
	const rows: Array< [ string, string ] > = [
		[ __( 'TLS version', 'smtp-port-helper' ), tls.version ],
		[ __( 'Cipher', 'smtp-port-helper' ), tls.cipher ],
		[ __( 'Certificate subject', 'smtp-port-helper' ), tls.subject ],
		[
			__( 'Names in the certificate', 'smtp-port-helper' ),
			tls.sans.join( ', ' ) || '—',
		],
		[ __( 'Issuer', 'smtp-port-helper' ), tls.issuer ],
		[
			__( 'Expires', 'smtp-port-helper' ),
			sprintf(
				/* translators: 1: expiry date, 2: number of days. */
				_n(
					'%1$s (%2$d day left)',
					'%1$s (%2$d days left)',
					tls.days_left,
					'smtp-port-helper'
				),
				tls.valid_to.slice( 0, 10 ),
				tls.days_left
			),
		],
		[
			__( 'Chain verified', 'smtp-port-helper' ),
			yesNo( tls.chain_verified ),
		],
		[
			__( 'Host name matches', 'smtp-port-helper' ),
			yesNo( tls.host_matched ),
		],
	];
	return (
		<dl className="smtp-port-helper__details">
			{ rows.map( ( [ term, value ] ) => (
				<div key={ term }>
					<dt>{ term }</dt>
					<dd>{ value }</dd>
				</div>
			) ) }
		</dl>
	);
}

/**
 * The folded technical details of one tested port: each stage with its time, the address, the
 * login methods and the certificate.
 * @param root0
 * @param root0.port
 * @param root0.result
 */
export function PortDetails( {
	port,
	result,
}: {
	port: number;
	result: PortResult;
} ) {
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
								{ stage.detail }
							</span>
						) : null }
					</li>
				) ) }
			</ol>
			{ result.address && (
				<p>
					{ sprintf(
						/* translators: %s: an IP address. */
						__( 'Connected to %s', 'smtp-port-helper' ),
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
			<TlsDetailsList result={ result } />
		</details>
	);
}
