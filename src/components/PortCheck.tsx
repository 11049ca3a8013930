import { Button, Notice, Spinner } from '@wordpress/components';
import { Suspense, lazy } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import type { PortTest } from '../hooks/use-port-test';
import type { StaleReason, TestedWith } from '../port-test';
import { staleReasons } from '../port-test';
import type { Preset } from '../presets';
import { portsToTest } from '../presets';
import type { Encryption, Recommendation } from '../types';

// The results (cards, details, advice): a chunk of their own, loaded when a test starts.
const PortResults = lazy(
	() => import( /* webpackChunkName: "port-results" */ './PortResults' )
);

export const TEST_PORTS_BUTTON_ID = 'smtp-port-helper-test-ports';

interface Props {
	portTest: PortTest;
	host: string;
	preset?: Preset;
	/** The login the test tries (a real AUTH, never a mail); without password the saved one is used. */
	login: TestedWith[ 'login' ];
	/** Why the test cannot run with this login yet (the password must be typed first). */
	missingPassword?: string | null;
	/** The saved port and encryption, to tell whether an applied recommendation still needs a save. */
	saved?: { port: number; encryption: Encryption; transport?: string };
	onApply: ( recommendation: Recommendation ) => void;
	announce: ( message: string ) => void;
	/** Fills in a provider's host the user probably meant. */
	onUseHost?: ( preset: Preset ) => void;
}

function staleText( host: string, reasons: StaleReason[] ): string {
	if ( reasons.includes( 'host' ) ) {
		return sprintf(
			/* translators: %s: the host name that was tested. */
			__(
				'These results were for %s, not for the host entered now — test again.',
				'smtp-port-helper'
			),
			host
		);
	}
	if ( reasons.includes( 'login' ) ) {
		return sprintf(
			/* translators: %s: the host name that was tested. */
			__(
				'These results were for %s with another login — test again.',
				'smtp-port-helper'
			),
			host
		);
	}
	return sprintf(
		/* translators: %s: the host name that was tested. */
		__(
			'These results were for %s with other ports — test again.',
			'smtp-port-helper'
		),
		host
	);
}

/**
 * Tests from this web server which ports of the host answer (never sends mail), shows each
 * port's result as it is known and the recommended port. Results stay tied to what they were
 * tested with: once host, ports or login change they are marked stale and cannot be applied.
 */
export function PortCheck( {
	portTest,
	host,
	preset,
	login,
	missingPassword = null,
	saved,
	onApply,
	announce,
	onUseHost,
}: Props ) {
	const { running, report, tested, error } = portTest;
	const now: TestedWith = {
		host: host.trim(),
		ports: portsToTest( preset ),
		login,
	};
	const stale = tested && ! running ? staleReasons( tested, now ) : [];
	const otherHost = stale.includes( 'host' );
	const blocked = host.trim() === '' || Boolean( missingPassword );
	const start = () =>
		portTest.start( now, preset ? preset.alternates : [], announce );

	const reasonId = 'smtp-port-helper-test-blocked';

	return (
		<div className="smtp-port-helper__port-tests">
			<p>
				{ __(
					'The test connects from this web server to each port, step by step, without sending a message. It shows which ports are open, which encryption they use, whether the certificate can be trusted and, with the login of step 2, whether the login is accepted.',
					'smtp-port-helper'
				) }
			</p>
			<Button
				id={ TEST_PORTS_BUTTON_ID }
				variant="secondary"
				onClick={ start }
				isBusy={ running }
				disabled={ running || blocked }
				accessibleWhenDisabled
				aria-describedby={ blocked ? reasonId : undefined }
				__next40pxDefaultSize
			>
				{ running
					? __( 'Testing ports…', 'smtp-port-helper' )
					: __( 'Test ports', 'smtp-port-helper' ) }
			</Button>
			{ blocked && (
				<p id={ reasonId } className="description">
					{ host.trim() === ''
						? __( 'Enter the host first.', 'smtp-port-helper' )
						: missingPassword }
				</p>
			) }
			{ error && (
				<Notice status="error" isDismissible={ false }>
					{ error }
				</Notice>
			) }
			{ tested && report && stale.length > 0 && (
				<Notice
					status="warning"
					isDismissible={ false }
					className="smtp-port-helper__stale"
				>
					<p>{ staleText( tested.host, stale ) }</p>
					<Button
						variant="secondary"
						onClick={ start }
						disabled={ blocked }
						accessibleWhenDisabled
						__next40pxDefaultSize
					>
						{ __( 'Test again', 'smtp-port-helper' ) }
					</Button>
				</Notice>
			) }
			{ ! otherHost && ( report || portTest.ports.length > 0 ) && (
				<Suspense fallback={ <Spinner /> }>
					<PortResults
						portTest={ portTest }
						stale={ stale.length > 0 }
						saved={ saved }
						onApply={ onApply }
						onUseHost={ onUseHost }
					/>
				</Suspense>
			) }
		</div>
	);
}
