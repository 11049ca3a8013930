/**
 * The Outbox view: a table of the mail waiting in this site's outbox, with "Retry now" and
 * "Delete". Loaded on demand (OutboxSection imports it dynamically). Built on the components
 * package, which WordPress ships as a script, so the chunk holds only this plugin's code:
 * DataViews, which WordPress 6.8 does not ship, weighed 379 KB gzipped bundled whole and 181 KB
 * imported from its module build (docs/benchmarks.md).
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { useOutbox } from '../../hooks/use-outbox';
import type { OutboxEntry } from '../../types';
import { summaryText } from '../../text/outbox-text';
import { ConfirmDelete } from './ConfirmDelete';
import { OutboxPager, pageOf } from './OutboxPager';
import { OutboxTable } from './OutboxTable';

/**
 * The table and its actions.
 */
export default function OutboxView( {
	announce,
}: {
	announce: ( message: string ) => void;
} ) {
	const outbox = useOutbox( announce );
	const [ page, setPage ] = useState( 1 );
	const [ toDelete, setToDelete ] = useState< OutboxEntry | null >( null );

	if ( outbox.loadError ) {
		return (
			<Notice status="error" isDismissible={ false }>
				<p>{ outbox.loadError }</p>
				<Button
					variant="secondary"
					onClick={ () => void outbox.reload() }
				>
					{ __( 'Try again', 'smtp-port-helper' ) }
				</Button>
			</Notice>
		);
	}
	if ( ! outbox.messages || ! outbox.counts ) {
		return <Spinner />;
	}

	const shown = pageOf( outbox.messages, page );
	return (
		<>
			<p className="smtp-port-helper__outbox-summary">
				{ summaryText( outbox.counts ) }
			</p>
			{ shown.items.length > 0 && (
				<OutboxTable
					messages={ shown.items }
					isBusy={ outbox.isBusy }
					onRetry={ ( entry ) => void outbox.retry( entry ) }
					onDelete={ setToDelete }
				/>
			) }
			<OutboxPager
				page={ shown.page }
				pages={ shown.pages }
				onChange={ setPage }
			/>
			{ toDelete && (
				<ConfirmDelete
					entry={ toDelete }
					onCancel={ () => setToDelete( null ) }
					onConfirm={ () => {
						setToDelete( null );
						void outbox.remove( toDelete );
					} }
				/>
			) }
		</>
	);
}
