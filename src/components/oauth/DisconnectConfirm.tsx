import { Button, Modal } from '@wordpress/components';
import { __, sprintf } from '@wordpress/i18n';

interface Props {
	/** The connected e-mail address. */
	account: string;
	onConfirm: () => void;
	onCancel: () => void;
}

/**
 * Asks before a disconnect: the site forgets the sign-in and the provider is asked to revoke it.
 */
export function DisconnectConfirm( { account, onConfirm, onCancel }: Props ) {
	return (
		<Modal
			title={ __( 'Disconnect the account?', 'smtp-port-helper' ) }
			onRequestClose={ onCancel }
			size="medium"
		>
			<p>
				{ sprintf(
					/* translators: %s: the connected e-mail address. */
					__(
						'The site forgets the sign-in of %s and asks the provider to revoke it. Mail is not sent through this account until you connect again.',
						'smtp-port-helper'
					),
					account
				) }
			</p>
			<div className="smtp-port-helper__actions">
				<Button
					variant="primary"
					isDestructive
					onClick={ onConfirm }
					__next40pxDefaultSize
				>
					{ __( 'Disconnect', 'smtp-port-helper' ) }
				</Button>
				<Button
					variant="tertiary"
					onClick={ onCancel }
					__next40pxDefaultSize
				>
					{ __( 'Cancel', 'smtp-port-helper' ) }
				</Button>
			</div>
		</Modal>
	);
}
