import { Card, CardBody, ToggleControl } from '@wordpress/components';
import { useDispatch } from '@wordpress/data';
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';
import { store as noticesStore } from '@wordpress/notices';

import { saveNetworkLock } from '../api';

interface Props {
	/** Whether the network locks its sites' destination now (the network answer's field). */
	locked: boolean;
}

/**
 * The network screen only: whether every site must send through the network's server, port,
 * encryption and login. Saved at once, apart from the form (it is no field of a site).
 */
export function NetworkLock( { locked }: Props ) {
	const [ value, setValue ] = useState( locked );
	const [ busy, setBusy ] = useState( false );
	const { createSuccessNotice, createErrorNotice } =
		useDispatch( noticesStore );
	const change = async ( next: boolean ) => {
		setBusy( true );
		try {
			const saved = await saveNetworkLock( next );
			setValue( Boolean( saved.lock_site_destination ) );
			createSuccessNotice(
				next
					? __(
							'Every site now sends through these settings.',
							'smtp-port-helper'
						)
					: __(
							'Sites may set their own SMTP server again.',
							'smtp-port-helper'
						),
				{ type: 'snackbar' }
			);
		} catch ( error ) {
			createErrorNotice(
				( error as { message?: string } ).message ??
					__( 'The setting was not saved.', 'smtp-port-helper' ),
				{ type: 'snackbar' }
			);
		} finally {
			setBusy( false );
		}
	};
	return (
		<Card className="smtp-port-helper__step">
			<CardBody>
				<ToggleControl
					__nextHasNoMarginBottom
					label={ __(
						'Every site sends through these settings',
						'smtp-port-helper'
					) }
					help={ __(
						'Sites cannot set their own server, port, encryption or login. Without this, a site with its own server still sends mail for super admins and other sites’ users through these settings.',
						'smtp-port-helper'
					) }
					checked={ value }
					disabled={ busy }
					onChange={ ( next: boolean ) => void change( next ) }
				/>
			</CardBody>
		</Card>
	);
}
