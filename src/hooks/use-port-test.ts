/**
 * The port test of the page: its request, its results as they arrive and what it was run with, so
 * that the page can tell when the results no longer describe the form (stale).
 */
import { useCallback, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { TestedWith } from '../port-test';
import type { PortTestReport, PortTestRequest } from '../types';
import { useRestActions } from './use-rest-actions';

export interface PortTest {
	running: boolean;
	/** The ports of the running or last test, in the order they are shown. */
	ports: number[];
	report: PortTestReport | null;
	/** What the last test was run with; null before the first test. */
	tested: TestedWith | null;
	/** Why the last test could not run. */
	error: string | null;
	/** Field => message for each request field the server named (e.g. `auth.password`). */
	fieldErrors: Record< string, string >;
	/** Runs a test; `alternates` are the provider's own alternate ports. */
	start: (
		with_: TestedWith,
		alternates: number[],
		announce: ( text: string ) => void
	) => void;
}

export function usePortTest(): PortTest {
	const { testPorts, isRunning } = useRestActions();
	const [ ports, setPorts ] = useState< number[] >( [] );
	const [ report, setReport ] = useState< PortTestReport | null >( null );
	const [ tested, setTested ] = useState< TestedWith | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ fieldErrors, setFieldErrors ] = useState<
		Record< string, string >
	>( {} );
	const start = useCallback(
		(
			with_: TestedWith,
			alternates: number[],
			announce: ( text: string ) => void
		) => {
			const request: PortTestRequest = {
				host: with_.host.trim(),
				ports: with_.ports,
			};
			if ( alternates.length ) {
				request.alternates = alternates;
			}
			if ( with_.login ) {
				request.auth = {
					username: with_.login.username,
					...( with_.login.password !== ''
						? { password: with_.login.password }
						: {} ),
				};
			}
			setPorts( with_.ports );
			setReport( null );
			setTested( with_ );
			setError( null );
			setFieldErrors( {} );
			announce( __( 'Testing the ports…', 'smtp-port-helper' ) );
			void testPorts( request ).then( ( outcome ) => {
				if ( outcome.ok ) {
					setReport( outcome.value );
					setPorts(
						outcome.value.results.map( ( item ) => item.port )
					);
					// The words travel with the results' chunk, which the test has loaded by now.
					const finished = outcome.value;
					void import(
						/* webpackChunkName: "port-results" */ '../text/port-check-text'
					).then( ( text ) => announce( text.summary( finished ) ) );
				} else {
					setError( outcome.message );
					setFieldErrors( outcome.fieldErrors );
					setPorts( [] );
					setTested( null );
					announce( outcome.message );
				}
			} );
		},
		[ testPorts ]
	);

	return {
		running: isRunning( 'portTest' ),
		ports,
		report,
		tested,
		error,
		fieldErrors,
		start,
	};
}
