/**
 * The Outbox section of the settings page. It exists only while the outbox holds mail (the boot
 * data's counts): an empty outbox renders nothing and loads nothing, and the table (DataViews,
 * bundled) is a separate script fetched on demand.
 */
import {
	Card,
	CardBody,
	CardHeader,
	Notice,
	Spinner,
} from '@wordpress/components';
import {
	Component,
	Suspense,
	lazy,
	useEffect,
	useRef,
} from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';

import { bootData } from '../../boot';

/** The section's id: the admin notice and Site Health link to it (Settings_Page::OUTBOX_ANCHOR). */
export const OUTBOX_ID = 'outbox';

const OutboxView = lazy(
	() => import( /* webpackChunkName: "outbox" */ './OutboxView' )
);

/** A table that fails to load (its script, or a render error) must not take the page with it. */
class LoadProblem extends Component<
	{ children: ReactNode },
	{ failed: boolean }
> {
	state = { failed: false };

	static getDerivedStateFromError() {
		return { failed: true };
	}

	render() {
		return this.state.failed ? (
			<Notice status="error" isDismissible={ false }>
				{ __(
					'The outbox could not be shown. Reload the page to try again.',
					'smtp-port-helper'
				) }
			</Notice>
		) : (
			this.props.children
		);
	}
}

/**
 * Scrolls to the section when the address ends in #outbox (the admin notice's link), also when
 * the link is followed on this very page.
 */
function useScrollToHash( id: string ) {
	const ref = useRef< HTMLDivElement >( null );
	useEffect( () => {
		const scroll = () => {
			if ( window.location.hash === `#${ id }` ) {
				ref.current?.scrollIntoView?.( { block: 'start' } );
			}
		};
		scroll();
		window.addEventListener( 'hashchange', scroll );
		return () => window.removeEventListener( 'hashchange', scroll );
	}, [ id ] );
	return ref;
}

/**
 */
export function OutboxSection( {
	announce,
}: {
	announce: ( message: string ) => void;
} ) {
	const { queued, sending, held, failed } = bootData().outboxCounts;
	const total = queued + sending + held + failed;
	const ref = useScrollToHash( OUTBOX_ID );
	if ( total === 0 ) {
		return null;
	}
	return (
		<div id={ OUTBOX_ID } ref={ ref }>
			<Card className="smtp-port-helper__outbox">
				<CardHeader>
					<h2 className="smtp-port-helper__card-title">
						{ __( 'Outbox', 'smtp-port-helper' ) }
					</h2>
				</CardHeader>
				<CardBody>
					<LoadProblem>
						<Suspense fallback={ <Spinner /> }>
							<OutboxView announce={ announce } />
						</Suspense>
					</LoadProblem>
				</CardBody>
			</Card>
		</div>
	);
}
