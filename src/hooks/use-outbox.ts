import { useDispatch } from '@wordpress/data';
import { useCallback, useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

import {
	deleteOutboxMessage,
	getOutbox,
	isRestError,
	retryOutboxMessage,
} from '../api';
import type { OutboxCounts, OutboxEntry } from '../types';
import { summaryText } from '../text/outbox-text';

export interface Outbox {
	/** The messages, oldest first; null until loaded. */
	messages: OutboxEntry[] | null;
	counts: OutboxCounts | null;
	loadError: string | null;
	/** A retry or delete is running. */
	isBusy: boolean;
	reload: () => Promise< void >;
	retry: ( entry: OutboxEntry ) => Promise< void >;
	remove: ( entry: OutboxEntry ) => Promise< void >;
}

/**
 * Counts after a message changed status (null: it left the outbox).
 */
function moved(
	counts: OutboxCounts,
	from: OutboxEntry[ 'status' ],
	to: OutboxEntry[ 'status' ] | null
): OutboxCounts {
	const next = { ...counts, [ from ]: Math.max( 0, counts[ from ] - 1 ) };
	if ( to ) {
		next[ to ] += 1;
	}
	return next;
}

function errorText( error: unknown ): string {
	return isRestError( error )
		? error.message
		: __( 'The server did not answer. Try again.', 'smtp-port-helper' );
}

function isGone( error: unknown ): boolean {
	return isRestError( error ) && error.data?.status === 404;
}

/**
 * The outbox of this site: loads it, retries and deletes messages, and tells the person what
 * happened through a snackbar (@wordpress/notices) and what the outbox holds now through the
 * page's live region.
 * @param announce The page's announcer.
 */
export function useOutbox( announce: ( message: string ) => void ): Outbox {
	const [ messages, setMessages ] = useState< OutboxEntry[] | null >( null );
	const [ counts, setCounts ] = useState< OutboxCounts | null >( null );
	const [ loadError, setLoadError ] = useState< string | null >( null );
	const [ isBusy, setBusy ] = useState( false );
	const { createSuccessNotice, createErrorNotice } =
		useDispatch( noticesStore );

	const reload = useCallback( async () => {
		setLoadError( null );
		try {
			const list = await getOutbox();
			setMessages( list.messages );
			setCounts( list.counts );
		} catch ( error: unknown ) {
			setLoadError(
				sprintf(
					/* translators: %s: the server's error message */
					__(
						'The outbox could not be loaded: %s',
						'smtp-port-helper'
					),
					errorText( error )
				)
			);
		}
	}, [] );

	useEffect( () => {
		void reload();
	}, [ reload ] );

	/**
	 * Takes a message out of the list, or puts its new state in, and says what the outbox holds.
	 */
	const update = ( entry: OutboxEntry, replacement: OutboxEntry | null ) => {
		setMessages(
			( current ) =>
				current?.flatMap( ( item ) => {
					if ( item.id !== entry.id ) {
						return [ item ];
					}
					return replacement ? [ replacement ] : [];
				} ) ?? null
		);
		if ( counts ) {
			const next = moved(
				counts,
				entry.status,
				replacement?.status ?? null
			);
			setCounts( next );
			announce( summaryText( next ) );
		}
	};

	const gone = ( entry: OutboxEntry ) => {
		update( entry, null );
		void createSuccessNotice(
			__(
				'This message is no longer in the outbox: it was delivered or deleted meanwhile.',
				'smtp-port-helper'
			),
			{ type: 'snackbar' }
		);
	};

	/**
	 * Runs one row's action: busy meanwhile; a message gone meanwhile leaves the table, any other
	 * error is a notice.
	 * @param entry  The row.
	 * @param action The request and what follows it.
	 */
	const onRow = async (
		entry: OutboxEntry,
		action: () => Promise< void >
	) => {
		setBusy( true );
		try {
			await action();
		} catch ( error: unknown ) {
			if ( isGone( error ) ) {
				gone( entry );
			} else {
				void createErrorNotice( errorText( error ), {
					type: 'snackbar',
				} );
			}
		} finally {
			setBusy( false );
		}
	};

	const retry = ( entry: OutboxEntry ) =>
		onRow( entry, async () => {
			const result = await retryOutboxMessage( entry.id );
			update( entry, result.delivered ? null : result.message );
			if ( result.delivered ) {
				void createSuccessNotice(
					sprintf(
						/* translators: %s: the message's subject */
						__( 'Delivered: “%s”.', 'smtp-port-helper' ),
						entry.subject
					),
					{ type: 'snackbar' }
				);
			} else {
				void createErrorNotice(
					sprintf(
						/* translators: 1: the message's subject; 2: why it was not delivered */
						__(
							'Not delivered yet: “%1$s”. %2$s',
							'smtp-port-helper'
						),
						entry.subject,
						result.message?.explanation ?? ''
					).trim(),
					{ type: 'snackbar' }
				);
			}
		} );

	const remove = ( entry: OutboxEntry ) =>
		onRow( entry, async () => {
			await deleteOutboxMessage( entry.id );
			update( entry, null );
			void createSuccessNotice(
				sprintf(
					/* translators: %s: the message's subject */
					__(
						'Deleted: “%s”. It will not be sent.',
						'smtp-port-helper'
					),
					entry.subject
				),
				{ type: 'snackbar' }
			);
		} );

	return { messages, counts, loadError, isBusy, reload, retry, remove };
}
