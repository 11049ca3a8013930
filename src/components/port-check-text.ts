/**
 * What the port check says in words: the recommendation's button and the spoken summary.
 */
import { __, _n, sprintf } from '@wordpress/i18n';

import { bootData } from '../boot';
import type {
	FailureCause,
	PortResult,
	PortTestReport,
	Recommendation,
} from '../types';
import { encryptionLabel } from './labels';

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

export interface CauseAdvice {
	cause: Exclude< FailureCause, 'none' >;
	ports: number[];
	text: string;
}

const CAUSE_ORDER: Array< CauseAdvice[ 'cause' ] > = [
	'host_name',
	'login',
	'certificate',
	'network',
	'mail_server',
];

/**
 * One piece of advice per cause of failure, addressed to whoever can fix it (the site owner for a
 * host name or login, the mail provider for a certificate, the web host for a blocked network),
 * instead of the same sentence on every card.
 */
export function causeAdvice( report: PortTestReport ): CauseAdvice[] {
	const failed = report.results.filter(
		( result ) =>
			! result.ok &&
			result.cause !== 'none' &&
			! isNeutralFailure( result, report )
	);
	const loginWorked = report.results
		.filter(
			( result ) =>
				result.ok &&
				result.stages.some(
					( stage ) => stage.name === 'auth' && stage.ok
				)
		)
		.map( ( result ) => result.port );
	const advice: CauseAdvice[] = [];
	for ( const cause of CAUSE_ORDER ) {
		const ports = failed
			.filter( ( result ) => result.cause === cause )
			.map( ( result ) => result.port );
		if ( ports.length === 0 ) {
			continue;
		}
		advice.push( {
			cause,
			ports,
			text:
				serverAdvice( cause, report ) ??
				causeText( cause, ports, report.host, loginWorked ),
		} );
	}
	return advice;
}

/**
 * Where the server knows more than the cause: the address policy's refusal (the name resolved, but
 * to addresses this site may not use), and who blocks outgoing mail when no port could be reached
 * (with the platform's rule and the sentence to send the web host).
 */
function serverAdvice(
	cause: CauseAdvice[ 'cause' ],
	report: PortTestReport
): string | null {
	if ( cause === 'network' ) {
		return report.advice;
	}
	if ( cause === 'host_name' ) {
		const refused = report.results.find(
			( result ) => result.verdict === 'address_refused'
		);
		return refused ? refused.message : null;
	}
	return null;
}

function causeText(
	cause: CauseAdvice[ 'cause' ],
	ports: number[],
	host: string,
	loginWorked: number[]
): string {
	switch ( cause ) {
		case 'host_name':
			return sprintf(
				/* translators: %s: host name. */
				__(
					'The host name %s was not found. Check its spelling in step 1; the port test cannot reach a server it cannot find.',
					'smtp-port-helper'
				),
				host
			);
		case 'login':
			return loginText( ports.join( ', ' ), ports.length, loginWorked );
		case 'certificate':
			return sprintf(
				/* translators: %s: comma-separated port numbers. */
				_n(
					'The certificate on port %s cannot be trusted. This is for your mail provider to fix; for a private mail server with its own certificate authority, set the CA certificate file under Advanced settings.',
					'The certificates on ports %s cannot be trusted. This is for your mail provider to fix; for a private mail server with its own certificate authority, set the CA certificate file under Advanced settings.',
					ports.length,
					'smtp-port-helper'
				),
				ports.join( ', ' )
			);
		case 'network':
			return sprintf(
				/* translators: %s: comma-separated port numbers. */
				_n(
					'Port %s could not be reached from this web server. Web hosts often block outgoing mail ports: ask your web host to open it, or use a port that works.',
					'Ports %s could not be reached from this web server. Web hosts often block outgoing mail ports: ask your web host to open one, or use a port that works.',
					ports.length,
					'smtp-port-helper'
				),
				ports.join( ', ' )
			);
		case 'mail_server':
			return sprintf(
				/* translators: %s: comma-separated port numbers. */
				_n(
					'The mail server did not answer as expected on port %s. Ask your mail provider which ports and settings it supports.',
					'The mail server did not answer as expected on ports %s. Ask your mail provider which ports and settings it supports.',
					ports.length,
					'smtp-port-helper'
				),
				ports.join( ', ' )
			);
	}
	return '';
}

/**
 * A refused login: wrong credentials, unless the same login worked on another port.
 * @param list        The ports that refused it, comma-separated.
 * @param count       How many ports refused it.
 * @param loginWorked The ports where the same login was accepted.
 */
function loginText(
	list: string,
	count: number,
	loginWorked: number[]
): string {
	if ( loginWorked.length ) {
		return sprintf(
			/* translators: 1: port numbers that refused the login, 2: port numbers that accepted it. */
			__(
				'The same user name and password were refused on port %1$s but accepted on port %2$s: the login is right, use a port that accepted it.',
				'smtp-port-helper'
			),
			list,
			loginWorked.join( ', ' )
		);
	}
	return sprintf(
		/* translators: %s: comma-separated port numbers. */
		_n(
			'Port %s refused the login: check the user name and password in step 2.',
			'Ports %s refused the login: check the user name and password in step 2.',
			count,
			'smtp-port-helper'
		),
		list
	);
}
