import { __, _n, sprintf } from '@wordpress/i18n';

import type { PortResult } from '../types';

function yesNo( value: boolean ): string {
	return value
		? __( 'Yes', 'smtp-port-helper' )
		: __( 'No', 'smtp-port-helper' );
}

/**
 * The expiry date with the days left, or how long ago it expired.
 */
export function expiry( date: string, daysLeft: number ): string {
	if ( daysLeft < 0 ) {
		return sprintf(
			/* translators: 1: expiry date, 2: number of days. */
			_n(
				'%1$s (expired %2$d day ago)',
				'%1$s (expired %2$d days ago)',
				-daysLeft,
				'smtp-port-helper'
			),
			date,
			-daysLeft
		);
	}
	return sprintf(
		/* translators: 1: expiry date, 2: number of days. */
		_n(
			'%1$s (%2$d day left)',
			'%1$s (%2$d days left)',
			daysLeft,
			'smtp-port-helper'
		),
		date,
		daysLeft
	);
}

/**
 * The TLS session and certificate of one tested port, when TLS was reached.
 */
export function PortTlsDetails( { result }: { result: PortResult } ) {
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
			expiry( tls.valid_to.slice( 0, 10 ), tls.days_left ),
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
