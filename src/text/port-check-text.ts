/**
 * What the port check says in words: the recommendation's button and the spoken summary.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import { bootData } from '../boot';
import type { PortResult, PortTestReport, Recommendation } from '../types';
import { encryptionLabel } from './field-labels';

export function recommendationText( recommendation: Recommendation ): string {
	return sprintf(
		/* translators: 1: port number, 2: encryption, e.g. STARTTLS. */
		__( 'Use port %1$d with %2$s', 'smtp-port-helper' ),
		recommendation.port,
		encryptionLabel( recommendation.encryption )
	);
}

/**
 * What a screen reader hears when the test ends.
 * @param report
 */
export function summary( report: PortTestReport ): string {
	const working = report.results
		.filter( ( result ) => result.ok )
		.map( ( result ) => String( result.port ) );
	const works = working.length
		? sprintf(
				/* translators: %s: comma-separated port numbers. */
				_n(
					'port %s works',
					'ports %s work',
					working.length,
					'smtp-port-helper'
				),
				working.join( ', ' )
			)
		: __( 'no port works', 'smtp-port-helper' );
	const recommended = report.recommendation
		? sprintf(
				/* translators: 1: port number, 2: encryption, e.g. STARTTLS. */
				__( 'recommended: port %1$d with %2$s', 'smtp-port-helper' ),
				report.recommendation.port,
				encryptionLabel( report.recommendation.encryption )
			)
		: __( 'no recommendation', 'smtp-port-helper' );
	return sprintf(
		/* translators: 1: which ports work, 2: the recommendation. */
		__( 'Port test finished: %1$s; %2$s.', 'smtp-port-helper' ),
		works,
		recommended
	);
}

/**
 * Whether a failed relay port (25) is only worth a neutral note: another port works, and 25 is
 * not for submission anyway.
 * @param result
 * @param report
 */
export function isNeutralFailure(
	result: PortResult,
	report: PortTestReport
): boolean {
	return (
		! result.ok &&
		result.port === bootData().ports.relay &&
		report.results.some( ( other ) => other.ok )
	);
}
