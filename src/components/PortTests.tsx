import { Button, Notice, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, _n, sprintf } from '@wordpress/i18n';

import { isRestError, runPortTests } from '../api';
import type { Preset } from '../presets';
import { portsToTest } from '../presets';
import type {
	PortResult,
	PortTestReport,
	PortTestRequest,
	Recommendation,
} from '../types';
import {
	encryptionLabel,
	milliseconds,
	modeLabel,
	stageLabel,
	verdictLabel,
} from './labels';

interface Props {
	host: string;
	preset?: Preset;
	/** Credentials to try (a real AUTH, never a mail); without password the saved one is used. */
	auth?: { username: string; password?: string };
	onApply: ( recommendation: Recommendation ) => void;
	announce: ( message: string ) => void;
}

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

function ResultCard( {
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
			<details className="smtp-port-helper__more">
				<summary>
					{ sprintf(
						/* translators: %d: port number. */
						__(
							'Technical details for port %d',
							'smtp-port-helper'
						),
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
				{ result.auth_mechanisms &&
					result.auth_mechanisms.length > 0 && (
						<p>
							{ sprintf(
								/* translators: %s: list of login methods, e.g. PLAIN, LOGIN. */
								__(
									'Login methods offered: %s',
									'smtp-port-helper'
								),
								result.auth_mechanisms.join( ', ' )
							) }
						</p>
					) }
				<TlsDetailsList result={ result } />
			</details>
		</li>
	);
}

export function PortTests( { host, preset, auth, onApply, announce }: Props ) {
	const [ running, setRunning ] = useState( false );
	const [ ports, setPorts ] = useState< number[] >( [] );
	const [ report, setReport ] = useState< PortTestReport | null >( null );
	const [ error, setError ] = useState< string | null >( null );
	const [ applied, setApplied ] = useState( false );

	const run = async () => {
		const request: PortTestRequest = {
			host: host.trim(),
			ports: portsToTest( preset ),
		};
		if ( preset && preset.alternates.length ) {
			request.alternates = preset.alternates;
		}
		if ( auth ) {
			request.auth = auth;
		}
		setPorts( request.ports ?? [] );
		setRunning( true );
		setReport( null );
		setError( null );
		setApplied( false );
		announce( __( 'Testing the ports…', 'smtp-port-helper' ) );
		try {
			const result = await runPortTests( request );
			setReport( result );
			setPorts( result.results.map( ( item ) => item.port ) );
			announce( summary( result ) );
		} catch ( failure: unknown ) {
			// The server's words, also for a 429: it says how long to wait.
			let message: string;
			if ( isRestError( failure ) ) {
				message = failure.data?.params
					? Object.values( failure.data.params ).join( ' ' )
					: failure.message;
			} else {
				message = __(
					'The port test could not be run.',
					'smtp-port-helper'
				);
			}
			setError( message );
			setPorts( [] );
			announce( message );
		} finally {
			setRunning( false );
		}
	};

	const recommendation = report?.recommendation ?? null;

	return (
		<div className="smtp-port-helper__port-tests">
			<p>
				{ __(
					'The test connects from this web server to each port, step by step, without sending a message. It shows which ports are open, which encryption they use and whether the certificate can be trusted.',
					'smtp-port-helper'
				) }
			</p>
			<Button
				variant="secondary"
				onClick={ () => void run() }
				isBusy={ running }
				disabled={ running || host.trim() === '' }
				accessibleWhenDisabled
				__next40pxDefaultSize
			>
				{ running
					? __( 'Testing ports…', 'smtp-port-helper' )
					: __( 'Test ports', 'smtp-port-helper' ) }
			</Button>
			{ host.trim() === '' && (
				<p className="description">
					{ __( 'Enter the host first.', 'smtp-port-helper' ) }
				</p>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ recommendation && (
				<div className="smtp-port-helper__recommendation">
					<h3>{ __( 'Recommendation', 'smtp-port-helper' ) }</h3>
					<p>{ recommendation.reason }</p>
					<Button
						variant="primary"
						onClick={ () => {
							onApply( recommendation );
							setApplied( true );
						} }
						__next40pxDefaultSize
					>
						{ recommendationText( recommendation ) }
					</Button>
					{ applied && (
						<p>
							{ __(
								'Port and encryption are filled in. Save the settings to use them.',
								'smtp-port-helper'
							) }
						</p>
					) }
				</div>
			) }
			{ report && ! recommendation && (
				<Notice status="warning" isDismissible={ false }>
					{ __(
						'No port works from this web server. Read the explanation of each port below; often the web host blocks outgoing mail ports and can open one on request.',
						'smtp-port-helper'
					) }
				</Notice>
			) }
			{ ports.length > 0 && (
				<ul
					className="smtp-port-helper__ports"
					aria-label={ __( 'Port test results', 'smtp-port-helper' ) }
				>
					{ ports.map( ( port ) => (
						<ResultCard
							key={ port }
							port={ port }
							result={ report?.results.find(
								( item ) => item.port === port
							) }
							recommended={ recommendation?.port === port }
						/>
					) ) }
				</ul>
			) }
			{ report && (
				<p className="smtp-port-helper__elapsed">
					{ sprintf(
						/* translators: 1: host name, 2: duration. */
						__(
							'Tested %1$s in %2$s in total.',
							'smtp-port-helper'
						),
						report.host,
						milliseconds( report.elapsed_ms )
					) }
				</p>
			) }
		</div>
	);
}
