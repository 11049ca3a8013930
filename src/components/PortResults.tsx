/**
 * What a port test found: the recommendation, the advice per cause (written by the PHP side), one
 * card per port, the time it took and the report to copy. Its own script chunk, loaded once a
 * test starts: a page that is only opened to read or save the settings never loads it.
 */
import { Button, Notice } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { PortTest } from '../hooks/use-port-test';
import type { Preset } from '../presets';
import { presetHostNear } from '../presets';
import type { Encryption, Recommendation } from '../types';
import { milliseconds } from '../text/field-labels';
import { ApiRowCard } from './ApiRowCard';
import { CopyReport } from './CopyReport';
import { isNeutralFailure } from '../text/port-check-text';
import { PortRecommendation } from './PortRecommendation';
import { PortResultCard } from './PortResultCard';

export interface PortResultsProps {
	portTest: PortTest;
	/** The results no longer match the form: a recommendation cannot be applied. */
	stale: boolean;
	saved?: { port: number; encryption: Encryption; transport?: string };
	onApply: ( recommendation: Recommendation ) => void;
	onUseHost?: ( preset: Preset ) => void;
}

export default function PortResults( {
	portTest,
	stale,
	saved,
	onApply,
	onUseHost,
}: PortResultsProps ) {
	const { report } = portTest;
	const recommendation = report?.recommendation ?? null;
	const advice = report ? report.causes : [];
	const suggestion =
		report && advice.some( ( item ) => item.cause === 'host_name' )
			? presetHostNear( report.host )
			: undefined;
	return (
		<>
			{ recommendation && (
				<PortRecommendation
					recommendation={ recommendation }
					apiLabel={ report?.api?.label }
					canApply={ ! stale }
					saved={ saved }
					onApply={ onApply }
				/>
			) }
			{ report && ( ! recommendation || advice.length > 0 ) && (
				<Notice
					status={ recommendation ? 'info' : 'warning' }
					isDismissible={ false }
					className="smtp-port-helper__advice"
				>
					{ ! recommendation && (
						<p>
							<strong>
								{ __(
									'No port works from this web server.',
									'smtp-port-helper'
								) }
							</strong>
						</p>
					) }
					{ advice.map( ( item ) => (
						<p key={ item.cause } data-cause={ item.cause }>
							{ item.text }
						</p>
					) ) }
					{ suggestion && onUseHost && (
						<Button
							variant="primary"
							onClick={ () => onUseHost( suggestion.preset ) }
							__next40pxDefaultSize
						>
							{ sprintf(
								/* translators: %s: a provider's host name. */
								__( 'Did you mean %s?', 'smtp-port-helper' ),
								suggestion.host
							) }
						</Button>
					) }
				</Notice>
			) }
			{ portTest.ports.length > 0 && (
				<ul
					className="smtp-port-helper__ports"
					aria-label={ __( 'Port test results', 'smtp-port-helper' ) }
				>
					{ portTest.ports.map( ( port ) => {
						const result = report?.results.find(
							( item ) => item.port === port
						);
						return (
							<PortResultCard
								key={ port }
								port={ port }
								result={ result }
								recommended={ recommendation?.port === port }
								neutral={
									result && report
										? isNeutralFailure( result, report )
										: false
								}
							/>
						);
					} ) }
					{ report?.api && (
						<ApiRowCard
							row={ report.api }
							recommended={
								recommendation?.transport ===
								report.api.transport
							}
						/>
					) }
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
			{ report && report.markdown && (
				<CopyReport markdown={ report.markdown } />
			) }
		</>
	);
}
