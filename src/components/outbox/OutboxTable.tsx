import { Button } from '@wordpress/components';
import { __ } from '@wordpress/i18n';
import type { ReactNode } from 'react';

import type { OutboxEntry } from '../../types';
import { formatTime, nextTryText, verdictLabel } from '../../text/outbox-text';

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
function columns(): {
	label: string;
	cell: ( item: OutboxEntry ) => ReactNode;
}[] {
	return [
		{
			label: __( 'Recipient', 'smtp-port-helper' ),
			cell: ( item ) => item.to.join( ', ' ),
		},
		{
			label: __( 'Subject', 'smtp-port-helper' ),
			cell: ( item ) => item.subject,
		},
		{
			label: __( 'Queued at', 'smtp-port-helper' ),
			cell: ( item ) => formatTime( item.queued_at ),
		},
		{
			label: __( 'Attempts', 'smtp-port-helper' ),
			cell: ( item ) => item.attempts,
		},
		{
			label: __( 'Next try', 'smtp-port-helper' ),
			cell: nextTryText,
		},
		{
			label: __( 'Last error', 'smtp-port-helper' ),
			cell: ( item ) => <LastError item={ item } />,
		},
	];
}

/**
 * One row per message. On a narrow screen each row becomes a block whose cells carry their
 * column's name (data-label), as WordPress's own list tables do below 782 px.
 */
export function OutboxTable( {
	messages,
	isBusy,
	onRetry,
	onDelete,
}: {
	messages: OutboxEntry[];
	isBusy: boolean;
	onRetry: ( entry: OutboxEntry ) => void;
	onDelete: ( entry: OutboxEntry ) => void;
} ) {
	const fields = columns();
	const actionsLabel = __( 'Actions', 'smtp-port-helper' );
	return (
		<table className="smtp-port-helper__outbox-table">
			<thead>
				<tr>
					{ fields.map( ( { label } ) => (
						<th key={ label } scope="col">
							{ label }
						</th>
					) ) }
					<th scope="col">
						<span className="screen-reader-text">
							{ actionsLabel }
						</span>
					</th>
				</tr>
			</thead>
			<tbody>
				{ messages.map( ( item ) => (
					<tr key={ item.id }>
						{ fields.map( ( { label, cell } ) => (
							<td key={ label } data-label={ label }>
								{ cell( item ) }
							</td>
						) ) }
						<td className="smtp-port-helper__outbox-actions">
							<Button
								variant="secondary"
								size="compact"
								accessibleWhenDisabled
								disabled={ isBusy }
								onClick={ () => onRetry( item ) }
							>
								{ __( 'Retry now', 'smtp-port-helper' ) }
							</Button>
							<Button
								variant="secondary"
								size="compact"
								isDestructive
								accessibleWhenDisabled
								disabled={ isBusy }
								onClick={ () => onDelete( item ) }
							>
								{ __( 'Delete', 'smtp-port-helper' ) }
							</Button>
						</td>
					</tr>
				) ) }
			</tbody>
		</table>
	);
}
