/**
 * The Outbox view: a DataViews table of the mail waiting in this site's outbox, with "Retry now"
 * and "Delete". Loaded on demand (OutboxSection imports it dynamically): DataViews is bundled with
 * the plugin, since WordPress 6.8 does not ship it as a script.
 */
import { Button, Notice, Spinner } from '@wordpress/components';
import type { Action, Field, View } from '@wordpress/dataviews/wp';
import { DataViews } from '@wordpress/dataviews/wp';
import { useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import './outbox.scss';

import { useOutbox } from '../../hooks/use-outbox';
import type { OutboxEntry } from '../../types';
import {
	formatTime,
	nextTryText,
	summaryText,
	verdictLabel,
} from '../../text/outbox-text';

const FIELD_IDS = [ 'to', 'subject', 'queued_at', 'attempts', 'next', 'error' ];

function LastError( { item }: { item: OutboxEntry } ) {
	return (
		<div className="smtp-port-helper__outbox-error">
			<strong>{ verdictLabel( item ) }</strong>
			{ item.error && (
				<span className="smtp-port-helper__outbox-server-answer">
					{ item.error }
				</span>
			) }
			<span>{ item.explanation }</span>
		</div>
	);
}

/** The columns: who, what, when, how often, next try, last error (never the body). */
function outboxFields(): Field< OutboxEntry >[] {
	const column = {
		enableSorting: false,
		enableHiding: false,
		filterBy: false as const,
	};
	return [
		{
			...column,
			id: 'to',
			label: __( 'Recipient', 'smtp-port-helper' ),
			getValue: ( { item } ) => item.to.join( ', ' ),
		},
		{
			...column,
			id: 'subject',
			label: __( 'Subject', 'smtp-port-helper' ),
			getValue: ( { item } ) => item.subject,
		},
		{
			...column,
			id: 'queued_at',
			label: __( 'Queued at', 'smtp-port-helper' ),
			getValue: ( { item } ) => formatTime( item.queued_at ),
		},
		{
			...column,
			id: 'attempts',
			label: __( 'Attempts', 'smtp-port-helper' ),
			getValue: ( { item } ) => item.attempts,
		},
		{
			...column,
			id: 'next',
			label: __( 'Next try', 'smtp-port-helper' ),
			getValue: ( { item } ) => nextTryText( item ),
		},
		{
			...column,
			id: 'error',
			label: __( 'Last error', 'smtp-port-helper' ),
			getValue: ( { item } ) => verdictLabel( item ),
			render: LastError,
		},
	];
}

function ConfirmDelete( {
	entry,
	onCancel,
	onConfirm,
}: {
	entry: OutboxEntry;
	onCancel: () => void;
	onConfirm: () => void;
} ) {
	return (
		<div className="smtp-port-helper__outbox-confirm">
			<p>
				{ sprintf(
					/* translators: 1: the message's subject; 2: its recipients */
					__(
						'Delete “%1$s” to %2$s? The message is removed from the outbox and will not be sent.',
						'smtp-port-helper'
					),
					entry.subject,
					entry.to.join( ', ' )
				) }
			</p>
			<div className="smtp-port-helper__outbox-confirm-actions">
				<Button variant="tertiary" onClick={ onCancel }>
					{ __( 'Cancel', 'smtp-port-helper' ) }
				</Button>
				<Button variant="primary" isDestructive onClick={ onConfirm }>
					{ __( 'Delete message', 'smtp-port-helper' ) }
				</Button>
			</div>
		</div>
	);
}

/**
 * The table and its actions.
 */
export default function OutboxView( {
	announce,
}: {
	announce: ( message: string ) => void;
} ) {
	const outbox = useOutbox( announce );
	const [ view, setView ] = useState< View >( {
		type: 'table',
		fields: FIELD_IDS,
		page: 1,
		perPage: 100,
		layout: {},
	} );

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

	const actions: Action< OutboxEntry >[] = [
		{
			id: 'retry',
			label: __( 'Retry now', 'smtp-port-helper' ),
			isPrimary: true,
			disabled: outbox.isBusy,
			callback: ( [ entry ] ) => void outbox.retry( entry ),
		},
		{
			id: 'delete',
			label: __( 'Delete', 'smtp-port-helper' ),
			isPrimary: true,
			disabled: outbox.isBusy,
			modalHeader: __( 'Delete this message?', 'smtp-port-helper' ),
			RenderModal: ( { items: [ entry ], closeModal } ) => (
				<ConfirmDelete
					entry={ entry }
					onCancel={ () => closeModal?.() }
					onConfirm={ () => {
						closeModal?.();
						void outbox.remove( entry );
					} }
				/>
			),
		},
	];

	const perPage = view.perPage ?? 100;
	const page = view.page ?? 1;
	return (
		<>
			<p className="smtp-port-helper__outbox-summary">
				{ summaryText( outbox.counts ) }
			</p>
			{ outbox.messages.length > 0 && (
				<DataViews< OutboxEntry >
					data={ outbox.messages.slice(
						( page - 1 ) * perPage,
						page * perPage
					) }
					fields={ outboxFields() }
					view={ view }
					onChangeView={ setView }
					actions={ actions }
					getItemId={ ( item ) => String( item.id ) }
					search={ false }
					defaultLayouts={ { table: {} } }
					paginationInfo={ {
						totalItems: outbox.messages.length,
						totalPages: Math.max(
							1,
							Math.ceil( outbox.messages.length / perPage )
						),
					} }
				/>
			) }
		</>
	);
}
