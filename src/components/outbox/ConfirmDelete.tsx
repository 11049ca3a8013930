import { Button, Modal } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

import type { OutboxEntry } from '../../types';

/**
 * Asks before a message is deleted: it names the message, and Cancel (or Escape) keeps it.
 */
export function ConfirmDelete( {
	entry,
	onCancel,
	onConfirm,
}: {
	entry: OutboxEntry;
	onCancel: () => void;
	onConfirm: () => void;
} ) {
	return (
		<Modal
			title={ __( 'Delete this message?', 'smtp-port-helper' ) }
			onRequestClose={ onCancel }
			size="medium"
		>
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
		</Modal>
	);
}
