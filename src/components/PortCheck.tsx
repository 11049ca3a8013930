import { Button, Notice } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { useRestActions } from '../hooks/use-rest-actions';
import type { Preset } from '../presets';
import { portsToTest } from '../presets';
import type { PortTestReport, PortTestRequest, Recommendation } from '../types';
import { milliseconds } from './labels';
import { summary } from './port-check-text';
import { PortRecommendation } from './PortRecommendation';
import { PortResultCard } from './PortResultCard';

interface Props {
	host: string;
	preset?: Preset;
	/** Credentials to try (a real AUTH, never a mail); without password the saved one is used. */
	auth?: { username: string; password?: string };
	onApply: ( recommendation: Recommendation ) => void;
	announce: ( message: string ) => void;
}

/**
 * Tests from this web server which ports of the host answer (never sends mail), shows each
 * port's result as it is known and the recommended port.
 * @param root0
 * @param root0.host
 * @param root0.preset
 * @param root0.auth
 * @param root0.onApply
 * @param root0.announce
 */
export function PortCheck( { host, preset, auth, onApply, announce }: Props ) {
	const { testPorts, isRunning } = useRestActions();
	const running = isRunning( 'portTest' );
	const [ ports, setPorts ] = useState< number[] >( [] );
	const [ report, setReport ] = useState< PortTestReport | null >( null );
	const [ error, setError ] = useState< string | null >( null );

	const start = async () => {
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
		setReport( null );
		setError( null );
		announce( __( 'Testing the ports…', 'smtp-port-helper' ) );
		const outcome = await testPorts( request );
		if ( outcome.ok ) {
			setReport( outcome.value );
			setPorts( outcome.value.results.map( ( item ) => item.port ) );
			announce( summary( outcome.value ) );
		} else {
			setError( outcome.message );
			setPorts( [] );
			announce( outcome.message );
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
				onClick={ () => void start() }
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
				<PortRecommendation
					recommendation={ recommendation }
					onApply={ onApply }
				/>
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
						<PortResultCard
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
