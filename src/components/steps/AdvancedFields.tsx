/**
 * The advanced settings' fields: timeout, CA file, fallback ports, self-healing. A chunk of their
 * own, loaded when the card is opened (most sites never change them).
 */
import { Notice } from '@wordpress/components';
import { __ } from '@wordpress/i18n';

import { TextField, ToggleField } from '../Fields';
import { lockedHelp } from '../../text/field-labels';
import type { AdvancedSettingsProps } from './AdvancedSettings';

export default function AdvancedFields( {
	ctx,
	record,
}: AdvancedSettingsProps ) {
	return (
		<>
			<div className="smtp-port-helper__fields is-even">
				<TextField
					ctx={ ctx }
					name="timeout"
					label={ __( 'Timeout (seconds)', 'smtp-port-helper' ) }
					inputMode="numeric"
					digitsOnly
					help={ __(
						'How long to wait for the server, 1 to 60 seconds.',
						'smtp-port-helper'
					) }
				/>
				<TextField
					ctx={ ctx }
					name="ca_file"
					label={ __( 'CA certificate file', 'smtp-port-helper' ) }
					placeholder="/etc/ssl/certs/my-relay-ca.pem"
					help={ __(
						'Only for a private mail server with its own certificate authority. Leave empty to use the system’s trusted authorities.',
						'smtp-port-helper'
					) }
				/>
			</div>
			<ToggleField
				ctx={ ctx }
				name="fallback"
				label={ __(
					'If the port cannot connect, try the fallback ports',
					'smtp-port-helper'
				) }
			/>
			{ ctx.form.fallback && (
				<TextField
					ctx={ ctx }
					name="fallback_ports"
					label={ __( 'Fallback ports', 'smtp-port-helper' ) }
					placeholder="2525, 465"
					help={ __(
						'Port numbers separated by commas, tried in this order.',
						'smtp-port-helper'
					) }
				/>
			) }
			<ToggleField
				ctx={ ctx }
				name="self_heal"
				label={ __(
					'Switch to a working port when the daily self-check finds the saved one failing',
					'smtp-port-helper'
				) }
				help={ __(
					'Once a day the saved port is tested with its login, without sending. You are told once when it switches or when nothing works.',
					'smtp-port-helper'
				) }
			/>
			{ ! record.verify_tls && (
				<Notice status="warning" isDismissible={ false }>
					{ lockedHelp( ctx.locked.verify_tls ) }{ ' ' }
					{ __(
						'Certificate verification is switched off.',
						'smtp-port-helper'
					) }
				</Notice>
			) }
		</>
	);
}
